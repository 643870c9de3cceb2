// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <variant>

namespace strata::helper {

// The JSON-lines protocol between strata-helper and its clients (docs/helper-protocol.md). Shared by
// both ends so the schema is spelled once: every request is checked against it before any work.
constexpr int protocolVersion = 1;
// One line, newline excluded. Bigger lines are refused whole (the reader skips to the next newline).
constexpr qsizetype maxMessageBytes = 64 * 1024;

enum class FieldType : uint8_t { String, Integer, Boolean, StringList };

struct FieldSpec {
    const char *name;
    FieldType type;
    bool required;
};

struct OpSpec {
    const char *name;
    std::vector<FieldSpec> fields;
};

// Every op the helper knows, with its argument fields.
const std::vector<OpSpec> &opSpecs();
const OpSpec *findOp(QStringView name);

// A request that passed the schema: known op, known fields of the right types, required ones present.
struct Request {
    int64_t id = 0;
    QString op;
    QJsonObject args;

    QString string(const char *field) const;
    QStringList strings(const char *field) const;
    int64_t integer(const char *field, int64_t fallback = 0) const;
    bool boolean(const char *field, bool fallback = false) const;
    bool has(const char *field) const;
};

// A refused line: the error and the id when one could be read (else 0).
struct ParseFailure {
    int64_t id = 0;
    Error error;
};

// Parses one line (without its newline). Malformed JSON is Corrupt, an oversize line LimitExceeded,
// another version Unsupported, an unknown op or field or a wrong type InvalidOption.
std::variant<Request, ParseFailure> parseRequest(QByteArrayView line);
QByteArray encodeRequest(int64_t id, const QString &op, const QJsonObject &args);

// What the helper sends: a final reply (ok + result, or error) or an event streamed before it.
struct Message {
    enum class Kind : uint8_t { Reply, Event };
    Kind kind = Kind::Reply;
    int64_t id = 0;
    bool ok = false; // replies
    QJsonObject result; // ok replies: the result; events: the event's fields
    QString event; // events: the event name
    std::optional<Error> error; // failed replies
};

QByteArray encodeReply(int64_t id, const QJsonObject &result);
QByteArray encodeError(int64_t id, const Error &error);
QByteArray encodeEvent(int64_t id, const QString &event, const QJsonObject &fields);
// The client's side: the same checks (size, version, shape); a bad line from the helper is an error.
Expected<Message> parseMessage(QByteArrayView line);

QJsonObject errorToJson(const Error &error);
// nullopt when the code is not one of ours.
std::optional<Error> errorFromJson(const QJsonObject &object);

// Splits a byte stream into lines, enforcing maxMessageBytes while reading: an oversize line is
// reported once and its bytes dropped up to the next newline, so a hostile peer cannot make the
// reader buffer without bound.
class LineReader
{
public:
    struct Line {
        QByteArray bytes;
        bool oversize = false;
    };
    void append(QByteArrayView data);
    std::optional<Line> next();

private:
    QByteArray m_buffer;
    bool m_skipping = false; // inside an oversize line
};

} // namespace strata::helper
