// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerindex.h"

#include <algorithm>

namespace strata {

EntryId LayerIndex::child(EntryId dir, std::string_view wanted) const
{
    const Entry &d = entries[dir];
    if (d.type != EntryType::Dir || d.childCount == 0)
        return noEntry;
    uint32_t lo = d.firstChild;
    uint32_t hi = d.firstChild + d.childCount;
    while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        const int c = name(mid).compare(wanted);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return noEntry;
}

std::string LayerIndex::pathOf(EntryId id) const
{
    std::vector<EntryId> chain;
    for (EntryId e = id; e != 0 && e != noEntry; e = entries[e].parent)
        chain.push_back(e);
    if (chain.empty())
        return "/";
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        out += '/';
        out += name(*it);
    }
    return out;
}

EntryId LayerIndex::find(std::string_view path) const
{
    if (entries.empty())
        return noEntry;
    EntryId current = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        while (pos < path.size() && path[pos] == '/')
            ++pos;
        if (pos >= path.size())
            break;
        const size_t end = std::min(path.find('/', pos), path.size());
        current = child(current, path.substr(pos, end - pos));
        if (current == noEntry)
            return noEntry;
        pos = end;
    }
    return current;
}

size_t LayerIndex::memoryBytes() const
{
    size_t bytes = entries.capacity() * sizeof(Entry) + names.capacity() + extras.capacity() * sizeof(EntryExtra);
    for (const EntryExtra &e : extras)
        bytes += e.symlinkTarget.capacity() + e.redirect.capacity() + e.error.capacity();
    return bytes;
}

} // namespace strata
