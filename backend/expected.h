// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace strata {

// An error at a backend boundary: a sentence for the user that names the file or entry and the reason.
struct Error {
    QString message;
};

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

inline Error makeError(QString message)
{
    return Error{std::move(message)};
}

} // namespace strata
