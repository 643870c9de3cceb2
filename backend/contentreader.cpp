// SPDX-License-Identifier: GPL-3.0-or-later
#include "contentreader.h"

#include "digest.h"
#include "tarlayer.h"

#include <QFile>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace strata {

namespace {
Error describe(const LayerIndex &layer, EntryId id, int error)
{
    return errorFromErrno(error, layer.path + QString::fromStdString(layer.pathOf(id)));
}
}

Expected<int> ContentReader::openDirectory(const LayerIndex &layer, EntryId dir)
{
    if (m_cachedLayer == &layer && m_cachedDir == dir && m_cachedFd)
        return m_cachedFd.get();
    std::vector<EntryId> chain;
    for (EntryId e = dir; e != 0 && e != noEntry; e = layer.entries[e].parent)
        chain.push_back(e);
    // From the layer's handle down, one component at a time: no path is looked up again.
    int fd = ::openat(layer.handle.directoryFd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return describe(layer, 0, layer.handle.valid() ? errno : EBADF);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const std::string name(layer.name(*it));
        const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        const int error = errno;
        ::close(fd);
        if (next < 0)
            return describe(layer, *it, error);
        fd = next;
    }
    m_cachedLayer = &layer;
    m_cachedDir = dir;
    m_cachedFd.reset(fd);
    return fd;
}

Expected<UniqueFd> ContentReader::open(const LayerIndex &layer, EntryId id)
{
    if (id == 0 || id >= layer.entries.size())
        return makeError(ErrorCode::NotFound, QStringLiteral("not a file entry"), layer.path);
    if (layer.handle.kind() == LayerHandle::Kind::Tar)
        return makeError(ErrorCode::Unsupported, QStringLiteral("entries of a tar layer have no descriptor; read() them"), layer.path);
    // A detached entry (an index=on inode no upper name leads to) lives in workdir/index.
    auto dirFd = layer.entries[id].has(FlagDetached) ? Expected<int>(layer.indexDir.directoryFd()) : openDirectory(layer, layer.entries[id].parent);
    if (!dirFd)
        return dirFd.error();
    const std::string name(layer.name(id));
    UniqueFd fd(::openat(*dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd)
        return describe(layer, id, errno);
    return fd;
}

Expected<uint64_t> ContentReader::read(const LayerIndex &layer, EntryId id, const std::function<bool(const char *, size_t)> &sink)
{
    const Entry &e = layer.entries[id];
    if (e.type != EntryType::File)
        return makeError(ErrorCode::Unsupported, QStringLiteral("not a regular file"), layer.path + QString::fromStdString(layer.pathOf(id)));
    if (layer.handle.kind() == LayerHandle::Kind::Tar)
        return TarContent::read(layer, id, sink); // the member, found where indexing saw it
    auto fd = open(layer, id);
    if (!fd)
        return fd.error();
    static thread_local std::vector<char> buffer(256 * 1024);
    // Test hook, not a setting: STRATA_TEST_READ_DELAY_MS makes every chunk slow, so GUI tests can
    // prove that reads stay off the GUI thread. Unset (always, outside tests) it costs one getenv.
    const int testDelayMs = qEnvironmentVariableIntValue("STRATA_TEST_READ_DELAY_MS");
    uint64_t total = 0;
    for (;;) {
        if (testDelayMs > 0)
            QThread::msleep(ulong(testDelayMs));
        const ssize_t n = ::read(fd->get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return describe(layer, id, errno);
        }
        if (n == 0)
            break;
        total += uint64_t(n);
        if (!sink(buffer.data(), size_t(n)))
            break;
    }
    return total;
}

Expected<QByteArray> ContentReader::sha256Hex(const LayerIndex &layer, EntryId id)
{
    if (const TarBlob *blob = layer.handle.tar(); blob && id < layer.entries.size() && layer.entries[id].type == EntryType::File) {
        auto cached = std::find_if(m_tarHashes.begin(), m_tarHashes.end(), [&](const TarHashes &t) { return t.blob == blob; });
        if (cached == m_tarHashes.end())
            cached = m_tarHashes.insert(m_tarHashes.end(), TarHashes{blob, 0, {}});
        if (++cached->requests == 2) {
            auto all = TarContent::sha256All(layer);
            if (!all)
                return all.error();
            cached->hashes = std::move(*all);
        }
        if (id < cached->hashes.size() && !cached->hashes[id].isEmpty())
            return cached->hashes[id];
    }
    Sha256 hash;
    auto r = read(layer, id, [&](const char *data, size_t size) {
        hash.add(data, size);
        return true;
    });
    if (!r)
        return r.error();
    return QByteArray::fromStdString(hash.digest().substr(7));
}

Expected<QByteArray> ContentReader::head(const LayerIndex &layer, EntryId id, qint64 maxBytes)
{
    QByteArray out;
    auto r = read(layer, id, [&](const char *data, size_t size) {
        const qint64 room = maxBytes - out.size();
        out.append(data, qsizetype(std::min<qint64>(room, qint64(size))));
        return out.size() < maxBytes;
    });
    if (!r)
        return r.error();
    return out;
}

} // namespace strata
