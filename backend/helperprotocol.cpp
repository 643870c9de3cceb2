// SPDX-License-Identifier: GPL-3.0-or-later
#include "helperprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace strata::helper {

namespace {

using F = FieldType;

// File operations all name a mount and a path inside its merged root.
std::vector<FieldSpec> fileOp(std::vector<FieldSpec> extra)
{
    std::vector<FieldSpec> fields = {{"mount", F::String, true}, {"path", F::String, true}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    return fields;
}

Error invalid(const QString &detail)
{
    return makeError(ErrorCode::InvalidOption, detail);
}

// JSON numbers are doubles: an id or integer argument must be integral and exactly representable.
std::optional<int64_t> exactInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9007199254740992.0)
        return std::nullopt;
    return int64_t(d);
}

bool hasType(const QJsonValue &value, FieldType type)
{
    switch (type) {
    case F::String:
        return value.isString();
    case F::Integer:
        return exactInteger(value).has_value();
    case F::Boolean:
        return value.isBool();
    case F::StringList:
        if (!value.isArray())
            return false;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                return false;
        }
        return true;
    }
    return false;
}

const char *typeName(FieldType type)
{
    switch (type) {
    case F::String:
        return "a string";
    case F::Integer:
        return "an integer";
    case F::Boolean:
        return "true or false";
    case F::StringList:
        return "a list of strings";
    }
    return "?";
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The version field: present, an integer, ours.
std::optional<Error> checkVersion(const QJsonObject &object)
{
    const auto v = exactInteger(object.value(QLatin1StringView("v")));
    if (!v)
        return invalid(QStringLiteral("message has no protocol version \"v\""));
    if (*v != protocolVersion)
        return makeError(ErrorCode::Unsupported, QStringLiteral("protocol version %1 is not supported (this side speaks %2)").arg(*v).arg(protocolVersion));
    return std::nullopt;
}

Expected<QJsonObject> parseObject(QByteArrayView bytes)
{
    if (bytes.size() > maxMessageBytes)
        return makeError(ErrorCode::LimitExceeded, QStringLiteral("message of %1 bytes exceeds the cap of %2").arg(bytes.size()).arg(maxMessageBytes));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::Corrupt, QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return makeError(ErrorCode::Corrupt, QStringLiteral("a message must be a JSON object"));
    return document.object();
}

} // namespace

const std::vector<OpSpec> &opSpecs()
{
    static const std::vector<OpSpec> specs = {
        {"hello", {}},
        {"status", {}},
        {"shutdown", {}},
        // source: overlay:OPTIONS. options: extra overlay options from a fixed list. api: auto, fsconfig, legacy.
        {"mount", {{"source", F::String, true}, {"options", F::StringList, false}, {"api", F::String, false}}},
        {"unmount", {{"mount", F::String, true}}},
        {"create", fileOp({{"mode", F::Integer, false}, {"data", F::String, false}})},
        {"write", fileOp({{"data", F::String, true}, {"offset", F::Integer, false}})},
        {"append", fileOp({{"data", F::String, true}})},
        {"truncate", fileOp({{"size", F::Integer, true}})},
        {"chmod", fileOp({{"mode", F::Integer, true}})},
        {"chown", fileOp({{"uid", F::Integer, true}, {"gid", F::Integer, true}})},
        {"utimes", fileOp({{"atime", F::Integer, false}, {"mtime", F::Integer, false}})}, // nanoseconds since the epoch; omitted: now (touch)
        {"rename", fileOp({{"to", F::String, true}})},
        {"unlink", fileOp({})},
        {"rmdir", fileOp({})},
        {"mkdir", fileOp({{"mode", F::Integer, false}})},
        {"symlink", fileOp({{"target", F::String, true}})},
        {"link", fileOp({{"to", F::String, true}})}, // a new name `to` for `path`
        {"setxattr", fileOp({{"name", F::String, true}, {"value", F::String, true}})},
        {"removexattr", fileOp({{"name", F::String, true}})},
        {"read", fileOp({{"size", F::Integer, false}})},
        {"open", fileOp({})}, // read-only, kept open: the reply's handle reads the file as opened
        {"read-handle", {{"handle", F::Integer, true}, {"size", F::Integer, false}}},
        {"close", {{"handle", F::Integer, true}}},
        {"watch", {{"mount", F::String, true}}},
        {"unwatch", {{"mount", F::String, true}}},
        {"sync", {{"mount", F::String, true}}}, // deliver every event of what happened before it, then reply
        {"run", {{"mount", F::String, true}, {"argv", F::StringList, true}, {"env", F::StringList, false}, {"network", F::Boolean, false}}},
        {"kill", {{"run", F::Integer, true}}},
        {"verify", {{"mount", F::String, true}}},
        // The layer dirs of a docker-storage:/containers-storage: source as read-only fds (SCM_RIGHTS).
        {"open-storage", {{"source", F::String, true}}},
    };
    return specs;
}

