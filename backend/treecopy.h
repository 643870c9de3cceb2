// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>

#include <optional>

namespace strata {

// A faithful copy of an upper dir, for the playground's Reset: regular files byte for byte,
// directories, symlinks, whiteouts (0/0 character devices), hardlinks within the tree kept as
// links, and per entry its mode, times, every xattr the caller may read and set (trusted.overlay.*
// as root, user.overlay.* otherwise) and, as root, its owner. Other device nodes, fifos and
// sockets are refused (an upper dir the kernel wrote holds none). `to` must not exist yet.
std::optional<Error> copyTree(const QString &from, const QString &to);

// Removes everything below `dir` (not `dir` itself), making directories writable first: the
// kernel leaves workdir/work mode 000. Does not follow symlinks or cross mount points.
std::optional<Error> removeTreeContents(const QString &dir);

} // namespace strata
