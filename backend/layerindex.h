// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entrytype.h"
#include "error.h"
#include "layerhandle.h"

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

using EntryId = uint32_t;
constexpr EntryId noEntry = UINT32_MAX;
constexpr uint64_t noContentOffset = UINT64_MAX;

// Overlay xattrs (in the stack's namespace) that decide or explain the merged view.
enum EntryFlag : uint16_t {
    FlagWhiteout = 1 << 0, // 0/0 character device
    FlagXattrWhiteout = 1 << 1, // zero-size file with overlay.whiteout
    FlagOpaque = 1 << 2, // directory with overlay.opaque=y
    FlagOpaqueX = 1 << 3, // directory with overlay.opaque=x: holds xattr whiteouts, not opaque
    FlagRedirect = 1 << 4, // overlay.redirect (target in EntryExtra)
    FlagMetacopy = 1 << 5, // overlay.metacopy: metadata only, data below
    FlagOrigin = 1 << 6, // overlay.origin: copied up from a lower entry
    FlagImpure = 1 << 7, // overlay.impure
    FlagXattrsRead = 1 << 8, // the xattrs of this entry were read (else: not needed for the merge)
    FlagError = 1 << 9, // something could not be read (message in EntryExtra)
    FlagOtherXattrs = 1 << 10, // has xattrs besides the overlay ones (names in EntryExtra)
    FlagWhiteoutsMarker = 1 << 11, // directory with overlay.whiteouts (older xattr-whiteout marker)
    FlagUnresolved = 1 << 12, // not stat'ed yet: only name and type (from getdents) are known
    FlagDetached = 1 << 13, // an inode only workdir/index holds (index=on): in no directory, read via indexDir
};

// Rarely needed fields, kept out of the hot Entry record.
struct EntryExtra {
    std::string symlinkTarget;
    std::string redirect;
    std::string origin; // raw overlay.origin value (an ovl_fb file handle), read for the upper layer
    std::string fileHandle; // handle type (4 bytes) + f_handle of a hardlinked lower file (index=on)
    std::string error;
    std::vector<std::string> otherXattrs;
    uint64_t rdev = 0;
};

// One entry of a layer directory. Children of a directory are stored contiguously, sorted by name
// bytes, so lookups are binary searches and the record stays small (no per-node containers).
struct Entry {
    uint32_t parent = noEntry;
    uint32_t firstChild = 0;
    uint32_t childCount = 0;
    uint32_t nameOffset = 0;
    uint32_t extra = 0; // index into extras; 0 = none
    uint16_t nameLength = 0;
    uint16_t flags = 0;
    uint16_t mode = 0; // st_mode, type bits included (S_IFMT | 07777 fits in 16 bits)
    EntryType type = EntryType::Unknown;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t nlink = 0;
    uint64_t size = 0;
    int64_t mtimeNs = 0;

    bool has(EntryFlag flag) const { return flags & flag; }
    uint32_t permissions() const { return mode & 07777; }
};
// A million entries per layer is common; each byte here is a megabyte there.
static_assert(sizeof(Entry) == 56);

// A scanned layer directory: entries in one arena, names in one byte pool. Entry 0 is the root.
class LayerIndex
{
public:
    QString path; // where the layer comes from (the handle's origin), for messages and the UI
    LayerHandle handle; // the opened layer: resolving and reading content start from it
    // Upper layer with index=on: workdir/index, home of FlagDetached entries (parent noEntry, after
    // every tree entry): copied-up hardlinks whose upper names are all gone but whose lower aliases
    // still resolve to them.
    LayerHandle indexDir;
    std::vector<Entry> entries;
    std::string names;
    std::vector<EntryExtra> extras{1}; // extras[0] is the empty record
    std::vector<Error> problems; // what could not be read, each naming the entry; the scan went on
    // Tar layers: per entry, where its bytes start in the uncompressed stream (the header position
    // of the member holding them; noContentOffset for none). Empty for directory layers.
    std::vector<uint64_t> contentOffsets;
    uint64_t scanNanoseconds = 0;
    // Tar layers: the uncompressed tar's size, when indexing read it to the end (0 otherwise).
    uint64_t tarBytes = 0;

    std::string_view name(EntryId id) const { return {names.data() + entries[id].nameOffset, entries[id].nameLength}; }
    const EntryExtra &extra(EntryId id) const { return extras[entries[id].extra]; }
    EntryId child(EntryId dir, std::string_view name) const;
    // Layer-relative path, "/" rooted, as raw bytes.
    std::string pathOf(EntryId id) const;
    // Walks "/a/b" (or "a/b") from the root; noEntry when a component is missing or not a directory.
    EntryId find(std::string_view path) const;
    size_t memoryBytes() const;
};

} // namespace strata
