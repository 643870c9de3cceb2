// SPDX-License-Identifier: GPL-3.0-or-later
#include "storagefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonParseError>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "uniquefd.h"

namespace strata::storagefiles {

Expected<QByteArray> readFile(const QString &path, const QString &what, qint64 cap)
{
    UniqueFd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd)
        return errorFromErrno(errno, path, QStringLiteral("cannot read %1 %2").arg(what, path));
    QByteArray data;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno(errno, path, QStringLiteral("cannot read %1 %2").arg(what, path));
        }
        if (n == 0)
            break;
        if (data.size() + n > cap)
            return Error{ErrorCode::LimitExceeded, 0, path,
                         QStringLiteral("%1 %2 is larger than %3 MiB, more than such a file ever holds").arg(what, path).arg(cap / (1024 * 1024.0), 0, 'g', 3)};
        data.append(buffer, n);
    }
    return data;
}

Expected<QJsonDocument> readJson(const QString &path, const QString &what)
{
    auto data = readFile(path, what);
    if (!data)
        return data.error();
    QJsonParseError parseError{};
    QJsonDocument document = QJsonDocument::fromJson(*data, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::Corrupt, 0, path,
                     QStringLiteral("%1 %2 is not valid JSON (%3 at byte %4)").arg(what, path, parseError.errorString()).arg(parseError.offset)};
    return document;
}

Expected<QString> readIdFile(const QString &path, const QString &what)
{
    auto data = readFile(path, what, maxIdFileBytes);
    if (!data)
        return data.error();
    const QString id = QString::fromUtf8(data->trimmed());
    if (!isSafeComponent(id))
        return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("%1 %2 holds '%3', not an id").arg(what, path, id.left(80))};
    return id;
}

bool isSafeComponent(const QString &name)
{
    return !name.isEmpty() && name != u"." && name != u".." && !name.contains(u'/') && !name.contains(QChar(0)) && !name.contains(u'\n');
}

bool looksLikeIdPrefix(const QString &text)
{
    if (text.size() < 12 || text.size() > 64)
        return false;
    for (QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

QString withoutDigestAlgorithm(const QString &text)
{
    return text.startsWith(QStringLiteral("sha256:")) ? text.mid(7) : text;
}

Expected<QString> layerDirectoryInside(const QString &root, const QString &path, const QString &what)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return Error{ErrorCode::NotFound, ENOENT, path, QStringLiteral("%1 %2 is missing").arg(what, path)};
    const QString resolved = info.canonicalFilePath();
    const QString resolvedRoot = QFileInfo(root).canonicalFilePath();
    if (resolved.isEmpty() || resolvedRoot.isEmpty() || !resolved.startsWith(resolvedRoot + u'/'))
        return Error{ErrorCode::Corrupt, 0, path,
                     QStringLiteral("%1 %2 leads outside the storage root %3 (to %4)").arg(what, path, root, resolved.isEmpty() ? QStringLiteral("nowhere") : resolved)};
    if (!info.isDir())
        return Error{ErrorCode::NotADirectory, ENOTDIR, path, QStringLiteral("%1 %2 is not a directory").arg(what, path)};
    return path;
}

StorageReference splitStorageReference(const QString &argument, const QString &defaultRoot, const QString &baseDir)
{
    StorageReference out;
    if (argument.startsWith(u'/') || argument.startsWith(u'.')) {
        const qsizetype colon = argument.indexOf(u':');
        const QString root = colon < 0 ? argument : argument.left(colon);
        out.root = QDir::cleanPath(QDir(baseDir).absoluteFilePath(root));
        out.reference = colon < 0 ? QString() : argument.mid(colon + 1);
        out.rootGiven = true;
    } else {
        out.root = defaultRoot;
        out.reference = argument;
    }
    return out;
}

} // namespace strata::storagefiles
