// SPDX-License-Identifier: GPL-3.0-or-later
#include "overlayrules.h"

namespace strata::rules {

OverlayXattr overlayXattrFromKey(std::string_view key)
{
    if (key == "opaque")
        return OverlayXattr::Opaque;
    if (key == "redirect")
        return OverlayXattr::Redirect;
    if (key == "metacopy")
        return OverlayXattr::Metacopy;
    if (key == "origin")
        return OverlayXattr::Origin;
    if (key == "impure")
        return OverlayXattr::Impure;
    if (key == "whiteout")
        return OverlayXattr::Whiteout;
    if (key == "whiteouts")
        return OverlayXattr::Whiteouts;
    return OverlayXattr::Other;
}

uint16_t flagsFromOverlayXattr(OverlayXattr which, std::string_view value, bool valuePresent, const Entry &entry, const Entry *parent)
{
    switch (which) {
    case OverlayXattr::Opaque:
        return value == "y" ? FlagOpaque : value == "x" ? FlagOpaqueX : 0;
    case OverlayXattr::Redirect:
        return value.empty() ? 0 : FlagRedirect;
    case OverlayXattr::Metacopy:
        return valuePresent ? FlagMetacopy : 0;
    case OverlayXattr::Origin:
        return FlagOrigin;
    case OverlayXattr::Impure:
        return FlagImpure;
    case OverlayXattr::Whiteout:
        // Honoured only as an empty file in a marked directory (see the whiteout rule).
        return parent && isXattrWhiteoutFile(entry, *parent) ? FlagXattrWhiteout : 0;
    case OverlayXattr::Whiteouts:
        return FlagWhiteoutsMarker;
    case OverlayXattr::Other:
        return 0;
    }
    return 0;
}

} // namespace strata::rules
