// SPDX-License-Identifier: GPL-3.0-or-later
#include "hardlinkindex.h"

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

} // namespace

HardlinkIndex HardlinkIndex::load(const OverlayConfig &config, const std::vector<LayerIndex> &layers)
{
    HardlinkIndex index;
    const std::unordered_set<std::string> names = indexNames(config);
    if (names.empty())
        return index;
    index.m_upperLayer = uint16_t(layers.size() - 1);
    const LayerIndex &upper = layers.back();
    for (EntryId id = 1; id < upper.entries.size(); ++id) {
        const Entry &e = upper.entries[id];
        if (e.type == EntryType::Dir || !e.has(FlagOrigin))
            continue;
        const std::string &origin = upper.extra(id).origin;
        if (origin.size() <= fbHeader || static_cast<unsigned char>(origin[1]) != 0xfb || !names.contains(toHex(origin)))
            continue;
        index.m_byHandle.emplace(handleKey(int32_t(static_cast<unsigned char>(origin[4])), std::string_view(origin).substr(fbHeader)), id);
    }
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
