// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>

namespace strata {

// The walkthrough's stack: lower image1 (a.txt), lower image2 (b.txt, c.txt), an upper dir with a
// modified b.txt and the 0/0 whiteout of a.txt. Made fresh under `parentDir`; returns the SOURCE
// string ("overlay:lowerdir=…,upperdir=…,workdir=…"). Needs CAP_MKNOD for the whiteout.
Expected<QString> createDemoStack(const QString &parentDir);

} // namespace strata
