// SPDX-License-Identifier: GPL-3.0-or-later
#include "uniontree.h"

#include "overlayrules.h"
#include "provenance.h"
#include "sortedruns.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace strata {

UnionTree UnionTree::build(const std::vector<LayerIndex> &layers, const MergedTree &merged)
{
    UnionTree tree;
    const size_t L = layers.size();
    tree.m_layerCount = L;
    tree.nodes.reserve(layers.empty() ? 1 : layers.back().entries.size() * 2);
    UnionNode root;
    root.name = {uint16_t(L ? L - 1 : 0), 0};
    root.merged = merged.nodes.empty() ? noMerged : 0;
    tree.nodes.push_back(root);
    for (size_t l = 0; l < L; ++l)
        tree.m_cells.push_back(layers[l].entries.empty() ? noEntry : 0);
    // reach[node*L + l]: the lowest layer whose entries at this path layer l can see through to.
    std::vector<uint16_t> reach(L, 0);

    // Per directory: its children in each layer and in the merged view, as sorted runs.
    std::vector<sortedruns::Run> runs;
    std::vector<uint16_t> runLayer; // L = the merged view
    std::vector<UnionId> pending{0};
    std::vector<uint16_t> childReach(L), parentReach(L);
    while (!pending.empty()) {
        const UnionId dirId = pending.back();
        pending.pop_back();
        runs.clear();
        runLayer.clear();
        for (size_t l = 0; l < L; ++l) {
            const EntryId e = tree.cell(dirId, l);
            if (e == noEntry)
                continue;
            const Entry &de = layers[l].entries[e];
            if (de.type != EntryType::Dir || de.childCount == 0)
                continue;
            runs.push_back({de.firstChild, de.firstChild + de.childCount});
            runLayer.push_back(uint16_t(l));
        }
        const MergedId mdir = tree.nodes[dirId].merged;
        if (mdir != noMerged && merged.nodes[mdir].childCount > 0) {
            const MergedNode &m = merged.nodes[mdir];
            runs.push_back({m.firstChild, m.firstChild + m.childCount});
            runLayer.push_back(uint16_t(L));
        }
        const auto nameAt = [&](uint32_t run, uint32_t position) {
            if (runLayer[run] == L) {
                const LayerRef n = merged.nodes[position].name;
                return layers[n.layer].name(n.entry);
            }
            return layers[runLayer[run]].name(position);
        };

        // Visibility through this directory for its children, per viewing layer.
        parentReach.assign(reach.begin() + std::ptrdiff_t(size_t(dirId) * L), reach.begin() + std::ptrdiff_t(size_t(dirId) * L + L));
        for (size_t viewer = 0; viewer < L; ++viewer) {
            uint16_t r = parentReach[viewer];
            for (size_t j = r; j <= viewer; ++j) {
                const EntryId e = tree.cell(dirId, j);
                if (e == noEntry)
                    continue;
                const Entry &de = layers[j].entries[e];
                // The same lookup rule the merge applies (overlayrules.h). A non-directory's type is
                // tested before its flags: the load resolves files while this runs (finishLoad).
                if (de.type != EntryType::Dir || rules::endsLookup(de)) {
                    if (j < viewer)
                        r = uint16_t(j + 1);
                } else if (rules::isOpaqueDir(de) && j > 0) {
                    r = uint16_t(j);
                }
            }
            childReach[viewer] = r;
        }

        const auto first = uint32_t(tree.nodes.size());
        // One row per distinct name; its first member is the lowest layer holding it (or the merged view).
        sortedruns::merge(runs, nameAt, [&](std::string_view, const std::vector<sortedruns::Member> &members) {
            UnionNode node;
            node.parent = dirId;
            const size_t cellBase = tree.m_cells.size();
            tree.m_cells.resize(cellBase + L, noEntry);
            for (const sortedruns::Member &member : members) {
                if (runLayer[member.run] == L)
                    node.merged = member.position;
                else
                    tree.m_cells[cellBase + runLayer[member.run]] = member.position;
            }
            const sortedruns::Member &lowest = members.front();
            node.name = runLayer[lowest.run] == L ? merged.nodes[lowest.position].name : LayerRef{runLayer[lowest.run], lowest.position};
            tree.nodes.push_back(node);
            reach.insert(reach.end(), childReach.begin(), childReach.end());
        });
        tree.nodes[dirId].firstChild = first;
        tree.nodes[dirId].childCount = uint32_t(tree.nodes.size()) - first;
        for (uint32_t c = uint32_t(tree.nodes.size()); c-- > first;) {
            bool hasDir = false;
            for (size_t l = 0; l < L && !hasDir; ++l) {
                const EntryId e = tree.cell(c, l);
                hasDir = e != noEntry && layers[l].entries[e].type == EntryType::Dir && layers[l].entries[e].childCount > 0;
            }
            const MergedId m = tree.nodes[c].merged;
            if (hasDir || (m != noMerged && merged.nodes[m].childCount > 0))
                pending.push_back(c);
        }
    }

    tree.m_reach = std::move(reach);
    return tree;
}

