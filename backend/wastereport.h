// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata
{

// Why a layer's bytes are wasted: the merged view never reads them.
enum class WasteReason : uint8_t {
    Overwritten, // a different version of the path in a layer above replaces it
    Deleted, // a whiteout above (at the path or at a parent directory) hides it
    OpaqueDir, // an opaque directory above hides the directory it lives in
    CopiedUp, // a layer above holds a full copy with identical contents: copied up by a metadata change (chmod/chown)
    Unreachable, // the kernel's lookup does not reach it otherwise (a renamed directory, a refused redirect)
};
std::string_view wasteReasonName(WasteReason reason); // "overwritten", "deleted", "opaque-dir", "copied-up", "unreachable"

struct WasteItem {
    std::string path; // the hidden version's path ("/"-rooted, raw bytes)
    uint64_t bytes = 0;
    WasteReason why = WasteReason::Unreachable;
    uint16_t layer = 0; // where the wasted bytes are stored
    int byLayer = -1; // the layer whose entry hides them (-1: none to name)
};

// What wastes space in a stack: every regular file with data that the merged view cannot reach,
// largest first (then by path and layer), with why; plus the image-wide totals. Needs a Full load.
struct WasteReport {
    std::vector<WasteItem> items;
    uint64_t totalBytes = 0; // data bytes of all layers (regular files; metacopy entries hold none)
    uint64_t wastedBytes = 0; // the items' bytes: what upper layers hide (dive's "wasted", LayerStats::wastedBytes summed)
    uint64_t duplicatedBytes = 0; // LayerStats::duplicatedBytes summed: bytes that replace a file below
    uint64_t copiedUpBytes = 0; // of those, the full copies with identical contents
    // Image-wide efficiency, as dive computes it in spirit: 1 − wasted ÷ total data bytes (1 for a
    // stack without data). 1 means every stored byte is visible in the merged view.
    double efficiency = 1.0;
};

WasteReport wasteReport(const OverlayStack &stack);

} // namespace strata
