// SPDX-License-Identifier: GPL-3.0-or-later
#include "subtreesize.h"

#include "overlayrules.h"

namespace strata {

// Both arenas store children after their parent (the scanner, the index builder and the merger
// append a directory's children when they expand it), so one backward pass adds every subtree.

std::vector<uint64_t> SubtreeSizes::computeMerged(const std::vector<LayerIndex> &layers, const MergedTree &merged)
{
    std::vector<uint64_t> totals(merged.nodes.size(), 0);
    for (MergedId id = MergedId(merged.nodes.size()); id-- > 0;) {
        const MergedNode &node = merged.nodes[id];
        if (node.lookupErrno == 0 && node.meta.valid()) {
            const Entry &meta = layers[node.meta.layer].entries[node.meta.entry];
            if (meta.type == EntryType::File)
                totals[id] += meta.size;
        }
        if (id > 0 && node.parent != noMerged)
            totals[node.parent] += totals[id];
    }
    return totals;
}

SubtreeSizes SubtreeSizes::compute(const std::vector<LayerIndex> &layers, const MergedTree &merged)
{
    SubtreeSizes sizes;
    sizes.layers.resize(layers.size());
    for (size_t l = 0; l < layers.size(); ++l) {
        const std::vector<Entry> &entries = layers[l].entries;
        std::vector<uint64_t> &totals = sizes.layers[l];
        totals.assign(entries.size(), 0);
        for (EntryId id = EntryId(entries.size()); id-- > 0;) {
            const Entry &e = entries[id];
            if (rules::holdsData(e))
                totals[id] += e.size;
            // Detached index=on inodes (parent noEntry) are in no directory's total.
            if (id > 0 && e.parent != noEntry)
                totals[e.parent] += totals[id];
        }
    }
    sizes.merged = computeMerged(layers, merged);
    return sizes;
}

} // namespace strata
