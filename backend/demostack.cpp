// SPDX-License-Identifier: GPL-3.0-or-later
#include "demostack.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace strata {

namespace {
bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}
}

Expected<QString> createDemoStack(const QString &parentDir)
{
    const QDir root(parentDir);
    for (const char *dir : {"image1", "image2", "upper", "work", "merge"}) {
        if (!root.mkpath(QLatin1StringView(dir)))
            return makeError(ErrorCode::Io, QStringLiteral("cannot create %1/%2").arg(parentDir, QLatin1StringView(dir)));
    }
    const bool ok = writeFile(root.filePath(QStringLiteral("image1/a.txt")), "a from image1\n")
        && writeFile(root.filePath(QStringLiteral("image2/b.txt")), "b from image2\n")
        && writeFile(root.filePath(QStringLiteral("image2/c.txt")), "c from image2\n")
        && writeFile(root.filePath(QStringLiteral("upper/b.txt")), "b from image2\nchanged in the container\n");
    if (!ok)
        return makeError(ErrorCode::Io, QStringLiteral("cannot write the demo files under %1").arg(parentDir));
    const QByteArray whiteout = QFile::encodeName(root.filePath(QStringLiteral("upper/a.txt")));
    ::unlink(whiteout.constData());
    if (::mknod(whiteout.constData(), S_IFCHR | 0000, makedev(0, 0)) != 0)
        return errorFromErrno(errno, QFile::decodeName(whiteout), QStringLiteral("cannot create the whiteout (a 0/0 character device)"));
    return QStringLiteral("overlay:lowerdir=%1:%2,upperdir=%3,workdir=%4")
        .arg(root.filePath(QStringLiteral("image2")), root.filePath(QStringLiteral("image1")), root.filePath(QStringLiteral("upper")),
             root.filePath(QStringLiteral("work")));
}

} // namespace strata
