// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerscanner.h"

#include "overlayrules.h"
#include "sortedruns.h"
#include "uniquefd.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <numeric>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata {

namespace {

// Deep trees keep one descriptor per level open; lift the soft limit once to the hard one.
void raiseOpenFileLimit()
{
    static std::once_flag once;
    std::call_once(once, [] {
        rlimit limit{};
        if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
            limit.rlim_cur = limit.rlim_max;
            setrlimit(RLIMIT_NOFILE, &limit);
        }
    });
}

struct linux_dirent64 {
    ino64_t d_ino;
    off64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

// getxattrat/listxattrat (Linux 6.13): same numbers on every architecture using the generic table.
#ifndef SYS_getxattrat
constexpr long getxattratSyscall = 464;
constexpr long listxattratSyscall = 465;
#else
constexpr long getxattratSyscall = SYS_getxattrat;
constexpr long listxattratSyscall = SYS_listxattrat;
#endif

constexpr unsigned statxMask = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_MTIME | STATX_SIZE;

class Scanner
{
public:
    Scanner(LayerIndex &index, const ScanOptions &options)
        : m_index(index)
        , m_options(options)
    {
    }

    bool run(int rootFd)
    {
        m_index.entries.reserve(1024);
        Entry root;
        m_index.entries.push_back(root);
        struct statx stx{};
        if (statx(rootFd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, statxMask, &stx) != 0) {
            fail(0, "cannot stat the layer root", errno);
            return false;
        }
        fillFromStatx(m_index.entries[0], stx);
        readXattrs(0, [rootFd](char *buf, size_t size) { return flistxattr(rootFd, buf, size); },
                   [rootFd](const char *name, char *buf, size_t size) { return fgetxattr(rootFd, name, buf, size); });
        readDirectory(rootFd, 0);

        struct Frame {
            int fd;
            EntryId dir;
            uint32_t next;
        };
        std::vector<Frame> stack{{rootFd, 0, 0}};
        while (!stack.empty()) {
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
                for (const Frame &f : stack) {
                    if (f.fd != rootFd)
                        close(f.fd);
                }
                m_cancelled = true;
                return false;
            }
            Frame &frame = stack.back();
            const Entry &dir = m_index.entries[frame.dir];
            const uint32_t end = dir.firstChild + dir.childCount;
            uint32_t candidate = std::max(frame.next, dir.firstChild);
            while (candidate < end && m_index.entries[candidate].type != EntryType::Dir)
                ++candidate;
            if (candidate >= end) {
                if (frame.fd != rootFd)
                    close(frame.fd);
                stack.pop_back();
                continue;
            }
            frame.next = candidate + 1;
            const int parentFd = frame.fd;
            const std::string name(m_index.name(candidate));
            const int fd = openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                const int error = errno;
                if (m_index.entries[candidate].has(FlagUnresolved))
                    statChild(parentFd, candidate, DT_DIR); // at least its metadata
                fail(candidate, "cannot open directory", error);
                continue;
            }
            if (m_index.entries[candidate].has(FlagUnresolved)) {
                // Directories are opened anyway: stat through the descriptor, no second name lookup.
                struct statx stx{};
                if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, statxMask, &stx) == 0) {
                    fillFromStatx(m_index.entries[candidate], stx);
                    m_index.entries[candidate].flags &= uint16_t(~FlagUnresolved);
                } else {
                    fail(candidate, "cannot stat", errno);
                }
            }
            readXattrs(candidate, [fd](char *buf, size_t size) { return flistxattr(fd, buf, size); },
                       [fd](const char *n, char *buf, size_t size) { return fgetxattr(fd, n, buf, size); });
            readDirectory(fd, candidate);
            stack.push_back({fd, candidate, 0});
        }
        return true;
    }

private:
    void fail(EntryId id, const char *what, int error)
    {
        Entry &entry = m_index.entries[id];
        entry.flags |= FlagError;
        const std::string path = m_index.pathOf(id);
        extraFor(id).error = path + ": " + what + ": " + std::strerror(error);
        m_index.problems.push_back(errorFromErrno(error, m_index.path + QString::fromStdString(path), QString::fromLatin1(what)));
    }

public:
    bool cancelled() const { return m_cancelled; }

