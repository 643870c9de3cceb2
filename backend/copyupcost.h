// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace strata {

struct OverlayStack;

// What copy-up costs in a stack's upper dir: files the upper holds whole although a lower layer
// had them (the kernel copied the data up before the first write, or on chmod/chown without
// metacopy), and metacopy files that hold only metadata. A file's copied bytes are its size in
// the upper: however little was changed, the whole file was copied.
struct CopyUpCost {
    uint64_t copiedBytes = 0;
    uint64_t copiedFiles = 0;
    uint64_t metacopyFiles = 0; // metadata only: their data is still read from below
};

// Zero for a stack without an upper dir.
CopyUpCost copyUpCost(const OverlayStack &stack);

} // namespace strata
