// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "reports.h"
#include "storagelisting.h"

namespace strata {

// `strata-cli images [STORAGE]`: STORAGE is "docker-storage:[ROOT]" or "containers-storage:[ROOT]";
// empty reads both default roots, leaving out the ones this machine does not have. Unreadable items
// go to `problems` and the rest is still listed.
Expected<bool> writeStoredImages(const QString &storage, const QString &baseDir, bool json, const LineSink &out, const LineSink &problems);

// `strata-cli mounts`: every overlay mount in /proc/self/mountinfo with its layer count and SOURCE.
Expected<bool> writeOverlayMounts(bool json, const LineSink &out);

} // namespace strata
