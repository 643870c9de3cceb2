// SPDX-License-Identifier: GPL-3.0-or-later
#include "tarstream.h"

#include <archive.h>
#include <archive_entry.h>

#include <QtGlobal>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace strata {

namespace {
constexpr size_t chunk = 256 * 1024;
}

TarLimits TarLimits::fromEnvironment()
{
    TarLimits limits;
    bool ok = false;
    const qulonglong ratio = qEnvironmentVariable("STRATA_TAR_MAX_EXPANSION").toULongLong(&ok);
    if (ok && ratio > 0)
        limits.maxExpansion = ratio;
    const qulonglong bytes = qEnvironmentVariable("STRATA_TAR_MAX_BYTES").toULongLong(&ok);
    if (ok && bytes > 0)
        limits.maxUncompressedBytes = bytes;
    return limits;
}

uint64_t TarLimits::capFor(uint64_t storedBytes) const
{
    const uint64_t ratioCap = storedBytes > UINT64_MAX / std::max<uint64_t>(1, maxExpansion) ? UINT64_MAX : storedBytes * maxExpansion;
    return std::min(std::max(ratioCap, minExpansionCap), maxUncompressedBytes);
}

TarStream::TarStream(const TarBlob &blob, bool hashing, TarLimits limits)
    : m_blob(blob)
    , m_hashing(hashing)
{
    if (blob.compression != Compression::None)
        m_plainCap = limits.capFor(blob.length);
}

bool TarStream::countPlain(uint64_t bytes)
{
    m_plainTotal += bytes;
    if (m_plainTotal <= m_plainCap)
        return true;
    m_limitHit = true;
    return false;
}

QString TarStream::limitMessage() const
{
    return QStringLiteral("%1: inflates to more than %2 bytes from %3 stored (a decompression bomb?); reading stopped "
                          "(STRATA_TAR_MAX_EXPANSION, STRATA_TAR_MAX_BYTES raise the limit)")
        .arg(m_blob.name)
        .arg(m_plainCap)
        .arg(m_blob.length);
}

TarStream::~TarStream()
{
    if (m_tar)
        archive_read_free(m_tar);
    if (m_decompressor)
        archive_read_free(m_decompressor);
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
        m_storedHash.addData(QByteArrayView(m_windowBuffer.data(), qsizetype(n)));
    *buffer = m_windowBuffer.data();
    return long(n);
}

long TarStream::pullDecompressed(const void **buffer)
{
    if (!m_decompressor) {
        const long n = pullWindow(buffer);
        if (n > 0 && m_hashing)
            m_plainHash.addData(QByteArrayView(static_cast<const char *>(*buffer), qsizetype(n)));
        return n;
    }
    m_plainBuffer.resize(chunk);
    const la_ssize_t n = archive_read_data(m_decompressor, m_plainBuffer.data(), m_plainBuffer.size());
    if (n < 0) {
        archive_set_error(m_tar, EIO, "%s", archive_error_string(m_decompressor) ? archive_error_string(m_decompressor) : "decompression failed");
        return -1;
    }
    if (!countPlain(uint64_t(n))) {
        archive_set_error(m_tar, EFBIG, "%s", qPrintable(limitMessage()));
        return -1;
    }
    if (n > 0 && m_hashing)
        m_plainHash.addData(QByteArrayView(m_plainBuffer.data(), qsizetype(n)));
    *buffer = m_plainBuffer.data();
    return long(n);
}

std::optional<Error> TarStream::open(uint64_t position)
{
    if (m_blob.compression != Compression::None) {
        m_decompressor = archive_read_new();
        if (m_blob.compression == Compression::Gzip)
            archive_read_support_filter_gzip(m_decompressor);
        else
            archive_read_support_filter_zstd(m_decompressor);
        archive_read_support_format_raw(m_decompressor);
        if (archive_read_open(m_decompressor, this, nullptr, &TarStream::readWindow, nullptr) != ARCHIVE_OK)
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                         QStringLiteral("%1: not a readable %2 stream: %3").arg(m_blob.name, QLatin1StringView(compressionName(m_blob.compression)),
                                                                                 QString::fromUtf8(archive_error_string(m_decompressor)))};
        struct archive_entry *raw = nullptr;
        if (archive_read_next_header(m_decompressor, &raw) != ARCHIVE_OK)
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                         QStringLiteral("%1: %2").arg(m_blob.name, QString::fromUtf8(archive_error_string(m_decompressor)))};
        // Drop what comes before `position`.
        for (uint64_t dropped = 0; dropped < position;) {
            const void *ignored = nullptr;
            m_plainBuffer.resize(chunk);
            const la_ssize_t n = archive_read_data(m_decompressor, m_plainBuffer.data(), size_t(std::min<uint64_t>(chunk, position - dropped)));
            if (n <= 0)
                return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                             QStringLiteral("%1: the stream ends before offset %2").arg(m_blob.name).arg(position)};
            if (!countPlain(uint64_t(n)))
                return Error{ErrorCode::LimitExceeded, 0, m_blob.name, limitMessage()};
            (void)ignored;
            dropped += uint64_t(n);
        }
    } else {
        m_windowPos = position;
    }
    m_tar = archive_read_new();
    archive_read_support_format_tar(m_tar);
    // Uncompressed and not hashed: file data is skipped, not read (headers of a big archive only).
    const bool skippable = !m_decompressor && !m_hashing;
    if (archive_read_open2(m_tar, this, nullptr, &TarStream::readDecompressed, skippable ? &TarStream::skipWindow : nullptr, nullptr) != ARCHIVE_OK)
        return error();
    return std::nullopt;
}

Error TarStream::error(ErrorCode code, const QString &entry) const
{
    if (m_limitHit)
        return Error{ErrorCode::LimitExceeded, 0, m_blob.name, entry.isEmpty() ? limitMessage() : limitMessage() + QStringLiteral(" (") + entry + u')'};
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
        if (n < 0 && m_limitHit)
            return Error{ErrorCode::LimitExceeded, 0, m_blob.name, limitMessage()};
        if (n < 0)
            return Error{ErrorCode::Corrupt, m_windowErrno, m_blob.name,
                         QStringLiteral("%1: %2").arg(m_blob.name, m_decompressor && archive_error_string(m_decompressor)
                                                                       ? QString::fromUtf8(archive_error_string(m_decompressor))
                                                                       : QStringLiteral("read error"))};
        if (n == 0)
            break;
    }
    // Bytes after the compressed stream's end (a second gzip member is read above; padding is not).
    while (m_windowPos < m_blob.length) {
        if (pullWindow(&buffer) < 0)
            return Error{errorCodeFromErrno(m_windowErrno), m_windowErrno, m_blob.name, QStringLiteral("%1: read error").arg(m_blob.name)};
    }
    return std::nullopt;
}

std::string TarStream::storedDigest()
{
    return "sha256:" + m_storedHash.result().toHex().toStdString();
}

std::string TarStream::uncompressedDigest()
{
    return "sha256:" + m_plainHash.result().toHex().toStdString();
}

} // namespace strata
