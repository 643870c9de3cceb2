// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpersource.h"

#include "containersstorage.h"
#include "dockerstorage.h"
#include "helpermode.h"
#include "storagefiles.h"

#include <QFile>
#include <QJsonArray>

#include <cerrno>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace strata {

namespace {

class HandleSource final : public Source
{
public:
    HandleSource(SourceKind kind, OverlayConfig config, std::vector<LayerHandle> layers)
        : m_kind(kind)
        , m_config(std::move(config))
        , m_layers(std::move(layers))
    {
    }
    SourceKind kind() const override { return m_kind; }
    const OverlayConfig &config() const override { return m_config; }
    Expected<LayerHandle> openLayer(size_t layer) const override
    {
        if (layer >= m_layers.size())
            return makeError(ErrorCode::NotFound, QStringLiteral("no layer %1 in this stack").arg(layer));
        return m_layers[layer];
    }

private:
    SourceKind m_kind;
    OverlayConfig m_config;
    std::vector<LayerHandle> m_layers;
};

bool isStorage(SourceKind kind)
{
    return kind == SourceKind::DockerStorage || kind == SourceKind::ContainersStorage;
}

} // namespace

std::shared_ptr<const Source> sourceFromHandles(SourceKind kind, OverlayConfig config, std::vector<LayerHandle> layers)
{
    return std::make_shared<const HandleSource>(kind, std::move(config), std::move(layers));
}

Expected<std::shared_ptr<const Source>> openStorageThroughHelper(HelperClient &client, const QString &source, const QString &baseDir)
{
    auto address = parseSourceAddress(source);
    if (!address)
        return address.error();
    if (!isStorage(address->kind))
        return makeError(ErrorCode::InvalidSource, QStringLiteral("only docker-storage: and containers-storage: sources are opened through strata-helper"), source);
    // The helper takes absolute roots only: a relative ROOT is made absolute here.
    const auto where = storagefiles::splitStorageReference(
        address->argument, address->kind == SourceKind::DockerStorage ? DockerStorage::defaultRoot() : ContainersStorage::defaultRoot(), baseDir);
    const QString absolute = sourcePrefix(address->kind) + (where.rootGiven ? where.root + u':' + where.reference : where.reference);
    auto reply = client.call(QStringLiteral("open-storage"), QJsonObject{{QStringLiteral("source"), absolute}}, {}, 120 * 1000);
    if (!reply)
        return reply.error();
    const qint64 count = reply->value(QStringLiteral("fds")).toInteger();
    std::vector<UniqueFd> fds = client.takeFds(size_t(std::max<qint64>(count, 0)));
    auto config = OverlayConfig::parse(reply->value(QStringLiteral("source")).toString().mid(sourcePrefix(SourceKind::Overlay).size()), QStringLiteral("/"),
                                       OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    if (qint64(fds.size()) != count || fds.size() != config->layers.size())
        return makeError(ErrorCode::Io, QStringLiteral("strata-helper passed %1 layer fds for a stack of %2 layers").arg(fds.size()).arg(config->layers.size()), source);
    const QJsonArray layers = reply->value(QStringLiteral("layers")).toArray();
    std::vector<LayerHandle> handles;
    for (size_t i = 0; i < fds.size(); ++i) {
        LayerSpec &spec = config->layers[i];
        spec.label = layers.at(qsizetype(i)).toObject().value(QStringLiteral("label")).toString();
        spec.createdBy = layers.at(qsizetype(i)).toObject().value(QStringLiteral("createdBy")).toString();
        handles.push_back(LayerHandle::fromDirectoryFd(std::move(fds[i]), spec.path));
    }
    spdlog::info("{}: {} layers opened by strata-helper (pid {})", source.toStdString(), handles.size(), client.pid());
    if (::geteuid() != 0)
        spdlog::warn("{}: read through strata-helper's fds as uid {}: trusted.overlay.* xattrs (opaque dirs, redirects, metacopy) are root's to read and "
                     "are not seen; whiteouts are",
                     source.toStdString(), ::geteuid());
    return sourceFromHandles(address->kind, std::move(config).value(), std::move(handles));
}

Expected<std::shared_ptr<const Source>> openSourceForUser(const QString &source, const QString &baseDir, HelperClient::Options options)
{
    auto direct = openSource(source, baseDir);
    if (direct || options.mode == HelperMode::Rootless)
        return direct;
    auto address = parseSourceAddress(source);
    if (!address || !isStorage(address->kind))
        return direct;
    // Refused for lack of rights: an unreadable file, or a root the user cannot even search
    // (the storage code then finds "no storage here").
    const auto where = storagefiles::splitStorageReference(
        address->argument, address->kind == SourceKind::DockerStorage ? DockerStorage::defaultRoot() : ContainersStorage::defaultRoot(), baseDir);
    const QByteArray root = QFile::encodeName(where.root);
    const bool rootRefused = ::access(root.constData(), R_OK | X_OK) != 0 && (errno == EACCES || errno == EPERM);
    if (direct.error().code != ErrorCode::Permission && !rootRefused)
        return direct;
    auto choice = helperModeFor(QStringList{QStringLiteral("%1 is root-only").arg(where.root)}, options.mode);
    if (!choice)
        return makeError(ErrorCode::Permission, direct.error().message() + QStringLiteral("; ") + choice.error().message(), direct.error().path);
    if (choice->mode == HelperMode::Rootless)
        return direct;
    options.mode = choice->mode;
    HelperClient client(options);
    if (auto e = client.start())
        return makeError(e->code, direct.error().message() + QStringLiteral("; through strata-helper (%1): %2").arg(helperModeName(options.mode), e->message()), e->path);
    auto opened = openStorageThroughHelper(client, source, baseDir);
    client.stop();
    return opened;
}

} // namespace strata
