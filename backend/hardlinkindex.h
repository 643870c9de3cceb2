// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "layerindex.h"
#include "mergedtree.h"
#include "overlayconfig.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

// The index feature (index=on): when a lower hardlink is copied up, the kernel records the upper
// inode in workdir/index under the hex of the lower inode's file handle, and every other name of
// that lower inode then resolves to the copied-up inode. This maps a lower entry's file handle to
// the upper entry that the kernel's index points at.
class HardlinkIndex
{
public:
    // Whether the stack can have index aliases: index=on, an upper layer and a non-empty
    // workdir/index. Decided before scanning, so the scan records the lower file handles.
    static bool mayApply(const OverlayConfig &config);
    // Reads workdir/index and the upper layer's origin xattrs; empty when index is off. Index
    // entries that no upper name leads to are added to the upper layer as FlagDetached entries.
    static HardlinkIndex load(const OverlayConfig &config, std::vector<LayerIndex> &layers, const struct ScanOptions &upperOptions);
    bool empty() const { return m_byHandle.empty(); }
    // The upper entry that a lower non-directory resolves to, or an invalid ref. Pure: it compares
    // the file handle the scan recorded (ScanOptions::hardlinkHandles) with the upper's origins.
    LayerRef aliasOf(const std::vector<LayerIndex> &layers, LayerRef lower) const;

private:
    std::unordered_map<std::string, EntryId> m_byHandle; // handle type (4 bytes) + fid bytes → upper entry
    uint16_t m_upperLayer = 0;
};

} // namespace strata
