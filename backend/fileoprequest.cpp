// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileoprequest.h"

#include "lesson.h"

#include <QStringList>

namespace strata {

namespace {

bool isIntegerField(QStringView key)
{
    static const QStringList integers = {QStringLiteral("mode"), QStringLiteral("uid"), QStringLiteral("gid"), QStringLiteral("size"),
                                         QStringLiteral("offset"), QStringLiteral("atime"), QStringLiteral("mtime")};
    return integers.contains(key);
}

QString escapeWord(QString s)
{
    return s.replace(u'%', QStringLiteral("%25")).replace(u' ', QStringLiteral("%20")).replace(u'\n', QStringLiteral("%0A"));
}

QString unescapeWord(QString s)
{
    return s.replace(QStringLiteral("%20"), QStringLiteral(" ")).replace(QStringLiteral("%0A"), QStringLiteral("\n")).replace(QStringLiteral("%25"), QStringLiteral("%"));
}

} // namespace

Expected<FileOpRequest> requestForAction(const LessonAction &action)
{
    FileOpRequest r{action.op, QJsonObject{{QStringLiteral("path"), action.path}}};
    bool ok = true;
    const QString &op = action.op;
    if (op == u"create" || op == u"write" || op == u"append") {
        r.args.insert(QStringLiteral("data"), action.argument);
    } else if (op == u"truncate") {
        r.args.insert(QStringLiteral("size"), action.argument.toLongLong(&ok));
    } else if (op == u"chmod" || op == u"mkdir") {
        r.args.insert(QStringLiteral("mode"), qint64(action.argument.isEmpty() ? 0755 : action.argument.toUInt(&ok, 8)));
    } else if (op == u"chown") {
        bool gidOk = true;
        r.args.insert(QStringLiteral("uid"), action.argument.section(u':', 0, 0).toLongLong(&ok));
        r.args.insert(QStringLiteral("gid"), action.argument.section(u':', 1, 1).toLongLong(&gidOk));
        ok = ok && gidOk;
    } else if (op == u"touch") {
        // utimes without times: the helper sets both to now (nanoseconds of today exceed JSON's 2^53).
        r.op = QStringLiteral("utimes");
    } else if (op == u"rename" || op == u"link") {
        r.args.insert(QStringLiteral("to"), action.argument);
    } else if (op == u"symlink") {
        r.args.insert(QStringLiteral("target"), action.argument);
    } else if (op == u"setxattr") {
        r.args.insert(QStringLiteral("name"), action.argument.section(u'=', 0, 0));
        r.args.insert(QStringLiteral("value"), action.argument.section(u'=', 1));
    } else if (op == u"removexattr") {
        r.args.insert(QStringLiteral("name"), action.argument);
    } else if (op == u"keep-open") {
        r.op = QStringLiteral("open");
    }
    if (!ok)
        return makeError(ErrorCode::InvalidOption, QStringLiteral("%1 %2: '%3' is not a valid argument").arg(action.op, action.path, action.argument));
    return r;
}

Expected<FileOpRequest> parseScriptLine(const QString &line)
{
    const QStringList words = line.split(u' ', Qt::SkipEmptyParts);
    if (words.size() < 2)
        return makeError(ErrorCode::InvalidOption, QStringLiteral("a script line is OP PATH [key=value ...]: '%1'").arg(line));
    FileOpRequest r{words[0], QJsonObject{{QStringLiteral("path"), unescapeWord(words[1])}}};
    for (qsizetype i = 2; i < words.size(); ++i) {
        const qsizetype eq = words[i].indexOf(u'=');
        if (eq <= 0)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("'%1' is not key=value").arg(words[i]));
        const QString key = words[i].left(eq), value = unescapeWord(words[i].mid(eq + 1));
        if (isIntegerField(key)) {
            bool ok = false;
            const qlonglong n = value.toLongLong(&ok, key == u"mode" ? 8 : 10);
            if (!ok)
                return makeError(ErrorCode::InvalidOption, QStringLiteral("%1 needs a number, not '%2'").arg(key, value));
            r.args.insert(key, n);
        } else {
            r.args.insert(key, value);
        }
    }
    return r;
}

QString scriptLine(const FileOpRequest &request)
{
    QStringList words{request.op, escapeWord(request.args.value(QStringLiteral("path")).toString())};
    for (auto it = request.args.begin(); it != request.args.end(); ++it) {
        if (it.key() == u"path" || it.key() == u"mount")
            continue;
        QString value;
        if (it.key() == u"mode")
            value = QLatin1Char('0') + QString::number(it.value().toInteger(), 8);
        else if (it.value().isDouble())
            value = QString::number(it.value().toInteger());
        else
            value = escapeWord(it.value().toString());
        words << it.key() + u'=' + value;
    }
    return words.join(u' ');
}

} // namespace strata
