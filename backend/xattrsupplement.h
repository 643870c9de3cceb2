// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata {

// Xattrs of a directory layer that its reader cannot list itself, read for it by someone who can:
// strata-helper, as root, sends the trusted.overlay.* xattrs (opaque, redirect, metacopy, origin…)
// of root-only storage with the layer fds (`open-storage`). The scanner takes them for an entry as
// if it had listed them (LayerScanner, readXattrs). Immutable once attached to a LayerHandle.
struct XattrSupplement {
    using Xattrs = std::vector<std::pair<std::string, std::string>>; // full name ("trusted.overlay.opaque"), value
    std::unordered_map<std::string, Xattrs> entries; // "/"-rooted path in the layer ("/" the layer root) → its xattrs
    QString problem; // non-empty: the supplement is incomplete (a cap was hit), and why
};

} // namespace strata
