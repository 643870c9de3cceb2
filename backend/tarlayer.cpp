// SPDX-License-Identifier: GPL-3.0-or-later
#include "tarlayer.h"

#include "layerindexbuilder.h"
#include "overlayrules.h"
#include "tarmemberdata.h"
#include "tarstream.h"

#include <archive.h>
#include <archive_entry.h>

#include <QThread>

#include <chrono>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unordered_map>
#include <vector>

namespace strata {

namespace {

QString shown(std::string_view path)
{
    return QString::fromUtf8(path.data(), qsizetype(path.size()));
}

// The member's name as raw bytes: non-UTF-8 and newlines stay as they are.
std::string memberPath(struct archive_entry *e)
{
    if (const char *p = archive_entry_pathname(e))
        return p;
    if (const char *p = archive_entry_pathname_utf8(e))
        return p;
    return {};
}

// "a/b/c" → ("a/b", "c"); trailing slashes (directory members) dropped first.
std::pair<std::string_view, std::string_view> splitPath(std::string_view path)
{
    while (path.size() > 1 && path.back() == '/')
        path.remove_suffix(1);
    const size_t slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return {{}, path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

std::string joinPath(std::string_view dir, std::string_view name)
{
    std::string out(dir);
    if (!out.empty())
        out += '/';
    out += name;
    return out;
}

EntryType typeOf(struct archive_entry *e)
{
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        return EntryType::File;
    case AE_IFDIR:
        return EntryType::Dir;
    case AE_IFLNK:
        return EntryType::Symlink;
    case AE_IFCHR:
        return EntryType::Char;
    case AE_IFBLK:
        return EntryType::Block;
    case AE_IFIFO:
        return EntryType::Fifo;
    case AE_IFSOCK:
        return EntryType::Socket;
    default:
        return EntryType::Unknown;
    }
}

// A member's name as Docker places it (moby pkg/archive: filepath.Clean, then the breakout check):
// "." and empty components dropped, ".." taken lexically; an absolute name ("/etc/x", "/../x") is
// re-rooted at the layer's root, where ".." stays at the root; a relative name that climbs above
// the root ("../x", "a/../../x") is refused, as Docker refuses the layer. Longer than maxPathBytes:
// refused. Returns the clean relative path ("" for the root) or why the name is refused.
struct CleanPath {
    std::string path;
    QString refused; // empty: accepted
    ErrorCode code = ErrorCode::Corrupt;
};

CleanPath cleanMemberPath(std::string_view raw)
{
    CleanPath out;
    if (raw.size() > TarIndexOptions::maxPathBytes) {
        out.refused = QStringLiteral("is %1 bytes long, more than the %2 a path may have").arg(raw.size()).arg(TarIndexOptions::maxPathBytes);
        out.code = ErrorCode::LimitExceeded;
        return out;
    }
    const bool absolute = raw.starts_with('/');
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos <= raw.size()) {
        const size_t end = std::min(raw.find('/', pos), raw.size());
        const std::string_view part = raw.substr(pos, end - pos);
        pos = end + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (!parts.empty()) {
                parts.pop_back();
            } else if (!absolute) {
                out.refused = QStringLiteral("climbs out of the layer (..)");
                return out;
            }
            continue;
        }
        parts.push_back(part);
    }
    for (std::string_view part : parts) {
        if (!out.path.empty())
            out.path += '/';
        out.path += part;
    }
    return out;
}

struct PendingLink {
    std::string path;
    std::string target;
    Entry entry; // the link member's own owner and mtime are ignored: a hardlink shares the inode
};

} // namespace

