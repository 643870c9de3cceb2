// SPDX-License-Identifier: GPL-3.0-or-later
// The helper protocol's parser: every hostile or broken line becomes a typed refusal, never a
// request; valid ones round-trip.
#include "helperprotocol.h"

#include <QJsonArray>
#include <QTest>

using namespace strata;
using namespace strata::helper;

namespace {

ParseFailure failure(QByteArrayView line)
{
    auto parsed = parseRequest(line);
    if (std::holds_alternative<Request>(parsed))
        return ParseFailure{-1, makeError(ErrorCode::Io, QStringLiteral("accepted"))};
    return std::get<ParseFailure>(parsed);
}

} // namespace

class HelperProtocolTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validRequestRoundTrips()
    {
        const QByteArray line = encodeRequest(7, QStringLiteral("mount"),
                                              QJsonObject{{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=/a")},
                                                          {QStringLiteral("options"), QJsonArray{QStringLiteral("index=on")}}});
        QVERIFY(!line.contains('\n'));
        auto parsed = parseRequest(line);
        QVERIFY(std::holds_alternative<Request>(parsed));
        const Request &r = std::get<Request>(parsed);
        QCOMPARE(r.id, int64_t(7));
        QCOMPARE(r.op, QStringLiteral("mount"));
        QCOMPARE(r.string("source"), QStringLiteral("overlay:lowerdir=/a"));
        QCOMPARE(r.strings("options"), QStringList{QStringLiteral("index=on")});
        QVERIFY(!r.has("api"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("code");
        QTest::addColumn<qint64>("id");
        QTest::newRow("not JSON") << QByteArray("{\"v\":1,\"id\":1,") << "corrupt" << qint64(0);
        QTest::newRow("garbage") << QByteArray("\xff\xfe mount") << "corrupt" << qint64(0);
        QTest::newRow("array") << QByteArray("[1,2]") << "corrupt" << qint64(0);
        QTest::newRow("no id") << QByteArray("{\"v\":1,\"op\":\"status\"}") << "invalid-option" << qint64(0);
        QTest::newRow("fractional id") << QByteArray("{\"v\":1,\"id\":1.5,\"op\":\"status\"}") << "invalid-option" << qint64(0);
        QTest::newRow("no version") << QByteArray("{\"id\":3,\"op\":\"status\"}") << "invalid-option" << qint64(3);
        QTest::newRow("version 2") << QByteArray("{\"v\":2,\"id\":3,\"op\":\"status\"}") << "unsupported" << qint64(3);
        QTest::newRow("unknown op") << QByteArray("{\"v\":1,\"id\":4,\"op\":\"exec\",\"args\":{}}") << "invalid-option" << qint64(4);
        QTest::newRow("unknown top field") << QByteArray("{\"v\":1,\"id\":5,\"op\":\"status\",\"sudo\":true}") << "invalid-option" << qint64(5);
        QTest::newRow("unknown arg") << QByteArray("{\"v\":1,\"id\":6,\"op\":\"unlink\",\"args\":{\"mount\":\"m1\",\"path\":\"a\",\"force\":1}}") << "invalid-option" << qint64(6);
        QTest::newRow("wrong type") << QByteArray("{\"v\":1,\"id\":7,\"op\":\"chmod\",\"args\":{\"mount\":\"m1\",\"path\":\"a\",\"mode\":\"0777\"}}") << "invalid-option" << qint64(7);
        QTest::newRow("non-integral integer") << QByteArray("{\"v\":1,\"id\":8,\"op\":\"chmod\",\"args\":{\"mount\":\"m1\",\"path\":\"a\",\"mode\":4.5}}") << "invalid-option" << qint64(8);
        QTest::newRow("list of non-strings") << QByteArray("{\"v\":1,\"id\":9,\"op\":\"run\",\"args\":{\"mount\":\"m1\",\"argv\":[\"ls\",1]}}") << "invalid-option" << qint64(9);
        QTest::newRow("missing required") << QByteArray("{\"v\":1,\"id\":10,\"op\":\"rename\",\"args\":{\"mount\":\"m1\",\"path\":\"a\"}}") << "invalid-option" << qint64(10);
        QTest::newRow("args not an object") << QByteArray("{\"v\":1,\"id\":11,\"op\":\"status\",\"args\":[]}") << "invalid-option" << qint64(11);
        const QByteArray big = "{\"v\":1,\"id\":12,\"op\":\"write\",\"args\":{\"mount\":\"m1\",\"path\":\"a\",\"data\":\"" + QByteArray(maxMessageBytes, 'x') + "\"}}";
        QTest::newRow("oversize") << big << "limit-exceeded" << qint64(0);
    }

    void refusals()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, code);
        QFETCH(qint64, id);
        const ParseFailure f = failure(line);
        QCOMPARE(QString::fromLatin1(errorCodeName(f.error.code)), code);
        QCOMPARE(f.id, int64_t(id));
    }

    void repliesEventsAndErrorsRoundTrip()
    {
        auto reply = parseMessage(encodeReply(3, QJsonObject{{QStringLiteral("mount"), QStringLiteral("m1")}}));
        QVERIFY(reply.hasValue());
        QVERIFY(reply->ok);
        QCOMPARE(reply->kind, Message::Kind::Reply);
        QCOMPARE(reply->result.value(QStringLiteral("mount")).toString(), QStringLiteral("m1"));

        Error e = errorFromErrno(EXDEV, QStringLiteral("/dir"), QStringLiteral("renaming a lower directory needs redirect_dir=on"));
        auto failed = parseMessage(encodeError(4, e));
        QVERIFY(failed.hasValue());
        QVERIFY(!failed->ok);
        QVERIFY(failed->error.has_value());
        QCOMPARE(failed->error->sysErrno, EXDEV);
        QCOMPARE(failed->error->code, ErrorCode::Io);
        QCOMPARE(failed->error->path, QStringLiteral("/dir"));
        QCOMPARE(failed->error->detail, e.detail);

        auto event = parseMessage(encodeEvent(5, QStringLiteral("stdout"), QJsonObject{{QStringLiteral("data"), QStringLiteral("hi")}}));
        QVERIFY(event.hasValue());
        QCOMPARE(event->kind, Message::Kind::Event);
        QCOMPARE(event->event, QStringLiteral("stdout"));

        QVERIFY(!parseMessage("{\"v\":2,\"id\":1,\"ok\":true}").hasValue());
        QVERIFY(!parseMessage("{\"v\":1,\"id\":1,\"ok\":true,\"extra\":1}").hasValue());
        QVERIFY(!parseMessage("{\"v\":1,\"id\":1,\"ok\":false,\"error\":{\"code\":\"nonsense\"}}").hasValue());
    }

    // The reader never buffers more than the cap of an unterminated line, reports an oversize line
    // once and resynchronises at the next newline.
    void lineReaderCapsAndResyncs()
    {
        LineReader reader;
        reader.append("{\"a\":1}\n{\"b\"");
        auto first = reader.next();
        QVERIFY(first && !first->oversize);
        QCOMPARE(first->bytes, QByteArray("{\"a\":1}"));
        QVERIFY(!reader.next());
        const QByteArray chunk(4096, 'x');
        for (int i = 0; i < 40; ++i)
            reader.append(chunk); // 160 KiB without a newline
        auto over = reader.next();
        QVERIFY(over && over->oversize);
        QVERIFY(!reader.next());
        reader.append("still the same line\n{\"c\":2}\n");
        auto after = reader.next();
        QVERIFY(after && !after->oversize);
        QCOMPARE(after->bytes, QByteArray("{\"c\":2}"));
        QVERIFY(!reader.next());
    }
};

QTEST_GUILESS_MAIN(HelperProtocolTest)
#include "test_helperprotocol.moc"
