// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerindex.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata {

// Builds a LayerIndex from entries given in any order — a tar stream's order, where a file can
// come before its directory and a path can appear twice — then seals them into the compact arena
// the directory scanner makes (children contiguous and sorted by name bytes, entry 0 the root).
// The merge cannot tell the two apart, which is what lets image layers use the same engine.
class LayerIndexBuilder
{
public:
    explicit LayerIndexBuilder(QString origin = {});

    // Adds (or, for a path seen before, replaces: the last one wins, as when a tar is extracted)
    // the entry at `path` ("a/b", "/a/b" and "./a/b" are the same; "" or "/" is the root).
    // Missing parent directories are implied (0755, owned by root) until their own entry comes.
    // Only the metadata fields of `entry` are used (type, mode, owner, nlink, size, mtime, flags).
    // Errors: a ".." component, a name longer than 65535 bytes, more entries than an index holds,
    // or a non-directory for the root itself ("." or "/" as a symlink: the root stays as it was).
    // `contentOffset`: where the entry's bytes start in the layer's stream (tar layers: the
    // member's header position), kept in LayerIndex::contentOffsets; noContentOffset for none.
    std::optional<Error> add(std::string_view path, const Entry &entry, EntryExtra extra = {}, uint64_t contentOffset = noContentOffset);
    size_t size() const { return m_nodes.size(); }

    // The entry at `path` so far, added or implied (nullptr when there is none): for fix-ups that
    // need the whole stream first (tar hardlinks, OCI whiteouts). Valid until the next add().
    struct Found {
        Entry *entry;
        uint64_t contentOffset;
        bool implied; // a parent directory no entry of its own has described
        const EntryExtra *extra; // symlink target, rdev, xattr names; nullptr when none
    };
    std::optional<Found> lookup(std::string_view path);

    // Entries below a non-directory (a file, or a symlink: "loophole/file") are never resolved
    // through it: dropped with what is below them, each an ErrorCode::Corrupt problem naming both
    // paths in LayerIndex::problems. Errors: only limits (more name bytes than an index holds).
    Expected<LayerIndex> seal() &&;

private:
    struct Node {
        std::string name;
        uint32_t parent = 0;
        Entry entry;
        uint32_t extra = 0; // index into m_extras; 0 = none (a tar bomb's entries stay small)
        bool implied = true;
        uint64_t contentOffset = noContentOffset;
        std::vector<uint32_t> children;
    };
    uint32_t nodeFor(uint32_t parent, std::string_view name);
    std::string pathOf(uint32_t node) const;

    QString m_origin;
    std::vector<Node> m_nodes; // m_nodes[0] is the root
    std::vector<EntryExtra> m_extras{1};
    std::unordered_map<std::string, uint32_t> m_byKey; // parent id (4 bytes) + name → node
};

} // namespace strata
