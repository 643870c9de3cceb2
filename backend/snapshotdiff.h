// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <unordered_map>
#include <vector>

namespace strata {

// How two snapshots of one stack (same layers, e.g. before and after OverlayStack::reload) relate,
// for applying the newer one as an update: rows are matched by path, since node ids are positions
// in each snapshot's arrays and change whenever a row is inserted or removed.

// Old node → the node at the same path in the new snapshot (noUnion: gone). Memoized, so shared
// ancestors are looked up once; no recursion, trees may be thousands of levels deep.
class SnapshotNodeMapper
{
public:
    SnapshotNodeMapper(const OverlayStack &from, const OverlayStack &to);
    UnionId map(UnionId node);

private:
    const OverlayStack &m_from;
    const OverlayStack &m_to;
    std::unordered_map<UnionId, UnionId> m_map;
    std::vector<UnionId> m_chain;
};

// Same rows in the same places: every node has the same parent, children and name.
bool sameShape(const OverlayStack &a, const OverlayStack &b);
// Whether node `n` (at the same place in both, see sameShape()) shows the same in every column.
bool sameRow(const OverlayStack &a, const OverlayStack &b, UnionId n);

} // namespace strata