Expected<LayerIndex> TarLayer::index(const LayerHandle &layer, const TarIndexOptions &options)
{
    const auto start = std::chrono::steady_clock::now();
    const TarBlob *blob = layer.tar();
    if (!blob)
        return makeError(ErrorCode::Unsupported, QStringLiteral("layer %1 is not a tar layer").arg(layer.origin()), layer.origin());
    const bool verify = !blob->digest.empty() || !blob->diffId.empty();
    TarStream stream(*blob, verify, options.limits);
    if (auto failed = stream.open())
        return *failed;

    LayerIndexBuilder builder(blob->name);
    std::vector<Error> problems;
    std::vector<std::string> whiteouts, opaqueDirs;
    std::vector<PendingLink> links;
    std::string lastMember;
    size_t members = 0;
    for (;;) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed))
            return cancelledError();
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(stream.tar(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY || !e)
            return stream.error(ErrorCode::Corrupt, lastMember.empty() ? QString() : QStringLiteral("after entry ") + shown(lastMember));
        if (++members > options.maxEntries)
            return makeError(ErrorCode::LimitExceeded, QStringLiteral("%1: more than %2 entries (a tar bomb?); indexing stopped").arg(blob->name).arg(options.maxEntries),
                             blob->name);
        const uint64_t position = uint64_t(archive_read_header_position(stream.tar()));
        const std::string rawPath = memberPath(e);
        lastMember = rawPath.substr(0, TarIndexOptions::maxPathBytes);
        // ARCHIVE_WARN here is libarchive failing to convert a name to the locale's charset (a
        // non-UTF-8 PAX path, as Go's archive/tar writes): the raw bytes are what the layer holds.
        CleanPath clean = cleanMemberPath(rawPath);
        if (!clean.refused.isEmpty()) {
            const QString name = shown(std::string_view(rawPath).substr(0, 256)) + (rawPath.size() > 256 ? QStringLiteral("…") : QString());
            problems.push_back(makeError(clean.code, QStringLiteral("%1: entry %2 %3; skipped").arg(blob->name, name, clean.refused), name));
            continue;
        }
        std::string path = std::move(clean.path);
        const auto [dir, base] = splitPath(path);
        switch (rules::ociNameKind(base)) {
        case rules::OciName::Whiteout:
            // ".wh.." and ".wh..." would white out the directory itself or its parent (Docker's
            // RemoveAll of filepath.Join(dir, ".."), an escape): they name no entry.
            if (rules::ociWhitedOutName(base) == "." || rules::ociWhitedOutName(base) == "..") {
                problems.push_back(makeError(ErrorCode::Corrupt, QStringLiteral("%1: whiteout %2 names no entry of its directory; skipped").arg(blob->name, shown(path)), shown(path)));
                continue;
            }
            whiteouts.push_back(joinPath(dir, rules::ociWhitedOutName(base)));
            continue;
        case rules::OciName::OpaqueMarker:
            opaqueDirs.emplace_back(dir);
            continue;
        case rules::OciName::Reserved:
            if (base == rules::ociWhiteoutPrefix) // ".wh." alone: a whiteout of nothing
                problems.push_back(makeError(ErrorCode::Corrupt, QStringLiteral("%1: whiteout %2 names no entry of its directory; skipped").arg(blob->name, shown(path)), shown(path)));
            continue;
        case rules::OciName::Plain:
            break;
        }
        Entry entry;
        entry.type = typeOf(e);
        entry.mode = uint16_t(archive_entry_mode(e));
        entry.uid = uint32_t(archive_entry_uid(e));
        entry.gid = uint32_t(archive_entry_gid(e));
        entry.nlink = entry.type == EntryType::Dir ? 2 : 1;
        entry.mtimeNs = int64_t(archive_entry_mtime(e)) * 1'000'000'000 + archive_entry_mtime_nsec(e);
        entry.flags = FlagXattrsRead; // a tar member's xattrs all come with its header
        if (const char *target = archive_entry_hardlink(e)) {
            // A hardlink's target is a name in the same layer, placed as member names are
            // ("/etc/x" is the layer's etc/x; "../x" names nothing in it).
            CleanPath cleanTarget = cleanMemberPath(target);
            if (!cleanTarget.refused.isEmpty()) {
                const QString name = shown(std::string_view(target).substr(0, 256));
                problems.push_back(makeError(cleanTarget.code, QStringLiteral("%1: hardlink %2 points to %3, which %4; skipped").arg(blob->name, shown(path), name, cleanTarget.refused),
                                             shown(path)));
                continue;
            }
            links.push_back({path, std::move(cleanTarget.path), entry});
            continue;
        }
        if (entry.type == EntryType::Unknown) {
            problems.push_back(makeError(ErrorCode::Corrupt, QStringLiteral("%1: entry %2 has an unknown type; skipped").arg(blob->name, shown(path)), shown(path)));
            continue;
        }
        EntryExtra extra;
        if (entry.type == EntryType::File)
            entry.size = uint64_t(std::max<la_int64_t>(0, archive_entry_size(e)));
        if (entry.type == EntryType::Symlink) {
            const char *target = archive_entry_symlink(e);
            extra.symlinkTarget = target ? target : "";
            entry.size = extra.symlinkTarget.size();
        }
        if (entry.type == EntryType::Char || entry.type == EntryType::Block)
            extra.rdev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        if (archive_entry_xattr_reset(e) > 0) {
            const char *name = nullptr;
            const void *value = nullptr;
            size_t size = 0;
            while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
                extra.otherXattrs.emplace_back(name ? name : "");
            entry.flags |= FlagOtherXattrs;
        }
        if (auto problem = builder.add(path, entry, std::move(extra), entry.type == EntryType::File ? position : noContentOffset))
            problems.push_back(*problem);
        // Test hook, not a setting: lets a test cancel a load while it runs.
        static const int delayUs = qEnvironmentVariableIntValue("STRATA_TEST_TAR_MEMBER_DELAY_US");
        if (delayUs > 0)
            QThread::usleep(ulong(delayUs));
    }

    // Hardlinks share their target's inode: its metadata, its bytes and a common link count.
    std::unordered_map<std::string, uint32_t> linkCount;
    // A target below a symlink or a file ("loophole/file" with loophole a symlink) is never
    // resolved through it: it names nothing here.
    auto belowNonDirectory = [&builder](std::string_view path) {
        for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
            const auto parent = builder.lookup(path.substr(0, slash));
            if (parent && parent->entry->type != EntryType::Dir)
                return true;
        }
        return false;
    };
    for (PendingLink &link : links) {
        auto target = builder.lookup(link.target);
        const bool linkable = target && !target->implied && target->entry->type != EntryType::Dir && !belowNonDirectory(link.target) && link.target != link.path;
        if (!linkable) {
            const QString why = target && target->entry->type == EntryType::Dir && !target->implied ? QStringLiteral("a directory (hardlinks to directories are refused)")
                                                                                                   : QStringLiteral("not a file of this layer");
            problems.push_back(makeError(ErrorCode::Corrupt, QStringLiteral("%1: hardlink %2 points to %3, which is %4; skipped").arg(blob->name, shown(link.path), shown(link.target), why),
                                         shown(link.path)));
            continue;
        }
        Entry entry = *target->entry;
        // A hardlink to a symlink or a device node is that symlink or node (link(2) without
        // following): its target and rdev come along; content only from a regular file's member.
        EntryExtra extra;
        if (target->extra) {
            extra.symlinkTarget = target->extra->symlinkTarget;
            extra.rdev = target->extra->rdev;
            extra.otherXattrs = target->extra->otherXattrs;
        }
        const uint64_t offset = target->contentOffset;
        const uint32_t count = ++linkCount[link.target];
        target->entry->nlink = count + 1;
        entry.nlink = count + 1;
        if (auto problem = builder.add(link.path, entry, std::move(extra), offset))
            problems.push_back(*problem);
    }
    for (const PendingLink &link : links) {
        const auto count = linkCount.find(link.target);
        auto found = builder.lookup(link.path);
        if (count != linkCount.end() && found && !found->entry->has(FlagWhiteout))
            found->entry->nlink = count->second + 1;
    }
    // OCI whiteouts last: they hide only what is below this layer, whatever the member order.
    for (const std::string &path : whiteouts) {
        auto found = builder.lookup(path);
        const rules::OciWhiteoutEffect effect = rules::ociWhiteoutEffect(found ? found->entry : nullptr);
        if (effect.makeWhiteout) {
            Entry whiteout;
            whiteout.type = EntryType::Char;
            whiteout.mode = S_IFCHR;
            whiteout.nlink = 1;
            whiteout.flags = FlagWhiteout | FlagXattrsRead;
            if (auto problem = builder.add(path, whiteout))
                problems.push_back(*problem);
        } else {
            found->entry->flags |= effect.addFlags;
        }
    }
    for (const std::string &dir : opaqueDirs) {
        auto found = builder.lookup(dir);
        if (!found) {
            Entry implied;
            implied.type = EntryType::Dir;
            implied.mode = S_IFDIR | 0755;
            implied.nlink = 2;
            if (auto problem = builder.add(dir, implied)) {
                problems.push_back(*problem);
                continue;
            }
            found = builder.lookup(dir);
        }
        if (found->entry->type == EntryType::Dir)
            found->entry->flags |= FlagOpaque;
    }

    if (verify) {
        if (auto failed = stream.finish())
            return *failed;
        auto check = [&](const std::string &expected, const std::string &actual, const char *what) {
            if (!expected.empty() && expected != actual)
                problems.push_back(makeError(ErrorCode::Corrupt,
                                             QStringLiteral("%1: %2 is %3, but the manifest says %4").arg(blob->name, QLatin1StringView(what),
                                                                                                          QString::fromStdString(actual), QString::fromStdString(expected)),
                                             blob->name));
        };
        check(blob->digest, stream.storedDigest(), "the blob's sha256");
        check(blob->diffId, stream.uncompressedDigest(), "the uncompressed tar's sha256 (diff_id)");
    }
    auto sealed = std::move(builder).seal();
    if (!sealed)
        return sealed.error();
    LayerIndex index = std::move(sealed).value();
    index.path = layer.origin();
    index.handle = layer;
    // The builder's own problems (entries below a non-directory) after the stream's.
    problems.insert(problems.end(), std::make_move_iterator(index.problems.begin()), std::make_move_iterator(index.problems.end()));
    index.problems = std::move(problems);
    index.scanNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    if (verify)
        index.tarBytes = stream.uncompressedBytes(); // read to the end for the diff_id
    return index;
}

