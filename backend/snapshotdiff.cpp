// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshotdiff.h"

namespace strata {

SnapshotNodeMapper::SnapshotNodeMapper(const OverlayStack &from, const OverlayStack &to)
    : m_from(from)
    , m_to(to)
{
    m_map.emplace(0, 0);
}

UnionId SnapshotNodeMapper::map(UnionId node)
{
    if (node >= m_from.unionTree.nodes.size())
        return noUnion;
    // Up to the nearest ancestor already mapped (the root is), then down by name: no recursion,
    // trees may be thousands of levels deep.
    m_chain.clear();
    auto it = m_map.find(node);
    for (; it == m_map.end(); it = m_map.find(node)) {
        m_chain.push_back(node);
        node = m_from.unionTree.nodes[node].parent;
    }
    UnionId mapped = it->second;
    for (auto c = m_chain.rbegin(); c != m_chain.rend(); ++c) {
        if (mapped != noUnion)
            mapped = m_to.unionChild(mapped, m_from.name(m_from.unionTree.nodes[*c].name));
        m_map.emplace(*c, mapped);
    }
    return mapped;
}

bool sameShape(const OverlayStack &a, const OverlayStack &b)
{
    const auto &x = a.unionTree.nodes, &y = b.unionTree.nodes;
    if (x.size() != y.size())
        return false;
    for (UnionId n = 0; n < x.size(); ++n) {
        if (x[n].parent != y[n].parent || x[n].firstChild != y[n].firstChild || x[n].childCount != y[n].childCount)
            return false;
        if (n != 0 && a.name(x[n].name) != b.name(y[n].name))
            return false;
    }
    return true;
}

namespace {

bool sameEntry(const OverlayStack &a, LayerRef ra, const OverlayStack &b, LayerRef rb)
{
    if (ra.valid() != rb.valid() || ra.layer != rb.layer)
        return false;
    if (!ra.valid())
        return true;
    const Entry &x = a.entry(ra), &y = b.entry(rb);
    if (x.type != y.type || x.mode != y.mode || x.uid != y.uid || x.gid != y.gid || x.nlink != y.nlink || x.size != y.size || x.mtimeNs != y.mtimeNs
        || x.flags != y.flags)
        return false;
    const EntryExtra &ex = a.layers[ra.layer].extra(ra.entry), &ey = b.layers[rb.layer].extra(rb.entry);
    return ex.symlinkTarget == ey.symlinkTarget && ex.redirect == ey.redirect && ex.rdev == ey.rdev && ex.error == ey.error;
}

} // namespace

bool sameRow(const OverlayStack &a, const OverlayStack &b, UnionId n)
{
    const UnionTree &x = a.unionTree, &y = b.unionTree;
    for (size_t l = 0; l < x.layerCount(); ++l) {
        const EntryId ea = x.cell(n, l), eb = y.cell(n, l);
        if ((ea == noEntry) != (eb == noEntry) || x.kind(n, l) != y.kind(n, l))
            return false;
        if (ea != noEntry && !sameEntry(a, {uint16_t(l), ea}, b, {uint16_t(l), eb}))
            return false;
        // A directory's total changes with any file below it: the row shows it.
        const bool aSized = l < a.sizes.layers.size(), bSized = l < b.sizes.layers.size();
        if (ea != noEntry && (aSized != bSized || (aSized && a.sizes.layerTotal(l, ea) != b.sizes.layerTotal(l, eb))))
            return false;
    }
    const MergedId ma = x.nodes[n].merged, mb = y.nodes[n].merged;
    if ((ma == noMerged) != (mb == noMerged))
        return false;
    if (ma == noMerged)
        return true;
    const MergedNode &p = a.merged.nodes[ma], &q = b.merged.nodes[mb];
    const auto total = [](const OverlayStack &s, MergedId m) { return m < s.sizes.merged.size() ? s.sizes.merged[m] : UINT64_MAX; };
    return p.change == q.change && p.lookupErrno == q.lookupErrno && p.data.layer == q.data.layer && sameEntry(a, p.meta, b, q.meta)
        && total(a, ma) == total(b, mb);
}

} // namespace strata
