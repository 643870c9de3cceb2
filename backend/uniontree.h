// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "changekind.h"
#include "layerindex.h"
#include "mergedtree.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata {

using UnionId = uint32_t;
constexpr UnionId noUnion = UINT32_MAX;

struct UnionNode {
    UnionId parent = noUnion;
    uint32_t firstChild = 0;
    uint32_t childCount = 0;
    LayerRef name; // any entry (or merged name) with this node's name
    MergedId merged = noMerged; // the merged view's node at this path, if any
};

// One row per path present in any layer or in the merged view; one cell per layer. Rows line up
// across layers by construction, which is what the side-by-side columns show.
class UnionTree
{
public:
    std::vector<UnionNode> nodes;

    size_t layerCount() const { return m_layerCount; }
    EntryId cell(UnionId node, size_t layer) const { return m_cells[size_t(node) * m_layerCount + layer]; }
    ChangeKind kind(UnionId node, size_t layer) const { return m_kinds[size_t(node) * m_layerCount + layer]; }
    // The lowest layer that layer `layer`'s lookup at `node` can reach (the path's ancestors decide:
    // opaque dirs, whiteouts and non-dirs above cut it off).
    size_t reach(UnionId node, size_t layer) const { return m_reach[size_t(node) * m_layerCount + layer]; }

    // The rows and cells (names and types suffice), then computeKinds() once the entries it compares
    // are stat'ed; it also sets each merged node's change kind.
    static UnionTree build(const std::vector<LayerIndex> &layers, const MergedTree &merged);
    void computeKinds(const std::vector<LayerIndex> &layers, MergedTree &merged);
    // The version that layer `layer`'s entry at `node` covers: the nearest present entry below
    // within reach (opaque dirs, whiteouts and non-dirs above cut it off); a whiteout there means none.
    LayerRef below(const std::vector<LayerIndex> &layers, UnionId node, size_t layer) const;

private:
    size_t m_layerCount = 0;
    std::vector<uint16_t> m_reach; // per cell: the lowest layer visible from that layer at this path
    std::vector<EntryId> m_cells;
    std::vector<ChangeKind> m_kinds;
};

// What one layer does, counted over its cells.
struct LayerStats {
    uint64_t entries = 0; // excluding the root
    uint64_t bytes = 0; // regular files' data (metacopy entries hold none)
    uint64_t added = 0;
    uint64_t modified = 0; // modified, metadata-only, metacopy, replaced-type, opaque, redirected
    uint64_t deleted = 0; // whiteouts that hide something
    uint64_t wastedBytes = 0; // bytes of this layer's files that the merged view cannot reach (dive's "wasted")
    // The copy-up cost, charged to the layer that caused it: bytes of this layer's regular files
    // (with data) that replace a regular file visible below ...
    uint64_t duplicatedBytes = 0;
    // ... and of those, the ones whose content is identical to what they replace (metadata-only,
    // copied-up, unchanged: a full copy made for a chmod/chown or an open for writing).
    uint64_t copiedUpBytes = 0;
};

std::vector<LayerStats> computeLayerStats(const std::vector<LayerIndex> &layers, const MergedTree &merged, const UnionTree &tree);

} // namespace strata
