// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "changekind.h"
#include "layerindex.h"

#include <cstdint>
#include <vector>

namespace strata {

// One version of a path: an entry of one layer.
struct LayerRef {
    uint16_t layer = UINT16_MAX;
    EntryId entry = noEntry;
    bool valid() const { return entry != noEntry; }
    friend bool operator==(const LayerRef &, const LayerRef &) = default;
};

using MergedId = uint32_t;
constexpr MergedId noMerged = UINT32_MAX;

// A path of the merged view as the kernel shows it. Children are contiguous and sorted by name.
struct MergedNode {
    MergedId parent = noMerged;
    uint32_t firstChild = 0;
    uint32_t childCount = 0;
    LayerRef name; // the entry whose name readdir lists (the topmost one)
    LayerRef meta; // metadata (type, mode, owner, size): the topmost entry
    LayerRef data; // content: differs from meta for metacopy entries
    uint32_t stackOffset = 0; // directories: the layer directories merged here, top-down
    uint32_t stackCount = 0;
    int lookupErrno = 0; // readdir lists it, lookup fails: ENOENT (phantom), EPERM, EIO
    ChangeKind change = ChangeKind::Unchanged;
    bool merged = false; // a directory that merges several layers (readdir filters whiteouts)
};

struct MergedTree {
    std::vector<MergedNode> nodes; // nodes[0] is the root
    std::vector<LayerRef> stacks;

    bool isPhantom(MergedId id) const { return nodes[id].lookupErrno == ENOENT; }
};

} // namespace strata
