// SPDX-License-Identifier: GPL-3.0-or-later
#include "watcher.h"

#include "helperprotocol.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <climits>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::helper {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto settle = std::chrono::milliseconds(15); // let a burst of notifications finish
constexpr uint32_t inotifyMask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | IN_DONT_FOLLOW;

std::string commOf(int pid)
{
    if (pid <= 0)
        return {};
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().trimmed().toStdString();
}

} // namespace

Expected<std::unique_ptr<Watcher>> Watcher::start(const OverlayConfig &config, bool useFanotify, int64_t requestId)
{
    if (!config.hasUpper())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("watch needs a stack with an upper dir"));
    std::unique_ptr<Watcher> w(new Watcher);
    w->m_config = config;
    w->m_upper = QFile::encodeName(config.layers.back().path).toStdString();
    w->m_work = QFile::encodeName(config.workdir).toStdString();
    w->m_requestId = requestId;
    if (useFanotify) {
        UniqueFd fan(::fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC));
        const uint64_t mask = FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ATTRIB | FAN_MODIFY | FAN_ONDIR;
        if (fan && ::fanotify_mark(fan.get(), FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, w->m_upper.c_str()) == 0
            && (w->m_work.empty() || ::fanotify_mark(fan.get(), FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, w->m_work.c_str()) == 0)) {
            w->m_fd = std::move(fan);
            w->m_fanotify = true;
            w->m_mountFd = UniqueFd(::open(w->m_upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); // open_by_handle_at refuses O_PATH here
        } else {
            spdlog::info("watch: fanotify filesystem mark unavailable ({}), using inotify", std::strerror(errno));
        }
    }
    if (!w->m_fanotify) {
        w->m_fd = UniqueFd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (!w->m_fd)
            return errorFromErrno(errno, config.layers.back().path, QStringLiteral("inotify_init1"));
    }
    // Watches before the first scan: a change between the two is then seen twice, never missed.
    if (!w->m_fanotify) {
        w->addInotifyWatches("");
        const int wd = ::inotify_add_watch(w->m_fd.get(), (w->m_work + "/index").c_str(), inotifyMask);
        if (wd >= 0)
            w->m_watchDirs[wd] = "#index";
    }
    w->m_snapshot = scanUpper(w->m_upper, w->m_work, config.xattrPrefix());
    return w;
}

void Watcher::addInotifyWatches(const std::string &rel)
{
    const std::string path = rel.empty() ? m_upper : m_upper + "/" + rel;
    const int wd = ::inotify_add_watch(m_fd.get(), path.c_str(), inotifyMask | IN_ONLYDIR);
    if (wd < 0)
        return;
    m_watchDirs[wd] = rel;
    UpperSnapshot children;
    scanUpperTree(m_upper, rel, m_config.xattrPrefix(), false, children);
    for (const auto &[child, entry] : children) {
        if (S_ISDIR(entry.mode))
            addInotifyWatches(child);
    }
}

std::optional<std::string> Watcher::relativeToUpper(const std::string &absolute) const
{
    if (absolute == m_upper)
        return std::string();
    if (absolute.starts_with(m_upper + "/"))
        return absolute.substr(m_upper.size() + 1);
    if (absolute == m_work + "/index")
        return std::string("#index");
    return std::nullopt;
}

void Watcher::markDir(const std::string &rel, int pid)
{
    m_dirty.insert(rel);
    // The command is read now: a short-lived process may be gone by the flush.
    if (pid > 0 && pid != m_lastPid) {
        m_lastPid = pid;
        m_lastComm = commOf(pid);
    }
    m_lastNotification = Clock::now();
}

void Watcher::onReadable()
{
    alignas(8) char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(m_fd.get(), buffer, sizeof buffer);
        if (n <= 0)
            return;
        if (!m_fanotify) {
            for (ssize_t off = 0; off < n;) {
                const auto *ev = reinterpret_cast<const inotify_event *>(buffer + off);
                off += ssize_t(sizeof(inotify_event) + ev->len);
                if (ev->mask & IN_Q_OVERFLOW) {
                    m_fullRescan = true;
                    markDir("", 0);
                    continue;
                }
                auto it = m_watchDirs.find(ev->wd);
                if (it == m_watchDirs.end())
                    continue;
                if (ev->mask & IN_IGNORED) {
                    m_watchDirs.erase(it);
                    continue;
                }
                markDir(it->second, 0);
            }
            continue;
        }
        // Events with name records are not multiples of 8 bytes long, so the next one may start
        // misaligned: each is copied to an aligned buffer before its fields are read.
        alignas(8) char event[sizeof buffer];
        for (ssize_t at = 0; at + ssize_t(sizeof(fanotify_event_metadata)) <= n;) {
            fanotify_event_metadata head;
            std::memcpy(&head, buffer + at, sizeof head);
            if (head.event_len < sizeof head || at + ssize_t(head.event_len) > n)
                break;
            std::memcpy(event, buffer + at, head.event_len);
            at += head.event_len;
            const auto *meta = reinterpret_cast<const fanotify_event_metadata *>(event);
            if (meta->mask & FAN_Q_OVERFLOW) {
                m_fullRescan = true;
                markDir("", 0);
                continue;
            }
            if (meta->event_len < sizeof *meta + sizeof(fanotify_event_info_fid))
                continue;
            const auto *info = reinterpret_cast<const fanotify_event_info_fid *>(meta + 1);
            if (info->hdr.info_type != FAN_EVENT_INFO_TYPE_DFID_NAME && info->hdr.info_type != FAN_EVENT_INFO_TYPE_DFID)
                continue;
            auto *handle = const_cast<file_handle *>(reinterpret_cast<const file_handle *>(info->handle));
            UniqueFd dir(::open_by_handle_at(m_mountFd.get(), handle, O_PATH | O_CLOEXEC));
            if (!dir)
                continue; // gone already, or on another filesystem's mount
            char path[PATH_MAX];
            const std::string link = "/proc/self/fd/" + std::to_string(dir.get());
            const ssize_t len = ::readlink(link.c_str(), path, sizeof path - 1);
            if (len <= 0)
                continue;
            // A filesystem mark sees the whole filesystem: only the upper dir's tree counts.
            if (auto rel = relativeToUpper(std::string(path, size_t(len))))
                markDir(*rel, meta->pid);
        }
    }
}

