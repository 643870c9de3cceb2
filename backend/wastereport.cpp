// SPDX-License-Identifier: GPL-3.0-or-later
#include "wastereport.h"

#include "overlayrules.h"

#include <algorithm>
#include <array>

namespace strata
{

std::string_view wasteReasonName(WasteReason reason)
{
    static constexpr std::array<std::string_view, 5> names = {"overwritten", "deleted", "opaque-dir", "copied-up", "unreachable"};
    return names[size_t(reason)];
}

namespace
{

bool isFullCopy(ChangeKind kind)
{
    return kind == ChangeKind::MetadataOnly || kind == ChangeKind::CopiedUp || kind == ChangeKind::Unchanged;
}

// Why the version of `node` in `layer` is hidden: the lowest layer above that cuts it off, at a
// parent directory (a whiteout, an opaque directory, a non-directory) or at the same path (a
// whiteout, a full copy, another version). Within one layer the parent wins: a file written into an
// opaque directory did not overwrite the old one, the opaque directory hid it.
std::pair<WasteReason, int> whyHidden(const OverlayStack &stack, UnionId node, size_t layer)
{
    const UnionTree &tree = stack.unionTree;
    for (size_t k = layer + 1; k < tree.layerCount(); ++k) {
        for (UnionId a = tree.nodes[node].parent; a != noUnion && a != 0; a = tree.nodes[a].parent) {
            const EntryId e = tree.cell(a, k);
            if (e == noEntry)
                continue;
            const Entry &entry = stack.layers[k].entries[e];
            if (rules::isWhiteout(entry))
                return {WasteReason::Deleted, int(k)};
            if (rules::isOpaqueDir(entry))
                return {WasteReason::OpaqueDir, int(k)};
            if (entry.type != EntryType::Dir)
                return {WasteReason::Overwritten, int(k)};
        }
        if (const EntryId e = tree.cell(node, k); e != noEntry) {
            if (rules::isWhiteout(stack.layers[k].entries[e]))
                return {WasteReason::Deleted, int(k)};
            if (isFullCopy(tree.kind(node, k)) && tree.below(stack.layers, node, k) == LayerRef{uint16_t(layer), tree.cell(node, layer)})
                return {WasteReason::CopiedUp, int(k)};
            return {WasteReason::Overwritten, int(k)};
        }
    }
    return {WasteReason::Unreachable, -1};
}

} // namespace

WasteReport wasteReport(const OverlayStack &stack)
{
    WasteReport report;
    const UnionTree &tree = stack.unionTree;
    std::vector<std::vector<bool>> reachable(stack.layers.size());
    for (size_t l = 0; l < stack.layers.size(); ++l)
        reachable[l].assign(stack.layers[l].entries.size(), false);
    for (const MergedNode &m : stack.merged.nodes) {
        if (m.lookupErrno == 0 && m.data.valid())
            reachable[m.data.layer][m.data.entry] = true;
    }
    for (UnionId n = 1; n < tree.nodes.size(); ++n) {
        for (size_t l = 0; l < stack.layers.size(); ++l) {
            const EntryId e = tree.cell(n, l);
            if (e == noEntry || reachable[l][e])
                continue;
            const Entry &entry = stack.layers[l].entries[e];
            if (!rules::holdsData(entry) || entry.has(FlagDetached))
                continue;
            const auto [why, by] = whyHidden(stack, n, l);
            report.items.push_back({stack.unionPath(n), entry.size, why, uint16_t(l), by});
            report.wastedBytes += entry.size;
        }
    }
    std::sort(report.items.begin(), report.items.end(), [](const WasteItem &a, const WasteItem &b) {
        if (a.bytes != b.bytes)
            return a.bytes > b.bytes;
        if (a.path != b.path)
            return a.path < b.path;
        return a.layer < b.layer;
    });
    for (const LayerStats &s : stack.stats) {
        report.totalBytes += s.bytes;
        report.duplicatedBytes += s.duplicatedBytes;
        report.copiedUpBytes += s.copiedUpBytes;
    }
    report.efficiency = report.totalBytes == 0 ? 1.0 : 1.0 - double(report.wastedBytes) / double(report.totalBytes);
    return report;
}

} // namespace strata
