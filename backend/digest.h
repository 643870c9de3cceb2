// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <string>
#include <string_view>

namespace strata {

// "sha256:" + 64 lowercase hex digits (or sha512 with 128): what OCI descriptors, diff_ids and
// blob paths are allowed to be. A digest that passes is also a safe path component.
bool isValidDigest(std::string_view digest);
// "sha256:HEX" of `data`.
std::string sha256Digest(const QByteArray &data);
// "blobs/ALGORITHM/HEX" for a valid digest.
std::string blobPath(std::string_view digest);

} // namespace strata
