// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "mounter.h"
#include "uniquefd.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace strata::helper {

// `open-storage`: the layer dirs of a docker-storage: or containers-storage: image or container,
// opened by the helper itself (as root: the storage roots are root-only) and handed to the client
// as read-only directory fds over SCM_RIGHTS. The helper decides which dirs belong to the source:
// it parses the storage's metadata itself (storagefiles.h hardening), accepts only a storage root
// owned by root and writable by nobody else, and opens each layer dir with openat2(RESOLVE_BENEATH
// | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) from that root, O_RDONLY: nothing outside the
// root, nothing writable. Anything but those two source kinds is refused.
struct OpenedStorage {
    QJsonObject result; // source (overlay: options of the stack), kind, layers (label, createdBy), fds
    std::vector<UniqueFd> fds; // one per layer of the stack, bottom → top
};

Expected<OpenedStorage> openStorage(const QString &source, const Invoker &invoker);

} // namespace strata::helper
