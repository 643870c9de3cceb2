// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "mergedtree.h"
#include "uniontree.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace strata {

struct OverlayStack;

// The merged view as it stood after one layer: the layers up to it mounted as lowers, which is
// what an image's root filesystem looks like once that layer is applied (dive's aggregated view).
// Rows stay the union tree's: byUnion maps each row to its node here.
struct AsOfView {
    size_t layer = 0; // the topmost layer taking part
    MergedTree merged; // change kinds set as for the whole stack's merged view
    std::vector<MergedId> byUnion; // per union row: its node in `merged`, or noMerged
    std::vector<uint64_t> sizes; // per node of `merged`: recursive bytes (SubtreeSizes::merged)

    MergedId mergedOf(UnionId row) const { return row < byUnion.size() ? byUnion[row] : noMerged; }

    // Errors: InvalidOption for a layer outside the stack or a data-only layer (it is not part of
    // the merged tree by itself); Cancelled when `cancel` is set.
    static Expected<AsOfView> compute(const OverlayStack &stack, size_t layer, const std::atomic<bool> *cancel = nullptr);
};

} // namespace strata
