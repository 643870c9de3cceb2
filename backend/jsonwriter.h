// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// Appends bytes as a JSON string. Valid UTF-8 passes through; every byte that is not part of valid
// UTF-8 becomes a lone surrogate escape \udc80..\udcff (Python's surrogateescape), so the output is
// valid UTF-8 JSON and the original bytes are recoverable.
void appendJsonString(std::string &out, std::string_view bytes);

// Builds one JSON object (one line of JSON Lines) field by field.
class JsonObject
{
public:
    JsonObject() { m_text.reserve(256); } // a listing line's size: one allocation, no regrowth
    JsonObject &field(std::string_view key, std::string_view bytes);
    JsonObject &field(std::string_view key, const char *text) { return field(key, std::string_view(text)); }
    JsonObject &field(std::string_view key, int64_t number);
    JsonObject &field(std::string_view key, uint64_t number);
    JsonObject &field(std::string_view key, int number) { return field(key, int64_t(number)); }
    JsonObject &field(std::string_view key, uint32_t number) { return field(key, uint64_t(number)); }
    JsonObject &field(std::string_view key, double number);
    JsonObject &field(std::string_view key, bool value);
    JsonObject &field(std::string_view key, const std::vector<std::string> &strings); // an array of strings
    JsonObject &null(std::string_view key);
    std::string finish();

private:
    void key(std::string_view key);
    std::string m_text = "{";
};

// Decodes what appendJsonString wrote back to bytes (for tests and for reading our own output).
bool decodeJsonStringBytes(std::string_view json, std::string &bytes);

} // namespace strata
