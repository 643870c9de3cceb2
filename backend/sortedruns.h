// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

// Children in every tree Strata builds are sorted by name bytes. Where several such lists meet (one
// directory's children in each layer, and the merged view's), walking them side by side costs a
// few comparisons per name; sorting their concatenation costs log(n) string comparisons per entry,
// which was the largest part of building the union tree and of the merge's readdir.
namespace strata::sortedruns {

// The first 8 bytes of a name as a big-endian number (zero-padded): names hold no NUL byte, so
// comparing these orders two names as their bytes do, except when both start with the same 8.
inline uint64_t prefixKey(std::string_view name)
{
    unsigned char bytes[8] = {};
    std::memcpy(bytes, name.data(), name.size() < 8 ? name.size() : 8);
    uint64_t key = 0;
    for (unsigned char b : bytes)
        key = key << 8 | b;
    return key;
}

// `a < b` by name bytes, given their prefix keys.
inline bool nameLess(uint64_t aKey, std::string_view a, uint64_t bKey, std::string_view b)
{
    return aKey != bKey ? aKey < bKey : a < b;
}

// One sorted list: positions [begin, end) of whatever `nameAt(run, position)` reads.
struct Run {
    uint32_t begin = 0;
    uint32_t end = 0;
};

// A member of a group of equal names: which run, and the position in it.
struct Member {
    uint32_t run;
    uint32_t position;
};

// Visits the distinct names of `runs` (each sorted by name bytes, no name twice in one run) in name
// order: visit(name, members), members in run order. `nameAt(run, position)` gives a name.
template<typename NameAt, typename Visit>
void merge(const std::vector<Run> &runs, NameAt nameAt, Visit visit)
{
    struct Cursor {
        uint32_t run;
        uint32_t position;
        uint32_t end;
        uint64_t key;
        std::string_view name;
    };
    std::vector<Cursor> active;
    active.reserve(runs.size());
    for (uint32_t r = 0; r < runs.size(); ++r) {
        if (runs[r].begin < runs[r].end) {
            const std::string_view name = nameAt(r, runs[r].begin);
            active.push_back({r, runs[r].begin, runs[r].end, prefixKey(name), name});
        }
    }
    std::vector<Member> group;
    group.reserve(runs.size());
    while (!active.empty()) {
        size_t smallest = 0;
        for (size_t i = 1; i < active.size(); ++i) {
            if (nameLess(active[i].key, active[i].name, active[smallest].key, active[smallest].name))
                smallest = i;
        }
        const uint64_t key = active[smallest].key;
        const std::string_view name = active[smallest].name;
        group.clear();
        for (const Cursor &c : active) {
            if (c.key == key && c.name == name)
                group.push_back({c.run, c.position});
        }
        visit(name, group);
        // Advance the members; drop exhausted runs, keeping the others in run order.
        size_t kept = 0;
        for (size_t i = 0; i < active.size(); ++i) {
            Cursor c = active[i];
            if (c.key == key && c.name == name) {
                if (++c.position == c.end)
                    continue;
                c.name = nameAt(c.run, c.position);
                c.key = prefixKey(c.name);
            }
            active[kept++] = c;
        }
        active.resize(kept);
    }
}

} // namespace strata::sortedruns
