// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled lessons: they parse, every text is there in English and Korean, and each step's
// checks hold after its action is done through a real overlay mount — and not before. Event checks
// need a live session (the helper's watch); here they must say so and fail.
#include "lesson.h"
#include "lessontestutil.h"
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
        QCOMPARE(lessons->size(), size_t(9));
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
        QTest::newRow("lowers and a source") << QByteArray(good).replace("\"steps\"", "\"source\":\"docker-storage:{data-root}:x\",\"steps\"") << QStringLiteral("lesson.lowers");
        QTest::newRow("hardlink to nothing") << QByteArray(good).replace("{\"path\":\"/a\"}", "{\"path\":\"/a\"},{\"path\":\"/b\",\"type\":\"hardlink\",\"target\":\"/c\"}")
                                             << QStringLiteral("lowers[0].entries[1].target");
        QTest::newRow("a size for a directory") << QByteArray(good).replace("{\"path\":\"/a\"}", "{\"path\":\"/a\",\"type\":\"dir\",\"size\":5}")
                                                << QStringLiteral("lowers[0].entries[0].size");
        QTest::newRow("recursive unlink") << QByteArray(good).replace("\"checks\"", "\"action\":{\"op\":\"unlink\",\"path\":\"/a\",\"recursive\":true},\"checks\"")
                                          << QStringLiteral("steps[0].action.recursive");
        QTest::newRow("run without argv") << QByteArray(good).replace("\"checks\"", "\"action\":{\"op\":\"run\"},\"checks\"") << QStringLiteral("steps[0].action.argv");
        QTest::newRow("unknown errno") << QByteArray(good).replace("{\"kind\":\"merged-has\",\"path\":\"/a\"}", "{\"kind\":\"action-fails\",\"value\":\"EXDEVV\"}")
                                       << QStringLiteral("steps[0].checks[0].value: an errno name");
        QTest::newRow("bytes of nothing") << QByteArray(good).replace("{\"kind\":\"merged-has\",\"path\":\"/a\"}", "{\"kind\":\"bytes-at-least\",\"layer\":\"upper\",\"path\":\"/a\",\"value\":\"lots\"}")
                                          << QStringLiteral("steps[0].checks[0].value");
        QTest::newRow("process of a state check") << QByteArray(good).replace("{\"kind\":\"merged-has\",\"path\":\"/a\"}", "{\"kind\":\"merged-has\",\"path\":\"/a\",\"process\":\"nginx\"}")
                                                  << QStringLiteral("steps[0].checks[0].process");
        QTest::newRow("docker file unknown") << QByteArray(good).replace("{\"kind\":\"merged-has\",\"path\":\"/a\"}", "{\"kind\":\"docker-layerdb\",\"layer\":\"lower 0\",\"value\":\"size\"}")
                                             << QStringLiteral("steps[0].checks[0].value: one of diff");
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
            // This test does the actions itself (mount(2) and plain system calls); lessons with
            // other actions or checks that ask a live session run through LessonRunner below.
            static const QStringList doable{QStringLiteral("append"), QStringLiteral("write"), QStringLiteral("create"), QStringLiteral("unlink"),
                                            QStringLiteral("rmdir"), QStringLiteral("mkdir"), QStringLiteral("chmod")};
            const bool plain = lesson.source.isEmpty() && std::all_of(lesson.steps.begin(), lesson.steps.end(), [](const LessonStep &step) {
                return (!step.action || (doable.contains(step.action->op) && !step.action->recursive))
                    && std::all_of(step.checks.begin(), step.checks.end(), [](const LessonCheck &c) { return isStateCheck(c) || c.kind == LessonCheck::Kind::Event; })
                    && std::none_of(step.checks.begin(), step.checks.end(), [](const LessonCheck &c) {
                           return c.kind == LessonCheck::Kind::KeptOpenReads || c.kind == LessonCheck::Kind::MountOption || c.kind == LessonCheck::Kind::MergedSameInode
                               || c.kind == LessonCheck::Kind::MergedOtherInode;
                       });
            });
            if (!plain)
                continue;
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

    // Every bundled lesson that needs no Docker data root (8 and 9 do: test_lessons_image), step
    // by step through LessonRunner and the helper, direct as root: each step's state checks fail
    // before its action and every check holds after it.
    void eachStepThroughTheRunner_data()
    {
        QTest::addColumn<int>("number");
        auto lessons = loadLessons();
        QVERIFY(lessons);
        for (const Lesson &lesson : *lessons) {
            if (!lesson.source.contains(QStringLiteral("{data-root}")))
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(lesson.number).arg(lesson.id))) << lesson.number;
        }
    }
    void eachStepThroughTheRunner()
    {
        QFETCH(int, number);
        if (::geteuid() != 0)
            QSKIP("the lessons' direct mounts need root (the suite runs as root in the toolbox)");
        auto lessons = loadLessons();
        QVERIFY(lessons);
        const Lesson &lesson = lessons->at(size_t(number - 1));
        const QString problem = runLessonStepByStep(lesson);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // A lesson with a Docker image source says where to give the data root.
    void anImageLessonNeedsItsDataRoot()
    {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("STRATA_LESSON_DATA_ROOT"));
        cli.setProcessEnvironment(env);
        cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("run"), QStringLiteral("8")});
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        if (::geteuid() != 0) {
            QCOMPARE(cli.exitCode(), 2); // needs root, said before anything else
            return;
        }
        QVERIFY2(cli.exitCode() == 1 && err.contains(QStringLiteral("--data-root DIR")), qPrintable(err));
    }

    // `strata-cli lesson run N`: the lesson through strata-helper — real mount, the kernel's own
    // copy-ups and whiteouts, the watch's events — with every check passing.
    void bundledLessonsRunThroughTheHelper()
    {
        auto lessons = loadLessons();
        QVERIFY(lessons);
        for (const Lesson &lesson : *lessons) {
            if (lesson.source.contains(QStringLiteral("{data-root}")))
                continue; // test_lessons_image runs them with a Docker data root
            if (lesson.needsRoot && ::geteuid() != 0)
                continue;
            QProcess cli;
            cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("run"), QString::number(lesson.number)});
            QVERIFY(cli.waitForFinished(120000));
            const QString out = QString::fromUtf8(cli.readAllStandardOutput());
            QVERIFY2(cli.exitCode() == 0 && !out.contains(u'✗'), qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
            QVERIFY(out.count(u'✓') > 0);
        }
    }

    // As an unprivileged user: rootless mode (user namespace, userxattr), inotify for the events.
    // Every lesson that does not need root runs so; one that does is refused before it starts.
    void lessonsRunRootless_data()
    {
        QTest::addColumn<int>("number");
        auto lessons = loadLessons();
        QVERIFY(lessons);
        for (const Lesson &lesson : *lessons)
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(lesson.number).arg(lesson.id))) << lesson.number;
    }
    void lessonsRunRootless()
    {
        QFETCH(int, number);
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
                                              bin.filePath(QStringLiteral("strata-cli")), QStringLiteral("lesson"), QStringLiteral("run"), QString::number(number),
                                              QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(120000));
        const QByteArray out = cli.readAllStandardOutput();
        const QByteArray err = cli.readAllStandardError();
        auto lessons = loadLessons();
        QVERIFY(lessons);
        if (lessons->at(size_t(number - 1)).needsRoot) {
            QVERIFY2(cli.exitCode() == 2 && err.contains("needs root") && out.isEmpty(), QByteArray(out + err).constData());
            return;
        }
        QVERIFY2(cli.exitCode() == 0, QByteArray(out + err).constData());
        QVERIFY2(out.contains("\"passed\":true") && !out.contains("\"passed\":false"), out.constData());
        if (number == 2)
            QVERIFY2(out.contains("the kernel did whiteout for /a.txt"), out.constData());
        if (number == 4) // the reader opened before the copy-up follows it (Linux ≥ 4.19), rootless too
            QVERIFY2(out.contains("earlier reads \\\"rpmdb generation 2"), out.constData());
    }

    // One numbered line per lesson, in the locale's language.
    void lessonListShowsEveryLesson()
    {
        for (const char *lang : {"C.UTF-8", "ko_KR.UTF-8"}) {
            QProcess cli;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("LC_ALL"));
            env.remove(QStringLiteral("LC_MESSAGES"));
            env.insert(QStringLiteral("LANG"), QLatin1StringView(lang));
            cli.setProcessEnvironment(env);
            cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("list")});
            QVERIFY(cli.waitForFinished(30000));
            QCOMPARE(cli.exitCode(), 0);
            const QStringList lines = QString::fromUtf8(cli.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
            QCOMPARE(lines.size(), 9);
            for (int n = 1; n <= 9; ++n)
                QVERIFY2(lines[n - 1].startsWith(QStringLiteral("%1. ").arg(n, 2)), qPrintable(lines[n - 1]));
            const bool korean = QByteArray(lang).startsWith("ko");
            QVERIFY2(lines[6].contains(korean ? QStringLiteral("하드링크") : QStringLiteral("Hardlinks")), qPrintable(lines[6]));
        }
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
                      "checks":[{"kind":"merged-has","path":"/a.txt"},{"kind":"event","path":"/a.txt","value":"data-copy-up"},
                                {"kind":"action-fails","value":"EXDEV"},{"kind":"bytes-at-least","layer":"upper","path":"/","value":"1 image1"}]}]})");
        lesson.close();
        QProcess cli;
        cli.start(cliPath(), {QStringLiteral("lesson"), QStringLiteral("run"), lesson.fileName()});
        QVERIFY(cli.waitForFinished(120000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(out.contains(QStringLiteral("✗ the merged view has no /a.txt")) && out.contains(QStringLiteral("✗ no data-copy-up event for /a.txt"))
                     && out.contains(QStringLiteral("✗ the action succeeded; EXDEV was expected")) && out.contains(QStringLiteral("✗ upper holds 0 bytes below /")),
                 qPrintable(out));
    }

private:
    static QString cliPath() { return qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"); }
};

QTEST_GUILESS_MAIN(LessonsTest)
#include "test_lessons.moc"
