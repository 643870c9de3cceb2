// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonwriter.h"

#include <charconv>
#include <cstdio>

namespace strata {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid (overlong, surrogate, > U+10FFFF).
size_t validSequence(std::string_view s, size_t i)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2))
            return 0;
        const unsigned char c1 = b(i + 1);
        if (c == 0xE0 && c1 < 0xA0)
            return 0; // overlong
        if (c == 0xED && c1 >= 0xA0)
            return 0; // UTF-16 surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3))
            return 0;
        const unsigned char c1 = b(i + 1);
        if (c == 0xF0 && c1 < 0x90)
            return 0;
        if (c == 0xF4 && c1 >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

void appendEscape(std::string &out, unsigned code)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", code);
    out += buf;
}

} // namespace

void appendJsonString(std::string &out, std::string_view bytes)
{
    out.reserve(out.size() + bytes.size() + 2);
    out += '"';
    size_t run = 0; // start of the pending run of bytes that pass through unchanged
    for (size_t i = 0; i < bytes.size();) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            ++i; // the common case: plain ASCII, copied in runs
            continue;
        }
        const size_t n = validSequence(bytes, i);
        if (n > 1) {
            i += n;
            continue;
        }
        out.append(bytes.substr(run, i - run));
        if (n == 0) {
            appendEscape(out, 0xDC00 + c);
        } else {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                appendEscape(out, c);
            }
        }
        run = ++i;
    }
    out.append(bytes.substr(run));
    out += '"';
}

void JsonObject::key(std::string_view k)
{
    if (m_text.size() > 1)
        m_text += ',';
    appendJsonString(m_text, k);
    m_text += ':';
}

JsonObject &JsonObject::field(std::string_view k, std::string_view bytes)
{
    key(k);
    appendJsonString(m_text, bytes);
    return *this;
}

JsonObject &JsonObject::field(std::string_view k, int64_t number)
{
    key(k);
    char digits[24];
    m_text.append(digits, size_t(std::to_chars(digits, digits + sizeof digits, number).ptr - digits));
    return *this;
}

JsonObject &JsonObject::field(std::string_view k, uint64_t number)
{
    key(k);
    char digits[24];
    m_text.append(digits, size_t(std::to_chars(digits, digits + sizeof digits, number).ptr - digits));
    return *this;
}

JsonObject &JsonObject::field(std::string_view k, double number)
{
    key(k);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", number);
    m_text += buf;
    return *this;
}

JsonObject &JsonObject::field(std::string_view k, bool value)
{
    key(k);
    m_text += value ? "true" : "false";
    return *this;
}

JsonObject &JsonObject::field(std::string_view k, const std::vector<std::string> &strings)
{
    key(k);
    m_text += '[';
    for (size_t i = 0; i < strings.size(); ++i) {
        if (i > 0)
            m_text += ',';
        appendJsonString(m_text, strings[i]);
    }
    m_text += ']';
    return *this;
}

JsonObject &JsonObject::null(std::string_view k)
{
    key(k);
    m_text += "null";
    return *this;
}

std::string JsonObject::finish()
{
    m_text += '}';
    return std::move(m_text);
}

bool decodeJsonStringBytes(std::string_view json, std::string &bytes)
{
    bytes.clear();
    if (json.size() < 2 || json.front() != '"' || json.back() != '"')
        return false;
    auto appendUtf8 = [&](unsigned cp) {
        if (cp < 0x80) {
            bytes += char(cp);
        } else if (cp < 0x800) {
            bytes += char(0xC0 | (cp >> 6));
            bytes += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            bytes += char(0xE0 | (cp >> 12));
            bytes += char(0x80 | ((cp >> 6) & 0x3F));
            bytes += char(0x80 | (cp & 0x3F));
        } else {
            bytes += char(0xF0 | (cp >> 18));
            bytes += char(0x80 | ((cp >> 12) & 0x3F));
            bytes += char(0x80 | ((cp >> 6) & 0x3F));
            bytes += char(0x80 | (cp & 0x3F));
        }
    };
    for (size_t i = 1; i + 1 < json.size(); ++i) {
        const char c = json[i];
        if (c != '\\') {
            bytes += c;
            continue;
        }
        if (++i + 1 > json.size() - 1)
            return false;
        switch (json[i]) {
        case 'n':
            bytes += '\n';
            break;
        case 't':
            bytes += '\t';
            break;
        case 'r':
            bytes += '\r';
            break;
        case 'b':
            bytes += '\b';
            break;
        case 'f':
            bytes += '\f';
            break;
        case 'u': {
            if (i + 4 >= json.size())
                return false;
            const unsigned cp = unsigned(std::stoul(std::string(json.substr(i + 1, 4)), nullptr, 16));
            i += 4;
            if (cp >= 0xDC80 && cp <= 0xDCFF)
                bytes += char(cp - 0xDC00);
            else
                appendUtf8(cp);
            break;
        }
        default:
            bytes += json[i];
        }
    }
    return true;
}

} // namespace strata
