// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata
{

// "10M", "1.5GiB", "300", "2 kB": a byte count with an optional binary unit (K, M, G, T, P; "B",
// "iB" and a trailing "B" are optional; 1K = 1024, as du and docker print). nullopt for junk,
// negative numbers, and values past 2^64.
std::optional<uint64_t> parseByteSize(std::string_view text);
// "1.5 MiB" (one decimal from KiB on), "512 B": for messages.
std::string formatByteSize(uint64_t bytes);

} // namespace strata
