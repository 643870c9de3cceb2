// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled lessons: they parse, every text is there in English and Korean, and each step's
// checks hold after its action is done through a real overlay mount — and not before. Event checks
// need a live session (the helper's watch); here they must say so and fail.
#include "lesson.h"
#include "overlaystack.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata;

namespace {

// Does `action` in the merged dir `merged`, as a student's shell would.
QString perform(const LessonAction &action, const QString &merged)
{
    const QByteArray path = QFile::encodeName(merged + action.path);
    int rc = 0;
    if (action.op == u"append" || action.op == u"write" || action.op == u"create") {
        const int flags = O_WRONLY | O_CREAT | (action.op == u"append" ? O_APPEND : O_TRUNC);
        const int fd = ::open(path.constData(), flags, 0644);
        const QByteArray data = action.argument.toUtf8();
        rc = fd < 0 || ::write(fd, data.constData(), size_t(data.size())) != data.size() ? -1 : 0;
        if (fd >= 0)
            ::close(fd);
    } else if (action.op == u"unlink") {
        rc = ::unlink(path.constData());
    } else if (action.op == u"rmdir") {
        rc = ::rmdir(path.constData());
    } else if (action.op == u"mkdir") {
        rc = ::mkdir(path.constData(), 0755);
    } else if (action.op == u"chmod") {
        rc = ::chmod(path.constData(), action.argument.toUInt(nullptr, 8));
    } else {
        return QStringLiteral("the test cannot do %1 yet").arg(action.op);
    }
    return rc == 0 ? QString() : QStringLiteral("%1 %2: %3").arg(action.op, action.path, QString::fromLocal8Bit(std::strerror(errno)));
}

// "overlay:lowerdir=…" → the mount options.
QByteArray optionsOf(const QString &source)
{
    return QFile::encodeName(source.mid(int(sizeof("overlay:") - 1)));
}

} // namespace

class LessonsTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundledLessonsParse()
    {
        auto lessons = loadLessons();
        QVERIFY2(lessons, lessons ? "" : qPrintable(lessons.error().message()));
        QVERIFY(lessons->size() >= 3);
        int expected = 1;
        for (const Lesson &lesson : *lessons) {
            QCOMPARE(lesson.number, expected++);
            for (const LocalizedText *text : {&lesson.title, &lesson.summary}) {
                QVERIFY2(!text->en.isEmpty() && !text->ko.isEmpty(), qPrintable(lesson.id));
                QVERIFY(text->in(QStringLiteral("ko_KR")) == text->ko && text->in(QStringLiteral("en_US")) == text->en);
            }
            for (const LessonStep &step : lesson.steps)
                QVERIFY2(!step.text.en.isEmpty() && !step.text.ko.isEmpty() && !step.checks.empty(), qPrintable(lesson.id));
        }
    }

    void badLessonsNameTheProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray good = R"({"id":"x","title":{"en":"t","ko":"t"},"summary":{"en":"s","ko":"s"},"lowers":[{"name":"l","entries":[{"path":"/a"}]}],)"
                                R"("steps":[{"text":{"en":"e","ko":"k"},"checks":[{"kind":"merged-has","path":"/a"}]}]})";
        QTest::newRow("good") << good << QString();
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not a JSON object");
        QTest::newRow("typo in a field") << QByteArray(good).replace("\"checks\"", "\"chekcs\"") << QStringLiteral("steps[0]: unknown field \"chekcs\"");
        QTest::newRow("unknown check") << QByteArray(good).replace("merged-has", "merged-had") << QStringLiteral("steps[0].checks[0].kind: unknown check \"merged-had\"");
        QTest::newRow("path climbing out") << QByteArray(good).replace("\"/a\"}]}]", "\"/../a\"}]}]") << QStringLiteral("lowers[0].entries[0].path");
        QTest::newRow("no Korean") << QByteArray(good).replace(",\"ko\":\"k\"", "") << QStringLiteral("steps[0].text.ko: missing");
        QTest::newRow("layer named upper") << QByteArray(good).replace("\"name\":\"l\"", "\"name\":\"upper\"") << QStringLiteral("lowers[0].name");
    }
    void badLessonsNameTheProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        auto lesson = parseLesson(json, QStringLiteral("/lessons/09-bad.json"));
        if (problem.isEmpty()) {
            QVERIFY2(lesson, lesson ? "" : qPrintable(lesson.error().message()));
            QCOMPARE(lesson->number, 9);
            return;
        }
        QVERIFY(!lesson);
        QVERIFY2(lesson.error().message().contains(QStringLiteral("/lessons/09-bad.json")) && lesson.error().message().contains(problem),
                 qPrintable(lesson.error().message()));
    }

    void checksHoldAfterEachActionThroughTheKernel()
    {
        if (::geteuid() != 0)
            QSKIP("mounting the lessons' stacks needs root (the suite runs as root in the toolbox)");
        auto lessons = loadLessons();
        QVERIFY(lessons);
        for (const Lesson &lesson : *lessons) {
            QTemporaryDir dir;
            auto source = createLessonStack(lesson, dir.path());
            QVERIFY2(source, source ? "" : qPrintable(source.error().message()));
            const QString merged = dir.filePath(QStringLiteral("merged"));
            QVERIFY(QDir().mkpath(merged));
            for (size_t s = 0; s < lesson.steps.size(); ++s) {
                const LessonStep &step = lesson.steps[s];
                const QString where = QStringLiteral("lesson %1 step %2").arg(lesson.id).arg(s + 1);
                auto before = OverlayStack::open(*source, QStringLiteral("/"));
                QVERIFY(before);
                bool allBefore = true;
                for (const LessonCheck &check : step.checks)
                    allBefore = allBefore && evaluateCheck(check, lesson, *before).passed;
                if (step.action) {
                    // A step that asks for something must not be green before it is done.
                    QVERIFY2(!allBefore, qPrintable(where + QStringLiteral(": every check holds before the action")));
                    QVERIFY2(::mount("overlay", QFile::encodeName(merged).constData(), "overlay", 0, optionsOf(*source).constData()) == 0,
                             qPrintable(where + QStringLiteral(": mount: ") + QString::fromLocal8Bit(std::strerror(errno))));
                    const QString failed = perform(*step.action, merged);
                    QVERIFY(::umount(QFile::encodeName(merged).constData()) == 0);
                    QVERIFY2(failed.isEmpty(), qPrintable(where + QStringLiteral(": ") + failed));
                }
                auto after = OverlayStack::open(*source, QStringLiteral("/"));
                QVERIFY(after);
                for (const LessonCheck &check : step.checks) {
                    const CheckResult result = evaluateCheck(check, lesson, *after);
                    if (check.kind == LessonCheck::Kind::Event) {
                        QVERIFY2(!result.passed && result.detail.contains(QStringLiteral("live session")), qPrintable(result.detail));
                        // With the events a live session would have reported, it holds.
                        const std::vector<ObservedEvent> events{{check.value, check.path.mid(1)}}; // as the helper names it
                        QVERIFY(evaluateCheck(check, lesson, *after, &events).passed);
                        continue;
                    }
                    QVERIFY2(result.passed, qPrintable(where + QStringLiteral(": ") + result.detail));
                }
            }
        }
    }

    // `strata-cli lesson run N`: the lesson through strata-helper — real mount, the kernel's own
    // copy-ups and whiteouts, the watch's events — with every check passing.
    void bundledLessonsRunThroughTheHelper()
    {
        auto lessons = loadLessons();
        QVERIFY(lessons);
        for (const Lesson &lesson : *lessons) {
            QProcess cli;
            cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("run"), QString::number(lesson.number)});
            QVERIFY(cli.waitForFinished(120000));
            const QString out = QString::fromUtf8(cli.readAllStandardOutput());
            QVERIFY2(cli.exitCode() == 0 && !out.contains(u'✗'), qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
            QVERIFY(out.count(u'✓') > 0);
        }
    }

    // As an unprivileged user: rootless mode (user namespace, userxattr), inotify for the events.
    void aLessonRunsRootless()
    {
        if (::geteuid() != 0)
            QSKIP("switching to an unprivileged user needs root (the suite runs as root in the toolbox)");
        // Copies nobody can execute, wherever the build tree is.
        QTemporaryDir bin;
        ::chmod(QFile::encodeName(bin.path()).constData(), 0755);
        for (const char *name : {"strata-cli", "strata-helper"})
            QVERIFY(QFile::copy(qEnvironmentVariable("STRATA_BIN") + u'/' + QLatin1StringView(name), bin.filePath(QLatin1StringView(name))));
        QProcess cli;
        cli.setWorkingDirectory(QStringLiteral("/tmp"));
        cli.start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                                              bin.filePath(QStringLiteral("strata-cli")), QStringLiteral("lesson"), QStringLiteral("run"), QStringLiteral("2"),
                                              QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(120000));
        const QByteArray out = cli.readAllStandardOutput();
        QVERIFY2(cli.exitCode() == 0, QByteArray(out + cli.readAllStandardError()).constData());
        QVERIFY2(out.contains("\"passed\":true") && !out.contains("\"passed\":false") && out.contains("the kernel did whiteout for /a.txt"), out.constData());
    }

    // A check that cannot be met fails the run, and says which.
    void anUnmetCheckFailsTheRun()
    {
        QTemporaryDir dir;
        QFile lesson(dir.filePath(QStringLiteral("99-impossible.json")));
        QVERIFY(lesson.open(QIODevice::WriteOnly));
        lesson.write(R"({"id":"impossible","title":{"en":"t","ko":"t"},"summary":{"en":"s","ko":"s"},
            "lowers":[{"name":"image1","entries":[{"path":"/a.txt","content":"a\n"}]}],
            "steps":[{"text":{"en":"Delete a.txt.","ko":"a.txt를 지우세요."},"action":{"op":"unlink","path":"/a.txt"},
                      "checks":[{"kind":"merged-has","path":"/a.txt"},{"kind":"event","path":"/a.txt","value":"data-copy-up"}]}]})");
        lesson.close();
        QProcess cli;
        cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("run"), lesson.fileName()});
        QVERIFY(cli.waitForFinished(120000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(out.contains(QStringLiteral("✗ the merged view has no /a.txt")) && out.contains(QStringLiteral("✗ no data-copy-up event for /a.txt")), qPrintable(out));
    }

private:
    static QString cliPath() { return qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"); }
};

QTEST_GUILESS_MAIN(LessonsTest)
#include "test_lessons.moc"
