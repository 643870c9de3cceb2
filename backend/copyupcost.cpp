// SPDX-License-Identifier: GPL-3.0-or-later
#include "copyupcost.h"

#include "overlaystack.h"

namespace strata {

CopyUpCost copyUpCost(const OverlayStack &stack)
{
    CopyUpCost cost;
    if (!stack.config.hasUpper() || stack.layers.empty())
        return cost;
    const size_t upper = stack.layers.size() - 1;
    const UnionTree &tree = stack.unionTree;
    for (UnionId node = 0; node < UnionId(tree.nodes.size()); ++node) {
        const EntryId cell = tree.cell(node, upper);
        if (cell == noEntry)
            continue;
        const Entry &entry = stack.layers[upper].entries[cell];
        if (entry.type != EntryType::File || entry.has(FlagXattrWhiteout))
            continue;
        const LayerRef below = tree.below(stack.layers, node, upper);
        if (!below.valid() || stack.entry(below).type != EntryType::File || stack.entry(below).has(FlagWhiteout) || stack.entry(below).has(FlagXattrWhiteout))
            continue;
        if (entry.has(FlagMetacopy)) {
            ++cost.metacopyFiles;
        } else {
            ++cost.copiedFiles;
            cost.copiedBytes += entry.size;
        }
    }
    return cost;
}

} // namespace strata
