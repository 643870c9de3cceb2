// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QJsonObject>
#include <QString>

namespace strata {

struct LessonAction;

// A file operation for strata-helper (docs/helper-protocol.md): its op and args. Lessons, session
// scripts and the window's playground all spell operations this way, so one recorded in the window
// replays in `strata-cli session` and one written in a lesson does what the window's menu does.
struct FileOpRequest {
    QString op; // the helper's op: create, write, append, truncate, chmod, chown, utimes, …
    QJsonObject args; // without "mount": the caller adds the mount id
};

// A lesson's (or the window's) action: "touch" becomes utimes to now, "keep-open" open, a mode is
// octal ("600"), an owner "uid:gid", setxattr's argument "name=value".
Expected<FileOpRequest> requestForAction(const LessonAction &action);

// One session script line: "OP PATH [key=value ...]"; integers for mode (octal with a leading 0),
// uid, gid, size, offset, atime, mtime; everything else a string (no spaces inside a value; %20,
// %25 and %0A stand for a space, a percent sign and a newline).
Expected<FileOpRequest> parseScriptLine(const QString &line);
// The script line parseScriptLine reads back as `request` (for recording a session).
QString scriptLine(const FileOpRequest &request);

} // namespace strata
