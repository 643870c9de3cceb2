// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerindex.h"

#include "treewalk.h"

#include <algorithm>

namespace strata {

EntryId LayerIndex::child(EntryId dir, std::string_view wanted) const
{
    const Entry &d = entries[dir];
    if (d.type != EntryType::Dir || d.childCount == 0)
        return noEntry;
    return treewalk::findChild(d.firstChild, d.childCount, wanted, [this](uint32_t e) { return name(e); });
}

std::string LayerIndex::pathOf(EntryId id) const
{
    return treewalk::pathOf(id, [this](uint32_t e) { return entries[e].parent; }, [this](uint32_t e) { return name(e); });
}

EntryId LayerIndex::find(std::string_view path) const
{
    if (entries.empty())
        return noEntry;
    return treewalk::findPath(path, [this](uint32_t dir, std::string_view component) { return child(dir, component); });
}

size_t LayerIndex::memoryBytes() const
{
    size_t bytes = entries.capacity() * sizeof(Entry) + names.capacity() + extras.capacity() * sizeof(EntryExtra) + contentOffsets.capacity() * sizeof(uint64_t);
    for (const EntryExtra &e : extras)
        bytes += e.symlinkTarget.capacity() + e.redirect.capacity() + e.error.capacity();
    return bytes;
}

} // namespace strata
