// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>

namespace strata {

// Turns what users copy from their terminal into overlay mount options:
//  - a bare option string:   lowerdir=a:b,upperdir=u,workdir=w
//  - a line of `mount`:      overlay on /m type overlay (rw,relatime,lowerdir=…,upperdir=…,workdir=…)
//  - `findmnt` output:       /m overlay overlay rw,relatime,lowerdir=…   (any line holding lowerdir=)
//  - /proc/self/mountinfo:   … - overlay overlay rw,lowerdir=…
//  - `docker inspect`'s GraphDriver data: "LowerDir": "…", "UpperDir": "…", "WorkDir": "…"
// Returns the option string (no "overlay:" prefix).
Expected<QString> optionsFromPastedText(const QString &text);

} // namespace strata
