// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layercache.h"
#include "overlayconfig.h"
#include "source.h"

#include <QString>

#include <memory>

class QTemporaryDir;

namespace strata {

// What to mount for a SOURCE: the `overlay:` SOURCE strata-helper's `mount` takes (absolute paths)
// and where the writes go. Shared by `strata-cli mount|verify|run|session` and the window's live
// session, so both mount the same stack for the same SOURCE.
struct MountPlan {
    QString source; // overlay:OPTIONS with absolute paths
    QString upper; // the writable upper dir ("" when mounted read-only)
    QString work;
    // The source's own upper dir, when it had one and writes go to a fresh upper instead: it is
    // then mounted as the topmost lower, read-only (a container's real upper is never written).
    QString sourceUpper;
    std::shared_ptr<QTemporaryDir> scratch; // owns a fresh upper/work, removed with the plan
    SourceKind kind = SourceKind::Overlay; // what SOURCE was
    // The options SOURCE spelled out itself (overlay: only), before the kernel's defaults fill the
    // rest in: what the request asks for (helperModeFor), as opposed to what `source` lists.
    QStringList askedOptions;
};

// "a=1,b\,c=2" → {"a=1", "b\,c=2"}: split at the commas that are not escaped.
QStringList splitOverlayOptions(const QString &options);

// An image source's (oci:, docker-archive:) tar layers extracted into the layer cache
// (layercache.h) and stacked as lowers of an overlay with `userxattr`, bottom → top as the image's.
Expected<OverlayConfig> materializedConfig(const Source &source, const QString &cacheDir = layerCacheDir());

enum class UpperChoice : uint8_t {
    AsSource, // the source's own upper (if any) stays the upper: mount/verify of a stack as given
    Fresh, // a new empty upper (in a temporary directory, or `upperDir`), the source's upper as a lower
};

// `upperDir` non-empty: the writes go there (created if missing; its work dir is `upperDir`.work),
// whatever `choice` says. Relative paths in SOURCE are taken from `baseDir`.
Expected<MountPlan> planMount(const QString &source, const QString &baseDir, UpperChoice choice, const QString &upperDir = {});

// The plan with mount options set over the source's own (redirect_dir=, metacopy=, index=,
// userxattr, xino=, volatile), the kernel's implications applied as mount(2) would: metacopy=on
// brings redirect_dir=on unless redirect_dir is among `options` too; userxattr rules out
// redirect_dir other than nofollow and metacopy. A combination the kernel refuses is an error
// saying which.
Expected<MountPlan> withOptions(MountPlan plan, const QStringList &options);

// The plan as a rootless helper must mount it: withOptions(plan, {"userxattr"}), the overlay
// xattrs then user.overlay.*. A no-op when the source already says userxattr.
Expected<MountPlan> forUserxattr(MountPlan plan);

} // namespace strata
