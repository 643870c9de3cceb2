// SPDX-License-Identifier: GPL-3.0-or-later
#include "error.h"

#include <array>
#include <cerrno>
#include <cstring>

namespace strata {

namespace {
constexpr std::array<std::string_view, errorCodeCount> codeNames = {
    "io", "permission", "not-found", "not-a-directory", "invalid-source", "invalid-option", "cancelled", "corrupt", "limit-exceeded", "unsupported",
};
}

std::string_view errorCodeName(ErrorCode code)
{
    return codeNames[size_t(code)];
}

ErrorCode errorCodeFromErrno(int error)
{
    switch (error) {
    case EACCES:
    case EPERM:
        return ErrorCode::Permission;
    case ENOENT:
        return ErrorCode::NotFound;
    case ENOTDIR:
        return ErrorCode::NotADirectory;
    case ENAMETOOLONG:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EFBIG:
        return ErrorCode::LimitExceeded;
    case ENOSYS:
    case EOPNOTSUPP:
        return ErrorCode::Unsupported;
    case ECANCELED:
        return ErrorCode::Cancelled;
    default:
        return ErrorCode::Io;
    }
}

Error errorFromErrno(int error, QString path, QString detail)
{
    return Error{errorCodeFromErrno(error), error, std::move(path), std::move(detail)};
}

QString Error::message() const
{
    // A detail that already names the path reads better without it in front.
    QString out = detail.contains(path) ? QString() : path;
    auto add = [&out](const QString &part) {
        if (part.isEmpty())
            return;
        if (!out.isEmpty())
            out += QStringLiteral(": ");
        out += part;
    };
    add(detail);
    if (sysErrno)
        add(QString::fromLocal8Bit(std::strerror(sysErrno)));
    if (out.isEmpty())
        out = QString::fromLatin1(errorCodeName(code));
    return out;
}

} // namespace strata
