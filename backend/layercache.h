// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerhandle.h"

#include <QString>

namespace strata {

// Image layers (tar blobs) materialised once as directories the kernel can mount:
// $XDG_CACHE_HOME/strata/layers-v2/sha256-HEX/ (HEX: the diff_id, else the blob digest). A layer is
// extracted into a temporary directory beside it and renamed into place only when complete and its
// digest checked, so an entry that exists is whole; a second mount reuses it.
//
// Extraction is hostile-input safe: it follows TarLayer::index (names cleaned as Docker does, ".."
// out of the layer refused, hardlinks only to files of the same layer), then creates every entry
// through openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) from the entry's
// root, O_EXCL|O_NOFOLLOW, so nothing is written outside it. OCI whiteouts become 0/0 character
// devices (which unprivileged users may create), `.wh..wh..opq` the `user.overlay.opaque` xattr:
// cached layers are mounted with `userxattr`, by root and rootless alike. Device nodes, fifos and
// sockets are skipped (logged). Owners are kept only when extracting as root; for anyone else
// setuid/setgid bits are dropped. A regular file's tar xattrs are restored after its owner (a
// chown would drop file capabilities): `user.*` always, `security.capability` as root; overlay marks
// (`*.overlay.*`, which a userxattr mount would obey although an image layer's rules are its
// whiteout files) and other namespaces are not. Output is bounded by the DecompressionLimits of
// TarStream.
struct CachedLayer {
    QString path; // the layer's directory
    bool reused = false; // already cached
    size_t skipped = 0; // device nodes, fifos, sockets not created
    size_t xattrsSkipped = 0; // file xattrs not restored (namespace, privilege, or refused by the filesystem)
};

// $XDG_CACHE_HOME/strata/layers-v2 (~/.cache/strata/layers-v2 without it).
QString layerCacheDir();
// `layer` must be a Kind::Tar handle with a diff_id or digest.
Expected<CachedLayer> materializeLayer(const LayerHandle &layer, const QString &cacheDir = layerCacheDir());

} // namespace strata
