// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerindexbuilder.h"

#include "entrytype.h"

#include <algorithm>
#include <cstring>
#include <sys/stat.h>

namespace strata {

namespace {

Entry impliedDirectory()
{
    Entry e;
    e.type = EntryType::Dir;
    e.mode = S_IFDIR | 0755;
    e.nlink = 2;
    return e;
}

std::string keyOf(uint32_t parent, std::string_view name)
{
    std::string key(reinterpret_cast<const char *>(&parent), sizeof parent);
    key.append(name);
    return key;
}

QString typeName(EntryType type)
{
    const std::string_view name = entryTypeName(type);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

} // namespace

LayerIndexBuilder::LayerIndexBuilder(QString origin)
    : m_origin(std::move(origin))
{
    m_nodes.push_back(Node{{}, noEntry, impliedDirectory()});
}

uint32_t LayerIndexBuilder::nodeFor(uint32_t parent, std::string_view name)
{
    auto [it, inserted] = m_byKey.try_emplace(keyOf(parent, name), uint32_t(m_nodes.size()));
    if (inserted) {
        m_nodes.push_back(Node{std::string(name), parent, impliedDirectory()});
        m_nodes[parent].children.push_back(it->second);
    }
    return it->second;
}

std::string LayerIndexBuilder::pathOf(uint32_t node) const
{
    std::vector<uint32_t> chain;
    for (uint32_t n = node; n != 0; n = m_nodes[n].parent)
        chain.push_back(n);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        out += '/' + m_nodes[*it].name;
    return out.empty() ? std::string("/") : out;
}

std::optional<Error> LayerIndexBuilder::add(std::string_view path, const Entry &entry, EntryExtra extra, uint64_t contentOffset)
{
    const QString shown = QString::fromUtf8(path.data(), qsizetype(path.size()));
    uint32_t node = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        const size_t end = std::min(path.find('/', pos), path.size());
        const std::string_view component = path.substr(pos, end - pos);
        pos = end + 1;
        if (component.empty() || component == ".")
            continue;
        if (component == "..")
            return makeError(ErrorCode::Corrupt, QStringLiteral("entry %1 climbs out of the layer (..)").arg(shown), shown);
        if (component.size() > UINT16_MAX)
            return makeError(ErrorCode::LimitExceeded, QStringLiteral("entry %1 has a name longer than 65535 bytes").arg(shown), shown);
        if (component.find('\0') != std::string_view::npos)
            return makeError(ErrorCode::Corrupt, QStringLiteral("entry %1 has a NUL byte in its name").arg(shown), shown);
        if (m_nodes.size() >= size_t(UINT32_MAX - 1))
            return makeError(ErrorCode::LimitExceeded, QStringLiteral("layer %1 has more entries than Strata can index").arg(m_origin), m_origin);
        node = nodeFor(node, component);
    }
    // An entry for the root itself ("." or "/") that is not a directory (CVE-2021-29136: a "."
    // symlink) is refused before it touches the root, which stays a directory.
    if (node == 0 && entry.type != EntryType::Dir)
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1: entry %2 would replace the layer's root with a %3; skipped").arg(m_origin, shown, typeName(entry.type)),
                         shown);
    Node &target = m_nodes[node];
    target.entry = entry;
    target.implied = false;
    target.contentOffset = contentOffset;
    const bool hasExtra = !extra.symlinkTarget.empty() || !extra.redirect.empty() || !extra.origin.empty() || !extra.error.empty() || !extra.otherXattrs.empty()
        || extra.rdev || !extra.fileHandle.empty();
    if (!hasExtra) {
        target.extra = 0; // a replaced entry's extra stays in m_extras, unreferenced
    } else if (target.extra != 0) {
        m_extras[target.extra] = std::move(extra);
    } else {
        target.extra = uint32_t(m_extras.size());
        m_extras.push_back(std::move(extra));
    }
    return std::nullopt;
}

std::optional<LayerIndexBuilder::Found> LayerIndexBuilder::lookup(std::string_view path)
{
    uint32_t node = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        const size_t end = std::min(path.find('/', pos), path.size());
        const std::string_view component = path.substr(pos, end - pos);
        pos = end + 1;
        if (component.empty() || component == ".")
            continue;
        const auto it = m_byKey.find(keyOf(node, component));
        if (it == m_byKey.end())
            return std::nullopt;
        node = it->second;
    }
    Node &n = m_nodes[node];
    return Found{&n.entry, n.contentOffset, n.implied, n.extra ? &m_extras[n.extra] : nullptr};
}

Expected<LayerIndex> LayerIndexBuilder::seal() &&
{
    LayerIndex index;
    index.path = m_origin;
    index.entries.resize(m_nodes.size());
    // Breadth-first: each directory's children get consecutive ids, sorted by name bytes.
    std::vector<uint32_t> idOf(m_nodes.size(), noEntry);
    std::vector<uint32_t> order{0};
    order.reserve(m_nodes.size());
    idOf[0] = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        Node &node = m_nodes[order[i]];
        if (!node.children.empty() && node.entry.type != EntryType::Dir) {
            // Entries below a file or a symlink ("loophole -> ../victim", then "loophole/file"):
            // never resolved through it, never placed anywhere: dropped, each subtree a problem.
            const QString parent = QString::fromStdString(pathOf(order[i]));
            for (uint32_t child : node.children) {
                const QString path = QString::fromStdString(pathOf(child));
                index.problems.push_back(makeError(ErrorCode::Corrupt,
                                                   QStringLiteral("%1: entry %2 lies below %3, which is a %4, not a directory; skipped with what is below it")
                                                       .arg(m_origin, path, parent, typeName(node.entry.type)),
                                                   path));
            }
            node.children.clear();
        }
        std::sort(node.children.begin(), node.children.end(), [this](uint32_t a, uint32_t b) { return m_nodes[a].name < m_nodes[b].name; });
        for (uint32_t child : node.children) {
            idOf[child] = uint32_t(order.size());
            order.push_back(child);
        }
    }
    index.entries.resize(order.size()); // less what was dropped
    size_t nameBytes = 0;
    for (uint32_t n : order)
        nameBytes += m_nodes[n].name.size();
    if (nameBytes > UINT32_MAX)
        return makeError(ErrorCode::LimitExceeded, QStringLiteral("layer %1 has more name bytes than Strata can index").arg(m_origin), m_origin);
    index.names.reserve(nameBytes);
    for (size_t id = 0; id < order.size(); ++id) {
        Node &node = m_nodes[order[id]];
        Entry &e = index.entries[id];
        e = node.entry;
        e.parent = id == 0 ? noEntry : idOf[node.parent];
        e.nameOffset = uint32_t(index.names.size());
        e.nameLength = uint16_t(node.name.size());
        index.names += node.name;
        e.childCount = uint32_t(node.children.size());
        e.firstChild = node.children.empty() ? 0 : idOf[node.children.front()];
        e.extra = 0;
        if (node.extra != 0) {
            e.extra = uint32_t(index.extras.size());
            index.extras.push_back(std::move(m_extras[node.extra]));
        }
        if (node.contentOffset != noContentOffset) {
            if (index.contentOffsets.empty())
                index.contentOffsets.assign(order.size(), noContentOffset);
            index.contentOffsets[id] = node.contentOffset;
        }
    }
    // The root of a scanned layer has no parent link either (entries[0].parent is unused).
    index.entries[0].parent = noEntry;
    return index;
}

} // namespace strata