const OpSpec *findOp(QStringView name)
{
    for (const OpSpec &spec : opSpecs()) {
        if (name == QLatin1StringView(spec.name))
            return &spec;
    }
    return nullptr;
}

QString Request::string(const char *field) const
{
    return args.value(QLatin1StringView(field)).toString();
}

QStringList Request::strings(const char *field) const
{
    QStringList out;
    for (const QJsonValue &v : args.value(QLatin1StringView(field)).toArray())
        out << v.toString();
    return out;
}

int64_t Request::integer(const char *field, int64_t fallback) const
{
    return exactInteger(args.value(QLatin1StringView(field))).value_or(fallback);
}

bool Request::boolean(const char *field, bool fallback) const
{
    const QJsonValue v = args.value(QLatin1StringView(field));
    return v.isBool() ? v.toBool() : fallback;
}

bool Request::has(const char *field) const
{
    return args.contains(QLatin1StringView(field));
}

std::variant<Request, ParseFailure> parseRequest(QByteArrayView bytes)
{
    auto object = parseObject(bytes);
    if (!object)
        return ParseFailure{0, object.error()};
    const QJsonObject &o = *object;
    const auto id = exactInteger(o.value(QLatin1StringView("id")));
    if (!id || *id <= 0)
        return ParseFailure{0, invalid(QStringLiteral("request has no positive integer \"id\""))};
    if (auto versionError = checkVersion(o))
        return ParseFailure{*id, *versionError};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != u"v" && it.key() != u"id" && it.key() != u"op" && it.key() != u"args")
            return ParseFailure{*id, invalid(QStringLiteral("unknown request field \"%1\"").arg(it.key()))};
    }
    const QJsonValue opValue = o.value(QLatin1StringView("op"));
    if (!opValue.isString())
        return ParseFailure{*id, invalid(QStringLiteral("request has no \"op\" string"))};
    const OpSpec *spec = findOp(opValue.toString());
    if (!spec)
        return ParseFailure{*id, invalid(QStringLiteral("unknown op \"%1\"").arg(opValue.toString()))};
    const QJsonValue argsValue = o.value(QLatin1StringView("args"));
    if (!argsValue.isUndefined() && !argsValue.isObject())
        return ParseFailure{*id, invalid(QStringLiteral("\"args\" must be an object"))};
    const QJsonObject args = argsValue.toObject();
    for (auto it = args.begin(); it != args.end(); ++it) {
        const FieldSpec *field = nullptr;
        for (const FieldSpec &f : spec->fields) {
            if (it.key() == QLatin1StringView(f.name))
                field = &f;
        }
        if (!field)
            return ParseFailure{*id, invalid(QStringLiteral("op %1 has no field \"%2\"").arg(QLatin1StringView(spec->name), it.key()))};
        if (!hasType(it.value(), field->type))
            return ParseFailure{*id, invalid(QStringLiteral("field \"%1\" of op %2 must be %3").arg(it.key(), QLatin1StringView(spec->name), QLatin1StringView(typeName(field->type))))};
    }
    for (const FieldSpec &f : spec->fields) {
        if (f.required && !args.contains(QLatin1StringView(f.name)))
            return ParseFailure{*id, invalid(QStringLiteral("op %1 needs field \"%2\"").arg(QLatin1StringView(spec->name), QLatin1StringView(f.name)))};
    }
    return Request{*id, opValue.toString(), args};
}

QByteArray encodeRequest(int64_t id, const QString &op, const QJsonObject &args)
{
    return line(QJsonObject{{QStringLiteral("v"), protocolVersion}, {QStringLiteral("id"), qint64(id)}, {QStringLiteral("op"), op}, {QStringLiteral("args"), args}});
}

QJsonObject errorToJson(const Error &error)
{
    QJsonObject o{{QStringLiteral("code"), QString::fromLatin1(errorCodeName(error.code))}, {QStringLiteral("message"), error.message()}};
    if (error.sysErrno)
        o.insert(QStringLiteral("errno"), error.sysErrno);
    if (!error.path.isEmpty())
        o.insert(QStringLiteral("path"), error.path);
    if (!error.detail.isEmpty())
        o.insert(QStringLiteral("detail"), error.detail);
    return o;
}

