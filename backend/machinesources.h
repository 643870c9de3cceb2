// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>

#include <vector>

namespace strata {

// Something on this machine Strata can open, with the SOURCE string that opens it.
struct MachineSource {
    enum class Kind : uint8_t { Image, Container, Mount };
    Kind kind = Kind::Image;
    QString title; // "nginx:latest", "web", "/var/lib/docker/overlay2/…/merged"
    QString detail; // "4 layers · 187 MB · Docker", "running · nginx:latest · Docker", "3 layers + upper"
    QString source;
};

struct MachineSources {
    std::vector<MachineSource> items;
    // Storages that exist but could not be read (a root-only /var/lib/docker for a user), each
    // naming the path and why; the rest is still listed.
    std::vector<Error> problems;
};

// Where to look; the defaults are the standard roots and this process's mountinfo.
struct MachineSourceRoots {
    QString docker = QStringLiteral("/var/lib/docker");
    QString containers = QStringLiteral("/var/lib/containers/storage");
    QString mountinfo = QStringLiteral("/proc/self/mountinfo");
};

// Reads Docker's and containers-storage's image lists and the overlay mounts. Does I/O: call it
// off the GUI thread. Roots that do not exist are skipped silently.
MachineSources findMachineSources(const MachineSourceRoots &roots = {});

} // namespace strata
