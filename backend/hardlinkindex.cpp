// SPDX-License-Identifier: GPL-3.0-or-later
#include "hardlinkindex.h"

#include "layerscanner.h"
#include "overlayrules.h"

#include <QFile>

#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <unordered_set>

namespace strata {

namespace {

// overlay.origin holds struct ovl_fb: version, magic 0xfb, len, flags, type, uuid[16], fid[].
constexpr size_t fbHeader = 5 + 16;

std::string toHex(std::string_view bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// The same layout as EntryExtra::fileHandle.
std::string handleKey(int32_t type, std::string_view fid)
{
    std::string key(reinterpret_cast<const char *>(&type), sizeof type);
    key.append(fid);
    return key;
}

std::unordered_set<std::string> indexNames(const OverlayConfig &config)
{
    std::unordered_set<std::string> names;
    if (!config.index || !config.hasUpper() || config.workdir.isEmpty())
        return names;
    const QByteArray dir = QFile::encodeName(config.workdir + QStringLiteral("/index"));
    if (DIR *d = opendir(dir.constData())) {
        while (const dirent *e = readdir(d)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                names.emplace(e->d_name);
        }
        closedir(d);
    }
    return names;
}

std::string fromHex(std::string_view hex)
{
    std::string out;
    auto digit = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return {};
        out += char(hi * 16 + lo);
    }
    return hex.size() % 2 ? std::string() : out;
}

} // namespace

HardlinkIndex HardlinkIndex::load(const OverlayConfig &config, std::vector<LayerIndex> &layers, const ScanOptions &upperOptions)
{
    HardlinkIndex index;
    if (layers.empty())
        return index;
    LayerIndex &upper = layers.back();
    // Detached entries of an earlier load (reload() carries an unchanged upper over) go first.
    while (!upper.entries.empty() && upper.entries.back().has(FlagDetached))
        upper.entries.pop_back();
    const std::unordered_set<std::string> names = indexNames(config);
    if (names.empty())
        return index;
    index.m_upperLayer = uint16_t(layers.size() - 1);
    std::unordered_set<std::string> matched;
    const auto treeEntries = EntryId(upper.entries.size());
    for (EntryId id = 1; id < treeEntries; ++id) {
        const Entry &e = upper.entries[id];
        if (e.type == EntryType::Dir || !e.has(FlagOrigin))
            continue;
        const std::string &origin = upper.extra(id).origin;
        if (origin.size() <= fbHeader || static_cast<unsigned char>(origin[1]) != 0xfb)
            continue;
        std::string hex = toHex(origin);
        if (!names.contains(hex))
            continue;
        index.m_byHandle.emplace(handleKey(int32_t(static_cast<unsigned char>(origin[4])), std::string_view(origin).substr(fbHeader)), id);
        matched.insert(std::move(hex));
    }
    // Index entries no upper name leads to any more: the kernel still resolves the other lower
    // names of that inode to them (ovl_lookup_index), so they join the upper layer, detached.
    auto dir = LayerHandle::openDirectory(config.workdir + QStringLiteral("/index"));
    if (!dir)
        return index;
    for (const std::string &name : names) {
        if (matched.contains(name))
            continue;
        const std::string origin = fromHex(name);
        if (origin.size() <= fbHeader || static_cast<unsigned char>(origin[1]) != 0xfb)
            continue;
        const EntryId id = LayerScanner::addDetached(upper, dir->directoryFd(), name, upperOptions);
        const Entry &e = upper.entries[id];
        // A whiteout index means every lower alias was unlinked; directories are not hardlinks.
        if (e.type == EntryType::Dir || rules::isWhiteout(e) || e.type == EntryType::Unknown) {
            upper.entries.pop_back();
            continue;
        }
        index.m_byHandle.emplace(handleKey(int32_t(static_cast<unsigned char>(origin[4])), std::string_view(origin).substr(fbHeader)), id);
    }
    upper.indexDir = std::move(dir).value();
    return index;
}

bool HardlinkIndex::mayApply(const OverlayConfig &config)
{
    return !indexNames(config).empty();
}

LayerRef HardlinkIndex::aliasOf(const std::vector<LayerIndex> &layers, LayerRef lower) const
{
    const std::string &handle = layers[lower.layer].extra(lower.entry).fileHandle;
    if (handle.empty())
        return {};
    const auto it = m_byHandle.find(handle);
    if (it == m_byHandle.end())
        return {};
    return {m_upperLayer, it->second};
}

} // namespace strata
