// SPDX-License-Identifier: GPL-3.0-or-later
#include "hardlinkindex.h"

#include <QFile>

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

std::string handleKey(int type, std::string_view fid)
{
    return std::to_string(type) + ':' + std::string(fid);
}

} // namespace

HardlinkIndex HardlinkIndex::load(const OverlayConfig &config, const std::vector<LayerIndex> &layers)
{
    HardlinkIndex index;
    if (!config.index || !config.hasUpper() || config.workdir.isEmpty())
        return index;
    std::unordered_set<std::string> names;
    const QByteArray dir = QFile::encodeName(config.workdir + QStringLiteral("/index"));
    if (DIR *d = opendir(dir.constData())) {
        while (const dirent *e = readdir(d))
            names.emplace(e->d_name);
        closedir(d);
    }
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
        index.m_byHandle.emplace(handleKey(static_cast<unsigned char>(origin[4]), std::string_view(origin).substr(fbHeader)), id);
    }
    return index;
}

LayerRef HardlinkIndex::aliasOf(const std::vector<LayerIndex> &layers, LayerRef lower) const
{
    const LayerIndex &layer = layers[lower.layer];
    const QByteArray path = QFile::encodeName(layer.path) + QByteArray::fromStdString(layer.pathOf(lower.entry));
    struct {
        file_handle header;
        unsigned char bytes[MAX_HANDLE_SZ];
    } handle{};
    handle.header.handle_bytes = MAX_HANDLE_SZ;
    int mountId = 0;
    if (name_to_handle_at(AT_FDCWD, path.constData(), &handle.header, &mountId, 0) != 0)
        return {};
    const auto it = m_byHandle.find(handleKey(handle.header.handle_type, std::string_view(reinterpret_cast<const char *>(handle.header.f_handle), handle.header.handle_bytes)));
    if (it == m_byHandle.end())
        return {};
    return {m_upperLayer, it->second};
}

} // namespace strata
