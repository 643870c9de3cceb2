// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace strata {

// spdlog for every binary: stderr (warnings, or everything with --verbose) and a log file under the
// XDG state dir ($XDG_STATE_HOME/strata/<app>.log). Qt's messages are routed into it, the category as
// logger name and the text passed as data, never as a format string.
void initLogging(const QString &appName, bool verbose);
QString logFilePath(const QString &appName);

} // namespace strata
