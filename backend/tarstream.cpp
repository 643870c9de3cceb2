// SPDX-License-Identifier: GPL-3.0-or-later
#include "tarstream.h"

#include <archive.h>
#include <archive_entry.h>
#include <isa-l/igzip_lib.h>

#include <QByteArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace strata {

namespace {
constexpr size_t chunk = 512 * 1024;

uint64_t environmentNumber(const char *name, uint64_t fallback)
{
    bool ok = false;
    const qulonglong value = qEnvironmentVariable(name).toULongLong(&ok);
    return ok && value > 0 ? uint64_t(value) : fallback;
}

const char *isalErrorText(int code)
{
    switch (code) {
    case ISAL_INVALID_BLOCK:
        return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
        return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
        return "invalid lookback distance";
    case ISAL_INVALID_WRAPPER:
        return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
        return "unsupported gzip compression method";
    case ISAL_INCORRECT_CHECKSUM:
        return "gzip CRC mismatch";
    case ISAL_NEED_DICT:
        return "deflate stream needs a dictionary";
    default:
        return "gzip decoding failed";
    }
}
} // namespace

struct TarStream::Pipeline {
    std::thread worker;
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<std::vector<char>> free; // buffers the decoder may fill
    std::deque<std::vector<char>> full; // decoded, in order, not yet given to the parser
    std::vector<char> current; // the one the parser reads now
    bool done = false; // the decoder reached the end or failed (m_gzipError)
    bool stop = false;
};

DecompressionLimits DecompressionLimits::fromEnvironment()
{
    DecompressionLimits limits;
    limits.maxRatio = environmentNumber("STRATA_TAR_MAX_EXPANSION", limits.maxRatio);
    limits.maxBytes = environmentNumber("STRATA_TAR_MAX_BYTES", limits.maxBytes);
    return limits;
}

uint64_t DecompressionLimits::limitFor(uint64_t compressedBytes) const
{
    const uint64_t byRatio = compressedBytes > maxBytes / std::max<uint64_t>(1, maxRatio) ? maxBytes : compressedBytes * maxRatio;
    return std::min(std::max(byRatio, minBytes), maxBytes);
}

TarStream::TarStream(const TarBlob &blob, bool hashing, DecompressionLimits limits)
    : m_blob(blob)
    , m_hashing(hashing)
    , m_plainLimit(limits.limitFor(blob.length))
{
}

TarStream::~TarStream()
{
    stopPipeline();
    if (m_tar)
        archive_read_free(m_tar);
    if (m_zstd)
        archive_read_free(m_zstd);
}

long TarStream::readWindow(struct archive *, void *self, const void **buffer)
{
    return static_cast<TarStream *>(self)->pullWindow(buffer);
}

long TarStream::readDecompressed(struct archive *, void *self, const void **buffer)
{
    return static_cast<TarStream *>(self)->pullDecompressed(buffer);
}

int64_t TarStream::skipWindow(struct archive *, void *self, int64_t request)
{
    auto *stream = static_cast<TarStream *>(self);
    const uint64_t left = stream->m_blob.length - std::min(stream->m_windowPos, stream->m_blob.length);
    const uint64_t skipped = std::min<uint64_t>(left, uint64_t(std::max<int64_t>(0, request)));
    stream->m_windowPos += skipped;
    return int64_t(skipped);
}

long TarStream::fail(Error error)
{
    if (!m_failure)
        m_failure = std::move(error);
    if (m_tar)
        archive_set_error(m_tar, EIO, "%s", m_failure->detail.toUtf8().constData());
    return -1;
}

// The next piece of the window, hashed as the stored bytes.
long TarStream::pullWindow(const void **buffer)
{
    m_windowBuffer.resize(chunk);
    const uint64_t left = m_blob.length - std::min(m_windowPos, m_blob.length);
    if (left == 0)
        return 0;
    ssize_t n;
    do {
        n = ::pread(m_blob.file->get(), m_windowBuffer.data(), size_t(std::min<uint64_t>(chunk, left)), off_t(m_blob.offset + m_windowPos));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        m_windowErrno = errno;
        return -1;
    }
    if (n == 0) { // the file is shorter than the window says
        m_windowErrno = EIO;
        return -1;
    }
    m_windowPos += uint64_t(n);
    if (m_hashing)
        m_storedHash.add(m_windowBuffer.data(), size_t(n));
    *buffer = m_windowBuffer.data();
    return long(n);
}

