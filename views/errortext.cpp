// SPDX-License-Identifier: GPL-3.0-or-later
#include "errortext.h"

#include <QCoreApplication>

#include <cstring>

namespace strata {

namespace {
// Sentence with the path (%1) and without it, per code.
QString sentence(ErrorCode code, const QString &path)
{
    const bool named = !path.isEmpty();
    switch (code) {
    case ErrorCode::Io:
        return named ? QCoreApplication::translate("ErrorText", "Reading or writing %1 failed.").arg(path) : QCoreApplication::translate("ErrorText", "A read or write failed.");
    case ErrorCode::Permission:
        return named ? QCoreApplication::translate("ErrorText", "Permission denied: %1.").arg(path) : QCoreApplication::translate("ErrorText", "Permission denied.");
    case ErrorCode::NotFound:
        return named ? QCoreApplication::translate("ErrorText", "%1 does not exist.").arg(path) : QCoreApplication::translate("ErrorText", "Something this needs does not exist.");
    case ErrorCode::NotADirectory:
        return named ? QCoreApplication::translate("ErrorText", "%1 is not a directory.").arg(path) : QCoreApplication::translate("ErrorText", "A layer is not a directory.");
    case ErrorCode::InvalidSource:
        return named ? QCoreApplication::translate("ErrorText", "Strata cannot read this source: %1.").arg(path) : QCoreApplication::translate("ErrorText", "Strata cannot read this source.");
    case ErrorCode::InvalidOption:
        return named ? QCoreApplication::translate("ErrorText", "The kernel would refuse this overlay option: %1.").arg(path) : QCoreApplication::translate("ErrorText", "The kernel would refuse these overlay options.");
    case ErrorCode::Cancelled:
        return QCoreApplication::translate("ErrorText", "Cancelled.");
    case ErrorCode::Corrupt:
        return named ? QCoreApplication::translate("ErrorText", "%1 holds malformed data.").arg(path) : QCoreApplication::translate("ErrorText", "Malformed data.");
    case ErrorCode::LimitExceeded:
        return named ? QCoreApplication::translate("ErrorText", "%1 is beyond a size or count limit.").arg(path) : QCoreApplication::translate("ErrorText", "A size or count limit was reached.");
    case ErrorCode::Unsupported:
        return named ? QCoreApplication::translate("ErrorText", "Not supported for %1.").arg(path) : QCoreApplication::translate("ErrorText", "Not supported.");
    }
    return QCoreApplication::translate("ErrorText", "Unknown error.");
}
}

QString errorText(const Error &error)
{
    QString text = sentence(error.code, error.path);
    // The English detail and the system's message help a bug report; they are not the sentence.
    QStringList detail;
    if (!error.detail.isEmpty() && !error.is(ErrorCode::Cancelled))
        detail << error.detail;
    if (error.sysErrno != 0)
        detail << QString::fromLocal8Bit(std::strerror(error.sysErrno));
    if (!detail.isEmpty())
        text += QStringLiteral(" (%1)").arg(detail.join(QStringLiteral(": ")));
    return text;
}

} // namespace strata
