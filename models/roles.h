// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qt>

namespace strata {

// Semantic roles only: views decide colours and glyphs.
enum ItemRole {
    ChangeKindRole = Qt::UserRole + 1, // int(ChangeKind) of this cell
    EntryTypeRole, // int(EntryType), -1 when absent
    ProviderLayerRole, // merged column: the layer providing the entry
    SizeRole, // qulonglong
    ModeRole, // permission bits
    OwnerRole, // "uid:gid"
    LinkTargetRole, // symlink target
    PathRole, // "/" rooted path of the row
    PresentRole, // bool: the layer (or merged view) has an entry here
    HiddenVersionsRole, // number of versions below the provider that the merged view hides
    DepthRole, // nesting depth of the row (0 for top-level entries)
    LookupErrorRole, // merged column: errno of a failing lookup (phantom: ENOENT)
    ProblemRole, // QString: what could not be read of this cell's entry (an unreadable directory); empty: none
    TotalSizeRole, // qulonglong: a file's bytes, a directory's recursive total (layer columns: what the layer stores); invalid when unknown
    OutsideViewRole, // bool: the cell's layer lies above the layer the tree is shown "as of" (UnionTreeModel::setAsOfLayer)
};

} // namespace strata