// Moves what igzip has not consumed to the front of the input buffer and reads more after it.
// False at the end of the window (or on a read error, with m_windowErrno set).
bool TarStream::refillGzipInput()
{
    inflate_state &z = *m_gzip;
    m_windowBuffer.resize(chunk);
    const size_t kept = z.avail_in;
    if (kept > 0 && z.next_in != reinterpret_cast<uint8_t *>(m_windowBuffer.data()))
        std::memmove(m_windowBuffer.data(), z.next_in, kept);
    const uint64_t left = m_blob.length - std::min(m_windowPos, m_blob.length);
    if (left == 0 || kept == chunk)
        return false;
    ssize_t n;
    do {
        n = ::pread(m_blob.file->get(), m_windowBuffer.data() + kept, size_t(std::min<uint64_t>(chunk - kept, left)), off_t(m_blob.offset + m_windowPos));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        m_windowErrno = n < 0 ? errno : EIO;
        return false;
    }
    m_windowPos += uint64_t(n);
    if (m_hashing)
        m_storedHash.add(m_windowBuffer.data() + kept, size_t(n));
    z.next_in = reinterpret_cast<uint8_t *>(m_windowBuffer.data());
    z.avail_in = uint32_t(kept + size_t(n));
    return true;
}

// Up to `capacity` bytes of the gzip stream's output (0 at its end). Concatenated gzip members are
// one stream, as gzip -d reads them; bytes after the last member are padding (hashed, not decoded).
long TarStream::inflateGzip(char *out, size_t capacity)
{
    inflate_state &z = *m_gzip;
    z.next_out = reinterpret_cast<uint8_t *>(out);
    z.avail_out = uint32_t(capacity);
    while (!m_gzipDone && z.avail_out == capacity) {
        if (z.block_state == ISAL_BLOCK_FINISH) {
            // A member ended: another one follows if the next bytes are gzip's magic.
            if (z.avail_in < 2)
                refillGzipInput();
            if (m_windowErrno)
                return gzipFailure(Error{errorCodeFromErrno(m_windowErrno), m_windowErrno, m_blob.name,
                                  QStringLiteral("%1: read error: %2").arg(m_blob.name, QString::fromLocal8Bit(std::strerror(m_windowErrno)))});
            if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
                uint8_t *next = z.next_in;
                const uint32_t avail = z.avail_in;
                isal_inflate_reset(&z);
                z.crc_flag = ISAL_GZIP;
                z.next_in = next;
                z.avail_in = avail;
                z.next_out = reinterpret_cast<uint8_t *>(out);
                z.avail_out = uint32_t(capacity);
                continue;
            }
            m_gzipDone = true;
            break;
        }
        if (z.avail_in == 0 && !refillGzipInput()) {
            if (m_windowErrno)
                return gzipFailure(Error{errorCodeFromErrno(m_windowErrno), m_windowErrno, m_blob.name,
                                  QStringLiteral("%1: read error: %2").arg(m_blob.name, QString::fromLocal8Bit(std::strerror(m_windowErrno)))});
            return gzipFailure(Error{ErrorCode::Corrupt, 0, m_blob.name, QStringLiteral("%1: truncated gzip stream").arg(m_blob.name)});
        }
        const uint32_t before = z.avail_in;
        const int r = isal_inflate(&z);
        if (r < 0)
            return gzipFailure(Error{ErrorCode::Corrupt, 0, m_blob.name,
                              QStringLiteral("%1: not a readable gzip stream: %2").arg(m_blob.name, QLatin1StringView(isalErrorText(r)))});
        // igzip keeps a partial symbol in its own state; no progress with input left means it
        // wants more than the buffer holds.
        if (z.avail_in == before && z.avail_out == capacity && z.block_state != ISAL_BLOCK_FINISH && !refillGzipInput())
            return gzipFailure(Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name, QStringLiteral("%1: truncated gzip stream").arg(m_blob.name)});
    }
    return long(capacity - z.avail_out);
}

long TarStream::gzipFailure(Error error)
{
    if (!m_gzipError)
        m_gzipError = std::move(error);
    return -1;
}

