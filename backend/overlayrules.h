// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "layerindex.h"

#include <cstdint>
#include <string_view>

// The kernel's overlayfs rules, in one place (Documentation/filesystems/overlayfs.rst,
// fs/overlayfs/{namei,readdir,util}.c). Two halves:
//  - encodings: how marks on disk (0/0 devices, overlay xattrs in the trusted/user namespace) and
//    the OCI ".wh." names of tar layers become EntryFlags while a layer is indexed;
//  - predicates over indexed entries, shared by the merge (Merger), the union tree's visibility
//    (UnionTree) and provenance, so all three decide the same way.
// Each rule is headed "<name> rule" below: grep for "whiteout rule", "opaque rule", "redirect rule",
// "metacopy rule", "readdir rule", "lookup rule", "OCI whiteouts".
namespace strata::rules {

// ---- Whiteout rule --------------------------------------------------------------------------
// A whiteout hides the name in every layer below. Two spellings: a character device 0/0 (any
// directory), and, since Linux 6.7, an empty regular file carrying overlay.whiteout inside a
// directory marked to hold such files (overlay.opaque=x, or the older overlay.whiteouts marker).
constexpr bool isWhiteoutDevice(EntryType type, uint32_t rdevMajor, uint32_t rdevMinor)
{
    return type == EntryType::Char && rdevMajor == 0 && rdevMinor == 0;
}
// The "marked directory": its empty files with overlay.whiteout are whiteouts, and readdir has to
// filter it even when nothing is merged below it.
inline bool holdsXattrWhiteouts(const Entry &dir)
{
    return dir.has(FlagOpaqueX) || dir.has(FlagWhiteoutsMarker);
}
inline bool isXattrWhiteoutFile(const Entry &file, const Entry &parent)
{
    return file.type == EntryType::File && file.size == 0 && holdsXattrWhiteouts(parent);
}
inline bool isWhiteout(const Entry &e)
{
    return e.flags & (FlagWhiteout | FlagXattrWhiteout);
}

// ---- Opaque rule ----------------------------------------------------------------------------
// A directory with overlay.opaque=y hides everything below it at its path: lookup stops there.
// overlay.opaque=x is not opaque; it only marks a directory holding xattr whiteouts. The lowest
// layer's opaque mark has nothing to hide.
inline bool isOpaqueDir(const Entry &e)
{
    return e.type == EntryType::Dir && e.has(FlagOpaque);
}

// ---- Lookup rule ----------------------------------------------------------------------------
// ovl_lookup walks the layers top-down: a whiteout or a non-directory ends the walk (nothing below
// shows through it), a directory goes on to the layers below unless it is opaque.
inline bool endsLookup(const Entry &e)
{
    return isWhiteout(e) || e.type != EntryType::Dir;
}
inline bool hidesBelow(const Entry &e)
{
    return endsLookup(e) || isOpaqueDir(e);
}

// ---- Readdir rule ---------------------------------------------------------------------------
// A directory served by one layer alone is read straight from it (whiteouts listed, as phantoms),
// unless it may hold whiteouts: an origin (it was copied up) or a whiteout marker. Otherwise readdir
// lists the union of the stack's names, topmost first, without whiteouts.
inline bool readsDirectly(const Entry &top, size_t layersMerged)
{
    return layersMerged == 1 && !top.has(FlagOrigin) && !holdsXattrWhiteouts(top);
}

// ---- Redirect rule --------------------------------------------------------------------------
// overlay.redirect on a directory (a renamed dir, redirect_dir=on) or a metacopy file names where
// the lower layers hold its content: a single name (relative, same parent) or an absolute path from
// the layer roots. A relative value with a '/' is invalid and ignored. Followed only when the mount
// says so (redirect_dir=on|follow); nofollow refuses the lookup (EPERM).
enum class RedirectKind : uint8_t { None, Relative, Absolute, Invalid };
constexpr RedirectKind redirectKind(std::string_view target)
{
    if (target.empty())
        return RedirectKind::None;
    if (target.front() == '/')
        return RedirectKind::Absolute;
    return target.find('/') == std::string_view::npos ? RedirectKind::Relative : RedirectKind::Invalid;
}
inline bool isRedirectedDir(const Entry &e)
{
    return e.type == EntryType::Dir && e.has(FlagRedirect);
}

// ---- Metacopy rule --------------------------------------------------------------------------
// A regular file with overlay.metacopy carries metadata only: its data comes from the next lower
// version the lookup reaches (or, through an absolute redirect, from a data-only layer). Only
// regular files can be metacopy; following one needs metacopy=on (else EPERM), and a metacopy
// entry with no data below fails with EIO.
inline bool isMetacopy(const Entry &e)
{
    return e.type == EntryType::File && e.has(FlagMetacopy);
}
// A regular file that holds its own bytes (what a layer's size and "wasted" figures count).
inline bool holdsData(const Entry &e)
{
    return e.type == EntryType::File && !e.has(FlagMetacopy);
}

// ---- Encodings: overlay xattrs --------------------------------------------------------------
// The overlay xattr names, after the namespace prefix ("trusted.overlay." or, with userxattr,
// "user.overlay."). Decoding one adds flags to the entry; see decodeOverlayXattr.
enum class OverlayXattr : uint8_t { Opaque, Redirect, Metacopy, Origin, Impure, Whiteout, Whiteouts, Other };
OverlayXattr overlayXattrFromKey(std::string_view key);
// The flags an overlay xattr value adds to an entry whose parent is `parent` (the whiteout rule
// needs the parent's mark). Returns 0 for a value the kernel ignores.
uint16_t flagsFromOverlayXattr(OverlayXattr which, std::string_view value, bool valuePresent, const Entry &entry, const Entry *parent);
constexpr const char *xattrPrefix(bool userxattr)
{
    return userxattr ? "user.overlay." : "trusted.overlay.";
}

// ---- Encodings: OCI whiteouts (tar layers) --------------------------------------------------
// The image spec's whiteout names (image-spec layer.md "Whiteouts"), decoded while a tar layer is
// indexed into the same flags the overlay marks give:
//  - ".wh.NAME" hides NAME in the layers below. It never hides an entry of its own layer, whatever
//    the tar order: with no NAME in the layer it becomes a whiteout (FlagWhiteout, char 0/0, as the
//    overlay layer directory holds); with a directory NAME in the layer, that directory replaces
//    the one below instead of merging with it, i.e. it is opaque; a non-directory NAME hides the
//    lower one anyway (lookup rule).
//  - ".wh..wh..opq" makes its directory opaque (FlagOpaque), wherever it comes in the stream.
//  - Other ".wh..wh." names are reserved by the spec (aufs hard-link bookkeeping): not entries.
// A whiteout name itself never appears as an entry.
enum class OciName : uint8_t { Plain, Whiteout, OpaqueMarker, Reserved };
constexpr std::string_view ociWhiteoutPrefix = ".wh.";
constexpr std::string_view ociOpaqueMarker = ".wh..wh..opq";
constexpr OciName ociNameKind(std::string_view basename)
{
    if (basename.substr(0, ociWhiteoutPrefix.size()) != ociWhiteoutPrefix)
        return OciName::Plain;
    if (basename == ociOpaqueMarker)
        return OciName::OpaqueMarker;
    if (basename.substr(0, 2 * ociWhiteoutPrefix.size()) == ".wh..wh.")
        return OciName::Reserved;
    return basename.size() > ociWhiteoutPrefix.size() ? OciName::Whiteout : OciName::Reserved;
}
// NAME of a ".wh.NAME" whiteout.
constexpr std::string_view ociWhitedOutName(std::string_view basename)
{
    return basename.substr(ociWhiteoutPrefix.size());
}
// What an OCI whiteout of NAME does to the entry its own layer has at NAME (nullptr: none):
// flags to add to that entry, or, for no entry, that a whiteout entry is to be made.
struct OciWhiteoutEffect {
    bool makeWhiteout = false;
    uint16_t addFlags = 0;
};
inline OciWhiteoutEffect ociWhiteoutEffect(const Entry *sameLayerEntry)
{
    if (!sameLayerEntry)
        return {true, 0};
    return {false, uint16_t(sameLayerEntry->type == EntryType::Dir ? FlagOpaque : 0)};
}

} // namespace strata::rules
