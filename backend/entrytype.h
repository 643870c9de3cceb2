// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <string_view>

namespace strata {

enum class EntryType : uint8_t { Unknown, File, Dir, Symlink, Char, Block, Fifo, Socket };

// The JSON/CLI spelling: file|dir|symlink|char|block|fifo|socket.
std::string_view entryTypeName(EntryType type);
EntryType entryTypeFromMode(uint32_t mode);

} // namespace strata
