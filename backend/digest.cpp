// SPDX-License-Identifier: GPL-3.0-or-later
#include "digest.h"

#include <QCryptographicHash>

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
    return "sha256:" + QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().toStdString();
}

std::string blobPath(std::string_view digest)
{
    const size_t colon = digest.find(':');
    return "blobs/" + std::string(digest.substr(0, colon)) + '/' + std::string(digest.substr(colon + 1));
}

} // namespace strata
