// SPDX-License-Identifier: GPL-3.0-or-later
#include "layercache.h"

#include "tarlayer.h"
#include "tarmemberdata.h"
#include "tarstream.h"
#include "uniquefd.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <unordered_map>

namespace strata {

namespace {

constexpr uint64_t resolveBeneath = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

// `rel` beneath `root`, never through a symlink or out of it; "" is root itself.
int openBeneath(int root, const std::string &rel, int flags)
{
    if (rel.empty())
        return ::fcntl(root, F_DUPFD_CLOEXEC, 0);
    open_how how{};
    how.flags = uint64_t(flags | O_CLOEXEC);
    how.resolve = resolveBeneath;
    return int(::syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how));
}

// Removes `name` in `parent` and everything below it, never following a symlink.
void removeTree(int parent, const char *name)
{
    const int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        ::unlinkat(parent, name, 0);
        return;
    }
    ::fchmod(fd, 0700); // a read-only directory of the layer must be emptied too
    if (DIR *dir = ::fdopendir(fd)) {
        std::vector<std::string> names;
        while (const dirent *d = ::readdir(dir)) {
            if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0)
                names.emplace_back(d->d_name);
        }
        for (const std::string &n : names)
            removeTree(::dirfd(dir), n.c_str());
        ::closedir(dir);
    } else {
        ::close(fd);
    }
    ::unlinkat(parent, name, AT_REMOVEDIR);
}

QString shown(const std::string &path)
{
    return QString::fromUtf8(path.data(), qsizetype(path.size()));
}

// "sha256:HEX" → "sha256-HEX"; anything else is refused (the name becomes a directory).
std::optional<std::string> cacheName(const std::string &digest)
{
    static constexpr std::string_view prefix = "sha256:";
    if (!digest.starts_with(prefix) || digest.size() != prefix.size() + 64)
        return std::nullopt;
    for (char c : std::string_view(digest).substr(prefix.size())) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return std::nullopt;
    }
    return "sha256-" + digest.substr(prefix.size());
}

struct Made {
    EntryId id;
    std::string path; // relative to the entry's root
};

using XattrList = std::vector<std::pair<std::string, std::string>>;

// Which of a tar member's xattrs the cache restores (see CachedLayer).
bool restoresXattr(std::string_view name, bool asRoot)
{
    if (name.find(".overlay.") != std::string_view::npos || name.ends_with(".overlay"))
        return false; // an overlay mark: the layer's own rules (whiteout files) decide, not this
    if (name.starts_with("user."))
        return true;
    return asRoot && name == "security.capability";
}

} // namespace

QString layerCacheDir()
{
    QString base = qEnvironmentVariable("XDG_CACHE_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.cache");
    // "-v2": entries since file xattrs are restored; the older ones (strata/layers) lack them.
    return base + QStringLiteral("/strata/layers-v2");
}