private:

    EntryExtra &extraFor(EntryId id)
    {
        Entry &entry = m_index.entries[id];
        if (entry.extra == 0) {
            entry.extra = uint32_t(m_index.extras.size());
            m_index.extras.emplace_back();
        }
        return m_index.extras[entry.extra];
    }

    static void fillFromStatx(Entry &entry, const struct statx &stx)
    {
        entry.mode = uint16_t(stx.stx_mode);
        // Written only when it differs from getdents' type: the union tree reads types while the
        // load resolves files (OverlayStack::finishLoad).
        if (const EntryType type = entryTypeFromMode(stx.stx_mode); type != entry.type)
            entry.type = type;
        entry.uid = stx.stx_uid;
        entry.gid = stx.stx_gid;
        entry.nlink = stx.stx_nlink;
        entry.size = stx.stx_size;
        entry.mtimeNs = int64_t(stx.stx_mtime.tv_sec) * 1000000000 + stx.stx_mtime.tv_nsec;
    }

    template<typename List, typename Get>
    void readXattrs(EntryId id, List list, Get get)
    {
        char stackBuffer[1024];
        std::vector<char> heapBuffer;
        char *buffer = stackBuffer;
        ssize_t length = list(buffer, sizeof stackBuffer);
        if (length < 0 && errno == ERANGE) {
            const ssize_t needed = list(nullptr, 0);
            if (needed > 0) {
                heapBuffer.resize(size_t(needed));
                buffer = heapBuffer.data();
                length = list(buffer, heapBuffer.size());
            }
        }
        m_index.entries[id].flags |= FlagXattrsRead;
        // What strata-helper read as root for this entry (trusted.overlay.* of root-only storage):
        // taken as if listed here, so the same rules below decide.
        const int listError = length < 0 ? errno : 0;
        const XattrSupplement::Xattrs *supplied = suppliedXattrs(id);
        if (supplied && (listError == 0 || listError == ENOTSUP || listError == ENODATA)) {
            std::vector<char> names(buffer, buffer + std::max<ssize_t>(length, 0));
            const char *listedEnd = buffer + std::max<ssize_t>(length, 0);
            for (const auto &[name, value] : *supplied) {
                bool listed = false;
                for (const char *n = buffer; n < listedEnd && !listed; n += std::strlen(n) + 1)
                    listed = name == n;
                if (!listed)
                    names.insert(names.end(), name.c_str(), name.c_str() + name.size() + 1);
            }
            heapBuffer = std::move(names);
            buffer = heapBuffer.data();
            length = ssize_t(heapBuffer.size());
        }
        if (length <= 0) {
            if (length < 0 && listError != ENOTSUP && listError != ENODATA)
                fail(id, "cannot list xattrs", listError);
            return;
        }
        const std::string &prefix = m_options.xattrPrefix;
        for (const char *name = buffer; name < buffer + length; name += std::strlen(name) + 1) {
            const std::string_view full(name);
            if (!full.starts_with(prefix)) {
                m_index.entries[id].flags |= FlagOtherXattrs;
                extraFor(id).otherXattrs.emplace_back(full);
                continue;
            }
            const std::string_view key = full.substr(prefix.size());
            char value[4096];
            const std::string *given = nullptr;
            for (size_t i = 0; supplied && i < supplied->size() && !given; ++i)
                given = (*supplied)[i].first == full ? &(*supplied)[i].second : nullptr;
            ssize_t valueLength = given ? ssize_t(std::min(given->size(), sizeof value)) : get(name, value, sizeof value);
            if (given)
                std::memcpy(value, given->data(), size_t(valueLength));
            const std::string_view text(value, valueLength > 0 ? size_t(valueLength) : 0);
            Entry &entry = m_index.entries[id];
            const Entry *parent = entry.parent == noEntry ? nullptr : &m_index.entries[entry.parent];
            const rules::OverlayXattr which = rules::overlayXattrFromKey(key);
            const uint16_t flags = rules::flagsFromOverlayXattr(which, text, valueLength >= 0, entry, parent);
            entry.flags |= flags;
            if (flags & FlagRedirect)
                extraFor(id).redirect = std::string(text);
            if ((flags & FlagOrigin) && m_options.allXattrs && valueLength > 0)
                extraFor(id).origin = std::string(text);
            if (flags == 0 && (which == rules::OverlayXattr::Other || which == rules::OverlayXattr::Whiteout)) {
                // Not an overlay mark the kernel honours here: listed as a plain xattr.
                if (which == rules::OverlayXattr::Other)
                    m_index.entries[id].flags |= FlagOtherXattrs;
                extraFor(id).otherXattrs.emplace_back(full);
            }
        }
    }

    const XattrSupplement::Xattrs *suppliedXattrs(EntryId id) const
    {
        const XattrSupplement *supplement = m_index.handle.xattrSupplement();
        if (!supplement || supplement->entries.empty() || m_index.entries[id].has(FlagDetached))
            return nullptr;
        const auto it = supplement->entries.find(m_index.pathOf(id));
        return it == supplement->entries.end() ? nullptr : &it->second;
    }

    void readDirectory(int fd, EntryId dirId)
    {
        // Collect names first: the block of children must be contiguous and sorted.
        m_scratchNames.clear();
        m_scratchSpans.clear();
        alignas(8) static thread_local char buffer[64 * 1024];
        for (;;) {
            const long n = syscall(SYS_getdents64, fd, buffer, sizeof buffer);
            if (n < 0) {
                fail(dirId, "cannot read directory", errno);
                break;
            }
            if (n == 0)
                break;
            for (long pos = 0; pos < n;) {
                auto *d = reinterpret_cast<linux_dirent64 *>(buffer + pos);
                pos += d->d_reclen;
                const char *name = d->d_name;
                if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                    continue;
                const size_t length = std::strlen(name);
                m_scratchSpans.push_back({sortedruns::prefixKey({name, length}), uint32_t(m_scratchNames.size()), uint32_t(length), d->d_type});
                m_scratchNames.append(name, length);
            }
        }
        const size_t count = m_scratchSpans.size();
        auto nameOf = [this](const Span &s) { return std::string_view(m_scratchNames.data() + s.offset, s.length); };
        std::sort(m_scratchSpans.begin(), m_scratchSpans.end(), [&](const Span &a, const Span &b) { return sortedruns::nameLess(a.key, nameOf(a), b.key, nameOf(b)); });

        const auto first = uint32_t(m_index.entries.size());
        m_index.entries[dirId].firstChild = first;
        m_index.entries[dirId].childCount = uint32_t(count);
        m_index.entries.resize(first + count);
        for (size_t i = 0; i < count; ++i) {
            const Span &span = m_scratchSpans[i];
            Entry &entry = m_index.entries[first + i];
            entry.parent = dirId;
            entry.nameOffset = uint32_t(m_index.names.size());
            entry.nameLength = uint16_t(span.length);
            m_index.names.append(nameOf(span));
        }
        const Entry &dir = m_index.entries[dirId];
        const bool markedDir = rules::holdsXattrWhiteouts(dir);
        for (size_t i = 0; i < count; ++i) {
            const unsigned char dtype = m_scratchSpans[i].dtype;
            if (dtype == DT_DIR) {
                // Stat'ed when the walk opens it (see run()).
                Entry &entry = m_index.entries[first + i];
                entry.type = EntryType::Dir;
                entry.flags |= FlagUnresolved;
                continue;
            }
            if (m_options.lazyFiles && !markedDir && (dtype == DT_REG || dtype == DT_LNK || dtype == DT_FIFO || dtype == DT_SOCK)) {
                Entry &entry = m_index.entries[first + i];
                entry.type = entryTypeFromMode(uint32_t(DTTOIF(dtype)));
                entry.flags |= FlagUnresolved;
                continue;
            }
            statChild(fd, first + uint32_t(i), dtype);
        }
    }