// The decoder thread of a pipelined gzip stream: reads, hashes the stored bytes and inflates into
// free buffers while the tar parser works on full ones.
void TarStream::decodeAhead()
{
    Pipeline &p = *m_pipeline;
    for (;;) {
        std::vector<char> buffer;
        {
            std::unique_lock lock(p.mutex);
            p.wake.wait(lock, [&] { return p.stop || !p.free.empty(); });
            if (p.stop)
                return;
            buffer = std::move(p.free.back());
            p.free.pop_back();
        }
        buffer.resize(chunk);
        const long n = inflateGzip(buffer.data(), buffer.size());
        std::lock_guard lock(p.mutex);
        if (n <= 0) {
            p.done = true;
            p.wake.notify_all();
            return;
        }
        buffer.resize(size_t(n));
        p.full.push_back(std::move(buffer));
        p.wake.notify_all();
    }
}

void TarStream::stopPipeline()
{
    if (!m_pipeline)
        return;
    {
        std::lock_guard lock(m_pipeline->mutex);
        m_pipeline->stop = true;
    }
    m_pipeline->wake.notify_all();
    if (m_pipeline->worker.joinable())
        m_pipeline->worker.join();
}

// The next decoded buffer of the pipeline (0 at the end, -1 on failure).
long TarStream::takeDecoded(const void **buffer)
{
    Pipeline &p = *m_pipeline;
    std::unique_lock lock(p.mutex);
    if (!p.current.empty() || p.current.capacity() > 0)
        p.free.push_back(std::move(p.current));
    p.current = {};
    p.wake.notify_all();
    p.wake.wait(lock, [&] { return !p.full.empty() || p.done; });
    if (p.full.empty()) {
        lock.unlock();
        if (p.worker.joinable())
            p.worker.join();
        return m_gzipError ? fail(*m_gzipError) : 0;
    }
    p.current = std::move(p.full.front());
    p.full.pop_front();
    *buffer = p.current.data();
    return long(p.current.size());
}

// Up to `capacity` bytes of the uncompressed stream, hashed, counted against the limit.
long TarStream::produce(char *out, size_t capacity)
{
    long n = 0;
    if (m_gzip) {
        n = inflateGzip(out, capacity);
        if (n < 0)
            return fail(*m_gzipError);
    } else {
        const la_ssize_t r = archive_read_data(m_zstd, out, capacity);
        if (r < 0)
            return fail(Error{m_windowErrno ? errorCodeFromErrno(m_windowErrno) : ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                              QStringLiteral("%1: %2").arg(m_blob.name, archive_error_string(m_zstd) ? QString::fromUtf8(archive_error_string(m_zstd))
                                                                                                     : QStringLiteral("zstd decoding failed"))});
        n = long(r);
    }
    return account(out, n);
}

// Counts decoded bytes against the limit and hashes them as the uncompressed stream.
long TarStream::account(const char *out, long n)
{
    if (n <= 0)
        return n;
    m_plainTotal += uint64_t(n);
    if (m_plainTotal > m_plainLimit)
        return fail(Error{ErrorCode::LimitExceeded, 0, m_blob.name,
                          QStringLiteral("%1: decompresses to more than %2 bytes (%3× its %4 compressed bytes; a decompression bomb?); reading stopped")
                              .arg(m_blob.name)
                              .arg(m_plainLimit)
                              .arg(m_blob.length ? m_plainLimit / m_blob.length : 0)
                              .arg(m_blob.length)});
    if (m_hashing)
        m_plainHash.add(out, size_t(n));
    return n;
}

long TarStream::pullDecompressed(const void **buffer)
{
    if (!m_gzip && !m_zstd) {
        // Uncompressed: the diff_id is the blob's digest, hashed once (in pullWindow).
        const long n = pullWindow(buffer);
        if (n > 0)
            m_plainTotal += uint64_t(n);
        return n;
    }
    if (m_pipeline) {
        const long n = takeDecoded(buffer);
        return account(static_cast<const char *>(*buffer), n);
    }
    m_plainBuffer.resize(chunk);
    const long n = produce(m_plainBuffer.data(), m_plainBuffer.size());
    *buffer = m_plainBuffer.data();
    return n;
}

