// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "layerindex.h"
#include "mergedtree.h"

#include <cstdint>
#include <vector>

namespace strata {

// Recursive sizes, as `du --apparent-size` adds them: a regular file counts its size, a directory
// the sum over everything below it. Hardlinks count once per name (a merged view cannot tell which
// name "owns" the inode, and dive counts them the same way).
struct SubtreeSizes {
    // [layer][entry]: bytes a layer itself stores below each of its entries (metacopy entries
    // hold none: their data stays below).
    std::vector<std::vector<uint64_t>> layers;
    // [merged node]: bytes the merged view shows below each node (a metacopy file counts its full
    // size: reading it gives that many bytes). Phantoms and failing lookups count nothing.
    std::vector<uint64_t> merged;

    uint64_t layerTotal(size_t layer, EntryId entry) const { return layers[layer][entry]; }
    // Needs stat'ed entries: a LoadDepth::MergedView stack has exact merged totals only.
    static SubtreeSizes compute(const std::vector<LayerIndex> &layers, const MergedTree &merged);
    static std::vector<uint64_t> computeMerged(const std::vector<LayerIndex> &layers, const MergedTree &merged);
};

} // namespace strata
