// SPDX-License-Identifier: GPL-3.0-or-later
// The helper protocol's parser: every hostile or broken line becomes a typed refusal, never a
// request; valid ones round-trip.
#include "helpermode.h"
#include "helperprotocol.h"

#include <QJsonArray>
#include <QTest>

#include <unistd.h>

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

    // The helper mode decision: explicit modes are kept; auto is direct as root, rootless when
    // nothing more is needed, pkexec when needed and installed, else an error saying what is needed.
    void helperModeDecision_data()
    {
        QTest::addColumn<QStringList>("needs");
        QTest::addColumn<int>("requested");
        QTest::addColumn<bool>("root");
        QTest::addColumn<bool>("pkexec");
        QTest::addColumn<bool>("action");
        QTest::addColumn<int>("expected"); // a HelperMode, or -1: an error
        QTest::addColumn<QString>("mentions");
        const QStringList needs{QStringLiteral("index=on needs trusted.* xattrs")};
        const int autoMode = int(HelperMode::Auto);
        QTest::newRow("root") << needs << autoMode << true << false << false << int(HelperMode::Direct) << QString();
        QTest::newRow("user, nothing needed") << QStringList() << autoMode << false << true << true << int(HelperMode::Rootless) << QString();
        QTest::newRow("user, needs, pkexec installed") << needs << autoMode << false << true << true << int(HelperMode::Pkexec) << QString();
        QTest::newRow("user, needs, no polkit action") << needs << autoMode << false << true << false << -1 << QStringLiteral("polkit action");
        QTest::newRow("user, needs, nothing installed") << needs << autoMode << false << false << false << -1 << QStringLiteral("pkexec is not installed");
        QTest::newRow("explicit rootless kept") << needs << int(HelperMode::Rootless) << false << true << true << int(HelperMode::Rootless) << QString();
        QTest::newRow("explicit pkexec kept as root") << QStringList() << int(HelperMode::Pkexec) << true << true << true << int(HelperMode::Pkexec) << QString();
    }

    void helperModeDecision()
    {
        QFETCH(QStringList, needs);
        QFETCH(int, requested);
        QFETCH(bool, root);
        QFETCH(bool, pkexec);
        QFETCH(bool, action);
        QFETCH(int, expected);
        QFETCH(QString, mentions);
        auto choice = helperModeFor(needs, HelperMode(requested), HelperEnvironment{root, pkexec, action});
        if (expected < 0) {
            QVERIFY(!choice);
            QCOMPARE(choice.error().code, ErrorCode::Permission);
            QVERIFY2(choice.error().message().contains(mentions) && choice.error().message().contains(needs.first()), qPrintable(choice.error().message()));
            return;
        }
        QVERIFY2(choice, choice ? "" : qPrintable(choice.error().message()));
        QCOMPARE(int(choice->mode), expected);
    }

    // What a plan needs beyond rootless mode: options as written (not the kernel's defaults, not
    // text inside an escaped path), extra options, root-made storage; userxattr asks for nothing more.
    void privilegesNeededByAPlan_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("mentions"); // empty: nothing needed
        const int overlay = int(SourceKind::Overlay);
        QTest::newRow("plain") << QStringLiteral("overlay:lowerdir=/a:/b") << overlay << QStringList() << QString();
        QTest::newRow("metacopy") << QStringLiteral("overlay:lowerdir=/a:/b,metacopy=on") << overlay << QStringList() << QStringLiteral("metacopy=on");
        QTest::newRow("redirect_dir") << QStringLiteral("overlay:redirect_dir=on,lowerdir=/a") << overlay << QStringList() << QStringLiteral("redirect_dir=on");
        QTest::newRow("following redirects only") << QStringLiteral("overlay:redirect_dir=follow,lowerdir=/a") << overlay << QStringList() << QString();
        QTest::newRow("extra index") << QStringLiteral("overlay:lowerdir=/a") << overlay << QStringList{QStringLiteral("index=on")} << QStringLiteral("index=on");
        QTest::newRow("escaped path") << QStringLiteral("overlay:lowerdir=/a\\,metacopy=on") << overlay << QStringList() << QString();
        QTest::newRow("userxattr") << QStringLiteral("overlay:lowerdir=/a,userxattr") << overlay << QStringList() << QString();
        QTest::newRow("docker storage") << QStringLiteral("overlay:lowerdir=/a") << int(SourceKind::DockerStorage) << QStringList() << QStringLiteral("docker-storage:");
    }

    void privilegesNeededByAPlan()
    {
        QFETCH(QString, source);
        QFETCH(int, kind);
        QFETCH(QStringList, extra);
        QFETCH(QString, mentions);
        MountPlan plan;
        plan.source = source;
        plan.kind = SourceKind(kind);
        plan.askedOptions = splitOverlayOptions(source.mid(8));
        const QStringList needs = privilegesNeeded(plan, extra);
        if (mentions.isEmpty()) {
            // As root nothing else is checked; as a user, /a is not theirs or not there.
            if (::geteuid() == 0)
                QVERIFY2(needs.isEmpty(), qPrintable(needs.join(u';')));
        } else {
            QVERIFY2(needs.join(u';').contains(mentions), qPrintable(needs.join(u';')));
        }
        // For the UI: what rootless mode cannot do, plainly.
        for (const char *word : {"trusted.*", "redirect_dir", "metacopy", "other users", "root-only"})
            QVERIFY(rootlessLimitations().contains(QLatin1StringView(word)));
    }
};

QTEST_GUILESS_MAIN(HelperProtocolTest)
#include "test_helperprotocol.moc"
