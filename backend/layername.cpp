// SPDX-License-Identifier: GPL-3.0-or-later
#include "layername.h"

#include <QDir>
#include <QFileInfo>

namespace strata {

namespace {

bool isStorageLeaf(const QString &name)
{
    return name == u"diff" || name == u"fs";
}

// "4f2c…(64 hex)…-init" → "4f2c1d9e0b7a-init".
QString shortenId(const QString &name)
{
    qsizetype hex = 0;
    while (hex < name.size() && isxdigit(name[hex].unicode()) && name[hex].unicode() < 128)
        ++hex;
    if (hex < 24)
        return name;
    return name.left(12) + name.mid(hex);
}

QString nameOf(const QString &path)
{
    const QString clean = QDir::cleanPath(path);
    const QString leaf = clean.section(u'/', -1);
    if (isStorageLeaf(leaf)) {
        const QString parent = clean.section(u'/', -2, -2);
        if (!parent.isEmpty())
            return shortenId(parent);
    }
    return shortenId(leaf.isEmpty() ? clean : leaf);
}

} // namespace

QString layerDisplayName(const QString &path)
{
    const QString clean = QDir::cleanPath(path);
    // Docker's overlay2/l/<26 chars>: a symlink to ../<cache-id>/diff, what mount options name.
    if (clean.section(u'/', -2, -2) == u"l") {
        const QFileInfo info(clean);
        if (info.isSymLink()) {
            const QString target = info.symLinkTarget();
            if (!target.isEmpty())
                return nameOf(target);
        }
    }
    return nameOf(clean);
}

} // namespace strata
