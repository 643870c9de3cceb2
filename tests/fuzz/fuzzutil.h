// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the libFuzzer targets: invariant checks that abort (libFuzzer saves the input), typed
// errors, and input bytes as a file descriptor.

#include "error.h"
#include "uniquefd.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace fuzz {

[[noreturn]] inline void fail(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "INVARIANT BROKEN: %s %s\n", what, detail.toUtf8().constData());
    std::abort();
}

inline void check(bool ok, const char *what, const QString &detail = {})
{
    if (!ok)
        fail(what, detail);
}

// A refusal must be a typed error that says something, and not a huge one.
inline void checkError(const strata::Error &e, std::initializer_list<strata::ErrorCode> allowed)
{
    bool known = false;
    for (strata::ErrorCode c : allowed)
        known = known || e.code == c;
    check(known, "unexpected error code", e.message());
    check(!e.message().isEmpty(), "empty error message");
    check(e.message().size() < 64 * 1024, "error message larger than 64 KiB");
}

// The bytes in an anonymous memory file (what LayerHandle and ImageFiles read with pread).
inline std::shared_ptr<const strata::UniqueFd> memoryFile(const void *data, size_t size)
{
    const int fd = ::memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        std::abort();
    const char *p = static_cast<const char *>(data);
    for (size_t done = 0; done < size;) {
        const ssize_t n = ::write(fd, p + done, size - done);
        if (n <= 0)
            std::abort();
        done += size_t(n);
    }
    return std::make_shared<const strata::UniqueFd>(fd);
}

// Splits the input at each "\n----\n" (how multi-file seeds are written), at most `max` parts.
inline std::vector<QByteArray> splitParts(const uint8_t *data, size_t size, size_t max)
{
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    std::vector<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() + 1 < max) {
        const qsizetype at = all.indexOf("\n----\n", from);
        if (at < 0)
            break;
        parts.push_back(all.mid(from, at - from));
        from = at + 6;
    }
    parts.push_back(all.mid(from));
    return parts;
}

} // namespace fuzz
