// SPDX-License-Identifier: GPL-3.0-or-later
#include "changestyle.h"

#include <QCoreApplication>

namespace strata {

bool ChangeStyle::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor ChangeStyle::color(ChangeKind kind, const QPalette &palette)
{
    // Okabe–Ito based hues: distinguishable with the common colour-vision deficiencies.
    QColor c;
    switch (kind) {
    case ChangeKind::Added:
        c = QColor(0x00, 0x9E, 0x73);
        break;
    case ChangeKind::Modified:
        c = QColor(0xE6, 0x9F, 0x00);
        break;
    case ChangeKind::MetadataOnly:
        c = QColor(0xCC, 0x79, 0xA7);
        break;
    case ChangeKind::ReplacedType:
        c = QColor(0xD5, 0x5E, 0x00);
        break;
    case ChangeKind::Deleted:
        c = QColor(0xD0, 0x30, 0x30);
        break;
    case ChangeKind::OrphanWhiteout:
    case ChangeKind::Phantom:
        c = QColor(0x99, 0x99, 0x99);
        break;
    case ChangeKind::Opaque:
        c = QColor(0x56, 0x3C, 0x9C);
        break;
    case ChangeKind::Redirected:
        c = QColor(0x00, 0x72, 0xB2);
        break;
    case ChangeKind::CopiedUp:
        c = QColor(0x56, 0xB4, 0xE9);
        break;
    case ChangeKind::Metacopy:
        c = QColor(0x88, 0x66, 0xCC);
        break;
    case ChangeKind::Unchanged:
    case ChangeKind::Absent:
        return palette.color(QPalette::Text);
    }
    if (isDark(palette))
        c = c.lighter(135);
    return c;
}

QString ChangeStyle::glyph(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Added:
        return QStringLiteral("+");
    case ChangeKind::Modified:
        return QStringLiteral("~");
    case ChangeKind::MetadataOnly:
        return QStringLiteral("◐");
    case ChangeKind::ReplacedType:
        return QStringLiteral("⇄");
    case ChangeKind::Deleted:
        return QStringLiteral("✖");
    case ChangeKind::OrphanWhiteout:
        return QStringLiteral("⊘");
    case ChangeKind::Phantom:
        return QStringLiteral("◌");
    case ChangeKind::Opaque:
        return QStringLiteral("▦");
    case ChangeKind::Redirected:
        return QStringLiteral("↪");
    case ChangeKind::CopiedUp:
        return QStringLiteral("⇡");
    case ChangeKind::Metacopy:
        return QStringLiteral("◑");
    case ChangeKind::Unchanged:
        return QStringLiteral("·");
    case ChangeKind::Absent:
        break;
    }
    return {};
}

QString ChangeStyle::label(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Absent:
        return QCoreApplication::translate("ChangeStyle", "absent");
    case ChangeKind::Unchanged:
        return QCoreApplication::translate("ChangeStyle", "unchanged");
    case ChangeKind::Added:
        return QCoreApplication::translate("ChangeStyle", "added");
    case ChangeKind::Modified:
        return QCoreApplication::translate("ChangeStyle", "modified");
    case ChangeKind::MetadataOnly:
        return QCoreApplication::translate("ChangeStyle", "metadata only");
    case ChangeKind::ReplacedType:
        return QCoreApplication::translate("ChangeStyle", "replaced type");
    case ChangeKind::Deleted:
        return QCoreApplication::translate("ChangeStyle", "deleted");
    case ChangeKind::OrphanWhiteout:
        return QCoreApplication::translate("ChangeStyle", "orphan whiteout");
    case ChangeKind::Phantom:
        return QCoreApplication::translate("ChangeStyle", "phantom");
    case ChangeKind::Opaque:
        return QCoreApplication::translate("ChangeStyle", "opaque");
    case ChangeKind::Redirected:
        return QCoreApplication::translate("ChangeStyle", "redirected");
    case ChangeKind::CopiedUp:
        return QCoreApplication::translate("ChangeStyle", "copied up");
    case ChangeKind::Metacopy:
        return QCoreApplication::translate("ChangeStyle", "metacopy");
    }
    return {};
}

QString ChangeStyle::explanation(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Absent:
        return QCoreApplication::translate("ChangeStyle", "This layer has nothing at this path.");
    case ChangeKind::Unchanged:
        return QCoreApplication::translate("ChangeStyle", "Present and the same as the version below.");
    case ChangeKind::Added:
        return QCoreApplication::translate("ChangeStyle", "New in this layer: nothing below it has this path.");
    case ChangeKind::Modified:
        return QCoreApplication::translate("ChangeStyle", "The content differs from the version below, which it hides.");
    case ChangeKind::MetadataOnly:
        return QCoreApplication::translate("ChangeStyle", "Contents identical, only metadata changed (a full copy): permissions or owner differ, yet the whole file was copied.");
    case ChangeKind::ReplacedType:
        return QCoreApplication::translate("ChangeStyle", "A different kind of entry (for example a directory instead of a file) replaces the one below.");
    case ChangeKind::Deleted:
        return QCoreApplication::translate("ChangeStyle", "A whiteout: the kernel keeps a 0/0 character device with this name so the merged view hides the version below.");
    case ChangeKind::OrphanWhiteout:
        return QCoreApplication::translate("ChangeStyle", "A whiteout that hides nothing: no layer below has this path.");
    case ChangeKind::Phantom:
        return QCoreApplication::translate("ChangeStyle", "A whiteout in a directory that is not merged: the kernel lists the name, but looking it up fails (No such file or directory).");
    case ChangeKind::Opaque:
        return QCoreApplication::translate("ChangeStyle", "An opaque directory: everything below it in lower layers is hidden.");
    case ChangeKind::Redirected:
        return QCoreApplication::translate("ChangeStyle", "A renamed directory: its lower content is found at the path its redirect xattr names.");
    case ChangeKind::CopiedUp:
        return QCoreApplication::translate("ChangeStyle", "Copied up from a lower layer (its origin xattr names the lower entry) and otherwise unchanged.");
    case ChangeKind::Metacopy:
        return QCoreApplication::translate("ChangeStyle", "Metacopy: metadata copied up; the data is still read from the layer below.");
    }
    return {};
}

} // namespace strata
