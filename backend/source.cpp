// SPDX-License-Identifier: GPL-3.0-or-later
#include "source.h"

#include "directorysource.h"
#include "dockerarchive.h"
#include "ocilayout.h"

#include <array>

namespace strata {

namespace {

struct Prefix {
    SourceKind kind;
    const char *text;
};
constexpr std::array<Prefix, 6> prefixes{{
    {SourceKind::Overlay, "overlay:"},
    {SourceKind::Oci, "oci:"},
    {SourceKind::DockerArchive, "docker-archive:"},
    {SourceKind::DockerStorage, "docker-storage:"},
    {SourceKind::ContainersStorage, "containers-storage:"},
    {SourceKind::Mount, "mount:"},
}};

// overlay:OPTIONS — layer directories named by mount options.
class OverlaySource final : public Source
{
public:
    explicit OverlaySource(OverlayConfig config)
        : m_config(std::move(config))
    {
    }
    SourceKind kind() const override { return SourceKind::Overlay; }
    const OverlayConfig &config() const override { return m_config; }
    Expected<LayerHandle> openLayer(size_t layer) const override
    {
        if (layer >= m_config.layers.size())
            return makeError(ErrorCode::NotFound, QStringLiteral("no layer %1 in this stack").arg(layer));
        return LayerHandle::openDirectory(m_config.layers[layer].path);
    }

private:
    OverlayConfig m_config;
};

} // namespace

QString sourcePrefix(SourceKind kind)
{
    for (const Prefix &p : prefixes) {
        if (p.kind == kind)
            return QString::fromLatin1(p.text);
    }
    return {};
}

QString overlaySource(const QString &options)
{
    return sourcePrefix(SourceKind::Overlay) + options;
}

Expected<SourceAddress> parseSourceAddress(const QString &source)
{
    for (const Prefix &p : prefixes) {
        const QString prefix = QString::fromLatin1(p.text);
        if (source.startsWith(prefix))
            return SourceAddress{p.kind, source.mid(prefix.size())};
    }
    return Error{ErrorCode::InvalidSource, 0, source,
                 QStringLiteral("unknown source '%1': expected overlay:OPTIONS (e.g. overlay:lowerdir=a:b,upperdir=u,workdir=w)").arg(source)};
}

std::shared_ptr<const Source> overlaySourceFromConfig(OverlayConfig config)
{
    return std::make_shared<const OverlaySource>(std::move(config));
}

Expected<std::shared_ptr<const Source>> openSource(const QString &source, const QString &baseDir)
{
    auto address = parseSourceAddress(source);
    if (!address)
        return address.error();
    switch (address->kind) {
    case SourceKind::Overlay: {
        auto config = OverlayConfig::parse(address->argument, baseDir, OverlayDefaults::fromRunningKernel());
        if (!config)
            return config.error();
        return overlaySourceFromConfig(std::move(config).value());
    }
    case SourceKind::DockerStorage:
    case SourceKind::ContainersStorage:
    case SourceKind::Mount:
        return openDirectoryBackedSource(address->kind, address->argument, baseDir);
    case SourceKind::Oci:
        return openOciSource(address->argument, baseDir);
    case SourceKind::DockerArchive:
        return openDockerArchiveSource(address->argument, baseDir);
    default:
        break;
    }
    return Error{ErrorCode::Unsupported, 0, source, QStringLiteral("%1 sources are not supported yet").arg(sourcePrefix(address->kind))};
}

} // namespace strata