std::optional<Error> TarStream::open(uint64_t position)
{
    if (m_blob.compression == Compression::Gzip) {
        m_gzip = std::make_unique<inflate_state>();
        isal_inflate_init(m_gzip.get());
        m_gzip->crc_flag = ISAL_GZIP;
    } else if (m_blob.compression == Compression::Zstd) {
        m_zstd = archive_read_new();
        archive_read_support_filter_zstd(m_zstd);
        archive_read_support_format_raw(m_zstd);
        if (archive_read_open(m_zstd, this, nullptr, &TarStream::readWindow, nullptr) != ARCHIVE_OK)
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                         QStringLiteral("%1: not a readable zstd stream: %2").arg(m_blob.name, QString::fromUtf8(archive_error_string(m_zstd)))};
        struct archive_entry *raw = nullptr;
        if (archive_read_next_header(m_zstd, &raw) != ARCHIVE_OK)
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name, QStringLiteral("%1: %2").arg(m_blob.name, QString::fromUtf8(archive_error_string(m_zstd)))};
    }
    if (m_gzip || m_zstd) {
        // Drop what comes before `position`.
        m_plainBuffer.resize(chunk);
        for (uint64_t dropped = 0; dropped < position;) {
            const long n = produce(m_plainBuffer.data(), size_t(std::min<uint64_t>(chunk, position - dropped)));
            if (n < 0)
                return *m_failure;
            if (n == 0)
                return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name, QStringLiteral("%1: the stream ends before offset %2").arg(m_blob.name).arg(position)};
            dropped += uint64_t(n);
        }
    } else {
        m_windowPos = position;
    }
    // A whole gzip stream is decoded on a thread of its own, a few buffers ahead of the parser:
    // inflating and hashing the stored bytes there, hashing the output and parsing here.
    static const bool decodeThread = qEnvironmentVariableIntValue("STRATA_NO_DECODE_THREAD") == 0;
    if (m_gzip && position == 0 && decodeThread) {
        m_pipeline = std::make_unique<Pipeline>();
        m_pipeline->free.resize(4);
        m_pipeline->worker = std::thread([this] { decodeAhead(); });
    }
    m_tar = archive_read_new();
    archive_read_support_format_tar(m_tar);
    // Uncompressed and not hashed: file data is skipped, not read (headers of a big archive only).
    const bool skippable = !m_gzip && !m_zstd && !m_hashing;
    if (archive_read_open2(m_tar, this, nullptr, &TarStream::readDecompressed, skippable ? &TarStream::skipWindow : nullptr, nullptr) != ARCHIVE_OK)
        return error();
    return std::nullopt;
}

Error TarStream::error(ErrorCode code, const QString &entry) const
{
    const_cast<TarStream *>(this)->stopPipeline(); // the decoder thread's state is read below
    if (m_failure) {
        Error e = *m_failure;
        if (!entry.isEmpty())
            e.detail += QStringLiteral(" (") + entry + u')';
        return e;
    }
    const char *text = m_tar ? archive_error_string(m_tar) : nullptr;
    QString what = text ? QString::fromUtf8(text) : QStringLiteral("unreadable tar stream");
    if (m_windowErrno)
        what += QStringLiteral(" (") + QString::fromLocal8Bit(std::strerror(m_windowErrno)) + u')';
    const QString where = entry.isEmpty() ? m_blob.name : m_blob.name + QStringLiteral(": ") + entry;
    return Error{m_windowErrno ? errorCodeFromErrno(m_windowErrno) : code, m_windowErrno, m_blob.name, where + QStringLiteral(": ") + what};
}

std::optional<Error> TarStream::finish()
{
    const void *buffer = nullptr;
    for (;;) {
        const long n = pullDecompressed(&buffer);
        if (n < 0) {
            if (m_failure)
                return *m_failure;
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name, QStringLiteral("%1: read error").arg(m_blob.name)};
        }
        if (n == 0)
            break;
    }
    // Bytes after the compressed stream's end (padding): hashed, not decoded.
    stopPipeline();
    while (m_windowPos < m_blob.length) {
        if (pullWindow(&buffer) < 0)
            return Error{errorCodeFromErrno(m_windowErrno), m_windowErrno, m_blob.name, QStringLiteral("%1: read error").arg(m_blob.name)};
    }
    return std::nullopt;
}

std::string TarStream::storedDigest()
{
    if (m_storedDigest.empty())
        m_storedDigest = m_storedHash.digest();
    return m_storedDigest;
}

std::string TarStream::uncompressedDigest()
{
    if (!m_gzip && !m_zstd)
        return storedDigest();
    return m_plainHash.digest();
}

} // namespace strata
