// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

namespace strata {

// What went wrong, as a category callers can act on and views can translate. The helper protocol
// carries these codes by name (errorCodeName), so the spelling is part of the interface.
enum class ErrorCode : uint8_t {
    Io, // a read, write or other system call failed
    Permission, // EACCES / EPERM
    NotFound, // ENOENT: a layer, file or entry is missing
    NotADirectory, // a layer (or a path that must be one) is not a directory
    InvalidSource, // a SOURCE string that names no known source
    InvalidOption, // an overlay option (or option combination) the kernel would refuse
    Cancelled, // the user (or a newer request) stopped the work
    Corrupt, // malformed data inside a file: JSON, a tar header, an xattr value
    LimitExceeded, // a size or count cap was reached
    Unsupported, // valid, but not something this build or kernel can do
};
constexpr int errorCodeCount = int(ErrorCode::Unsupported) + 1;

std::string_view errorCodeName(ErrorCode code);
ErrorCode errorCodeFromErrno(int error);

// An error at a backend boundary. `detail` is the English sentence for logs and the CLI; views
// translate by `code` and name `path` (see views/errortext.h), so no English text has to be parsed.
struct Error {
    ErrorCode code = ErrorCode::Io;
    int sysErrno = 0; // the errno behind it, 0 when none
    QString path; // the file, entry or option it concerns; may be empty
    QString detail; // what exactly failed, in English (e.g. "cannot open layer"); may be empty

    bool is(ErrorCode c) const { return code == c; }
    // One English line: "<path>: <detail>: <strerror>", leaving out what is empty.
    QString message() const;
};

inline Error makeError(ErrorCode code, QString detail, QString path = {})
{
    return Error{code, 0, std::move(path), std::move(detail)};
}
// The code follows from the errno (ENOENT → NotFound, EACCES → Permission, ...).
Error errorFromErrno(int error, QString path, QString detail = {});
inline Error cancelledError()
{
    return Error{ErrorCode::Cancelled, 0, {}, QStringLiteral("cancelled")};
}

// std::expected stand-in (C++20): a value or an Error, never both. Callers check before use.
template<typename T>
class Expected
{
public:
    Expected(T value)
        : m_state(std::move(value))
    {
    }
    Expected(Error error)
        : m_state(std::move(error))
    {
    }

    bool hasValue() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return hasValue(); }
    T &value() & { return std::get<T>(m_state); }
    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

} // namespace strata
