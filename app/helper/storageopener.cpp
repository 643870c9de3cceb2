// SPDX-License-Identifier: GPL-3.0-or-later
#include "storageopener.h"

#include "containersstorage.h"
#include "dockerstorage.h"
#include "source.h"
#include "storagefiles.h"

#include <QFile>
#include <QJsonArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
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

constexpr std::string_view overlayPrefix = "trusted.overlay.";
// An `xattrs` event's entries stop growing here: with the envelope, a line stays under maxMessageBytes
// (one entry is at most ~28 KiB: a 4 KiB path and 16 KiB of values, base64).
constexpr qsizetype eventEntriesBytes = 40 * 1024;

class XattrWalk
{
public:
    XattrWalk(const XattrWalkLimits &limits, size_t layer)
        : m_limits(limits)
        , m_layer(layer)
    {
    }

    void run(int layerFd)
    {
        // A descriptor of our own: getdents moves the offset, and the layer's fd goes to the client.
        const int fd = ::openat(layerFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat st{};
        if (fd < 0 || ::fstat(fd, &st) != 0) {
            note(QStringLiteral("cannot open the layer root: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
            if (fd >= 0)
                ::close(fd);
            return;
        }
        m_device = st.st_dev;
        readEntry(fd, "", "/");
        walk(fd, "/", 0); // closes fd
        flush();
    }

    std::vector<QJsonObject> events;
    size_t visited = 0;
    size_t found = 0;
    QString incomplete; // the first cap hit or read failure

private:
    void note(const QString &why)
    {
        if (incomplete.isEmpty())
            incomplete = why;
    }

    static QString show(const std::string &path) { return QString::fromUtf8(path); }

    // The overlay xattrs of `name` in the directory `dirFd` (an empty name: of `dirFd` itself).
    void readEntry(int dirFd, const char *name, const std::string &path)
    {
        // Not an O_PATH-friendly call before Linux 6.13: the parent's /proc magic link plus one
        // component from getdents (no '/' in it), the final symlink not followed.
        char proc[64 + 256];
        if (*name)
            std::snprintf(proc, sizeof proc, "/proc/self/fd/%d/%s", dirFd, name);
        const ssize_t length = *name ? ::llistxattr(proc, m_names.data(), m_names.size()) : ::flistxattr(dirFd, m_names.data(), m_names.size());
        if (length < 0) {
            if (errno != ENOTSUP && errno != ENODATA)
                note(QStringLiteral("cannot list the xattrs of %1: %2").arg(show(path), QString::fromLocal8Bit(std::strerror(errno))));
            return;
        }
        QJsonArray xattrs;
        qsizetype bytes = 0;
        size_t valueBytes = 0;
        for (const char *n = m_names.data(); n < m_names.data() + length; n += std::strlen(n) + 1) {
            const std::string_view full(n);
            if (!full.starts_with(overlayPrefix))
                continue;
            // Names travel as JSON strings: printable ASCII, as every name overlayfs uses.
            if (!std::all_of(full.begin(), full.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
                note(QStringLiteral("%1 has a trusted.overlay.* xattr whose name is not printable ASCII").arg(show(path)));
                continue;
            }
            std::string value(m_limits.maxValueBytes, '\0');
            const ssize_t got = *name ? ::lgetxattr(proc, n, value.data(), value.size()) : ::fgetxattr(dirFd, n, value.data(), value.size());
            if (got < 0) {
                note(errno == ERANGE ? QStringLiteral("the xattr %1 of %2 exceeds %3 bytes").arg(QLatin1StringView(n), show(path)).arg(m_limits.maxValueBytes)
                                     : QStringLiteral("cannot read the xattr %1 of %2: %3").arg(QLatin1StringView(n), show(path), QString::fromLocal8Bit(std::strerror(errno))));
                continue;
            }
            valueBytes += size_t(got);
            if (valueBytes > m_limits.maxEntryValueBytes) {
                note(QStringLiteral("the trusted.overlay.* xattrs of %1 exceed %2 bytes").arg(show(path)).arg(m_limits.maxEntryValueBytes));
                break;
            }
            const QByteArray encoded = QByteArray(value.data(), got).toBase64();
            xattrs.append(QJsonArray{QString::fromLatin1(full), QString::fromLatin1(encoded)});
            bytes += qsizetype(full.size()) + encoded.size() + 8;
        }
        if (xattrs.isEmpty())
            return;
        if (found >= m_limits.maxXattrEntries) {
            note(QStringLiteral("more than %1 entries carry trusted.overlay.* xattrs").arg(m_limits.maxXattrEntries));
            return;
        }
        ++found;
        const QByteArray encodedPath = QByteArray::fromStdString(path).toBase64();
        bytes += encodedPath.size() + 32;
        if (m_chunkBytes + bytes > eventEntriesBytes)
            flush();
        m_chunk.append(QJsonObject{{QStringLiteral("path"), QString::fromLatin1(encodedPath)}, {QStringLiteral("xattrs"), xattrs}});
        m_chunkBytes += bytes;
    }

    void flush()
    {
        if (m_chunk.isEmpty())
            return;
        events.push_back(QJsonObject{{QStringLiteral("layer"), qint64(m_layer)}, {QStringLiteral("entries"), m_chunk}});
        m_chunk = {};
        m_chunkBytes = 0;
    }

    // Every entry below the directory `fd` (owned, closed here), depth first.
    void walk(int fd, const std::string &path, size_t depth)
    {
        DIR *dir = ::fdopendir(fd);
        if (!dir) {
            note(QStringLiteral("cannot read the directory %1: %2").arg(show(path), QString::fromLocal8Bit(std::strerror(errno))));
            ::close(fd);
            return;
        }
        errno = 0;
        while (dirent *d = ::readdir(dir)) {
            const char *name = d->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                continue;
            if (++visited > m_limits.maxEntries) {
                note(QStringLiteral("the layer has more than %1 entries").arg(m_limits.maxEntries));
                break;
            }
            const size_t nameLength = std::strlen(name);
            const std::string child = (path == "/" ? path : path + '/') + name;
            if (nameLength > 255 || child.size() > m_limits.maxPathBytes) {
                note(QStringLiteral("a path exceeds %1 bytes: %2").arg(m_limits.maxPathBytes).arg(show(child.substr(0, 200))));
                continue;
            }
            unsigned char type = d->d_type;
            if (type == DT_UNKNOWN) {
                struct stat st{};
                type = ::fstatat(::dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
            }
            if (type != DT_DIR) {
                readEntry(::dirfd(dir), name, child);
                continue;
            }
            const int childFd = ::openat(::dirfd(dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            struct stat st{};
            if (childFd < 0 || ::fstat(childFd, &st) != 0) {
                note(QStringLiteral("cannot open the directory %1: %2").arg(show(child), QString::fromLocal8Bit(std::strerror(errno))));
                if (childFd >= 0)
                    ::close(childFd);
                continue;
            }
            if (st.st_dev != m_device) { // a mount on the layer: overlayfs looks up beneath it, not into it
                ::close(childFd);
                continue;
            }
            readEntry(childFd, "", child);
            if (depth + 1 >= m_limits.maxDepth) {
                note(QStringLiteral("directories nest deeper than %1 levels at %2").arg(m_limits.maxDepth).arg(show(child)));
                ::close(childFd);
                continue;
            }
            walk(childFd, child, depth + 1);
            if (visited > m_limits.maxEntries)
                break;
        }
        ::closedir(dir);
    }

    const XattrWalkLimits &m_limits;
    size_t m_layer;
    dev_t m_device = 0;
    std::vector<char> m_names = std::vector<char>(64 * 1024); // XATTR_LIST_MAX
    QJsonArray m_chunk;
    qsizetype m_chunkBytes = 0;
};

} // namespace

std::vector<QJsonObject> collectOverlayXattrs(int layerFd, size_t layer, const XattrWalkLimits &limits, size_t *entryCount, QString *incomplete)
{
    XattrWalk walk(limits, layer);
    walk.run(layerFd);
    *entryCount = walk.found;
    *incomplete = walk.incomplete;
    spdlog::info("open-storage: layer {}: {} entries walked, {} with trusted.overlay.* xattrs, sent in {} xattrs events", layer, walk.visited, walk.found,
                 walk.events.size());
    if (!walk.incomplete.isEmpty())
        spdlog::warn("open-storage: layer {}: the trusted.overlay.* xattrs sent are incomplete: {}", layer, walk.incomplete.toStdString());
    return std::move(walk.events);
}

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
        // As root: the trusted.overlay.* xattrs the invoker cannot read, sent before the reply.
        size_t xattrEntries = 0;
        QString incomplete;
        for (QJsonObject &event : collectOverlayXattrs(fd.get(), out.fds.size(), XattrWalkLimits{}, &xattrEntries, &incomplete))
            out.xattrEvents.push_back(std::move(event));
        QJsonObject described{{QStringLiteral("label"), layer.label}, {QStringLiteral("createdBy"), layer.createdBy}, {QStringLiteral("xattrEntries"), qint64(xattrEntries)}};
        if (!incomplete.isEmpty())
            described.insert(QStringLiteral("xattrsIncomplete"), incomplete);
        out.fds.push_back(std::move(fd));
        layers.append(described);
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
