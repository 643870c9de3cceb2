// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace strata {

// A short name that tells a layer directory apart from its neighbours, for column headers.
// Storage layouts end every layer in the same leaf (Docker and containers-storage "diff",
// containerd "fs"): those are named by their parent, the layer's id. Long hexadecimal ids are
// shortened to 12 digits as `docker ps` does ("-init" and other suffixes kept). Docker's short
// links (overlay2/l/ABC… → ../<cache-id>/diff) are followed to the cache-id they stand for.
// Reads at most one symlink; the full path belongs in a tooltip.
QString layerDisplayName(const QString &path);

} // namespace strata
