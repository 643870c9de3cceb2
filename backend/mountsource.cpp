// SPDX-License-Identifier: GPL-3.0-or-later
#include "mountsource.h"

#include "storagefiles.h"

#include <QDir>
#include <QFileInfo>

namespace strata {

namespace {

// mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134.
QString unescapeOctal(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const char c = field[i];
        if (c == '\\' && i + 3 < field.size()) {
            const QByteArray digits = field.mid(i + 1, 3);
            bool ok = digits.size() == 3;
            for (char d : digits)
                ok = ok && d >= '0' && d <= '7';
            if (ok) {
                out += char(digits.toInt(nullptr, 8));
                i += 3;
                continue;
            }
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

// True when every layer path in the options is absolute: the kernel prints them as they were given,
// and a relative one depends on the mounting process's working directory, which nothing records.
bool layerPathsAreAbsolute(const QString &options)
{
    for (const QString &option : options.split(u',')) {
        const qsizetype eq = option.indexOf(u'=');
        const QString key = option.left(eq);
        if (eq < 0 || !(key == u"lowerdir" || key == u"lowerdir+" || key == u"datadir+" || key == u"upperdir" || key == u"workdir"))
            continue;
        const QString value = option.mid(eq + 1);
        for (qsizetype i = 0; i < value.size(); ++i) {
            const bool startsPath = i == 0 || (value[i - 1] == u':' && (i < 2 || value[i - 2] != u'\\'));
            if (startsPath && value[i] != u'/' && value[i] != u':')
                return false;
        }
    }
    return true;
}

} // namespace

std::vector<MountInfoEntry> parseMountInfo(const QByteArray &text)
{
    std::vector<MountInfoEntry> mounts;
    for (const QByteArray &line : text.split('\n')) {
        // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype separator = fields.indexOf(QByteArray("-"), 6);
        if (fields.size() < 7 || separator < 0 || separator + 2 >= fields.size())
            continue;
        // The kernel separates fields by one space and writes absolute mount points; a line with
        // an empty field or a relative mount point is not its (found by fuzz_mountinfo).
        if (!fields[4].startsWith('/') || fields[separator + 1].isEmpty())
            continue;
        MountInfoEntry entry;
        entry.mountPoint = unescapeOctal(fields[4]);
        entry.fsType = unescapeOctal(fields[separator + 1]);
        entry.mountSource = unescapeOctal(fields[separator + 2]);
        entry.superOptions = separator + 3 < fields.size() ? unescapeOctal(fields[separator + 3]) : QString();
        mounts.push_back(std::move(entry));
    }
    return mounts;
}

Expected<std::vector<MountInfoEntry>> readMountInfo(const QString &path)
{
    auto text = storagefiles::readFile(path, QStringLiteral("the mount table"));
    if (!text)
        return text.error();
    return parseMountInfo(*text);
}

Expected<OverlayConfig> overlayConfigOfMount(const MountInfoEntry &mount, const OverlayDefaults &defaults)
{
    if (!layerPathsAreAbsolute(mount.superOptions))
        return Error{ErrorCode::Unsupported, 0, mount.mountPoint,
                     QStringLiteral("the overlay at %1 names its layers by paths relative to the directory its mounter worked in, which the mount table does not record (%2)")
                         .arg(mount.mountPoint, mount.superOptions.left(200))};
    auto config = OverlayConfig::parse(mount.superOptions, QStringLiteral("/"), defaults);
    if (!config)
        return Error{config.error().code, 0, mount.mountPoint, QStringLiteral("the overlay at %1: %2").arg(mount.mountPoint, config.error().message())};
    return config;
}

Expected<OverlayConfig> overlayMountAt(const QString &path, const QString &baseDir, const std::vector<MountInfoEntry> &mounts, const OverlayDefaults &defaults)
{
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("mount: needs the path of an overlay mount point (`strata-cli mounts` lists them)"));
    const QString absolute = QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
    const QString canonical = QFileInfo(absolute).canonicalFilePath();
    if (canonical.isEmpty())
        return Error{ErrorCode::NotFound, ENOENT, absolute, QStringLiteral("%1 does not exist").arg(absolute)};
    // The last mount on a path is the one covering it (mounts stack).
    const MountInfoEntry *exact = nullptr;
    const MountInfoEntry *enclosing = nullptr;
    for (const MountInfoEntry &m : mounts) {
        if (m.mountPoint == canonical)
            exact = &m;
        else if ((canonical.startsWith(m.mountPoint + u'/') || m.mountPoint == u"/") && (!enclosing || m.mountPoint.size() >= enclosing->mountPoint.size()))
            enclosing = &m;
    }
    if (!exact) {
        if (enclosing && enclosing->fsType == u"overlay")
            return Error{ErrorCode::InvalidSource, 0, canonical,
                         QStringLiteral("%1 is inside the overlay mounted at %2, not its root; use mount:%2").arg(canonical, enclosing->mountPoint)};
        return Error{ErrorCode::InvalidSource, 0, canonical,
                     QStringLiteral("%1 is not a mount point (it lies on the %2 mount at %3); `strata-cli mounts` lists the overlay mounts")
                         .arg(canonical, enclosing ? enclosing->fsType : QStringLiteral("?"), enclosing ? enclosing->mountPoint : QStringLiteral("?"))};
    }
    if (exact->fsType != u"overlay")
        return Error{ErrorCode::InvalidSource, 0, canonical, QStringLiteral("%1 is a %2 mount, not overlay").arg(canonical, exact->fsType)};
    return overlayConfigOfMount(*exact, defaults);
}

} // namespace strata
