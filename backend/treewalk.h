// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Every tree Strata builds (a layer's index, the merged tree, the union tree) is an arena whose
// node 0 is the root and whose children are contiguous and sorted by name bytes; UINT32_MAX means
// "none". These walk any of them, so lookups by name and by path are written once.
namespace strata::treewalk {

constexpr uint32_t none = UINT32_MAX;

// The child named `wanted` among `count` children starting at `first` (binary search).
template<typename NameOf>
uint32_t findChild(uint32_t first, uint32_t count, std::string_view wanted, NameOf nameOf)
{
    uint32_t lo = first, hi = first + count;
    while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        const int c = std::string_view(nameOf(mid)).compare(wanted);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return none;
}

// Walks "/a/b" (or "a/b", repeated slashes allowed) from the root: childOf(dir, component) gives
// the next node or `none`.
template<typename ChildOf>
uint32_t findPath(std::string_view path, ChildOf childOf)
{
    uint32_t current = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        while (pos < path.size() && path[pos] == '/')
            ++pos;
        if (pos >= path.size())
            break;
        const size_t end = std::min(path.find('/', pos), path.size());
        current = childOf(current, path.substr(pos, end - pos));
        if (current == none)
            return none;
        pos = end;
    }
    return current;
}

// "/"-rooted path of `node`, from its ancestors' names (raw bytes).
template<typename ParentOf, typename NameOf>
std::string pathOf(uint32_t node, ParentOf parentOf, NameOf nameOf)
{
    std::vector<uint32_t> chain;
    for (uint32_t n = node; n != 0 && n != none; n = parentOf(n))
        chain.push_back(n);
    if (chain.empty())
        return "/";
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        out += '/';
        out += nameOf(*it);
    }
    return out;
}

// Pre-order from the root (children in name order), each node's "/"-rooted path built as it goes:
// `visit(node, path)` returns whether to descend into the node's children; childrenOf(node) gives
// {first, count}, nameOf(node) the node's name. From `start` (the root by default), whose parent's
// path is `parentPath` ("" for the root's children), the subtree of `start` alone.
template<typename ChildrenOf, typename NameOf, typename Visit>
void preOrder(ChildrenOf childrenOf, NameOf nameOf, Visit visit, uint32_t start = 0, std::string_view parentPath = {})
{
    struct Item {
        uint32_t node;
        size_t prefixLength;
    };
    std::vector<Item> pending{{start, parentPath.size()}};
    std::string path(parentPath);
    while (!pending.empty()) {
        const Item item = pending.back();
        pending.pop_back();
        path.resize(item.prefixLength);
        if (item.node != 0) {
            path += '/';
            path += nameOf(item.node);
        }
        if (!visit(item.node, path.empty() ? std::string_view("/") : std::string_view(path)))
            continue;
        const auto [first, count] = childrenOf(item.node);
        for (uint32_t c = first + count; c-- > first;)
            pending.push_back({c, path.size()});
    }
}

} // namespace strata::treewalk
