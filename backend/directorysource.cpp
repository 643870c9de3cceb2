// SPDX-License-Identifier: GPL-3.0-or-later
#include "directorysource.h"

#include "containersstorage.h"
#include "dockerstorage.h"
#include "mountsource.h"
#include "storagefiles.h"

namespace strata {

namespace {

class DirectorySource final : public Source
{
public:
    DirectorySource(SourceKind kind, OverlayConfig config)
        : m_kind(kind)
        , m_config(std::move(config))
    {
    }
    SourceKind kind() const override { return m_kind; }
    const OverlayConfig &config() const override { return m_config; }
    Expected<LayerHandle> openLayer(size_t layer) const override
    {
        if (layer >= m_config.layers.size())
            return makeError(ErrorCode::NotFound, QStringLiteral("no layer %1 in this stack").arg(layer));
        return LayerHandle::openDirectory(m_config.layers[layer].path);
    }

private:
    SourceKind m_kind;
    OverlayConfig m_config;
};

} // namespace

std::shared_ptr<const Source> directorySource(SourceKind kind, OverlayConfig config)
{
    return std::make_shared<const DirectorySource>(kind, std::move(config));
}

Expected<std::shared_ptr<const Source>> openDirectoryBackedSource(SourceKind kind, const QString &argument, const QString &baseDir)
{
    Expected<OverlayConfig> config = makeError(ErrorCode::Unsupported, sourcePrefix(kind) + QStringLiteral(" sources are not supported yet"));
    switch (kind) {
    case SourceKind::DockerStorage: {
        const auto where = storagefiles::splitStorageReference(argument, DockerStorage::defaultRoot(), baseDir);
        config = DockerStorage(where.root, where.rootGiven ? where.root : QString()).resolve(where.reference, OverlayDefaults::fromRunningKernel());
        break;
    }
    case SourceKind::ContainersStorage: {
        const auto where = storagefiles::splitStorageReference(argument, ContainersStorage::defaultRoot(), baseDir);
        config = ContainersStorage(where.root, where.rootGiven ? where.root : QString()).resolve(where.reference, OverlayDefaults::fromRunningKernel());
        break;
    }
    case SourceKind::Mount: {
        auto mounts = readMountInfo();
        if (!mounts)
            return mounts.error();
        config = overlayMountAt(argument, baseDir, *mounts, OverlayDefaults::fromRunningKernel());
        break;
    }
    default:
        break;
    }
    if (!config)
        return config.error();
    return directorySource(kind, std::move(config).value());
}

} // namespace strata
