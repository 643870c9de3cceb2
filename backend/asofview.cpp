// SPDX-License-Identifier: GPL-3.0-or-later
#include "asofview.h"

#include "layerscanner.h"
#include "merger.h"
#include "overlaystack.h"
#include "subtreesize.h"

#include <algorithm>
#include <optional>

namespace strata {

namespace {

// A layer the kernel wrote as an upper dir (copy-ups leave origin/impure marks) may hold metacopy
// files; a plain or image layer cannot. Only those need the xattrs of files the full merged view
// did not reach.
bool mayHoldMetacopy(const LayerIndex &layer)
{
    return std::any_of(layer.entries.begin(), layer.entries.end(),
                       [](const Entry &e) { return e.flags & (FlagMetacopy | FlagOrigin | FlagImpure | FlagRedirect); });
}

// The regular files `merged` reaches in such layers whose xattrs (metacopy, redirect) are unread.
std::vector<std::vector<EntryId>> unreadReachedFiles(const std::vector<LayerIndex> &layers, const std::vector<bool> &suspect, const MergedTree &merged)
{
    std::vector<std::vector<EntryId>> unread(layers.size());
    for (const MergedNode &node : merged.nodes) {
        for (LayerRef ref : {node.meta, node.data, node.name}) {
            if (!ref.valid() || !suspect[ref.layer])
                continue;
            const Entry &e = layers[ref.layer].entries[ref.entry];
            if (e.type == EntryType::File && !e.has(FlagXattrsRead))
                unread[ref.layer].push_back(ref.entry);
        }
    }
    return unread;
}

} // namespace

Expected<AsOfView> AsOfView::compute(const OverlayStack &stack, size_t layer, const std::atomic<bool> *cancel)
{
    if (layer >= stack.layers.size())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("no layer %1 in this stack").arg(layer));
    if (int(layer) < stack.config.firstRegularLayer())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("%1 is a data-only layer: it has no tree of its own").arg(stack.layerLabel(layer)));
    AsOfView view;
    view.layer = layer;
    // The whole stack is the merged view itself (with the upper's index=on aliases, which only a
    // mount with that upper applies).
    if (layer + 1 == stack.layers.size()) {
        view.merged = stack.merged;
    } else {
        // As the load does (OverlayStack::finishLoad): a lookup takes a file whose xattrs are unread
        // for plain data; when such files turn up in layers that may hold metacopy files, read them
        // (in a copy of the layers: the stack is shared and immutable) and merge again.
        std::vector<bool> suspect(stack.layers.size());
        for (size_t l = 0; l <= layer; ++l)
            suspect[l] = mayHoldMetacopy(stack.layers[l]);
        std::optional<std::vector<LayerIndex>> resolved;
        const std::vector<ScanOptions> options = stack.scanOptions(cancel);
        for (int round = 0;; ++round) {
            const std::vector<LayerIndex> &layers = resolved ? *resolved : stack.layers;
            view.merged = Merger::merge(stack.config, layers, nullptr, layer + 1);
            if (cancel && cancel->load())
                return cancelledError();
            std::vector<std::vector<EntryId>> unread = unreadReachedFiles(layers, suspect, view.merged);
            if (round == 16 || std::all_of(unread.begin(), unread.end(), [](const auto &ids) { return ids.empty(); }))
                break;
            if (!resolved)
                resolved = stack.layers;
            for (size_t l = 0; l < unread.size(); ++l) {
                if (!unread[l].empty())
                    LayerScanner::resolve((*resolved)[l], std::move(unread[l]), options[l], true);
            }
        }
    }

    // Every path of this view is some layer's entry, so it has a union row. Parents come before
    // their children in the merged arena: map each node through its parent's row.
    const UnionTree &tree = stack.unionTree;
    view.byUnion.assign(tree.nodes.size(), noMerged);
    std::vector<UnionId> rowOf(view.merged.nodes.size(), noUnion);
    if (!view.merged.nodes.empty()) {
        rowOf[0] = 0;
        view.byUnion[0] = 0;
    }
    for (MergedId id = 1; id < view.merged.nodes.size(); ++id) {
        MergedNode &node = view.merged.nodes[id];
        const UnionId parentRow = rowOf[node.parent];
        if (parentRow == noUnion)
            continue;
        const UnionId row = stack.unionChild(parentRow, stack.name(node.name));
        if (row == noUnion)
            continue;
        rowOf[id] = row;
        view.byUnion[row] = id;
        // The change kind as the whole stack's merged view decides it (UnionTree::computeKinds):
        // cells are compared with what lies below them, so layers above this one do not matter.
        if (node.lookupErrno == ENOENT)
            node.change = ChangeKind::Phantom;
        else if (tree.cell(row, node.meta.layer) == node.meta.entry)
            node.change = tree.kind(row, node.meta.layer);
        else
            node.change = ChangeKind::Added; // reached through a redirect: new at this path
    }
    view.sizes = SubtreeSizes::computeMerged(stack.layers, view.merged);
    return view;
}

} // namespace strata
