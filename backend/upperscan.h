// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace strata {

// What the kernel left for one entry of an upper dir (or of workdir/index), as much as copy-up
// events need: the inode's identity and attributes plus the overlay xattrs.
struct UpperEntry {
    uint32_t mode = 0;
    uint32_t uid = 0, gid = 0;
    uint64_t ino = 0, size = 0, nlink = 0;
    int64_t mtimeNs = 0, ctimeNs = 0;
    bool whiteout = false; // 0/0 char device, or an xattr whiteout
    bool opaque = false;
    bool metacopy = false;
    bool origin = false;
    bool impure = false;
    std::string redirect;
    bool operator==(const UpperEntry &) const = default;
};

// Paths relative to the upper dir ("a/b"); workdir/index entries as "#index/NAME".
using UpperSnapshot = std::map<std::string, UpperEntry>;

// Scans `relDir` of the tree at `root` and, if `recursive`, everything below; entries land in
// `into` under their relative paths ("" is the root itself, not recorded). xattrPrefix is
// "trusted.overlay." or "user.overlay.".
void scanUpperTree(const std::string &root, const std::string &relDir, const char *xattrPrefix, bool recursive, UpperSnapshot &into);
// A whole upper dir plus workdir/index (when `workdir` is not empty).
UpperSnapshot scanUpper(const std::string &upper, const std::string &workdir, const char *xattrPrefix);

// A typed change the kernel made in the upper dir.
struct UpperEvent {
    std::string kind; // see docs/helper-protocol.md: data-copy-up, metadata-copy-up, new-entry, whiteout, ...
    std::string path;
    int lowerLayer = -1; // the topmost lower layer holding `path` (copy-ups, whiteouts), else -1
    bool operator==(const UpperEvent &) const = default;
    bool operator<(const UpperEvent &o) const { return std::tie(path, kind) < std::tie(o.path, o.kind); }
};

// The lower layer (index into the stack, topmost checked first) holding `path`, or -1.
using LowerLookup = std::function<int(const std::string &path)>;

// The typed events between two snapshots of the same upper dir, sorted by path then kind.
std::vector<UpperEvent> diffUpper(const UpperSnapshot &before, const UpperSnapshot &after, const LowerLookup &lower);

QJsonObject upperEventToJson(const UpperEvent &event);

} // namespace strata
