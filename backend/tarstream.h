// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerhandle.h"

#include <QCryptographicHash>

#include <cstdint>
#include <optional>
#include <vector>

struct archive;

namespace strata {

// How far a compressed tar blob may inflate (decompression bombs): at most
// min(max(maxExpansion × stored size, minExpansionCap), maxUncompressedBytes) bytes come out of
// the decompressor; past that the stream fails with ErrorCode::LimitExceeded. zstd frames that
// declare a window above libzstd's default limit (128 MiB) are refused by the decoder itself.
struct TarLimits {
    uint64_t maxExpansion = 100;
    uint64_t minExpansionCap = 1 << 20; // tiny blobs (a 10 KiB tar of zeros gzips to ~100 bytes)
    uint64_t maxUncompressedBytes = uint64_t(64) << 30;
    // The defaults, with STRATA_TAR_MAX_EXPANSION (a ratio) and STRATA_TAR_MAX_BYTES (bytes)
    // overriding them when set to a positive number.
    static TarLimits fromEnvironment();
    uint64_t capFor(uint64_t storedBytes) const;
};

// A tar blob as a stream of tar members (libarchive), without extracting anything. Two archive
// readers chained in one pass: a decompressor (gzip/zstd, "raw" format) reading the blob's window
// with pread, and the tar parser reading the decompressor's output. Both ends can be hashed on the
// way (the blob digest and the diff_id), so indexing a layer verifies it at no extra read.
class TarStream
{
public:
    explicit TarStream(const TarBlob &blob, bool hashing = false, TarLimits limits = TarLimits::fromEnvironment());
    ~TarStream();
    TarStream(const TarStream &) = delete;
    TarStream &operator=(const TarStream &) = delete;

    // Starts the tar parser at `position` of the uncompressed stream (a member's header position
    // from archive_read_header_position): an uncompressed blob is read from there directly, a
    // compressed one is decompressed from its start and the bytes before `position` dropped.
    std::optional<Error> open(uint64_t position = 0);
    struct archive *tar() const { return m_tar; }
    // The blob's name with what libarchive said went wrong.
    Error error(ErrorCode code = ErrorCode::Corrupt, const QString &entry = {}) const;

    // Reads whatever the tar parser left (trailing padding, data past the end marker) so the
    // digests cover every byte; then "sha256:HEX" of the stored and of the uncompressed bytes.
    std::optional<Error> finish();
    std::string storedDigest();
    std::string uncompressedDigest();

private:
    static long readWindow(struct archive *, void *self, const void **buffer);
    static long readDecompressed(struct archive *, void *self, const void **buffer);
    static int64_t skipWindow(struct archive *, void *self, int64_t request);
    long pullWindow(const void **buffer);
    long pullDecompressed(const void **buffer);
    // Counts inflated bytes against the cap; false (and the limit error set) past it.
    bool countPlain(uint64_t bytes);
    QString limitMessage() const;

    const TarBlob &m_blob;
    bool m_hashing;
    struct archive *m_decompressor = nullptr; // null for an uncompressed blob
    struct archive *m_tar = nullptr;
    uint64_t m_windowPos = 0;
    int m_windowErrno = 0;
    uint64_t m_plainCap = UINT64_MAX; // compressed blobs only
    uint64_t m_plainTotal = 0;
    bool m_limitHit = false;
    std::vector<char> m_windowBuffer;
    std::vector<char> m_plainBuffer;
    QCryptographicHash m_storedHash{QCryptographicHash::Sha256};
    QCryptographicHash m_plainHash{QCryptographicHash::Sha256};
};

} // namespace strata
