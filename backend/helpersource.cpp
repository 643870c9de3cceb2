// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpersource.h"

#include "containersstorage.h"
#include "dockerstorage.h"
#include "helpermode.h"
#include "storagefiles.h"

#include <QFile>
#include <QJsonArray>

#include <cerrno>
#include <map>
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
    // The layers' trusted.overlay.* xattrs, read by the helper as root, come as `xattrs` events
    // before the reply: layer, entries (path and [name, value] pairs, path and values base64).
    std::map<size_t, std::shared_ptr<XattrSupplement>> supplements;
    QString badEvent;
    auto onEvent = [&](const helper::Message &event) {
        if (event.event != u"xattrs")
            return;
        const qint64 layer = event.result.value(QStringLiteral("layer")).toInteger(-1);
        if (layer < 0 || layer >= 250) {
            badEvent = QStringLiteral("an xattrs event names no layer");
            return;
        }
        auto &supplement = supplements[size_t(layer)];
        if (!supplement)
            supplement = std::make_shared<XattrSupplement>();
        for (const QJsonValue &entryValue : event.result.value(QStringLiteral("entries")).toArray()) {
            const QJsonObject entry = entryValue.toObject();
            const auto path = QByteArray::fromBase64Encoding(entry.value(QStringLiteral("path")).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            const QJsonArray xattrs = entry.value(QStringLiteral("xattrs")).toArray();
            if (!path || !path.decoded.startsWith('/') || xattrs.isEmpty()) {
                badEvent = QStringLiteral("an xattrs event of layer %1 holds an entry without a \"/\"-rooted base64 path or xattrs").arg(layer);
                return;
            }
            XattrSupplement::Xattrs &out = supplement->entries[path.decoded.toStdString()];
            for (const QJsonValue &pairValue : xattrs) {
                const QJsonArray pair = pairValue.toArray();
                const QString name = pair.size() == 2 ? pair.at(0).toString() : QString();
                const auto value = QByteArray::fromBase64Encoding(pair.size() == 2 ? pair.at(1).toString().toLatin1() : QByteArray("!"),
                                                                  QByteArray::AbortOnBase64DecodingErrors);
                if (!name.startsWith(QLatin1StringView("trusted.overlay.")) || !value) {
                    badEvent = QStringLiteral("an xattrs event of layer %1 holds a malformed xattr of %2").arg(layer).arg(QString::fromUtf8(path.decoded));
                    return;
                }
                out.emplace_back(name.toStdString(), value.decoded.toStdString());
            }
        }
    };
    auto reply = client.call(QStringLiteral("open-storage"), QJsonObject{{QStringLiteral("source"), absolute}}, onEvent, 120 * 1000);
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
    if (!badEvent.isEmpty())
        return makeError(ErrorCode::Corrupt, QStringLiteral("strata-helper: %1").arg(badEvent), source);
    std::vector<LayerHandle> handles;
    size_t xattrEntries = 0;
    for (size_t i = 0; i < fds.size(); ++i) {
        LayerSpec &spec = config->layers[i];
        const QJsonObject described = layers.at(qsizetype(i)).toObject();
        spec.label = described.value(QStringLiteral("label")).toString();
        spec.createdBy = described.value(QStringLiteral("createdBy")).toString();
        handles.push_back(LayerHandle::fromDirectoryFd(std::move(fds[i]), spec.path));
        auto &supplement = supplements[i];
        if (!supplement)
            supplement = std::make_shared<XattrSupplement>();
        const qint64 announced = described.value(QStringLiteral("xattrEntries")).toInteger(-1);
        if (announced != qint64(supplement->entries.size()))
            return makeError(ErrorCode::Corrupt,
                             QStringLiteral("strata-helper announced %1 entries with trusted.overlay.* xattrs for layer %2 and sent %3")
                                 .arg(announced)
                                 .arg(i)
                                 .arg(supplement->entries.size()),
                             spec.path);
        if (const QString incomplete = described.value(QStringLiteral("xattrsIncomplete")).toString(); !incomplete.isEmpty()) {
            supplement->problem = QStringLiteral("the trusted.overlay.* xattrs strata-helper read as root for layer %1 are incomplete (%2): opaque dirs, "
                                                 "redirects or metacopy may be missed by a user who cannot read them")
                                      .arg(spec.path, incomplete);
            spdlog::warn("{}: {}", source.toStdString(), supplement->problem.toStdString());
        }
        xattrEntries += supplement->entries.size();
        handles.back().setXattrSupplement(std::move(supplement));
    }
    spdlog::info("{}: {} layers opened by strata-helper (pid {}), {} entries with trusted.overlay.* xattrs read by it", source.toStdString(), handles.size(),
                 client.pid(), xattrEntries);
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
