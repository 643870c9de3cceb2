// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "digest.h"
#include "error.h"
#include "layerhandle.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

struct archive;
struct inflate_state;

namespace strata {

// How much a compressed blob may expand (decompression bombs): the uncompressed stream may be at
// most min(max(maxRatio × compressed size, minBytes), maxBytes). Past it the layer is an
// ErrorCode::LimitExceeded error. The defaults can be changed for a whole process with
// STRATA_TAR_MAX_EXPANSION (a ratio) and STRATA_TAR_MAX_BYTES (bytes). zstd frames that declare a
// window above libzstd's default limit (128 MiB) are refused by the decoder itself.
struct DecompressionLimits {
    uint64_t maxRatio = 100;
    uint64_t maxBytes = uint64_t(64) << 30; // 64 GiB
    uint64_t minBytes = 1 << 20; // tiny blobs (a 10 KiB tar of zeros gzips to ~100 bytes)
    static DecompressionLimits fromEnvironment();
    uint64_t limitFor(uint64_t compressedBytes) const;
};

// A tar blob as a stream of tar members (libarchive's tar parser), without extracting anything.
// The parser reads through callbacks from our own decompressor: gzip with isa-l's igzip
// (isal_inflate, checking each member's CRC), zstd through libarchive's raw reader, or the window
// itself when uncompressed; the blob's window is read with pread. Both ends can be hashed on the
// way (OpenSSL SHA-256: the blob digest and the diff_id), so indexing a layer verifies it at no
// extra read. A whole gzip stream is inflated on a thread of its own, a few buffers ahead of the
// parser (STRATA_NO_DECODE_THREAD=1 turns that off, for measurements).
class TarStream
{
public:
    explicit TarStream(const TarBlob &blob, bool hashing = false, DecompressionLimits limits = DecompressionLimits::fromEnvironment());
    ~TarStream();
    TarStream(const TarStream &) = delete;
    TarStream &operator=(const TarStream &) = delete;

    // Starts the tar parser at `position` of the uncompressed stream (a member's header position
    // from archive_read_header_position): an uncompressed blob is read from there directly, a
    // compressed one is decompressed from its start and the bytes before `position` dropped.
    std::optional<Error> open(uint64_t position = 0);
    struct archive *tar() const { return m_tar; }
    // The blob's name with what went wrong (the decompressor's failure if it failed, else
    // libarchive's message).
    Error error(ErrorCode code = ErrorCode::Corrupt, const QString &entry = {}) const;

    // Reads whatever the tar parser left (trailing padding, data past the end marker) so the
    // digests cover every byte; then "sha256:HEX" of the stored and of the uncompressed bytes.
    std::optional<Error> finish();
    std::string storedDigest();
    std::string uncompressedDigest();
    uint64_t uncompressedBytes() const { return m_plainTotal; }

private:
    static long readDecompressed(struct archive *, void *self, const void **buffer);
    static long readWindow(struct archive *, void *self, const void **buffer);
    static int64_t skipWindow(struct archive *, void *self, int64_t request);
    long pullWindow(const void **buffer);
    long pullDecompressed(const void **buffer);
    long produce(char *out, size_t capacity);
    long inflateGzip(char *out, size_t capacity);
    long gzipFailure(Error error);
    long account(const char *out, long n);
    void decodeAhead();
    long takeDecoded(const void **buffer);
    void stopPipeline();
    bool refillGzipInput();
    long fail(Error error);

    const TarBlob &m_blob;
    bool m_hashing;
    uint64_t m_plainLimit;
    struct archive *m_zstd = nullptr; // libarchive's raw reader for zstd blobs
    std::unique_ptr<inflate_state> m_gzip; // isa-l for gzip blobs
    std::optional<Error> m_gzipError; // set by inflateGzip (on the decoder thread when pipelined)
    struct Pipeline;
    std::unique_ptr<Pipeline> m_pipeline; // a whole gzip stream: decoded on its own thread
    bool m_gzipDone = false;
    struct archive *m_tar = nullptr;
    uint64_t m_windowPos = 0;
    uint64_t m_plainTotal = 0;
    int m_windowErrno = 0;
    std::optional<Error> m_failure;
    std::vector<char> m_windowBuffer;
    std::vector<char> m_plainBuffer;
    Sha256 m_storedHash;
    Sha256 m_plainHash;
    std::string m_storedDigest; // once finished
};

} // namespace strata
