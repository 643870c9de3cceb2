// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "helperclient.h"
#include "source.h"

namespace strata {

// A stack whose layers are handles already opened (e.g. fds strata-helper passed): openLayer(i)
// hands out `layers[i]`, never looking a path up.
std::shared_ptr<const Source> sourceFromHandles(SourceKind kind, OverlayConfig config, std::vector<LayerHandle> layers);

// docker-storage: / containers-storage: through a running helper (`open-storage`): the helper
// resolves the image or container as root and passes its layer dirs as read-only fds.
Expected<std::shared_ptr<const Source>> openStorageThroughHelper(HelperClient &client, const QString &source, const QString &baseDir);

// openSource(), and when a storage source is refused for lack of rights (root-only
// /var/lib/docker, /var/lib/containers), through strata-helper: `mode` Auto picks it by
// helperModeFor (pkexec when installed, else the error says what is needed); Rootless never helps
// here. The helper is stopped again once the fds are here. What the CLI's ls/layers/... and the
// window's Open call.
Expected<std::shared_ptr<const Source>> openSourceForUser(const QString &source, const QString &baseDir, HelperClient::Options options = {});

} // namespace strata
