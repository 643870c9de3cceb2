// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "tarstream.h"

#include <functional>
#include <optional>

namespace strata {

// The bytes of the member TarStream's parser stands on, as libarchive yields them: sink(offset,
// data, size) per block — a sparse member's holes are the gaps between offsets — until the member
// ends or the sink returns false. A read failure is the stream's error naming `entry`.
std::optional<Error> readMemberData(const TarStream &stream, const QString &entry, const std::function<bool(uint64_t offset, const char *data, size_t size)> &sink);

} // namespace strata
