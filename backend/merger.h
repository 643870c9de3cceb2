// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "layerindex.h"
#include "mergedtree.h"
#include "overlayconfig.h"

#include <cstdint>
#include <vector>

namespace strata {

// Computes the merged view from scanned layers with the kernel's lookup and readdir rules
// (fs/overlayfs/namei.c ovl_lookup, readdir.c): topmost wins, non-directories and whiteouts stop
// the lookup, opaque directories stop it below them, redirects are followed when the options say
// so, metacopy entries take their data from below, data-only layers serve only absolute redirects.
class Merger
{
public:
    // layers[i] belongs to config.layers[i] (bottom → top).
    // `index` (index=on) maps lower hardlinks to the upper inode they were copied up to.
    // With `layerCount` below layers.size(), only the bottom layerCount layers take part, all as
    // lowers: the merged view as it stood after layer layerCount - 1 (no index aliases then).
    static MergedTree merge(const OverlayConfig &config, const std::vector<LayerIndex> &layers, const class HardlinkIndex *index = nullptr,
                            size_t layerCount = SIZE_MAX);
};

} // namespace strata
