// SPDX-License-Identifier: GPL-3.0-or-later
#include "storageopener.h"

#include "containersstorage.h"
#include "dockerstorage.h"
#include "source.h"
#include "storagefiles.h"

#include <QFile>
#include <QJsonArray>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace strata::helper {

namespace {

// The most fds one SCM_RIGHTS message carries (the kernel's SCM_MAX_FD is 253).
constexpr size_t maxLayerFds = 250;

QString fdPath(int fd)
{
    char buffer[4096];
    const ssize_t n = ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), buffer, sizeof buffer);
    return n > 0 ? QFile::decodeName(QByteArray(buffer, n)) : QString();
}

} // namespace

Expected<OpenedStorage> openStorage(const QString &source, const Invoker &invoker)
{
    auto address = parseSourceAddress(source);
    if (!address)
        return address.error();
    if (address->kind != SourceKind::DockerStorage && address->kind != SourceKind::ContainersStorage)
        return makeError(ErrorCode::InvalidSource, QStringLiteral("open-storage serves docker-storage: and containers-storage: sources only"), source);
    const bool docker = address->kind == SourceKind::DockerStorage;
    if (address->argument.startsWith(u'.'))
        return makeError(ErrorCode::InvalidSource, QStringLiteral("the storage root must be an absolute path"), source);
    const auto where = storagefiles::splitStorageReference(address->argument, docker ? DockerStorage::defaultRoot() : ContainersStorage::defaultRoot(), QStringLiteral("/"));

    // The root: owned by root and writable by no one else, so its metadata is root's word.
    const QByteArray rootPath = QFile::encodeName(where.root);
    UniqueFd root(::open(rootPath.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        return errorFromErrno(errno, where.root, QStringLiteral("cannot open the storage root"));
    struct stat st{};
    if (::fstat(root.get(), &st) != 0)
        return errorFromErrno(errno, where.root);
    if (st.st_uid != 0 || (st.st_mode & 022))
        return makeError(ErrorCode::Permission, QStringLiteral("refused: the storage root %1 must be owned by root and writable by root only").arg(where.root), where.root);
    const QString canonicalRoot = fdPath(root.get());

    Expected<OverlayConfig> config = docker ? DockerStorage(where.root, where.rootGiven ? where.root : QString()).resolve(where.reference, OverlayDefaults::fromRunningKernel())
                                            : ContainersStorage(where.root, where.rootGiven ? where.root : QString()).resolve(where.reference, OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    if (config->layers.size() > maxLayerFds)
        return makeError(ErrorCode::LimitExceeded, QStringLiteral("%1 layers; open-storage passes at most %2").arg(config->layers.size()).arg(maxLayerFds), source);

    OpenedStorage out;
    QJsonArray layers;
    QStringList opened;
    for (const LayerSpec &layer : config->layers) {
        // Only a dir beneath the root: the path the metadata gave, taken relative to the root.
        QString rel;
        for (const QString &prefix : {where.root, canonicalRoot}) {
            if (!prefix.isEmpty() && layer.path.startsWith(prefix + u'/')) {
                rel = layer.path.mid(prefix.size() + 1);
                break;
            }
        }
        if (rel.isEmpty())
            return makeError(ErrorCode::Permission, QStringLiteral("refused: layer %1 is outside the storage root %2").arg(layer.path, where.root), layer.path);
        open_how how{};
        how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        const QByteArray r = QFile::encodeName(rel);
        UniqueFd fd(int(::syscall(SYS_openat2, root.get(), r.constData(), &how, sizeof how)));
        if (!fd)
            return errorFromErrno(errno, layer.path, QStringLiteral("cannot open the layer beneath the storage root"));
        if ((::fcntl(fd.get(), F_GETFL) & O_ACCMODE) != O_RDONLY)
            return makeError(ErrorCode::Permission, QStringLiteral("refused: layer %1 did not open read-only").arg(layer.path), layer.path);
        out.fds.push_back(std::move(fd));
        layers.append(QJsonObject{{QStringLiteral("label"), layer.label}, {QStringLiteral("createdBy"), layer.createdBy}});
        opened << layer.path;
    }
    spdlog::info("open-storage for uid {}: {} → {} read-only layer fds: {}", invoker.uid, source.toStdString(), out.fds.size(), opened.join(QStringLiteral(", ")).toStdString());
    out.result = QJsonObject{{QStringLiteral("source"), overlaySource(config->toOptionString())},
                             {QStringLiteral("kind"), sourcePrefix(address->kind)},
                             {QStringLiteral("layers"), layers},
                             {QStringLiteral("fds"), qint64(out.fds.size())}};
    return out;
}

} // namespace strata::helper