public:
    void statChild(int dirFd, EntryId id, unsigned char dtype, bool withXattrs = false)
    {
        m_index.entries[id].flags &= uint16_t(~FlagUnresolved);
        const std::string name(m_index.name(id));
        struct statx stx{};
        if (statx(dirFd, name.c_str(), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, statxMask, &stx) != 0) {
            Entry &entry = m_index.entries[id];
            entry.type = dtype == DT_DIR ? EntryType::Unknown : entryTypeFromMode(uint32_t(DTTOIF(dtype)));
            fail(id, errno == ENOENT ? "vanished during the scan" : "cannot stat", errno);
            return;
        }
        Entry &entry = m_index.entries[id];
        fillFromStatx(entry, stx);
        switch (entry.type) {
        case EntryType::Char:
        case EntryType::Block:
            if (rules::isWhiteoutDevice(entry.type, stx.stx_rdev_major, stx.stx_rdev_minor))
                entry.flags |= FlagWhiteout;
            extraFor(id).rdev = makedev(stx.stx_rdev_major, stx.stx_rdev_minor);
            break;
        case EntryType::Symlink: {
            char target[4096];
            const ssize_t length = readlinkat(dirFd, name.c_str(), target, sizeof target);
            if (length < 0)
                fail(id, "cannot read symlink", errno);
            else
                extraFor(id).symlinkTarget.assign(target, size_t(length));
            break;
        }
        default:
            break;
        }
        if (m_options.hardlinkHandles && entry.type != EntryType::Dir && entry.nlink > 1)
            readFileHandle(dirFd, id);
        // xattr whiteouts (empty files in a directory marked overlay.opaque=x) change what readdir
        // lists, so they are read here. A regular file's metacopy xattr matters only when a lookup
        // reaches the file: OverlayStack reads those through resolve(..., withXattrs). Block counts
        // cannot stand in for it (an ext4 xattr block makes a metacopy file look allocated).
        static const Entry noParent;
        const Entry &parent = entry.parent == noEntry ? noParent : m_index.entries[entry.parent];
        const bool mayMatter = entry.type == EntryType::File && rules::holdsXattrWhiteouts(parent);
        if ((mayMatter || m_options.allXattrs || withXattrs) && entry.type != EntryType::Dir) {
            readFileXattrs(dirFd, id);
        }
    }

    void readFileHandle(int dirFd, EntryId id)
    {
        struct {
            file_handle header;
            unsigned char bytes[MAX_HANDLE_SZ];
        } handle{};
        handle.header.handle_bytes = MAX_HANDLE_SZ;
        int mountId = 0;
        const std::string name(m_index.name(id));
        if (name_to_handle_at(dirFd, name.c_str(), &handle.header, &mountId, 0) != 0)
            return; // no handle (e.g. a filesystem without export support): no index alias either
        std::string &out = extraFor(id).fileHandle;
        const int32_t type = handle.header.handle_type;
        out.assign(reinterpret_cast<const char *>(&type), sizeof type);
        out.append(reinterpret_cast<const char *>(handle.header.f_handle), handle.header.handle_bytes);
    }

    // No O_PATH-friendly getxattr before Linux 6.13: go through the /proc magic link of the parent's
    // descriptor, which keeps the path short whatever the depth.
    void readFileXattrs(int dirFd, EntryId id)
    {
        const std::string name(m_index.name(id));
        // Linux 6.13+ lists and reads xattrs relative to a directory descriptor: one syscall and no
        // /proc path walk for the common file without any.
        static std::atomic<bool> atVariants{true};
        if (atVariants.load(std::memory_order_relaxed)) {
            const std::string nameCopy = name;
            const auto list = [dirFd, &nameCopy](char *buf, size_t size) {
                return ssize_t(syscall(listxattratSyscall, dirFd, nameCopy.c_str(), AT_SYMLINK_NOFOLLOW, buf, size));
            };
            char probe[1];
            const ssize_t first = list(probe, 0);
            if (first >= 0 || errno != ENOSYS) {
                if (first == 0 && !suppliedXattrs(id)) {
                    m_index.entries[id].flags |= FlagXattrsRead;
                    return;
                }
                const auto get = [dirFd, &nameCopy](const char *attr, char *buf, size_t size) {
                    struct {
                        uint64_t value;
                        uint32_t size;
                        uint32_t flags;
                    } args{reinterpret_cast<uint64_t>(buf), uint32_t(size), 0};
                    return ssize_t(syscall(getxattratSyscall, dirFd, nameCopy.c_str(), AT_SYMLINK_NOFOLLOW, attr, &args, sizeof args));
                };
                readXattrs(id, list, get);
                return;
            }
            atVariants.store(false);
        }
        char path[64 + 256];
        std::snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dirFd, name.c_str());
        readXattrs(id, [&path](char *buf, size_t size) { return llistxattr(path, buf, size); },
                   [&path](const char *n, char *buf, size_t size) { return lgetxattr(path, n, buf, size); });
    }

