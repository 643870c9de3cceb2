// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerhandle.h"
#include "layerindex.h"

#include <QString>

#include <atomic>
#include <vector>

namespace strata {

struct ScanOptions {
    // "trusted.overlay." or "user.overlay."
    std::string xattrPrefix = "trusted.overlay.";
    // Read the xattrs of every entry (for provenance: origin on copied-up files). Otherwise only
    // those that can change the merged view are read: directories and zero-block regular files.
    bool allXattrs = false;
    // Leave regular files, symlinks, fifos and sockets un-stat'ed (FlagUnresolved, type from
    // getdents) until resolve(): the merged view needs the metadata of only the entries it reaches.
    bool lazyFiles = false;
    // Record the file handle (name_to_handle_at) of hardlinked non-directories: with index=on the
    // kernel finds their copied-up inode through it, and the merge must not do I/O to ask.
    bool hardlinkHandles = false;
    // Checked once per directory; a set flag ends the scan with an error.
    const std::atomic<bool> *cancel = nullptr;
};

// Walks one layer directory with fd-relative syscalls (openat, getdents64, statx, readlinkat), so
// depth is bounded by open files, not by PATH_MAX or the stack. Problems inside the tree are recorded
// on the entry; only an unusable root is an error.
class LayerScanner
{
public:
    static Expected<LayerIndex> scan(const LayerHandle &layer, const ScanOptions &options);
    // Scans several layers at once, one task per layer (QtConcurrent).
    static std::vector<Expected<LayerIndex>> scanAll(const std::vector<LayerHandle> &layers, const std::vector<ScanOptions> &options);
    // Stats the given FlagUnresolved entries and, withXattrs, reads the xattrs of the given regular
    // files (others are skipped), walking to their directories with openat from the layer's handle.
    static size_t resolve(LayerIndex &index, std::vector<EntryId> ids, const ScanOptions &options, bool withXattrs);
    // Appends a FlagDetached entry for `name` in the directory `dirFd` (stat'ed, xattrs read): an
    // inode outside the layer's tree, such as an index=on entry in workdir/index.
    static EntryId addDetached(LayerIndex &index, int dirFd, std::string_view name, const ScanOptions &options);
};

} // namespace strata
