// SPDX-License-Identifier: GPL-3.0-or-later
#include "upperscan.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata {

namespace {

bool hasXattr(const std::string &path, const std::string &name, std::string *value = nullptr)
{
    char buffer[4096];
    const ssize_t n = ::lgetxattr(path.c_str(), name.c_str(), buffer, sizeof buffer);
    if (n < 0)
        return false;
    if (value)
        value->assign(buffer, size_t(n));
    return true;
}

UpperEntry readEntry(const std::string &full, const struct stat &st, const std::string &prefix)
{
    UpperEntry e;
    e.mode = st.st_mode;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    e.ino = st.st_ino;
    e.size = S_ISDIR(st.st_mode) ? 0 : uint64_t(st.st_size); // a dir's size moves with its entries
    e.nlink = S_ISDIR(st.st_mode) ? 0 : st.st_nlink;
    e.mtimeNs = S_ISDIR(st.st_mode) ? 0 : int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    e.ctimeNs = S_ISDIR(st.st_mode) ? 0 : int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    e.whiteout = S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
    if (!e.whiteout && S_ISREG(st.st_mode) && st.st_size == 0)
        e.whiteout = hasXattr(full, prefix + "whiteout");
    if (e.whiteout) {
        // The kernel shares one whiteout inode between whiteouts (hard links from workdir): its
        // link count and times move with every other whiteout and say nothing about this one.
        e.nlink = 0;
        e.mtimeNs = e.ctimeNs = 0;
        e.ino = 0;
    }
    std::string value;
    if (S_ISDIR(st.st_mode) && hasXattr(full, prefix + "opaque", &value))
        e.opaque = value == "y";
    e.metacopy = S_ISREG(st.st_mode) && hasXattr(full, prefix + "metacopy");
    e.origin = hasXattr(full, prefix + "origin");
    e.impure = S_ISDIR(st.st_mode) && hasXattr(full, prefix + "impure");
    hasXattr(full, prefix + "redirect", &e.redirect);
    return e;
}

} // namespace

void scanUpperTree(const std::string &root, const std::string &relDir, const char *xattrPrefix, bool recursive, UpperSnapshot &into)
{
    const std::string dirPath = relDir.empty() ? root : root + "/" + relDir;
    DIR *dir = ::opendir(dirPath.c_str());
    if (!dir)
        return;
    std::vector<std::string> subdirs;
    while (dirent *d = ::readdir(dir)) {
        const std::string name = d->d_name;
        if (name == "." || name == "..")
            continue;
        const std::string rel = relDir.empty() ? name : relDir + "/" + name;
        const std::string full = root + "/" + rel;
        struct stat st{};
        if (::lstat(full.c_str(), &st) != 0)
            continue;
        into[rel] = readEntry(full, st, xattrPrefix);
        if (S_ISDIR(st.st_mode))
            subdirs.push_back(rel);
    }
    ::closedir(dir);
    if (recursive) {
        for (const std::string &sub : subdirs)
            scanUpperTree(root, sub, xattrPrefix, true, into);
    }
}

UpperSnapshot scanUpper(const std::string &upper, const std::string &workdir, const char *xattrPrefix)
{
    UpperSnapshot snapshot;
    scanUpperTree(upper, "", xattrPrefix, true, snapshot);
    if (!workdir.empty()) {
        UpperSnapshot index;
        scanUpperTree(workdir + "/index", "", xattrPrefix, false, index);
        for (auto &[name, entry] : index)
            snapshot["#index/" + name] = entry;
    }
    return snapshot;
}

std::vector<UpperEvent> diffUpper(const UpperSnapshot &before, const UpperSnapshot &after, const LowerLookup &lower)
{
    std::vector<UpperEvent> events;
    auto add = [&](const char *kind, const std::string &path, int layer = -1) { events.push_back(UpperEvent{kind, path, layer}); };
    for (const auto &[path, now] : after) {
        const bool isIndex = path.starts_with("#index/");
        auto it = before.find(path);
        if (it == before.end()) {
            if (isIndex) {
                add("index-entry", path);
                continue;
            }
            const int layer = lower ? lower(path) : -1;
            if (now.whiteout)
                add("whiteout", path, layer);
            else if (now.metacopy)
                add("metadata-copy-up", path, layer);
            else if (layer >= 0)
                add("data-copy-up", path, layer);
            else
                add("new-entry", path);
            if (now.opaque)
                add("opaque-dir", path);
            if (!now.redirect.empty())
                add("redirect", path);
            if (now.origin)
                add("origin", path);
            if (now.impure)
                add("impure", path);
            continue;
        }
        const UpperEntry &old = it->second;
        if (old == now)
            continue;
        bool typed = false;
        auto aspect = [&](bool changed, const char *kind, int layer = -1) {
            if (changed) {
                add(kind, path, layer);
                typed = true;
            }
        };
        const int layer = lower && !isIndex ? lower(path) : -1;
        aspect(!old.whiteout && now.whiteout, "whiteout", layer);
        aspect(old.metacopy && !now.metacopy && !now.whiteout, "data-copy-up", layer); // the later data copy-up
        aspect(!old.opaque && now.opaque, "opaque-dir");
        aspect(old.redirect != now.redirect && !now.redirect.empty(), "redirect");
        aspect(!old.origin && now.origin, "origin");
        aspect(!old.impure && now.impure, "impure");
        if (!typed)
            add(isIndex ? "index-entry-changed" : "modified", path);
    }
    for (const auto &[path, old] : before) {
        if (!after.contains(path))
            add(path.starts_with("#index/") ? "index-entry-removed" : "removed", path);
    }
    std::sort(events.begin(), events.end());
    return events;
}

QJsonObject upperEventToJson(const UpperEvent &event)
{
    QJsonObject o{{QStringLiteral("kind"), QString::fromStdString(event.kind)}, {QStringLiteral("path"), QString::fromStdString(event.path)}};
    if (event.lowerLayer >= 0)
        o.insert(QStringLiteral("layer"), event.lowerLayer);
    return o;
}

} // namespace strata
