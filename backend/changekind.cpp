// SPDX-License-Identifier: GPL-3.0-or-later
#include "changekind.h"

#include <array>

namespace strata {

namespace {
constexpr std::array<std::string_view, changeKindCount> names = {
    "absent",
    "unchanged",
    "added",
    "modified",
    "metadata-only",
    "replaced-type",
    "deleted",
    "orphan-whiteout",
    "phantom",
    "opaque",
    "redirected",
    "copied-up",
    "metacopy",
};
}

std::string_view changeKindName(ChangeKind kind)
{
    return names[size_t(kind)];
}

std::optional<ChangeKind> changeKindFromName(std::string_view name)
{
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name)
            return ChangeKind(i);
    }
    return std::nullopt;
}

} // namespace strata