int Watcher::lowerLayerOf(const std::string &path) const
{
    for (size_t i = m_config.layers.size(); i-- > 0;) {
        if (m_config.layers[i].role != LayerRole::Lower)
            continue;
        struct stat st{};
        const std::string full = QFile::encodeName(m_config.layers[i].path).toStdString() + "/" + path;
        if (::lstat(full.c_str(), &st) == 0)
            return int(i);
    }
    return -1;
}

int Watcher::msUntilFlush() const
{
    if (m_dirty.empty())
        return -1;
    const auto due = m_lastNotification + settle;
    const auto now = Clock::now();
    return due <= now ? 0 : int(std::chrono::duration_cast<std::chrono::milliseconds>(due - now).count()) + 1;
}

void Watcher::flush(const Send &send, bool force)
{
    if (m_dirty.empty() || (!force && msUntilFlush() > 0))
        return;
    std::set<std::string> dirs;
    dirs.swap(m_dirty);
    if (m_fullRescan) {
        dirs = {"", "#index"};
        m_fullRescan = false;
    }
    dirs.insert("#index"); // index entries appear with copy-ups whose own events name upper dirs
    const LowerLookup lower = [this](const std::string &p) { return lowerLayerOf(p); };
    const std::string comm = m_lastComm;
    for (const std::string &dir : dirs) {
        UpperSnapshot oldPart, newPart;
        if (dir == "#index") {
            for (auto it = m_snapshot.lower_bound("#index/"); it != m_snapshot.end() && it->first.starts_with("#index/"); ++it)
                oldPart.insert(*it);
            UpperSnapshot index;
            scanUpperTree(m_work + "/index", "", m_config.xattrPrefix(), false, index);
            for (auto &[name, entry] : index)
                newPart["#index/" + name] = entry;
        } else {
            const std::string prefix = dir.empty() ? std::string() : dir + "/";
            for (auto it = m_snapshot.lower_bound(prefix); it != m_snapshot.end() && it->first.starts_with(prefix); ++it) {
                if (!it->first.starts_with("#index/"))
                    oldPart.insert(*it);
            }
            scanUpperTree(m_upper, dir, m_config.xattrPrefix(), false, newPart);
            std::vector<std::string> childDirs;
            for (const auto &[k, e] : newPart) {
                if (S_ISDIR(e.mode))
                    childDirs.push_back(k);
            }
            // A subdir that was there before keeps its scanned contents (its own events mark it);
            // a new or replaced one is scanned whole.
            for (const std::string &k : childDirs) {
                auto o = oldPart.find(k);
                if (o != oldPart.end() && S_ISDIR(o->second.mode) && o->second.ino == newPart[k].ino) {
                    for (auto it = oldPart.lower_bound(k + "/"); it != oldPart.end() && it->first.starts_with(k + "/"); ++it)
                        newPart.insert(*it);
                } else {
                    scanUpperTree(m_upper, k, m_config.xattrPrefix(), true, newPart);
                    if (!m_fanotify)
                        addInotifyWatches(k);
                }
            }
        }
        for (const auto &[k, e] : oldPart)
            m_snapshot.erase(k);
        m_snapshot.insert(newPart.begin(), newPart.end());
        for (const UpperEvent &event : diffUpper(oldPart, newPart, lower)) {
            QJsonObject data = upperEventToJson(event);
            if (m_fanotify && m_lastPid > 0) {
                data.insert(QStringLiteral("pid"), m_lastPid);
                data.insert(QStringLiteral("comm"), QString::fromStdString(comm));
            }
            send(encodeEvent(m_requestId, QStringLiteral("change"), data));
        }
    }
    m_lastPid = 0;
    m_lastComm.clear();
}

} // namespace strata::helper