Expected<uint64_t> TarContent::read(const LayerIndex &layer, EntryId id, const std::function<bool(const char *, size_t)> &sink)
{
    const TarBlob *blob = layer.handle.tar();
    const QString entryPath = layer.path + u':' + QString::fromStdString(layer.pathOf(id));
    if (!blob || id >= layer.contentOffsets.size() || layer.contentOffsets[id] == noContentOffset)
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no content recorded for this entry").arg(entryPath), entryPath);
    TarStream stream(*blob);
    if (auto failed = stream.open(layer.contentOffsets[id]))
        return *failed;
    struct archive_entry *e = nullptr;
    if (archive_read_next_header(stream.tar(), &e) < ARCHIVE_WARN || !e)
        return stream.error(ErrorCode::Corrupt, shown(layer.pathOf(id)));
    // The blob must not have changed since it was indexed.
    if (archive_entry_filetype(e) != AE_IFREG || uint64_t(archive_entry_size(e)) != layer.entries[id].size)
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1: the member at offset %2 is not the file indexed there (the blob changed?)").arg(entryPath).arg(layer.contentOffsets[id]),
                         entryPath);
    const int testDelayMs = qEnvironmentVariableIntValue("STRATA_TEST_READ_DELAY_MS");
    uint64_t total = 0;
    for (;;) {
        if (testDelayMs > 0)
            QThread::msleep(ulong(testDelayMs));
        const void *buffer = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(stream.tar(), &buffer, &size, &offset);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return stream.error(ErrorCode::Corrupt, shown(layer.pathOf(id)));
        // A sparse member's holes read as zeros, as from the extracted file.
        static const std::vector<char> zeros(64 * 1024);
        bool more = true;
        while (more && offset >= 0 && uint64_t(offset) > total) {
            const size_t gap = size_t(std::min<uint64_t>(zeros.size(), uint64_t(offset) - total));
            total += gap;
            more = sink(zeros.data(), gap);
        }
        total += size;
        if (!more || !sink(static_cast<const char *>(buffer), size))
            break;
    }
    return total;
}

