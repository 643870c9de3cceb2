// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "helperclient.h"
#include "mountplan.h"

#include <QString>
#include <QStringList>

namespace strata {

// What the machine offers for starting strata-helper.
struct HelperEnvironment {
    bool root = false; // the caller's euid is 0
    bool pkexec = false; // pkexec is on PATH
    bool polkitAction = false; // Strata's polkit action (io.github.strata.Strata.policy) is installed
    static HelperEnvironment current();
};

// The concrete mode for a request and why.
struct HelperChoice {
    HelperMode mode = HelperMode::Rootless; // Direct, Rootless or Pkexec (never Auto)
    QStringList needs; // what the request needs that rootless mode cannot give (empty: nothing)
};

// What rootless mode cannot do, said plainly for the UI and error messages.
QString rootlessLimitations();

// What mounting `plan` (with the extra mount options) needs beyond rootless mode, one sentence
// each: root-only or unreadable layers, layers owned by other users, trusted.* xattrs of storage
// written by root (docker-storage:, containers-storage:, mount:), redirect_dir=on, metacopy=on,
// index=on asked for in SOURCE (plan.askedOptions) or the extra options.
QStringList privilegesNeeded(const MountPlan &plan, const QStringList &extraOptions);

// The one decision. An explicit `requested` mode is kept. Auto: direct as root; rootless when
// `needs` is empty; else pkexec when pkexec and the polkit action are installed; else an
// ErrorCode::Permission error saying what is needed and how to get it.
Expected<HelperChoice> helperModeFor(const QStringList &needs, HelperMode requested = HelperMode::Auto, const HelperEnvironment &env = HelperEnvironment::current());
Expected<HelperChoice> helperModeFor(const MountPlan &plan, const QStringList &extraOptions, HelperMode requested = HelperMode::Auto,
                                     const HelperEnvironment &env = HelperEnvironment::current());

} // namespace strata
