// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <string>

namespace strata::cli {

struct HelperCommandOptions {
    QString helperMode; // auto, direct, rootless, pkexec
    QString upper; // --upper DIR (its work dir is DIR.work)
    QString script; // session --script FILE
    QStringList mountOptions; // --option OPT (redirect_dir=on, metacopy=on, index=on, xino=..., volatile, userxattr)
    bool wait = false; // mount --wait: keep the mount until stdin closes
    QString dataRoot; // lesson run --data-root DIR: the Docker data root of a lesson's "{data-root}" source
};

// strata-cli mount|verify|run|session through strata-helper. `rest` is what follows the command
// (SOURCE, then for run the command and its arguments). Returns the process exit code.
int runHelperCommand(const QString &command, const QStringList &rest, const HelperCommandOptions &options,
                     const std::function<void(const std::string &)> &writeLine);

// strata-cli lesson run N|FILE: the lesson's stack created in a temporary directory, mounted
// through strata-helper and watched; each step's action done there, then its checks evaluated on
// a fresh scan and the session's events. Prints a line per step and check; 1 when a check fails.
int runLesson(const QString &lessonArg, const HelperCommandOptions &options, bool json, const std::function<void(const std::string &)> &writeLine);

} // namespace strata::cli