std::optional<Error> readMemberData(const TarStream &stream, const QString &entry, const std::function<bool(uint64_t offset, const char *data, size_t size)> &sink)
{
    for (;;) {
        const void *buffer = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(stream.tar(), &buffer, &size, &offset);
        if (r == ARCHIVE_EOF)
            return std::nullopt;
        if (r < ARCHIVE_WARN)
            return stream.error(ErrorCode::Corrupt, entry);
        if (!sink(uint64_t(std::max<la_int64_t>(offset, 0)), static_cast<const char *>(buffer), size))
            return std::nullopt;
    }
}

Expected<std::vector<QByteArray>> TarContent::sha256All(const LayerIndex &layer)
{
    const TarBlob *blob = layer.handle.tar();
    if (!blob)
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1 is not a tar layer").arg(layer.path), layer.path);
    // Header position → the entries whose bytes are that member's (hardlinks share one).
    std::unordered_map<uint64_t, std::vector<EntryId>> wanted;
    for (EntryId id = 0; id < layer.contentOffsets.size() && id < layer.entries.size(); ++id) {
        if (layer.contentOffsets[id] != noContentOffset && layer.entries[id].type == EntryType::File)
            wanted[layer.contentOffsets[id]].push_back(id);
    }
    std::vector<QByteArray> out(layer.entries.size());
    TarStream stream(*blob);
    if (auto failed = stream.open())
        return *failed;
    size_t found = 0;
    while (found < wanted.size()) {
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(stream.tar(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN || !e)
            return stream.error(ErrorCode::Corrupt);
        const auto it = wanted.find(uint64_t(archive_read_header_position(stream.tar())));
        if (it == wanted.end() || archive_entry_filetype(e) != AE_IFREG)
            continue;
        ++found;
        Sha256 hash;
        uint64_t total = 0;
        auto failed = readMemberData(stream, shown(memberPath(e)), [&](uint64_t offset, const char *data, size_t size) {
            static const std::vector<char> zeros(64 * 1024);
            while (offset > total) { // a sparse member's holes
                const size_t gap = size_t(std::min<uint64_t>(zeros.size(), offset - total));
                hash.add(zeros.data(), gap);
                total += gap;
            }
            hash.add(data, size);
            total += size;
            return true;
        });
        if (failed)
            return *failed;
        const std::string digest = hash.digest();
        const QByteArray hex = QByteArray::fromStdString(digest.substr(7));
        for (EntryId id : it->second)
            out[id] = hex;
    }
    if (found < wanted.size())
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1: members indexed earlier are missing (the blob changed?)").arg(blob->name), blob->name);
    return out;
}

} // namespace strata
