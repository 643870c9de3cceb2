// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "overlayconfig.h"
#include "runner.h"
#include "uniquefd.h"
#include "upperscan.h"

#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <set>

namespace strata::helper {

// Typed events for a mounted stack's upper dir. The kernel's notifications only say which
// directories to look at: fanotify (a filesystem mark with directory fid + name, as root; it names
// the process) or inotify (one watch per directory, rootless). Those directories are rescanned and
// compared with the last scan; the difference decides the events (upperscan.h). Work-dir activity
// (copy-up's tmpfiles, whiteouts made there and renamed into place) triggers a full rescan, since
// the kernel's rename of a lower-backed entry leaves its whiteout without an event of its own.
class Watcher
{
public:
    static Expected<std::unique_ptr<Watcher>> start(const OverlayConfig &config, bool useFanotify, int64_t requestId);
    int fd() const { return m_fd.get(); }
    const char *mechanism() const { return m_fanotify ? "fanotify" : "inotify"; }
    // Reads pending notifications (marks directories dirty).
    void onReadable();
    // Rescans dirty directories whose last notification is older than the settle time, sends events.
    void flush(const Send &send, bool force = false);
    // Milliseconds until flush has work, -1 when nothing is pending.
    int msUntilFlush() const;
    int64_t requestId() const { return m_requestId; }

private:
    Watcher() = default;
    void addInotifyWatches(const std::string &rel);
    void markDir(const std::string &rel, int pid);
    int lowerLayerOf(const std::string &path) const;
    std::optional<std::string> relativeToUpper(const std::string &absolute) const;

    OverlayConfig m_config;
    std::string m_upper, m_work;
    UniqueFd m_fd;
    UniqueFd m_mountFd; // for open_by_handle_at (fanotify)
    bool m_fanotify = false;
    int64_t m_requestId = 0;
    UpperSnapshot m_snapshot;
    std::map<int, std::string> m_watchDirs; // inotify wd → relative dir ("" the upper root, "#work" the work dir)
    std::set<std::string> m_dirty;
    bool m_fullRescan = false;
    int m_lastPid = 0;
    std::string m_lastComm;
    std::chrono::steady_clock::time_point m_lastNotification;
};

} // namespace strata::helper
