// SPDX-License-Identifier: GPL-3.0-or-later
#include "provenance.h"

#include "overlayrules.h"
#include "overlaystack.h"

#include <cerrno>

namespace strata {

ChangeClassification classifyChange(const LayerIndex &layer, EntryId id, const LayerIndex *belowLayer, EntryId belowId, bool isUpperLayer)
{
    const Entry &e = layer.entries[id];
    const Entry *b = belowLayer ? &belowLayer->entries[belowId] : nullptr;
    if (rules::isWhiteout(e))
        return b ? ChangeClassification{ChangeKind::Deleted, ChangeReason::HidesBelow} : ChangeClassification{ChangeKind::OrphanWhiteout, ChangeReason::NothingBelow};
    if (rules::isRedirectedDir(e))
        return {ChangeKind::Redirected, ChangeReason::RedirectedDir};
    if (!b)
        return {ChangeKind::Added, ChangeReason::NothingBelow};
    if (e.type != b->type)
        return {ChangeKind::ReplacedType, ChangeReason::TypeDiffers};
    if (e.has(FlagUnresolved) || b->has(FlagUnresolved))
        return {ChangeKind::Unchanged, ChangeReason::MetadataNotRead};
    if (e.type == EntryType::Dir) {
        if (rules::isOpaqueDir(e))
            return {ChangeKind::Opaque, ChangeReason::OpaqueDir};
    } else if (rules::isMetacopy(e)) {
        return {ChangeKind::MetadataOnly, ChangeReason::Metacopy};
    } else {
        switch (e.type) {
        case EntryType::File:
            if (e.size != b->size || e.mtimeNs != b->mtimeNs)
                return {ChangeKind::Modified, ChangeReason::ContentDiffers};
            break;
        case EntryType::Symlink:
            if (layer.extra(id).symlinkTarget != belowLayer->extra(belowId).symlinkTarget)
                return {ChangeKind::Modified, ChangeReason::TargetDiffers};
            break;
        case EntryType::Char:
        case EntryType::Block:
            if (layer.extra(id).rdev != belowLayer->extra(belowId).rdev)
                return {ChangeKind::Modified, ChangeReason::DeviceDiffers};
            break;
        default:
            break;
        }
    }
    if (e.permissions() != b->permissions())
        return {ChangeKind::MetadataOnly, ChangeReason::ModeDiffers};
    if (e.uid != b->uid || e.gid != b->gid)
        return {ChangeKind::MetadataOnly, ChangeReason::OwnerDiffers};
    if (isUpperLayer && e.has(FlagOrigin))
        return {ChangeKind::CopiedUp, ChangeReason::OriginOnly};
    return {};
}

int Provenance::hiddenCount() const
{
    int hidden = 0;
    for (const Version &v : versions)
        hidden += v.role == VersionRole::Hidden;
    return hidden;
}

namespace {
// The merged version, else the topmost present one (`topPresent`).
LayerRef topmostOf(LayerRef meta, LayerRef topPresent)
{
    return meta.valid() ? meta : topPresent;
}
} // namespace

LayerRef Provenance::topmost() const
{
    return topmostOf(meta, versions.empty() ? LayerRef{} : versions.front().ref);
}

LayerRef topmostVersion(const OverlayStack &stack, UnionId node)
{
    const UnionTree &tree = stack.unionTree;
    if (node >= tree.nodes.size())
        return {};
    const MergedId m = tree.nodes[node].merged;
    LayerRef topPresent;
    for (size_t l = tree.layerCount(); l-- > 0 && !topPresent.valid();) {
        if (tree.cell(node, l) != noEntry)
            topPresent = {uint16_t(l), tree.cell(node, l)};
    }
    return topmostOf(m != noMerged ? stack.merged.nodes[m].meta : LayerRef{}, topPresent);
}

bool isChange(ChangeKind kind)
{
    return kind != ChangeKind::Absent && kind != ChangeKind::Unchanged;
}

bool changedAboveBase(const OverlayStack &stack, UnionId node)
{
    const UnionTree &tree = stack.unionTree;
    if (node >= tree.nodes.size())
        return false;
    for (size_t l = size_t(stack.config.firstRegularLayer()) + 1; l < tree.layerCount(); ++l) {
        if (isChange(tree.kind(node, l)))
            return true;
    }
    return false;
}

LayerRef Provenance::readable() const
{
    if (inMergedView() && lookupErrno == 0 && data.valid())
        return data;
    for (const Version &v : versions) {
        if (v.role != VersionRole::Whiteout && !(v.role == VersionRole::Phantom))
            return v.ref;
    }
    return {};
}

const Version *Provenance::version(uint16_t layer) const
{
    for (const Version &v : versions) {
        if (v.ref.layer == layer)
            return &v;
    }
    return nullptr;
}

Provenance provenanceOf(const OverlayStack &stack, UnionId node)
{
    Provenance p;
    const UnionTree &tree = stack.unionTree;
    if (node >= tree.nodes.size())
        return p;
    p.node = node;
    p.merged = tree.nodes[node].merged;
    const MergedNode *m = p.merged != noMerged ? &stack.merged.nodes[p.merged] : nullptr;
    if (m) {
        p.meta = m->meta;
        p.data = m->data;
        p.mergedChange = m->change;
        p.lookupErrno = m->lookupErrno;
    }
    const size_t L = tree.layerCount();
    for (size_t l = L; l-- > 0;) {
        const EntryId e = tree.cell(node, l);
        if (e == noEntry)
            continue;
        Version v;
        v.ref = {uint16_t(l), e};
        v.covers = tree.below(stack.layers, node, l);
        v.change = node == 0 ? ChangeClassification{} : ChangeClassification{tree.kind(node, l), ChangeReason::None};
        if (node != 0) {
            const LayerIndex *belowLayer = v.covers.valid() ? &stack.layers[v.covers.layer] : nullptr;
            v.change = classifyChange(stack.layers[l], e, belowLayer, v.covers.entry, l + 1 == L);
            v.change.kind = tree.kind(node, l); // computeKinds' verdict (phantoms included)
        }
        // The nearest version above whose lookup reaches this one covers it.
        for (const Version &above : p.versions) {
            if (tree.reach(node, above.ref.layer) <= l) {
                v.hiddenBy = above.ref;
                break;
            }
        }
        if (m && m->lookupErrno == ENOENT && v.ref == m->name)
            v.role = VersionRole::Phantom;
        else if (m && v.ref == m->meta)
            v.role = VersionRole::Provides;
        else if (m && v.ref == m->data)
            v.role = VersionRole::ProvidesData;
        else if (rules::isWhiteout(stack.entry(v.ref)))
            v.role = VersionRole::Whiteout;
        else if (v.hiddenBy.valid())
            v.role = VersionRole::Hidden;
        else
            v.role = VersionRole::Unreachable;
        p.versions.push_back(v);
    }
    return p;
}

} // namespace strata
