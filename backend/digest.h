// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <cstddef>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace strata {

// "sha256:" + 64 lowercase hex digits (or sha512 with 128): what OCI descriptors, diff_ids and
// blob paths are allowed to be. A digest that passes is also a safe path component.
bool isValidDigest(std::string_view digest);
// "sha256:HEX" of `data`.
std::string sha256Digest(const QByteArray &data);
// "blobs/ALGORITHM/HEX" for a valid digest.
std::string blobPath(std::string_view digest);

// Incremental SHA-256 through OpenSSL's EVP (SHA-NI or AVX2 where the CPU has them; about 4× faster
// than QCryptographicHash on layer blobs).
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void add(const void *data, size_t size);
    // "sha256:HEX"; the hash cannot be fed after this.
    std::string digest();

private:
    evp_md_ctx_st *m_ctx;
};

} // namespace strata
