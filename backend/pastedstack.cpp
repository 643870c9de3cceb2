// SPDX-License-Identifier: GPL-3.0-or-later
#include "pastedstack.h"

#include <QRegularExpression>
#include <QStringList>

namespace strata {

namespace {

// mountinfo and mount(8) escape spaces, tabs, newlines and backslashes as \040 \011 \012 \134.
QString unescapeOctal(const QString &text)
{
    static const QRegularExpression octal(QStringLiteral(R"(\\([0-7]{3}))"));
    QString out = text;
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = octal.match(out, from)).hasMatch()) {
        const QChar c(char16_t(m.captured(1).toUShort(nullptr, 8)));
        out.replace(m.capturedStart(), m.capturedLength(), c);
        from = m.capturedStart() + 1;
    }
    return out;
}

QString jsonField(const QString &text, const QString &key)
{
    const QRegularExpression re(QStringLiteral("\"%1\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").arg(key));
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.captured(1).replace(QStringLiteral("\\\""), QStringLiteral("\"")).replace(QStringLiteral("\\\\"), QStringLiteral("\\")) : QString();
}

} // namespace

Expected<QString> optionsFromPastedText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("nothing to open: paste mount options, a line of mount or findmnt, or docker inspect's GraphDriver"));

    // docker inspect: GraphDriver.Data
    const QString lowerDir = jsonField(trimmed, QStringLiteral("LowerDir"));
    const QString upperDir = jsonField(trimmed, QStringLiteral("UpperDir"));
    if (!lowerDir.isEmpty() || !upperDir.isEmpty()) {
        QStringList options;
        if (lowerDir.isEmpty()) {
            // A single-layer image: its only layer is the UpperDir, read-only.
            options << QStringLiteral("lowerdir=") + upperDir;
        } else {
            options << QStringLiteral("lowerdir=") + lowerDir;
            options << QStringLiteral("upperdir=") + upperDir;
            const QString workDir = jsonField(trimmed, QStringLiteral("WorkDir"));
            if (workDir.isEmpty())
                return makeError(ErrorCode::InvalidSource, QStringLiteral("docker inspect data has UpperDir but no WorkDir"));
            options << QStringLiteral("workdir=") + workDir;
        }
        return options.join(u',');
    }

    // The first line that holds lowerdir= (mount, findmnt, mountinfo, or bare options).
    for (const QString &line : trimmed.split(u'\n')) {
        const qsizetype at = line.indexOf(QStringLiteral("lowerdir"));
        if (at < 0)
            continue;
        // The option list starts after "(" (mount), whitespace (findmnt/mountinfo) or the line start.
        qsizetype start = at;
        while (start > 0 && line.at(start - 1) != u'(' && !line.at(start - 1).isSpace())
            --start;
        qsizetype end = start;
        while (end < line.size() && line.at(end) != u')' && !line.at(end).isSpace())
            ++end;
        const QString options = unescapeOctal(line.mid(start, end - start));
        return options.startsWith(QStringLiteral("overlay:")) ? options.mid(8) : options;
    }
    return makeError(ErrorCode::InvalidSource, QStringLiteral("no lowerdir= found in the pasted text"));
}

} // namespace strata
