// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "overlayconfig.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace strata {

// One line of /proc/self/mountinfo, with the kernel's octal escapes (\040 for a space...) undone.
struct MountInfoEntry {
    QString mountPoint;
    QString fsType;
    QString mountSource;
    QString superOptions; // the filesystem's own options: for overlay, ovl_show_options
};

std::vector<MountInfoEntry> parseMountInfo(const QByteArray &text);
Expected<std::vector<MountInfoEntry>> readMountInfo(const QString &path = QStringLiteral("/proc/self/mountinfo"));

// The overlay stack mounted at `path` (relative to baseDir), read from mountinfo. A path inside a
// mount rather than at its root is an error naming the mount point; so is a mount that is not
// overlay, or one whose layers mountinfo names by relative paths.
Expected<OverlayConfig> overlayMountAt(const QString &path, const QString &baseDir, const std::vector<MountInfoEntry> &mounts, const OverlayDefaults &defaults);
// The stack of an overlay mount's options as mountinfo prints them.
Expected<OverlayConfig> overlayConfigOfMount(const MountInfoEntry &mount, const OverlayDefaults &defaults);

} // namespace strata