Expected<CachedLayer> materializeLayer(const LayerHandle &layer, const QString &cacheDir)
{
    const TarBlob *blob = layer.tar();
    if (!blob)
        return makeError(ErrorCode::Unsupported, QStringLiteral("layer %1 is not a tar layer").arg(layer.origin()), layer.origin());
    const auto name = cacheName(!blob->diffId.empty() ? blob->diffId : blob->digest);
    if (!name)
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1 has no sha256 diff_id or digest to name its cache entry").arg(blob->name), blob->name);
    CachedLayer out;
    out.path = cacheDir + u'/' + QString::fromStdString(*name);
    if (!QDir().mkpath(cacheDir))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create the layer cache"), cacheDir);
    UniqueFd cache(::open(QFile::encodeName(cacheDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!cache)
        return errorFromErrno(errno, cacheDir, QStringLiteral("cannot open the layer cache"));
    struct stat st{};
    if (::fstatat(cache.get(), name->c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (!S_ISDIR(st.st_mode))
            return makeError(ErrorCode::Corrupt, QStringLiteral("the cache entry is not a directory; remove it"), out.path);
        out.reused = true;
        return out;
    }

    // Extract into a temporary directory beside the entry; renamed into place when complete.
    std::string tmpName = ".tmp-" + name->substr(7, 12) + "-XXXXXX";
    QByteArray tmpPath = QFile::encodeName(cacheDir) + '/' + QByteArray::fromStdString(tmpName);
    if (!::mkdtemp(tmpPath.data()))
        return errorFromErrno(errno, cacheDir, QStringLiteral("cannot create a temporary directory in the layer cache"));
    tmpName = tmpPath.mid(tmpPath.lastIndexOf('/') + 1).toStdString();
    UniqueFd root(::openat(cache.get(), tmpName.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    auto fail = [&](Error e) {
        removeTree(cache.get(), tmpName.c_str());
        spdlog::warn("layer cache: {} not cached: {}", blob->name.toStdString(), e.message().toStdString());
        return e;
    };
    if (!root)
        return fail(errorFromErrno(errno, shown(tmpPath.toStdString())));

    auto indexed = TarLayer::index(layer);
    if (!indexed)
        return fail(indexed.error());
    const LayerIndex &index = *indexed;
    for (const Error &problem : index.problems)
        spdlog::warn("layer cache: {}", problem.message().toStdString());
    const QString where = blob->name + QStringLiteral(": entry ");

    // Pass 1: the tree, parents before children (breadth first), files empty for now.
    std::vector<EntryId> order{0};
    for (size_t i = 0; i < order.size(); ++i) {
        const Entry &e = index.entries[order[i]];
        if (e.type == EntryType::Dir)
            for (uint32_t c = 0; c < e.childCount; ++c)
                order.push_back(e.firstChild + c);
    }
    std::vector<Made> made;
    std::unordered_map<uint64_t, std::string> contentPath; // member header position → the file written from it
    EntryId parentId = noEntry;
    UniqueFd parentFd;
    for (EntryId id : order) {
        const Entry &e = index.entries[id];
        if (id == 0) {
            made.push_back({0, {}});
            continue;
        }
        const std::string path = index.pathOf(id).substr(1);
        const std::string_view base = index.name(id);
        if (base.empty() || base == "." || base == ".." || base.find('/') != std::string_view::npos)
            return fail(makeError(ErrorCode::Corrupt, where + shown(path) + QStringLiteral(" has an invalid name"), shown(path)));
        if (e.parent != parentId) {
            const size_t slash = path.rfind('/');
            parentFd.reset(openBeneath(root.get(), slash == std::string::npos ? std::string() : path.substr(0, slash), O_RDONLY | O_DIRECTORY));
            parentId = e.parent;
            if (!parentFd)
                return fail(errorFromErrno(errno, shown(path), where + shown(path) + QStringLiteral(": its directory cannot be opened beneath the layer")));
        }
        const std::string leaf(base);
        int rc = 0;
        switch (e.type) {
        case EntryType::Dir:
            rc = ::mkdirat(parentFd.get(), leaf.c_str(), 0700);
            break;
        case EntryType::File: {
            const uint64_t offset = id < index.contentOffsets.size() ? index.contentOffsets[id] : noContentOffset;
            const auto first = offset == noContentOffset ? contentPath.end() : contentPath.find(offset);
            if (first != contentPath.end()) {
                // A hardlink of this layer: to the file already made from the same member.
                UniqueFd target(openBeneath(root.get(), first->second, O_PATH | O_NOFOLLOW));
                const std::string proc = "/proc/self/fd/" + std::to_string(target.get());
                rc = target ? ::linkat(AT_FDCWD, proc.c_str(), parentFd.get(), leaf.c_str(), AT_SYMLINK_FOLLOW) : -1;
                break;
            }
            UniqueFd file(::openat(parentFd.get(), leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            rc = file ? 0 : -1;
            if (file && offset != noContentOffset)
                contentPath.emplace(offset, path);
            break;
        }
        case EntryType::Symlink:
            rc = ::symlinkat(index.extra(id).symlinkTarget.c_str(), parentFd.get(), leaf.c_str());
            break;
        case EntryType::Char:
            if (e.has(FlagWhiteout)) {
                // 0/0: the overlay whiteout, which Linux lets any user create (5.8+).
                rc = ::mknodat(parentFd.get(), leaf.c_str(), S_IFCHR, 0);
                break;
            }
            [[fallthrough]];
        default:
            ++out.skipped;
            spdlog::warn("layer cache: {}{} is a {} and is not created", where.toStdString(), path, entryTypeName(e.type));
            continue;
        }
        if (rc != 0)
            return fail(errorFromErrno(errno, shown(path), where + shown(path) + QStringLiteral(" cannot be created")));
        made.push_back({id, path});
    }

    // Pass 2: the files' bytes, in one pass over the blob, its digests checked on the way; their
    // xattrs kept for pass 3.
    const bool asRoot = ::geteuid() == 0;
    std::unordered_map<std::string, XattrList> fileXattrs; // path → what to restore
    TarStream stream(*blob, true);
    if (auto failed = stream.open())
        return fail(*failed);
    for (;;) {
        struct archive_entry *member = nullptr;
        const int r = archive_read_next_header(stream.tar(), &member);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN || !member)
            return fail(stream.error(ErrorCode::Corrupt));
        const auto it = contentPath.find(uint64_t(archive_read_header_position(stream.tar())));
        if (it == contentPath.end() || archive_entry_filetype(member) != AE_IFREG)
            continue;
        UniqueFd file(openBeneath(root.get(), it->second, O_WRONLY | O_NOFOLLOW));
        if (!file)
            return fail(errorFromErrno(errno, shown(it->second), where + shown(it->second) + QStringLiteral(" cannot be opened for its contents")));
        int writeErrno = 0;
        auto failed = readMemberData(stream, shown(it->second), [&](uint64_t offset, const char *data, size_t size) {
            for (size_t done = 0; done < size;) {
                const ssize_t n = ::pwrite(file.get(), data + done, size - done, off_t(offset + done));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) {
                    writeErrno = n < 0 ? errno : ENOSPC;
                    return false;
                }
                done += size_t(n);
            }
            return true;
        });
        if (failed)
            return fail(*failed);
        if (writeErrno)
            return fail(errorFromErrno(writeErrno, shown(it->second), where + shown(it->second) + QStringLiteral(" cannot be written")));
        if (::ftruncate(file.get(), off_t(std::max<la_int64_t>(0, archive_entry_size(member)))) != 0) // a sparse member's trailing hole
            return fail(errorFromErrno(errno, shown(it->second)));
        if (archive_entry_xattr_reset(member) > 0) {
            const char *xattrName = nullptr;
            const void *value = nullptr;
            size_t size = 0;
            std::vector<std::string> seen; // pax headers may carry one twice (LIBARCHIVE. and SCHILY.)
            while (archive_entry_xattr_next(member, &xattrName, &value, &size) == ARCHIVE_OK) {
                if (!xattrName || std::find(seen.begin(), seen.end(), xattrName) != seen.end())
                    continue;
                seen.emplace_back(xattrName);
                if (size > XATTR_SIZE_MAX || !restoresXattr(xattrName, asRoot)) {
                    ++out.xattrsSkipped;
                    continue;
                }
                fileXattrs[it->second].emplace_back(xattrName, std::string(static_cast<const char *>(value), size));
            }
        }
    }
    if (auto failed = stream.finish())
        return fail(*failed);
    if (!blob->diffId.empty() && stream.uncompressedDigest() != blob->diffId)
        return fail(makeError(ErrorCode::Corrupt, QStringLiteral("%1: the uncompressed tar's sha256 is %2, but the manifest says %3")
                                                      .arg(blob->name, QString::fromStdString(stream.uncompressedDigest()), QString::fromStdString(blob->diffId)),
                              blob->name));
    if (!blob->digest.empty() && stream.storedDigest() != blob->digest)
        return fail(makeError(ErrorCode::Corrupt, QStringLiteral("%1: the blob's sha256 is %2, but the manifest says %3")
                                                      .arg(blob->name, QString::fromStdString(stream.storedDigest()), QString::fromStdString(blob->digest)),
                              blob->name));

    // Pass 3: metadata, children before parents (a read-only directory is finished last).
    for (auto it = made.rbegin(); it != made.rend(); ++it) {
        const Entry &e = index.entries[it->id];
        UniqueFd fd(openBeneath(root.get(), it->path, O_PATH | O_NOFOLLOW));
        if (!fd)
            return fail(errorFromErrno(errno, shown(it->path), where + shown(it->path) + QStringLiteral(" cannot be reopened")));
        const std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
        if (e.type == EntryType::Dir && e.has(FlagOpaque)) {
            UniqueFd dir(::open(proc.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!dir || ::fsetxattr(dir.get(), "user.overlay.opaque", "y", 1, 0) != 0)
                return fail(errorFromErrno(errno, shown(it->path), where + shown(it->path) + QStringLiteral(": the opaque xattr cannot be set")));
        }
        if (asRoot && ::fchownat(fd.get(), "", e.uid, e.gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0)
            return fail(errorFromErrno(errno, shown(it->path), where + shown(it->path) + QStringLiteral(" cannot be given its owner")));
        if (e.type == EntryType::Symlink)
            continue;
        if (const auto xattrs = fileXattrs.find(it->path); xattrs != fileXattrs.end()) {
            // After the chown, which drops security.capability; a filesystem without user xattrs
            // leaves the file without them (counted, logged), not the layer uncached.
            for (const auto &[xattrName, value] : xattrs->second) {
                if (::setxattr(proc.c_str(), xattrName.c_str(), value.data(), value.size(), 0) != 0) {
                    ++out.xattrsSkipped;
                    spdlog::warn("layer cache: {}{}: xattr {} not restored: {}", where.toStdString(), it->path, xattrName, std::strerror(errno));
                }
            }
        }
        if (!e.has(FlagWhiteout)) {
            mode_t mode = e.permissions();
            if (it->id == 0 && e.mode == 0)
                mode = 0755; // no "./" member
            if (!asRoot)
                mode &= ~mode_t(S_ISUID | (e.type == EntryType::Dir ? 0 : S_ISGID));
            if (::chmod(proc.c_str(), mode) != 0)
                return fail(errorFromErrno(errno, shown(it->path), where + shown(it->path) + QStringLiteral(" cannot be given its mode")));
        }
        const timespec times[2] = {{e.mtimeNs / 1'000'000'000, e.mtimeNs % 1'000'000'000}, {e.mtimeNs / 1'000'000'000, e.mtimeNs % 1'000'000'000}};
        ::utimensat(AT_FDCWD, proc.c_str(), times, 0);
    }

    if (::renameat2(cache.get(), tmpName.c_str(), cache.get(), name->c_str(), RENAME_NOREPLACE) != 0) {
        if (errno != EEXIST)
            return fail(errorFromErrno(errno, out.path, QStringLiteral("cannot move the extracted layer into place")));
        removeTree(cache.get(), tmpName.c_str()); // made meanwhile by another process
        out.reused = true;
        return out;
    }
    spdlog::info("layer cache: {} extracted into {} ({} entries, {} skipped)", blob->name.toStdString(), out.path.toStdString(), made.size(), out.skipped);
    return out;
}

} // namespace strata
