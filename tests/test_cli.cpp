// SPDX-License-Identifier: GPL-3.0-or-later
// The real binaries, as a user runs them: versions, the demo stack through strata-cli, bad input,
// odd file names, screenshots, desktop metadata.
#include "jsonwriter.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

class CliTest : public QObject
{
    Q_OBJECT
    QString bin(const char *name) { return qEnvironmentVariable("STRATA_BIN") + u'/' + QLatin1StringView(name); }

    struct Run {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const char *program, const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(bin(program), args);
        if (!p.waitForFinished(120000))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

    QTemporaryDir m_demoDir;
    QString m_source;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(bin("strata-cli")));
        const Run demo = run("strata-cli", {QStringLiteral("demo"), m_demoDir.path()});
        QCOMPARE(demo.code, 0);
        m_source = QString::fromUtf8(demo.out.trimmed());
        QVERIFY(m_source.startsWith(QStringLiteral("overlay:lowerdir=")));
    }

    void versionsAndHelp_data()
    {
        QTest::addColumn<QString>("program");
        QTest::newRow("strata-cli") << QStringLiteral("strata-cli");
        QTest::newRow("strata-helper") << QStringLiteral("strata-helper");
        QTest::newRow("strata") << QStringLiteral("strata");
    }

    void versionsAndHelp()
    {
        QFETCH(QString, program);
        const QByteArray name = program.toUtf8();
        const Run version = run(name.constData(), {QStringLiteral("--version")});
        QCOMPARE(version.code, 0);
        QVERIFY2(version.out.contains("0.1.0"), version.out.constData());
        const Run help = run(name.constData(), {QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("--verbose"));
    }

    // As on a server or in CI: no display, and nobody set QT_QPA_PLATFORM by hand.
    static QProcessEnvironment withoutDisplay()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"), QStringLiteral("QT_QPA_PLATFORM")})
            env.remove(name);
        return env;
    }

    void explorerWithoutDisplay_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QByteArray("--screenshot");
        QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << QByteArray("--language");
        QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << QByteArray("0.1.0");
    }

    void explorerWithoutDisplay()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, expected);
        const Run r = run("strata", args, withoutDisplay());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    void unknownOptionWithoutDisplay()
    {
        const Run r = run("strata", {QStringLiteral("--no-such-option")}, withoutDisplay());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no-such-option"), r.err.constData());
    }

    void screenshotWithoutDisplay()
    {
        const QString png = m_demoDir.filePath(QStringLiteral("nodisplay.png"));
        const Run r = run("strata", {QStringLiteral("--screenshot"), png, m_source}, withoutDisplay());
        QCOMPARE(r.code, 0);
        QVERIFY(!QImage(png).isNull());
    }

    void helperSelfTest()
    {
        const Run r = run("strata-helper", {QStringLiteral("--self-test")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("overlayfs: available"));
    }

    void lsJsonOnDemo()
    {
        const Run r = run("strata-cli", {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--hash"), m_source});
        QCOMPARE(r.code, 0);
        QMap<QString, QJsonObject> byPath;
        for (const QByteArray &line : r.out.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error{};
            const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            for (const char *key : {"path", "type", "mode", "uid", "gid", "size", "target", "nlink", "layer", "change", "sha256"})
                QVERIFY2(o.contains(QLatin1StringView(key)), key);
            byPath.insert(o.value(QStringLiteral("path")).toString(), o);
        }
        QCOMPARE(byPath.keys(), (QStringList{QStringLiteral("/"), QStringLiteral("/b.txt"), QStringLiteral("/c.txt")}));
        QCOMPARE(byPath[QStringLiteral("/b.txt")][QStringLiteral("layer")].toInt(), 2);
        QCOMPARE(byPath[QStringLiteral("/b.txt")][QStringLiteral("change")].toString(), QStringLiteral("modified"));
        QCOMPARE(byPath[QStringLiteral("/c.txt")][QStringLiteral("layer")].toInt(), 1);
        QCOMPARE(byPath[QStringLiteral("/c.txt")][QStringLiteral("mode")].toString(), QStringLiteral("0644"));
        const QByteArray content = "b from image2\nchanged in the container\n";
        QCOMPARE(byPath[QStringLiteral("/b.txt")][QStringLiteral("sha256")].toString().toLatin1(),
                 QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
        const Run cat = run("strata-cli", {QStringLiteral("cat"), m_source, QStringLiteral("/b.txt")});
        QCOMPARE(cat.code, 0);
        QCOMPARE(cat.out, content);
        const Run layerCat = run("strata-cli", {QStringLiteral("cat"), QStringLiteral("--layer"), QStringLiteral("1"), m_source, QStringLiteral("/b.txt")});
        QCOMPARE(layerCat.out, QByteArray("b from image2\n"));
    }

    void layersAndDiff()
    {
        const Run layers = run("strata-cli", {QStringLiteral("layers"), QStringLiteral("--json"), m_source});
        QCOMPARE(layers.code, 0);
        const QList<QByteArray> lines = layers.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject upper = QJsonDocument::fromJson(lines[2]).object();
        QCOMPARE(upper[QStringLiteral("deleted")].toInt(), 1);
        QCOMPARE(upper[QStringLiteral("modified")].toInt(), 1);
        const QJsonObject lower0 = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(lower0[QStringLiteral("wasted_bytes")].toInt(), 14); // a.txt, hidden by the whiteout
        QCOMPARE(upper[QStringLiteral("duplicated_bytes")].toInt(), 39); // b.txt replaces lower 1's
        QCOMPARE(upper[QStringLiteral("copied_up_bytes")].toInt(), 0); // with other contents
        const Run diff = run("strata-cli", {QStringLiteral("diff"), QStringLiteral("--layer"), QStringLiteral("2"), m_source});
        QCOMPARE(diff.out, QByteArray("2 deleted /a.txt\n2 modified /b.txt\n"));
    }

    void wasteListsHiddenFilesLargestFirst()
    {
        const Run json = run("strata-cli", {QStringLiteral("waste"), QStringLiteral("--json"), m_source});
        QCOMPARE(json.code, 0);
        const QList<QByteArray> lines = json.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject a = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(a[QStringLiteral("path")].toString(), QStringLiteral("/a.txt"));
        QCOMPARE(a[QStringLiteral("bytes")].toInt(), 14);
        QCOMPARE(a[QStringLiteral("why")].toString(), QStringLiteral("deleted"));
        QCOMPARE(a[QStringLiteral("layer")].toInt(), 0);
        QCOMPARE(a[QStringLiteral("by_layer")].toInt(), 2);
        const QJsonObject b = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(b[QStringLiteral("path")].toString(), QStringLiteral("/b.txt"));
        QCOMPARE(b[QStringLiteral("why")].toString(), QStringLiteral("overwritten"));
        QCOMPARE(b[QStringLiteral("layer")].toInt(), 1);
        const Run text = run("strata-cli", {QStringLiteral("waste"), m_source});
        QCOMPARE(text.code, 0);
        QVERIFY2(text.out.contains("wasted 28 B (28 bytes, 2 files)"), text.out.constData());
    }

    // strata-cli check for CI: 0 within limits, 1 over a limit (naming it), 2 for usage errors.
    void checkExitCodes_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("no limits") << QStringList{} << 0 << QStringLiteral("PASS");
        QTest::newRow("wasted at the limit") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("28")} << 0 << QStringLiteral("PASS");
        QTest::newRow("wasted over") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("27")} << 1
                                     << QStringLiteral("FAIL: wasted 28 bytes (28 B) exceeds --max-wasted 27 bytes");
        QTest::newRow("units") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("1.5KiB")} << 0 << QStringLiteral("PASS");
        QTest::newRow("efficiency under") << QStringList{QStringLiteral("--min-efficiency"), QStringLiteral("0.9")} << 1 << QStringLiteral("is below --min-efficiency 0.9000");
        QTest::newRow("efficiency fine") << QStringList{QStringLiteral("--min-efficiency"), QStringLiteral("0.5")} << 0 << QStringLiteral("PASS");
        QTest::newRow("junk bytes") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("nginx.conf")} << 2 << QStringLiteral("not a byte count");
        QTest::newRow("junk unit") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("10Q")} << 2 << QStringLiteral("not a byte count");
        QTest::newRow("negative") << QStringList{QStringLiteral("--max-wasted"), QStringLiteral("-1M")} << 2 << QStringLiteral("not a byte count");
        QTest::newRow("ratio past 1") << QStringList{QStringLiteral("--min-efficiency"), QStringLiteral("1.5")} << 2 << QStringLiteral("not a ratio from 0 to 1");
        QTest::newRow("ratio junk") << QStringList{QStringLiteral("--min-efficiency"), QStringLiteral("high")} << 2 << QStringLiteral("not a ratio from 0 to 1");
    }
    void checkExitCodes()
    {
        QFETCH(QStringList, options);
        QFETCH(int, code);
        QFETCH(QString, says);
        const Run r = run("strata-cli", QStringList{QStringLiteral("check")} + options + QStringList{m_source});
        QCOMPARE(r.code, code);
        const QByteArray output = r.out + r.err;
        QVERIFY2(QString::fromUtf8(output).contains(says), output.constData());
    }

    void checkUsageAndJson()
    {
        QCOMPARE(run("strata-cli", {QStringLiteral("check")}).code, 2);
        QCOMPARE(run("strata-cli", {QStringLiteral("ls"), QStringLiteral("--max-wasted"), QStringLiteral("1M"), m_source}).code, 2);
        QCOMPARE(run("strata-cli", {QStringLiteral("check"), QStringLiteral("overlay:lowerdir=/nonexistent/x")}).code, 2);
        const Run r = run("strata-cli", {QStringLiteral("check"), QStringLiteral("--json"), QStringLiteral("--max-wasted"), QStringLiteral("20"), m_source});
        QCOMPARE(r.code, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o[QStringLiteral("passed")].toBool(), false);
        QCOMPARE(o[QStringLiteral("wasted_bytes")].toInt(), 28);
        QCOMPARE(o[QStringLiteral("wasted_files")].toInt(), 2);
        QCOMPARE(o[QStringLiteral("max_wasted_bytes")].toInt(), 20);
        QVERIFY(o[QStringLiteral("min_efficiency")].isNull());
        QCOMPARE(o[QStringLiteral("wasted_exceeded")].toBool(), true);
        QCOMPARE(o[QStringLiteral("efficiency_below")].toBool(), false);
        const double total = o[QStringLiteral("total_bytes")].toDouble();
        QVERIFY(total > 28);
        QVERIFY(qAbs(o[QStringLiteral("efficiency")].toDouble() - (1.0 - 28.0 / total)) < 1e-4); // written with 4 decimals
        for (const char *key : {"duplicated_bytes", "copied_up_bytes"})
            QVERIFY2(o.contains(QLatin1StringView(key)), key);
    }

    void explainTellsWhy()
    {
        const Run text = run("strata-cli", {QStringLiteral("explain"), m_source, QStringLiteral("/a.txt")});
        QCOMPARE(text.code, 0);
        QCOMPARE(text.out, QByteArray("/a.txt: not in the merged view\n"
                                      "  upper: whiteout, deleted (hides-below), covers lower 0\n"
                                      "  lower 0: hidden, added (nothing-below), hidden by upper\n"));
        const Run json = run("strata-cli", {QStringLiteral("explain"), QStringLiteral("--json"), m_source, QStringLiteral("/b.txt")});
        QCOMPARE(json.code, 0);
        const QList<QByteArray> lines = json.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // the path, then upper and lower 1
        QCOMPARE(QJsonDocument::fromJson(lines[0]).object()[QStringLiteral("change")].toString(), QStringLiteral("modified"));
        const QJsonObject upper = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(upper[QStringLiteral("role")].toString(), QStringLiteral("provides"));
        QCOMPARE(upper[QStringLiteral("reason")].toString(), QStringLiteral("content-differs"));
        QCOMPARE(QJsonDocument::fromJson(lines[2]).object()[QStringLiteral("hidden_by")].toInt(), 2);
        const Run missing = run("strata-cli", {QStringLiteral("explain"), m_source, QStringLiteral("/nope")});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("/nope: no layer has this path"));
    }

    void badInputIsAClearError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing layer") << QStringList{QStringLiteral("ls"), QStringLiteral("overlay:lowerdir=/nonexistent/x")} << 1
                                       << QStringLiteral("cannot open layer /nonexistent/x");
        QTest::newRow("malformed options") << QStringList{QStringLiteral("ls"), QStringLiteral("overlay:lowerdir=/tmp,redirect_dir=sometimes")} << 1
                                           << QStringLiteral("redirect_dir takes");
        QTest::newRow("unknown source") << QStringList{QStringLiteral("ls"), QStringLiteral("/tmp")} << 1 << QStringLiteral("unknown source '/tmp'");
        QTest::newRow("missing image layout") << QStringList{QStringLiteral("ls"), QStringLiteral("oci:/tmp/no-such-layout")} << 1
                                              << QStringLiteral("cannot open the image layout /tmp/no-such-layout");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate"), QStringLiteral("x")} << 2 << QStringLiteral("unknown command");
        QTest::newRow("bad layer index") << QStringList{QStringLiteral("ls"), QStringLiteral("--layer"), QStringLiteral("9"), QStringLiteral("overlay:lowerdir=/tmp")} << 2
                                         << QStringLiteral("layers 0 to 0");
        QTest::newRow("cat of a missing path") << QStringList{QStringLiteral("cat"), QStringLiteral("overlay:lowerdir=/tmp"), QStringLiteral("/no/such/file")} << 1
                                               << QStringLiteral("/no/such/file: no such path");
    }

    void badInputIsAClearError()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = run("strata-cli", args);
        QCOMPARE(r.code, code);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void oddFileNamesStayRecoverable()
    {
        LayerBuilder low;
        const QByteArray odd("bad\xff\nname \"q\"");
        // Raw bytes: QString would turn \xff into U+FFFD.
        const QByteArray path = QFile::encodeName(low.root()) + '/' + odd;
        const int fd = ::open(path.constData(), O_CREAT | O_WRONLY, 0644);
        QVERIFY(fd >= 0);
        ::close(fd);
        const Run r = run("strata-cli", {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("overlay:lowerdir=") + low.root()});
        QCOMPARE(r.code, 0);
        QCOMPARE(QString::fromUtf8(r.out).toUtf8(), r.out); // valid UTF-8
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QByteArray line = lines[1];
        const qsizetype start = line.indexOf("\"path\":") + 7;
        const qsizetype end = line.indexOf(",\"type\"");
        std::string bytes;
        QVERIFY(strata::decodeJsonStringBytes(std::string_view(line.constData() + start, size_t(end - start)), bytes));
        QCOMPARE(QByteArray::fromStdString(bytes), "/" + odd);
    }

    void screenshotOfDemo()
    {
        const QString png = m_demoDir.filePath(QStringLiteral("shot.png"));
        const Run r = run("strata", {QStringLiteral("--screenshot"), png, m_source});
        QCOMPARE(r.code, 0);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 500);
        // Without a SOURCE it renders the demo stack.
        const QString demoPng = m_demoDir.filePath(QStringLiteral("demo.png"));
        QCOMPARE(run("strata", {QStringLiteral("--screenshot"), demoPng}).code, 0);
        QVERIFY(!QImage(demoPng).isNull());
        const Run bad = run("strata", {QStringLiteral("--screenshot"), png, QStringLiteral("overlay:lowerdir=/nonexistent/y")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("/nonexistent/y"));
    }

    void desktopMetadataValidates()
    {
        const QString resources = qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/resources/");
        QProcess desktop;
        desktop.start(QStringLiteral("desktop-file-validate"), {resources + QStringLiteral("io.github.strata.Strata.desktop")});
        QVERIFY(desktop.waitForFinished());
        QCOMPARE(desktop.exitCode(), 0);
        QVERIFY2(desktop.readAllStandardOutput().isEmpty(), "desktop-file-validate had remarks");
        QProcess appstream;
        appstream.start(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), resources + QStringLiteral("io.github.strata.Strata.metainfo.xml")});
        QVERIFY(appstream.waitForFinished());
        QCOMPARE(appstream.exitCode(), 0);
    }

    void logFileUnderXdgState()
    {
        run("strata-cli", {QStringLiteral("ls"), m_source});
        QVERIFY(QFile::exists(qEnvironmentVariable("XDG_STATE_HOME") + QStringLiteral("/strata/strata-cli.log")));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
