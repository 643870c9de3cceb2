// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "source.h"

namespace strata {

// A resolved stack whose layers are directories on this machine (Docker's overlay2 storage,
// containers-storage, a live mount): the config says everything, each layer opens as a directory.
std::shared_ptr<const Source> directorySource(SourceKind kind, OverlayConfig config);

// docker-storage:, containers-storage: and mount: — `argument` is what follows the prefix.
Expected<std::shared_ptr<const Source>> openDirectoryBackedSource(SourceKind kind, const QString &argument, const QString &baseDir);

} // namespace strata
