// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace strata {

enum class LayerRole : uint8_t { DataOnly, Lower, Upper };

struct LayerSpec {
    QString path; // absolute; for an image layer, its blob ("/img/blobs/sha256/…", "/img.tar:…/layer.tar")
    LayerRole role = LayerRole::Lower;
    // What the source calls the layer, for people: a short layer id, "init", a container's name;
    // empty for plain overlay options.
    QString label;
    // What the image's history says made the layer (created_by, e.g. "RUN apt-get install …").
    QString createdBy;
    // Image layers: the blob's digest.
    QString digest;
};

enum class RedirectMode : uint8_t { Off, NoFollow, Follow, On };

// The kernel's module-parameter defaults (/sys/module/overlay/parameters); the fallback matches a
// kernel built without CONFIG_OVERLAY_FS_REDIRECT_DIR / _INDEX / _METACOPY.
struct OverlayDefaults {
    bool redirectDir = false;
    bool redirectAlwaysFollow = true;
    bool index = false;
    bool metacopy = false;
    static OverlayDefaults fromRunningKernel();
};

// An overlay stack as `mount -t overlay -o OPTIONS` describes it, with the kernel's implications
// applied (userxattr → nofollow and no metacopy, metacopy=on → redirect_dir=on, ...).
// A path escaped for an overlay option value (backslash before '\\', ':', ',' and '"').
QString escapeOverlayPath(const QString &path);

struct OverlayConfig {
    std::vector<LayerSpec> layers; // bottom → top: data-only layers, lower layers, then the upper
    QString workdir;
    RedirectMode redirect = RedirectMode::NoFollow;
    bool metacopy = false;
    bool index = false;
    bool userxattr = false;
    QStringList otherOptions; // accepted and kept, but without effect on the merged view

    bool hasUpper() const { return !layers.empty() && layers.back().role == LayerRole::Upper; }
    bool followRedirects() const { return redirect == RedirectMode::Follow || redirect == RedirectMode::On; }
    int firstRegularLayer() const; // index of the lowest non-data-only layer
    // "trusted.overlay." or "user.overlay."
    const char *xattrPrefix() const { return userxattr ? "user.overlay." : "trusted.overlay."; }

    // Parses the option string exactly as given to `mount -t overlay -o`; relative paths resolve
    // against baseDir (the mounting process's cwd).
    static Expected<OverlayConfig> parse(const QString &options, const QString &baseDir, const OverlayDefaults &defaults);
    // The option string that mounts this stack (escaped), for `mount -o` and the helper.
    QString toOptionString() const;
};

} // namespace strata
