// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "changekind.h"
#include "mergedtree.h"
#include "uniontree.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace strata {

struct OverlayStack;

// Why a version of a path is, or is not, what the merged view shows.
enum class VersionRole : uint8_t {
    Provides, // the merged view shows this version (its metadata; its data too unless metacopy)
    ProvidesData, // a metacopy version above takes its bytes from this one
    MergedBelow, // a lower directory merged into the merged directory: its entries show through
    Hidden, // the lookup reaches it, but a version above covers it (hiddenBy says which)
    Whiteout, // a whiteout: it hides what is below and shows nothing itself
    Unreachable, // an opaque directory, whiteout or non-directory higher up the path cuts it off
    Phantom, // listed by readdir of a directory read from one layer, but the lookup fails
};

// What one layer does at a path, and why (ChangeReason says what differs from `covers`).
enum class ChangeReason : uint8_t {
    None, // unchanged
    NothingBelow, // added, or a whiteout with nothing to hide
    HidesBelow, // a whiteout hiding `covers`
    TypeDiffers,
    ContentDiffers, // size or modification time of a regular file
    TargetDiffers, // symlink target
    DeviceDiffers, // device number
    Metacopy, // a metacopy entry: metadata copied up, data still below
    ModeDiffers,
    OwnerDiffers,
    OpaqueDir, // opaque directory: hides the directories below
    RedirectedDir, // renamed directory: its lower content lives at another path
    OriginOnly, // an upper copy (origin xattr) that differs in nothing else
    MetadataNotRead, // MergedView load: metadata not compared
};

struct ChangeClassification {
    ChangeKind kind = ChangeKind::Unchanged;
    ChangeReason reason = ChangeReason::None;
};

// What `entry` (in a layer, upper when `isUpperLayer`) does to `below`, the version that shows
// through from under it at the same path (nullptr: none). The one place change kinds are decided.
ChangeClassification classifyChange(const LayerIndex &layer, EntryId entry, const LayerIndex *belowLayer, EntryId below, bool isUpperLayer);

std::string_view changeReasonName(ChangeReason reason); // "content-differs", ...

// One field in which two versions of a path differ. Numbers for mode/uid/gid/size/mtime (mode:
// permission bits with setuid/setgid/sticky; mtime in nanoseconds), text for the symlink target.
// Views format and translate these; the backend only says what differs.
enum class MetadataField : uint8_t { Mode, Uid, Gid, Size, Mtime, SymlinkTarget };
struct MetadataDifference {
    MetadataField field;
    int64_t from = 0;
    int64_t to = 0;
    std::string fromText; // SymlinkTarget only
    std::string toText;
};
// What differs between `from` (e.g. the hidden version) and `to` (the version above it), in the
// order of MetadataField. Types are not compared (a type change is no metadata difference).
std::vector<MetadataDifference> metadataDifferences(const LayerIndex &fromLayer, EntryId from, const LayerIndex &toLayer, EntryId to);
std::string_view metadataFieldName(MetadataField field); // "mode", "uid", ...
std::string_view versionRoleName(VersionRole role); // "provides", "hidden", ...

struct Version {
    LayerRef ref;
    VersionRole role = VersionRole::Hidden;
    ChangeClassification change; // relative to `covers`
    LayerRef covers; // the version below that this one is compared with (invalid: none)
    LayerRef hiddenBy; // Hidden: the version above that covers this one
};

// Everything the backend knows about one path of the union: its versions top to bottom, which one
// the merged view shows and where its data comes from. Models, delegates, the details pane and the
// CLI read this; none of them decides overlay semantics on its own.
struct Provenance {
    UnionId node = noUnion;
    MergedId merged = noMerged;
    std::vector<Version> versions; // topmost layer first
    LayerRef meta; // what the merged view shows (metadata), invalid when not in the merged view
    LayerRef data; // where a read of the merged path gets its bytes
    ChangeKind mergedChange = ChangeKind::Absent;
    int lookupErrno = 0; // merged view lists it but the lookup fails (ENOENT: phantom, EPERM, EIO)

    bool inMergedView() const { return merged != noMerged; }
    // Versions the merged view hides (covered from above; whiteouts not counted).
    int hiddenCount() const;
    // The version a user means by "this path": the merged one, else the topmost present version.
    LayerRef topmost() const;
    // What reading the path returns: the merged data when the lookup succeeds, else the topmost
    // version that is not a whiteout (so hidden paths can still be inspected).
    LayerRef readable() const;
    const Version *version(uint16_t layer) const;
};

Provenance provenanceOf(const OverlayStack &stack, UnionId node);
// The classification of one cell (what layer `layer` does at `node`), without the whole provenance.
ChangeClassification classifyCell(const OverlayStack &stack, UnionId node, size_t layer);

// Provenance::topmost() without building the versions: cheap enough for a pass over every node
// (filters). The one definition of "the version a user means by this path".
LayerRef topmostVersion(const OverlayStack &stack, UnionId node);

// A layer's cell is a change when the layer has an entry there that differs from what shows
// through from below.
bool isChange(ChangeKind kind);
// Some layer above the base changes the path. The base (the lowest regular lower layer) and the
// data-only layers under it only set the scene: everything in them is "added", none of it a change.
// `layerCount` limits it to the bottom layers (the stack as of a layer).
bool changedAboveBase(const OverlayStack &stack, UnionId node, size_t layerCount = SIZE_MAX);

} // namespace strata
