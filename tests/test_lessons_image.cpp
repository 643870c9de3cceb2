// SPDX-License-Identifier: GPL-3.0-or-later
// The lessons that open a real image (8: Docker's layer database, 9: nginx in the merged root):
// the real image (tests/make_real_image.sh, cached) loaded into a private dockerd started once
// here, then each lesson through LessonRunner step by step (state checks fail before each action,
// every check holds after it), through `strata-cli lesson run N --data-root DIR`, and in the
// window through Show Me with the lesson pane's checks.
#include "dockerstorage.h"
#include "lesson.h"
#include "lessontestutil.h"
#include "storagetestutil.h"
#include "windowlessonutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>
#include <unistd.h>

using namespace strata;

class LessonsImageTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("the real image, dockerd and the lessons' mounts need root (scripts/test runs as root in the toolbox)");
        if (QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty())
            QSKIP("dockerd is not installed (the toolbox has it: run through scripts/test)");
        QVERIFY(m_dir.isValid());
        QElapsedTimer timer;
        timer.start();
        QString error;
        const QString image = makeRealImage(&error);
        QVERIFY2(!image.isEmpty(), qPrintable(error));
        const QString started = m_daemon.start(m_dir.filePath(QStringLiteral("docker")));
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QStringList load{QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), image + QStringLiteral("/real.tar")};
        const ToolRun loaded = m_daemon.docker(load, 300000);
        QVERIFY2(loaded.code == 0, qPrintable(loaded.describe(QStringLiteral("docker"), load) + m_daemon.log()));
        qInfo("real image loaded into a private dockerd: %lld ms", qint64(timer.elapsed()));
    }
    void cleanupTestCase() { m_daemon.stop(); }

    void imageLessonsStepByStep_data()
    {
        QTest::addColumn<int>("number");
        QTest::newRow("8 docker-layers") << 8;
        QTest::newRow("9 nginx") << 9;
    }
    void imageLessonsStepByStep()
    {
        QFETCH(int, number);
        const QString problem = runLessonStepByStep(lesson(number), m_daemon.root());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void imageLessonsThroughTheCli_data() { imageLessonsStepByStep_data(); }
    void imageLessonsThroughTheCli()
    {
        QFETCH(int, number);
        QProcess cli;
        cli.start(qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"),
                  {QStringLiteral("lesson"), QStringLiteral("run"), QString::number(number), QStringLiteral("--data-root"), m_daemon.root()});
        QVERIFY(cli.waitForFinished(180000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(cli.exitCode() == 0 && !out.contains(u'✗'), qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
        const Lesson bundled = lesson(number);
        const size_t checks = std::accumulate(bundled.steps.begin(), bundled.steps.end(), size_t(0), [](size_t n, const LessonStep &s) { return n + s.checks.size(); });
        QCOMPARE(out.count(u'✓'), qsizetype(checks));
        if (number == 8)
            QVERIFY2(out.contains(QStringLiteral("/parent is ")) && out.contains(QStringLiteral("overlay2/l/")), qPrintable(out));
        if (number == 9)
            QVERIFY2(out.contains(QStringLiteral("the kernel did data-copy-up for /var/log/nginx/access.log by nginx")), qPrintable(out));
    }

    // In the window, as a trainer runs them: the lesson pane finds the image in the data root named
    // by $STRATA_LESSON_DATA_ROOT, mounts it live, and every check of every step turns green.
    void imageLessonsInTheWindow_data() { imageLessonsStepByStep_data(); }
    void imageLessonsInTheWindow()
    {
        QFETCH(int, number);
        qputenv("STRATA_LESSON_DATA_ROOT", QFile::encodeName(m_daemon.root()));
        qputenv("STRATA_HELPER", QByteArray(qgetenv("STRATA_BIN") + "/strata-helper")); // the build tree's
        MainWindow window;
        window.show();
        const auto &lessons = window.lessonPane()->lessons();
        const QString id = lesson(number).id;
        const auto it = std::find_if(lessons.begin(), lessons.end(), [&](const Lesson &l) { return l.id == id; });
        QVERIFY2(it != lessons.end(), qPrintable(id));
        const QString problem = runLessonInWindow(window, int(it - lessons.begin()), 60000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        qunsetenv("STRATA_LESSON_DATA_ROOT");
    }

    // The layerdb checks read Docker's files: a damaged parent file fails the check that reads it.
    // (Last: it damages the data root.)
    void aDamagedLayerdbFailsItsCheck()
    {
        auto records = DockerStorage(m_daemon.root()).layerRecords(QStringLiteral("strata-real:1"));
        QVERIFY2(records && records->size() == 3, records ? "" : qPrintable(records.error().message()));
        QFile link(m_daemon.root() + QStringLiteral("/overlay2/") + records->at(2).cacheId + QStringLiteral("/lower"));
        QVERIFY(link.open(QIODevice::WriteOnly | QIODevice::Truncate));
        link.write("l/NOTALINK");
        link.close();
        QProcess cli;
        cli.start(qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"),
                  {QStringLiteral("lesson"), QStringLiteral("run"), QStringLiteral("8"), QStringLiteral("--data-root"), m_daemon.root()});
        QVERIFY(cli.waitForFinished(180000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(out.count(u'✗') == 1 && out.contains(QStringLiteral("layers below: l/NOTALINK")), qPrintable(out));
    }

private:
    static Lesson lesson(int number)
    {
        auto lessons = loadLessons();
        return lessons && size_t(number) <= lessons->size() ? lessons->at(size_t(number - 1)) : Lesson{};
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/strata-lessons-image-XXXXXX")};
    DockerDaemon m_daemon;
};

QTEST_MAIN(LessonsImageTest)
#include "test_lessons_image.moc"
