// SPDX-License-Identifier: GPL-3.0-or-later
#include "bytesize.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace strata
{

std::optional<uint64_t> parseByteSize(std::string_view text)
{
    const auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
            s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
            s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    size_t i = 0;
    bool digits = false, dot = false;
    for (; i < text.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i])))
            digits = true;
        else if (text[i] == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digits)
        return std::nullopt;
    const std::string number(text.substr(0, i));
    std::string unit(trim(text.substr(i)));
    for (char &c : unit)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    static constexpr std::string_view prefixes = "KMGTP";
    int power = 0;
    if (!unit.empty() && prefixes.find(unit.front()) != std::string_view::npos) {
        power = int(prefixes.find(unit.front())) + 1;
        unit.erase(0, 1);
        if (unit == "IB" || unit == "B" || unit == "I")
            unit.clear();
    } else if (unit == "B") {
        unit.clear();
    }
    if (!unit.empty())
        return std::nullopt;
    const long double value = std::strtold(number.c_str(), nullptr) * std::pow(1024.0L, power);
    if (!std::isfinite(value) || value >= 18446744073709551616.0L)
        return std::nullopt;
    return static_cast<uint64_t>(std::floor(value));
}

std::string formatByteSize(uint64_t bytes)
{
    static constexpr std::array<const char *, 6> units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    char buf[32];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", value, units[unit]);
    return buf;
}

} // namespace strata
