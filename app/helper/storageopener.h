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
// With the fds go the layers' trusted.overlay.* xattrs, which only root reads (opaque dirs,
// redirects, metacopy, origin…): the helper walks each layer from its fd (openat, same filesystem,
// bounded by entry count, depth, path length and value size) and sends what it found as `xattrs`
// events before the reply; a cap hit is said in the reply (`xattrsIncomplete`), never silent.
struct OpenedStorage {
    QJsonObject result; // source (overlay: options of the stack), kind, layers (label, createdBy, xattrEntries[, xattrsIncomplete]), fds
    std::vector<UniqueFd> fds; // one per layer of the stack, bottom → top
    std::vector<QJsonObject> xattrEvents; // the data of each `xattrs` event, each line under maxMessageBytes
};

// The limits of one layer's xattr walk (defaults for open-storage; tests pass smaller ones).
struct XattrWalkLimits {
    size_t maxEntries = 4'000'000; // entries visited per layer
    size_t maxDepth = 256; // directory levels below the layer root
    size_t maxPathBytes = 4096; // a path relative to the layer
    size_t maxValueBytes = 4096; // one xattr's value
    size_t maxEntryValueBytes = 16 * 1024; // all of one entry's values
    size_t maxXattrEntries = 200'000; // entries carrying xattrs, per layer
};

// The trusted.overlay.* xattrs of the layer open at `layerFd`, as `xattrs` event data for layer
// `layer` (entries: path and xattrs, base64), and in `*incomplete` why some may be missing.
std::vector<QJsonObject> collectOverlayXattrs(int layerFd, size_t layer, const XattrWalkLimits &limits, size_t *entryCount, QString *incomplete);

Expected<OpenedStorage> openStorage(const QString &source, const Invoker &invoker);

} // namespace strata::helper