LayerRef UnionTree::below(const std::vector<LayerIndex> &layers, UnionId node, size_t layer) const
{
    const size_t L = m_layerCount;
    for (size_t j = layer; j-- > m_reach[size_t(node) * L + layer];) {
        const EntryId b = cell(node, j);
        if (b == noEntry)
            continue;
        if (rules::isWhiteout(layers[j].entries[b]))
            return {};
        return {uint16_t(j), b};
    }
    return {};
}

void UnionTree::computeKinds(const std::vector<LayerIndex> &layers, MergedTree &merged)
{
    // Each cell against the version visible from below at the same path. A row writes only its own
    // cells and its merged node: ranges of rows are classified in parallel.
    const size_t L = m_layerCount;
    m_kinds.assign(m_cells.size(), ChangeKind::Absent);
    const int upperLayer = int(L) - 1;
    const auto classifyRows = [&](UnionId from, UnionId to) {
        for (UnionId n = from; n < to; ++n) {
            for (size_t l = 0; l < L; ++l) {
                const EntryId e = cell(n, l);
                if (e == noEntry)
                    continue;
                const LayerRef b = below(layers, n, l);
                m_kinds[size_t(n) * L + l] = n == 0 ? ChangeKind::Unchanged
                                                    : classifyChange(layers[l], e, b.valid() ? &layers[b.layer] : nullptr, b.entry, int(l) == upperLayer).kind;
            }
            const MergedId m = nodes[n].merged;
            if (m != noMerged) {
                MergedNode &mn = merged.nodes[m];
                if (mn.lookupErrno == ENOENT)
                    mn.change = ChangeKind::Phantom;
                else if (cell(n, mn.meta.layer) == mn.meta.entry)
                    mn.change = kind(n, mn.meta.layer);
                else
                    mn.change = ChangeKind::Added; // reached through a redirect: new at this path
                if (mn.lookupErrno == ENOENT && cell(n, mn.name.layer) == mn.name.entry)
                    m_kinds[size_t(n) * L + mn.name.layer] = ChangeKind::Phantom;
            }
        }
    };
    constexpr UnionId rowsPerTask = 32768;
    std::vector<UnionId> starts;
    for (UnionId from = 0; from < nodes.size(); from += rowsPerTask)
        starts.push_back(from);
    QtConcurrent::blockingMap(starts, [&](UnionId from) { classifyRows(from, UnionId(std::min<size_t>(nodes.size(), size_t(from) + rowsPerTask))); });
}

std::vector<LayerStats> computeLayerStats(const std::vector<LayerIndex> &layers, const MergedTree &merged, const UnionTree &tree)
{
    std::vector<LayerStats> stats(layers.size());
    std::vector<std::vector<bool>> reachable(layers.size());
    for (size_t l = 0; l < layers.size(); ++l)
        reachable[l].assign(layers[l].entries.size(), false);
    for (const MergedNode &m : merged.nodes) {
        if (m.lookupErrno == 0 && m.data.valid())
            reachable[m.data.layer][m.data.entry] = true;
    }
    for (size_t l = 0; l < layers.size(); ++l) {
        const LayerIndex &layer = layers[l];
        LayerStats &s = stats[l];
        s.entries = layer.entries.empty() ? 0 : layer.entries.size() - 1;
        for (EntryId e = 1; e < layer.entries.size(); ++e) {
            const Entry &entry = layer.entries[e];
            if (entry.has(FlagDetached)) {
                --s.entries; // not in the layer's tree
                continue;
            }
            if (rules::holdsData(entry)) {
                s.bytes += entry.size;
                if (!reachable[l][e])
                    s.wastedBytes += entry.size;
            }
        }
    }
    for (UnionId n = 1; n < tree.nodes.size(); ++n) {
        for (size_t l = 0; l < layers.size(); ++l) {
            const ChangeKind kind = tree.kind(n, l);
            if (const EntryId e = tree.cell(n, l); e != noEntry && rules::holdsData(layers[l].entries[e])) {
                const LayerRef b = tree.below(layers, n, l);
                if (b.valid() && layers[b.layer].entries[b.entry].type == EntryType::File) {
                    const uint64_t size = layers[l].entries[e].size;
                    stats[l].duplicatedBytes += size;
                    if (kind == ChangeKind::MetadataOnly || kind == ChangeKind::CopiedUp || kind == ChangeKind::Unchanged)
                        stats[l].copiedUpBytes += size;
                }
            }
            switch (kind) {
            case ChangeKind::Added:
                ++stats[l].added;
                break;
            case ChangeKind::Modified:
            case ChangeKind::MetadataOnly:
            case ChangeKind::Metacopy:
            case ChangeKind::ReplacedType:
            case ChangeKind::Opaque:
            case ChangeKind::Redirected:
                ++stats[l].modified;
                break;
            case ChangeKind::Deleted:
                ++stats[l].deleted;
                break;
            default:
                break;
            }
        }
    }
    return stats;
}

} // namespace strata