private:
    struct Span {
        uint64_t key; // sortedruns::prefixKey of the name: most comparisons end there
        uint32_t offset;
        uint32_t length;
        unsigned char dtype;
    };

    LayerIndex &m_index;
    const ScanOptions &m_options;
    bool m_cancelled = false;
    std::string m_scratchNames;
    std::vector<Span> m_scratchSpans;
};

} // namespace

Expected<LayerIndex> LayerScanner::scan(const LayerHandle &layer, const ScanOptions &options)
{
    raiseOpenFileLimit();
    const auto start = std::chrono::steady_clock::now();
    const QString &path = layer.origin();
    if (layer.kind() != LayerHandle::Kind::Directory)
        return makeError(ErrorCode::Unsupported, QStringLiteral("layer %1 is not a directory handle").arg(path), path);
    // A descriptor of its own: getdents moves the offset of the open file description, and the
    // handle's descriptor is shared with later rescans and readers.
    const UniqueFd fd(::openat(layer.directoryFd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return Error{errorCodeFromErrno(errno), errno, path, QStringLiteral("cannot open layer %1").arg(path)};
    LayerIndex index;
    index.path = path;
    index.handle = layer;
    Scanner scanner(index, options);
    const bool ok = scanner.run(fd.get());
    if (!ok) {
        if (scanner.cancelled())
            return cancelledError();
        Error error = index.problems.front(); // the root could not be read
        error.detail = QStringLiteral("cannot scan layer %1: %2").arg(path, error.detail);
        return error;
    }
    if (const XattrSupplement *supplement = layer.xattrSupplement(); supplement && !supplement->problem.isEmpty())
        index.problems.push_back(makeError(ErrorCode::LimitExceeded, supplement->problem, path));
    index.scanNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    return index;
}

size_t LayerScanner::resolve(LayerIndex &index, std::vector<EntryId> ids, const ScanOptions &options, bool withXattrs)
{
    if (index.handle.kind() != LayerHandle::Kind::Directory)
        return 0; // a tar layer's entries are complete from their headers
    auto needsWork = [&](EntryId id) {
        const Entry &e = index.entries[id];
        return e.has(FlagUnresolved) || (withXattrs && e.type == EntryType::File && !e.has(FlagXattrsRead));
    };
    std::erase_if(ids, [&](EntryId id) { return id == 0 || id >= index.entries.size() || !needsWork(id); });
    if (ids.empty())
        return 0;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    raiseOpenFileLimit();
    const int rootFd = index.handle.directoryFd();
    if (rootFd < 0)
        return 0;
    Scanner scanner(index, options);
    // The open directories from the root down to the current parent; siblings share them, and ids
    // sorted by index keep siblings together (children are stored contiguously).
    std::vector<std::pair<EntryId, int>> chain{{0, rootFd}};
    std::vector<EntryId> ancestors;
    size_t resolved = 0;
    for (const EntryId id : ids) {
        const EntryId parent = index.entries[id].parent;
        if (chain.back().first != parent) {
            ancestors.clear();
            for (EntryId a = parent; a != 0; a = index.entries[a].parent)
                ancestors.push_back(a);
            std::reverse(ancestors.begin(), ancestors.end());
            size_t keep = 1;
            while (keep < chain.size() && keep - 1 < ancestors.size() && chain[keep].first == ancestors[keep - 1])
                ++keep;
            while (chain.size() > keep) {
                close(chain.back().second);
                chain.pop_back();
            }
            bool ok = true;
            for (size_t i = keep - 1; i < ancestors.size(); ++i) {
                const std::string name(index.name(ancestors[i]));
                const int fd = openat(chain.back().second, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                    ok = false;
                    break;
                }
                chain.emplace_back(ancestors[i], fd);
            }
            if (!ok)
                continue; // the directory vanished or became unreadable: the entry stays unresolved
        }
        const Entry &e = index.entries[id];
        const unsigned char dtype = e.type == EntryType::File ? DT_REG : e.type == EntryType::Symlink ? DT_LNK : e.type == EntryType::Fifo ? DT_FIFO : DT_SOCK;
        if (e.has(FlagUnresolved))
            scanner.statChild(chain.back().second, id, dtype, withXattrs);
        else
            scanner.readFileXattrs(chain.back().second, id);
        ++resolved;
    }
    for (size_t i = 1; i < chain.size(); ++i) // chain[0] is the handle's, not ours
        close(chain[i].second);
    return resolved;
}

EntryId LayerScanner::addDetached(LayerIndex &index, int dirFd, std::string_view name, const ScanOptions &options)
{
    const auto id = EntryId(index.entries.size());
    Entry entry;
    entry.parent = noEntry;
    entry.nameOffset = uint32_t(index.names.size());
    entry.nameLength = uint16_t(name.size());
    entry.flags = FlagDetached;
    index.names.append(name);
    index.entries.push_back(entry);
    Scanner scanner(index, options);
    scanner.statChild(dirFd, id, DT_UNKNOWN, true);
    index.entries[id].flags |= FlagDetached;
    return id;
}

std::vector<Expected<LayerIndex>> LayerScanner::scanAll(const std::vector<LayerHandle> &layers, const std::vector<ScanOptions> &options)
{
    std::vector<size_t> order(layers.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::optional<Expected<LayerIndex>>> results(layers.size());
    QtConcurrent::blockingMap(order, [&](size_t i) { results[i].emplace(scan(layers[i], options[i])); });
    std::vector<Expected<LayerIndex>> out;
    out.reserve(layers.size());
    for (auto &r : results)
        out.push_back(std::move(*r));
    return out;
}

} // namespace strata