std::optional<Error> errorFromJson(const QJsonObject &object)
{
    const QString code = object.value(QLatin1StringView("code")).toString();
    for (int c = 0; c < errorCodeCount; ++c) {
        if (code == QLatin1StringView(errorCodeName(ErrorCode(c)))) {
            Error e{ErrorCode(c), int(exactInteger(object.value(QLatin1StringView("errno"))).value_or(0)),
                    object.value(QLatin1StringView("path")).toString(), object.value(QLatin1StringView("detail")).toString()};
            return e;
        }
    }
    return std::nullopt;
}

QByteArray encodeReply(int64_t id, const QJsonObject &result)
{
    return line(QJsonObject{{QStringLiteral("v"), protocolVersion}, {QStringLiteral("id"), qint64(id)}, {QStringLiteral("ok"), true}, {QStringLiteral("result"), result}});
}

QByteArray encodeError(int64_t id, const Error &error)
{
    return line(QJsonObject{{QStringLiteral("v"), protocolVersion}, {QStringLiteral("id"), qint64(id)}, {QStringLiteral("ok"), false}, {QStringLiteral("error"), errorToJson(error)}});
}

QByteArray encodeEvent(int64_t id, const QString &event, const QJsonObject &fields)
{
    return line(QJsonObject{{QStringLiteral("v"), protocolVersion}, {QStringLiteral("id"), qint64(id)}, {QStringLiteral("event"), event}, {QStringLiteral("data"), fields}});
}

Expected<Message> parseMessage(QByteArrayView bytes)
{
    auto object = parseObject(bytes);
    if (!object)
        return object.error();
    const QJsonObject &o = *object;
    if (auto versionError = checkVersion(o))
        return *versionError;
    const auto id = exactInteger(o.value(QLatin1StringView("id")));
    if (!id || *id < 0)
        return makeError(ErrorCode::Corrupt, QStringLiteral("helper message has no integer \"id\""));
    Message m;
    m.id = *id;
    if (o.contains(QLatin1StringView("event"))) {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != u"v" && it.key() != u"id" && it.key() != u"event" && it.key() != u"data")
                return makeError(ErrorCode::Corrupt, QStringLiteral("unknown event field \"%1\"").arg(it.key()));
        }
        m.kind = Message::Kind::Event;
        m.event = o.value(QLatin1StringView("event")).toString();
        m.result = o.value(QLatin1StringView("data")).toObject();
        if (m.event.isEmpty())
            return makeError(ErrorCode::Corrupt, QStringLiteral("helper event without a name"));
        return m;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != u"v" && it.key() != u"id" && it.key() != u"ok" && it.key() != u"result" && it.key() != u"error")
            return makeError(ErrorCode::Corrupt, QStringLiteral("unknown reply field \"%1\"").arg(it.key()));
    }
    const QJsonValue ok = o.value(QLatin1StringView("ok"));
    if (!ok.isBool())
        return makeError(ErrorCode::Corrupt, QStringLiteral("helper reply without \"ok\""));
    m.ok = ok.toBool();
    if (m.ok) {
        m.result = o.value(QLatin1StringView("result")).toObject();
    } else {
        m.error = errorFromJson(o.value(QLatin1StringView("error")).toObject());
        if (!m.error)
            return makeError(ErrorCode::Corrupt, QStringLiteral("helper reply with an unknown error code"));
    }
    return m;
}

void LineReader::append(QByteArrayView data)
{
    while (!data.isEmpty()) {
        const qsizetype newline = data.indexOf('\n');
        if (m_skipping) {
            if (newline < 0)
                return;
            m_skipping = false;
            data = data.sliced(newline + 1);
            continue;
        }
        const qsizetype take = newline < 0 ? data.size() : newline + 1;
        m_buffer.append(data.first(take));
        data = data.sliced(take);
        // Unterminated text beyond the cap cannot become a valid line: drop it now.
        const qsizetype pendingStart = m_buffer.lastIndexOf('\n', m_buffer.size() - 2) + 1;
        if (!m_buffer.endsWith('\n') && m_buffer.size() - pendingStart > maxMessageBytes) {
            m_buffer.truncate(pendingStart);
            m_buffer.append("\x01oversize\n"); // a marker no JSON line can start with
            m_skipping = true;
        }
    }
}

std::optional<LineReader::Line> LineReader::next()
{
    const qsizetype newline = m_buffer.indexOf('\n');
    if (newline < 0)
        return std::nullopt;
    Line l;
    l.bytes = m_buffer.first(newline);
    m_buffer.remove(0, newline + 1);
    if (l.bytes == "\x01oversize") {
        l.bytes.clear();
        l.oversize = true;
    } else if (l.bytes.size() > maxMessageBytes) {
        l.bytes.clear();
        l.oversize = true;
    }
    return l;
}

} // namespace strata::helper
