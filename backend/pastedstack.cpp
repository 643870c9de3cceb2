// SPDX-License-Identifier: GPL-3.0-or-later
#include "pastedstack.h"

#include "source.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include <optional>

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

// docker inspect's GraphDriver.Data, wherever it sits in what was pasted: the whole inspect array,
// the GraphDriver object, the Data object, or a bare run of "Key": "value" pairs.
std::optional<QJsonObject> findGraphDriverData(const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.contains(QStringLiteral("LowerDir")) || object.contains(QStringLiteral("UpperDir")))
            return object;
        for (const QJsonValue &child : object) {
            if (auto found = findGraphDriverData(child))
                return found;
        }
    } else if (value.isArray()) {
        for (const QJsonValue &child : value.toArray()) {
            if (auto found = findGraphDriverData(child))
                return found;
        }
    }
    return std::nullopt;
}

std::optional<QJsonObject> parseGraphDriverData(const QString &text)
{
    if (!text.contains(QStringLiteral("\"LowerDir\"")) && !text.contains(QStringLiteral("\"UpperDir\"")))
        return std::nullopt;
    QString candidate = text;
    for (int attempt = 0; attempt < 2; ++attempt) {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(candidate.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError)
            return findGraphDriverData(document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()));
        // A fragment copied from the middle of the output: make it one object.
        QString trimmed = text.trimmed();
        while (trimmed.endsWith(u','))
            trimmed.chop(1);
        candidate = u'{' + trimmed + u'}';
    }
    return std::nullopt;
}

} // namespace

Expected<QString> optionsFromPastedText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("nothing to open: paste mount options, a line of mount or findmnt, or docker inspect's GraphDriver"));

    // docker inspect: GraphDriver.Data
    if (const auto data = parseGraphDriverData(trimmed)) {
        const QString lowerDir = data->value(QStringLiteral("LowerDir")).toString();
        const QString upperDir = data->value(QStringLiteral("UpperDir")).toString();
        if (lowerDir.isEmpty() && upperDir.isEmpty())
            return makeError(ErrorCode::InvalidSource, QStringLiteral("docker inspect data has neither LowerDir nor UpperDir"));
        QStringList options;
        if (lowerDir.isEmpty()) {
            // A single-layer image: its only layer is the UpperDir, read-only.
            options << QStringLiteral("lowerdir=") + upperDir;
        } else {
            options << QStringLiteral("lowerdir=") + lowerDir;
            options << QStringLiteral("upperdir=") + upperDir;
            const QString workDir = data->value(QStringLiteral("WorkDir")).toString();
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
        // Someone may paste a SOURCE string of ours.
        const auto address = parseSourceAddress(options);
        return address && address->kind == SourceKind::Overlay ? address->argument : options;
    }
    return makeError(ErrorCode::InvalidSource, QStringLiteral("no lowerdir= found in the pasted text"));
}

} // namespace strata
