// SPDX-License-Identifier: GPL-3.0-or-later
#include "provenance.h"

#include "overlayrules.h"
#include "overlaystack.h"

#include <algorithm>
#include <array>
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
        return {ChangeKind::Metacopy, ChangeReason::Metacopy};
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

std::vector<MetadataDifference> metadataDifferences(const LayerIndex &fromLayer, EntryId from, const LayerIndex &toLayer, EntryId to)
{
    const Entry &a = fromLayer.entries[from];
    const Entry &b = toLayer.entries[to];
    std::vector<MetadataDifference> out;
    const auto number = [&out](MetadataField field, int64_t x, int64_t y) {
        if (x != y)
            out.push_back({field, x, y, {}, {}});
    };
    number(MetadataField::Mode, a.permissions(), b.permissions());
    number(MetadataField::Uid, a.uid, b.uid);
    number(MetadataField::Gid, a.gid, b.gid);
    if (a.type == EntryType::File && b.type == EntryType::File)
        number(MetadataField::Size, int64_t(a.size), int64_t(b.size));
    if (a.type != EntryType::Dir || b.type != EntryType::Dir) // a directory's mtime moves with every entry change
        number(MetadataField::Mtime, a.mtimeNs, b.mtimeNs);
    if (a.type == EntryType::Symlink && b.type == EntryType::Symlink) {
        const std::string &x = fromLayer.extra(from).symlinkTarget;
        const std::string &y = toLayer.extra(to).symlinkTarget;
        if (x != y)
            out.push_back({MetadataField::SymlinkTarget, 0, 0, x, y});
    }
    return out;
}

std::string_view metadataFieldName(MetadataField field)
{
    static constexpr std::array<std::string_view, 6> names = {"mode", "uid", "gid", "size", "mtime", "target"};
    return names[size_t(field)];
}

std::string_view changeReasonName(ChangeReason reason)
{
    static constexpr std::array<std::string_view, 14> names = {
        "none",         "nothing-below",  "hides-below",   "type-differs",   "content-differs", "target-differs",  "device-differs",
        "metacopy",     "mode-differs",   "owner-differs", "opaque-dir",     "redirected-dir",  "origin-only",     "metadata-not-read",
    };
    return names[size_t(reason)];
}

std::string_view versionRoleName(VersionRole role)
{
    static constexpr std::array<std::string_view, 7> names = {"provides", "provides-data", "merged-below", "hidden", "whiteout", "unreachable", "phantom"};
    return names[size_t(role)];
}

ChangeClassification classifyCell(const OverlayStack &stack, UnionId node, size_t layer)
{
    const UnionTree &tree = stack.unionTree;
    const EntryId e = tree.cell(node, layer);
    if (e == noEntry)
        return {ChangeKind::Absent, ChangeReason::None};
    if (node == 0)
        return {};
    const LayerRef covers = tree.below(stack.layers, node, layer);
    ChangeClassification c = classifyChange(stack.layers[layer], e, covers.valid() ? &stack.layers[covers.layer] : nullptr, covers.entry,
                                            layer + 1 == tree.layerCount());
    c.kind = tree.kind(node, layer); // computeKinds' verdict (phantoms included)
    return c;
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

bool changedAboveBase(const OverlayStack &stack, UnionId node, size_t layerCount)
{
    const UnionTree &tree = stack.unionTree;
    if (node >= tree.nodes.size())
        return false;
    for (size_t l = size_t(stack.config.firstRegularLayer()) + 1; l < std::min(layerCount, tree.layerCount()); ++l) {
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
        v.change = classifyCell(stack, node, l);
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
        else if (m && std::find(stack.merged.stacks.begin() + m->stackOffset, stack.merged.stacks.begin() + m->stackOffset + m->stackCount, v.ref)
                     != stack.merged.stacks.begin() + m->stackOffset + m->stackCount)
            v.role = VersionRole::MergedBelow;
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
