// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata {

// One vocabulary for what a layer does to a path, shared by the engine, the CLI, models and legend.
enum class ChangeKind : uint8_t {
    Absent, // the layer has nothing at this path
    Unchanged, // present, same as what shows through from below
    Added, // nothing visible below
    Modified, // content (or symlink target) differs from the version below
    MetadataOnly, // contents identical, only mode/owner differ: a full copy (e.g. copy-up by chmod/chown)
    ReplacedType, // a different file type replaces the one below
    Deleted, // a whiteout that hides something below
    OrphanWhiteout, // a whiteout that hides nothing
    Phantom, // a whiteout in a non-merged directory: listed by readdir, lookup fails
    Opaque, // an opaque directory hiding the directories below
    Redirected, // a renamed directory whose lower content comes from another path
    CopiedUp, // an upper entry whose origin xattr names a lower entry, otherwise unchanged
    Metacopy, // a metacopy entry: metadata copied up, the data is still read from below (last: keeps the values above stable)
};

std::string_view changeKindName(ChangeKind kind);
std::optional<ChangeKind> changeKindFromName(std::string_view name);
constexpr int changeKindCount = int(ChangeKind::Metacopy) + 1;

} // namespace strata
