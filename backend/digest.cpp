// SPDX-License-Identifier: GPL-3.0-or-later
#include "digest.h"

#include <openssl/evp.h>

namespace strata {

bool isValidDigest(std::string_view digest)
{
    const size_t colon = digest.find(':');
    if (colon == std::string_view::npos)
        return false;
    const std::string_view algorithm = digest.substr(0, colon);
    const std::string_view hex = digest.substr(colon + 1);
    const size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
    if (want == 0 || hex.size() != want)
        return false;
    for (char c : hex) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

std::string sha256Digest(const QByteArray &data)
{
    Sha256 hash;
    hash.add(data.constData(), size_t(data.size()));
    return hash.digest();
}

std::string blobPath(std::string_view digest)
{
    const size_t colon = digest.find(':');
    return "blobs/" + std::string(digest.substr(0, colon)) + '/' + std::string(digest.substr(colon + 1));
}

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::add(const void *data, size_t size)
{
    EVP_DigestUpdate(m_ctx, data, size);
}

std::string Sha256::digest()
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_ctx, out, &length);
    static const char hex[] = "0123456789abcdef";
    std::string text = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[out[i] >> 4];
        text += hex[out[i] & 15];
    }
    return text;
}

} // namespace strata
