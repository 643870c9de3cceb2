// SPDX-License-Identifier: GPL-3.0-or-later
// The live playground in the window, through a real strata-helper and a real overlay mount: an
// operation on a lower file gives the kernel's copy-up event, the rows update in place (expansion
// and selection stay), the options remount, Reset restores the upper dir byte for byte, and
// Record writes a script strata-cli session replays.
#include "changefilterproxy.h"
#include "copyupcost.h"
#include "eventtimelinemodel.h"
#include "layercelldelegate.h"
#include "lessonpane.h"
#include "livesession.h"
#include "mainwindow.h"
#include "playgroundactions.h"
#include "playgroundpanel.h"
#include "roles.h"
#include "testutil.h"
#include "uniontreemodel.h"
#include "windowlessonutil.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTimer>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeView>

#include <csignal>
#include <sys/stat.h>
#include <sys/xattr.h>

using namespace strata;

namespace {

// Everything Reset must put back: per path its type, mode, owner, size, device, content and xattrs.
QStringList describeTree(const QString &root)
{
    QStringList lines;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray p = QFile::encodeName(path);
        struct stat st {};
        ::lstat(p.constData(), &st);
        QString line = QStringLiteral("%1 mode=%2 uid=%3 gid=%4 size=%5 rdev=%6 mtime=%7")
                           .arg(path.mid(root.size()))
                           .arg(st.st_mode, 0, 8)
                           .arg(st.st_uid)
                           .arg(st.st_gid)
                           .arg(S_ISDIR(st.st_mode) ? 0 : st.st_size)
                           .arg(st.st_rdev)
                           .arg(st.st_mtim.tv_sec);
        if (S_ISREG(st.st_mode)) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                line += QStringLiteral(" content=") + QString::fromLatin1(f.readAll().toHex());
        }
        char names[4096];
        const ssize_t n = ::llistxattr(p.constData(), names, sizeof names);
        for (ssize_t i = 0; i < n; i += ssize_t(std::strlen(names + i)) + 1) {
            char value[4096];
            const ssize_t v = ::lgetxattr(p.constData(), names + i, value, sizeof value);
            line += QStringLiteral(" %1=%2").arg(QString::fromLatin1(names + i), QString::fromLatin1(QByteArray(value, int(std::max<ssize_t>(v, 0))).toHex()));
        }
        lines << line;
    }
    lines.sort();
    return lines;
}

QModelIndex sourceIndex(MainWindow &w, const QString &path, int column = 0)
{
    return w.unionModel()->indexOfPath(path, column);
}

int upperKind(MainWindow &w, const QString &path)
{
    const int upperColumn = w.unionModel()->mergedColumn() - 1;
    return sourceIndex(w, path, upperColumn).data(ChangeKindRole).toInt();
}

bool hasEvent(const LiveSession &s, const QString &kind, const QString &path)
{
    for (const LiveEvent &e : s.events()) {
        if (e.kind == kind && e.path == path)
            return true;
    }
    return false;
}

} // namespace

class TestPlayground : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("STRATA_HELPER", QByteArray(qgetenv("STRATA_BIN") + "/strata-helper"));
        // As root: direct mode. rootlessInTheWindow runs this binary again as nobody (rootless).
        if (::geteuid() != 0 && !qEnvironmentVariableIsSet("STRATA_PLAYGROUND_ROOTLESS"))
            QSKIP("run as root (CI does): the suite runs itself as nobody for the rootless mode");
    }

    void init()
    {
        m_lower = std::make_unique<LayerBuilder>();
        m_lower->file(QStringLiteral("etc/motd"), "hello\n");
        m_lower->file(QStringLiteral("etc/hostname"), "strata\n");
        m_lower->file(QStringLiteral("big"), QByteArray(256 * 1024, 'b'));
        m_lower->file(QStringLiteral("dir/inner"), "inner\n");
    }

    void cleanup() { m_lower.reset(); }

    void operationCopiesUpAndRowsUpdateInPlace()
    {
        MainWindow w;
        QSignalSpy stats(&w, &MainWindow::statisticsLoaded);
        w.openSource(QStringLiteral("overlay:lowerdir=") + m_lower->root());
        QVERIFY(stats.wait(20000));
        w.show();
        w.treeView()->collapseAll();
        QVERIFY(w.selectPath(QStringLiteral("/etc/motd")));

        QSignalSpy mounted(w.liveSession(), &LiveSession::mounted);
        w.mountLive();
        QVERIFY(mounted.wait(20000));
        QCOMPARE(w.stack()->layers.size(), size_t(2)); // the lower and a fresh upper
        QVERIFY(w.stack()->config.hasUpper());
        QVERIFY(QDir(w.liveSession()->upperDir()).isEmpty());
        QVERIFY(w.selectPath(QStringLiteral("/etc/motd")));
        const QModelIndex etc = w.filterProxy()->mapFromSource(sourceIndex(w, QStringLiteral("/etc")));
        QVERIFY(w.treeView()->isExpanded(etc));
        QCOMPARE(upperKind(w, QStringLiteral("/etc/motd")), int(ChangeKind::Absent));

        // Append to a lower file: the kernel copies it up; the window shows the new state in place.
        QSignalSpy snapshots(w.liveSession(), &LiveSession::snapshotChanged);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(w.playgroundActions()->perform(QStringLiteral("append"), QStringLiteral("/etc/motd"), QStringLiteral("more\n")));
        QVERIFY(snapshots.wait(5000));
        const qint64 updatedMs = timer.elapsed();
        qInfo("append → every column updated in %lld ms", static_cast<long long>(updatedMs));
        QVERIFY2(updatedMs <= 200, qPrintable(QStringLiteral("%1 ms").arg(updatedMs)));
        QVERIFY(hasEvent(*w.liveSession(), QStringLiteral("data-copy-up"), QStringLiteral("/etc/motd")));
        QCOMPARE(upperKind(w, QStringLiteral("/etc/motd")), int(ChangeKind::Modified));
        // Expansion and selection survived the update.
        QVERIFY(w.treeView()->isExpanded(w.filterProxy()->mapFromSource(sourceIndex(w, QStringLiteral("/etc")))));
        QCOMPARE(w.treeView()->currentIndex().data(PathRole).toString(), QStringLiteral("/etc/motd"));
        // The changed row flashes; the timeline names the event, its upper-dir path and bytes.
        QVERIFY(w.findChild<PlaygroundPanel *>());
        const EventTimelineModel *timeline = w.playgroundPanel()->timeline();
        QVERIFY(timeline->rowCount() >= 1);
        int row = -1;
        for (int r = 0; r < timeline->rowCount(); ++r) {
            if (timeline->index(r, EventTimelineModel::PathColumn).data().toString() == u"/etc/motd"
                && timeline->index(r, EventTimelineModel::EventColumn).data().toString() == EventTimelineModel::eventText(QStringLiteral("data-copy-up")))
                row = r;
        }
        QVERIFY(row >= 0);
        QCOMPARE(timeline->index(row, EventTimelineModel::UpperPathColumn).data().toString(), w.liveSession()->upperDir() + QStringLiteral("/etc/motd"));
        QVERIFY(timeline->index(row, EventTimelineModel::StateColumn).data().toString().contains(u'→'));
        // As root fanotify names the process; rootless (inotify) cannot, and the panel says so.
        QCOMPARE(!timeline->index(row, EventTimelineModel::ProcessColumn).data().toString().isEmpty(), !rootless());
        QCOMPARE(w.liveSession()->mode(), rootless() ? HelperMode::Rootless : HelperMode::Direct);
        QCOMPARE(w.playgroundPanel()->limitsLabel()->isVisible(), rootless());
        QCOMPARE(w.liveSession()->events()[size_t(row)].bytes, qint64(std::strlen("hello\nmore\n")));
        // The touched row flashes for a moment; a click on the event selects its path.
        auto *delegate = qobject_cast<LayerCellDelegate *>(w.treeView()->itemDelegate());
        QVERIFY(delegate && delegate->flashedPaths().contains(QStringLiteral("/etc/motd")));
        QTRY_VERIFY_WITH_TIMEOUT(delegate->flashedPaths().isEmpty(), 3000);
        QVERIFY(w.selectPath(QStringLiteral("/big")));
        QTableView *view = w.playgroundPanel()->timelineView();
        const QRect cell = view->visualRect(view->model()->index(row, EventTimelineModel::PathColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(w.treeView()->currentIndex().data(PathRole).toString(), QStringLiteral("/etc/motd"));

        // The editor: the merged file's text, changed and saved through the helper (write + truncate).
        QTimer::singleShot(200, [] {
            for (QWidget *top : QApplication::topLevelWidgets()) {
                auto *dialog = qobject_cast<QDialog *>(top);
                auto *edit = dialog ? dialog->findChild<QPlainTextEdit *>() : nullptr;
                if (!edit || !dialog->isVisible())
                    continue;
                QCOMPARE(edit->toPlainText(), QStringLiteral("hello\nmore\n"));
                edit->setPlainText(QStringLiteral("edited\n"));
                dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
            }
        });
        w.playgroundActions()->edit(QStringLiteral("/etc/motd"));
        QTRY_VERIFY_WITH_TIMEOUT(w.liveSession()->operations().size() >= 3 && !w.liveSession()->operations().back().result.isEmpty(), 5000);
        QCOMPARE(w.liveSession()->operations()[1].request.op, QStringLiteral("write"));
        QCOMPARE(w.liveSession()->operations()[2].request.op, QStringLiteral("truncate"));
        QTRY_COMPARE_WITH_TIMEOUT(w.stack()->entry(w.stack()->merged.nodes[w.stack()->findMerged("/etc/motd")].meta).size, uint64_t(7), 5000);

        // Delete a lower file: a whiteout, the merged row gone.
        QVERIFY(w.playgroundActions()->perform(QStringLiteral("delete"), QStringLiteral("/etc/hostname")));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*w.liveSession(), QStringLiteral("whiteout"), QStringLiteral("/etc/hostname")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(upperKind(w, QStringLiteral("/etc/hostname")), int(ChangeKind::Deleted), 5000);

        // chmod of a big lower file without metacopy: the whole file is copied; the cost says so.
        QVERIFY(w.playgroundActions()->perform(QStringLiteral("chmod"), QStringLiteral("/big"), QStringLiteral("600")));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*w.liveSession(), QStringLiteral("data-copy-up"), QStringLiteral("/big")), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(copyUpCost(*w.stack()).copiedBytes >= 256 * 1024, 5000);
        QVERIFY(w.playgroundPanel()->costLabel()->text().contains(QLocale().formattedDataSize(qint64(copyUpCost(*w.stack()).copiedBytes))));

        // A lower dir rename without redirect_dir: EXDEV, said as the helper says it.
        QSignalSpy done(w.liveSession(), &LiveSession::operationDone);
        QVERIFY(w.playgroundActions()->perform(QStringLiteral("rename"), QStringLiteral("/dir"), QStringLiteral("/moved")));
        QVERIFY(done.wait(5000));
        const LiveOperation &rename = w.liveSession()->operations().back();
        QVERIFY(rename.error);
        QCOMPARE(rename.error->sysErrno, EXDEV);

        // Record: the session as a script that strata-cli session replays with the same events.
        QTemporaryDir out;
        const QString script = out.filePath(QStringLiteral("session.txt"));
        QVERIFY(w.playgroundPanel()->record(script));
        QProcess cli;
        cli.start(qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"),
                  {QStringLiteral("session"), QStringLiteral("overlay:lowerdir=") + m_lower->root(), QStringLiteral("--script"), script});
        QVERIFY(cli.waitForFinished(60000));
        const QString replay = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 1); // the rename is refused there too
        QVERIFY2(replay.contains(QStringLiteral("\"kind\":\"data-copy-up\",\"layer\":0,\"path\":\"etc/motd\"")) || replay.contains(QStringLiteral("data-copy-up")), qPrintable(replay));
        QVERIFY2(replay.contains(QStringLiteral("whiteout")), qPrintable(replay));
        QVERIFY2(replay.contains(QStringLiteral("\"errno\":18")), qPrintable(replay));

        // The options are part of the experiment: with metacopy=on a chmod copies metadata only.
        QSignalSpy remounted(w.liveSession(), &LiveSession::mounted);
        // A refused combination (the kernel wants redirect_dir=on with metacopy=on) leaves the
        // stack mounted with the options it had.
        QSignalSpy failed(w.liveSession(), &LiveSession::failed);
        w.liveSession()->remount({QStringLiteral("metacopy=on"), QStringLiteral("redirect_dir=off")});
        QVERIFY(remounted.wait(20000));
        QCOMPARE(failed.size(), 1);
        QVERIFY(w.liveSession()->options().isEmpty());
        if (rootless()) {
            // userxattr: the kernel has no metacopy or redirect_dir here; the switches are off.
            QVERIFY(!w.playgroundPanel()->findChild<QCheckBox *>(QStringLiteral("metacopy=on"))->isEnabled());
            return;
        }
        // The panel's switch turns redirect_dir on with metacopy, as the kernel needs.
        QCheckBox *metacopy = w.playgroundPanel()->findChild<QCheckBox *>(QStringLiteral("metacopy=on"));
        QVERIFY(metacopy);
        metacopy->setChecked(true);
        QCOMPARE(w.playgroundPanel()->chosenOptions(), (QStringList{QStringLiteral("redirect_dir=on"), QStringLiteral("metacopy=on")}));
        QVERIFY(remounted.wait(20000));
        QVERIFY(w.liveSession()->options().contains(QStringLiteral("metacopy=on")));
        QVERIFY(w.playgroundActions()->perform(QStringLiteral("chmod"), QStringLiteral("/dir/inner"), QStringLiteral("600")));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*w.liveSession(), QStringLiteral("metadata-copy-up"), QStringLiteral("/dir/inner")), 5000);
        QCOMPARE(upperKind(w, QStringLiteral("/dir/inner")), int(ChangeKind::Metacopy));

        QSignalSpy unmounted(w.liveSession(), &LiveSession::unmounted);
        w.unmountLive();
        QVERIFY(unmounted.wait(10000));
    }

    void resetRestoresTheUpperDirByteForByte()
    {
        // An upper dir that already holds things: a file, a whiteout, an opaque dir with xattrs.
        LayerBuilder upper;
        upper.file(QStringLiteral("etc/motd"), "from the upper\n", 0600);
        upper.whiteout(QStringLiteral("etc/hostname"));
        upper.dir(QStringLiteral("dir"));
        upper.xattr(QStringLiteral("dir"), rootless() ? "user.overlay.opaque" : "trusted.overlay.opaque", "y");
        upper.xattr(QStringLiteral("etc/motd"), "user.note", "kept");
        const QString upperDir = upper.root() + QStringLiteral("/u");
        QVERIFY(QDir().rename(upper.root() + QStringLiteral("/etc"), upper.root() + QStringLiteral("/etc-tmp")));
        QVERIFY(QDir().mkpath(upperDir));
        QVERIFY(QDir().rename(upper.root() + QStringLiteral("/etc-tmp"), upperDir + QStringLiteral("/etc")));
        QVERIFY(QDir().rename(upper.root() + QStringLiteral("/dir"), upperDir + QStringLiteral("/dir")));
        const QStringList before = describeTree(upperDir);
        QVERIFY(before.size() >= 4);

        LiveSession session;
        QSignalSpy mounted(&session, &LiveSession::mounted);
        LiveSession::Settings settings;
        settings.source = QStringLiteral("overlay:lowerdir=") + m_lower->root();
        settings.baseDir = QDir::currentPath();
        settings.upperDir = upperDir;
        session.mount(settings);
        QVERIFY(mounted.wait(20000));
        QCOMPARE(describeTree(upperDir), before);

        QSignalSpy done(&session, &LiveSession::operationDone);
        session.perform(FileOpRequest{QStringLiteral("append"), QJsonObject{{QStringLiteral("path"), QStringLiteral("/big")}, {QStringLiteral("data"), QStringLiteral("x")}}});
        session.perform(FileOpRequest{QStringLiteral("unlink"), QJsonObject{{QStringLiteral("path"), QStringLiteral("/etc/motd")}}});
        session.perform(FileOpRequest{QStringLiteral("mkdir"), QJsonObject{{QStringLiteral("path"), QStringLiteral("/new")}, {QStringLiteral("mode"), 0755}}});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, 10000);
        QVERIFY(describeTree(upperDir) != before);

        QSignalSpy reset(&session, &LiveSession::mounted);
        session.reset();
        QVERIFY(reset.wait(20000));
        QCOMPARE(describeTree(upperDir), before);
        // And the snapshot the window gets is the restored stack.
        QVERIFY(session.stack()->findUnion("/new") == noUnion);
        QVERIFY(session.events().empty());
    }

    void lessonChecksTurnGreenLive()
    {
        // Lesson 2 in the window: its stack made and mounted, "Show me" deletes a.txt, and every
        // check of the step holds (the whiteout event included) — none did before.
        MainWindow w;
        w.show();
        const auto &lessons = w.lessonPane()->lessons();
        const auto it = std::find_if(lessons.begin(), lessons.end(), [](const Lesson &l) { return l.id == u"whiteout"; });
        QVERIFY(it != lessons.end());
        QSignalSpy mounted(w.liveSession(), &LiveSession::mounted);
        w.startLesson(int(it - lessons.begin()));
        QVERIFY(mounted.wait(30000));
        QCOMPARE(w.lessonPane()->lessonIndex(), int(it - lessons.begin()));
        const std::vector<bool> before = w.lessonPane()->checkResults(0);
        QVERIFY(!before.empty());
        QVERIFY(std::count(before.begin(), before.end(), false) > 0);
        w.lessonPane()->showMe();
        QTRY_VERIFY_WITH_TIMEOUT([&] { const auto r = w.lessonPane()->checkResults(0); return std::count(r.begin(), r.end(), false) == 0; }(), 5000);
        const std::vector<bool> after = w.lessonPane()->checkResults(0);
        QVERIFY(std::all_of(after.begin(), after.end(), [](bool b) { return b; }));
        // The handout holds the steps, their checks and the event timeline.
        QTemporaryDir out;
        const QString html = out.filePath(QStringLiteral("lesson.html"));
        QVERIFY(w.lessonPane()->exportTranscript(html, &w));
        QFile f(html);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.contains(it->title.en.toHtmlEscaped()));
        QVERIFY(text.contains(QStringLiteral("✓")));
        QVERIFY(text.contains(EventTimelineModel::eventText(QStringLiteral("whiteout"))));
        QVERIFY(text.contains(QStringLiteral("data:image/png;base64,")));
    }

    void everyLessonRunsInTheWindow()
    {
        // Each bundled lesson that brings its own layers, step by step through Show Me, as a
        // trainer would: every check of every step turns green (lessons on a Docker image are
        // test_lessons_image's: they need a daemon's storage).
        MainWindow w;
        w.show();
        const auto &lessons = w.lessonPane()->lessons();
        int ran = 0;
        for (size_t i = 0; i < lessons.size(); ++i) {
            const Lesson &lesson = lessons[i];
            if (!lesson.source.isEmpty() || (lesson.needsRoot && rootless()))
                continue;
            const QString problem = runLessonInWindow(w, int(i));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            ++ran;
        }
        qInfo("%d lessons ran in the window, every check green", ran);
        QVERIFY(ran >= (rootless() ? 3 : 7));
    }

    void aKilledHelperIsReplaced()
    {
        // SIGKILL to the helper: its namespace and mount are gone; the session says so, starts a
        // new helper and mounts the stack again over the same upper dir, which kept its changes.
        LiveSession session;
        QSignalSpy mounted(&session, &LiveSession::mounted);
        LiveSession::Settings settings;
        settings.source = QStringLiteral("overlay:lowerdir=") + m_lower->root();
        settings.baseDir = QDir::currentPath();
        session.mount(settings);
        QVERIFY(mounted.wait(20000));
        QSignalSpy done(&session, &LiveSession::operationDone);
        session.perform(FileOpRequest{QStringLiteral("append"), QJsonObject{{QStringLiteral("path"), QStringLiteral("/etc/motd")}, {QStringLiteral("data"), QStringLiteral("x")}}});
        QVERIFY(done.wait(5000));
        const qint64 first = session.helperPid();
        QVERIFY(first > 0);
        QSignalSpy failed(&session, &LiveSession::failed);
        QCOMPARE(::kill(pid_t(first), SIGKILL), 0);
        QVERIFY(mounted.wait(20000));
        QVERIFY(failed.size() >= 1);
        QVERIFY(failed.first().first().value<Error>().message().contains(QStringLiteral("strata-helper")));
        QVERIFY(session.helperPid() != first);
        QCOMPARE(session.state(), LiveSession::State::Live);
        // The upper dir kept the copy-up; the new mount shows it and takes new operations.
        QVERIFY(session.stack()->findUnion("/etc/motd") != noUnion);
        QCOMPARE(session.stack()->unionTree.kind(session.stack()->findUnion("/etc/motd"), session.stack()->layers.size() - 1), ChangeKind::Modified);
        session.perform(FileOpRequest{QStringLiteral("unlink"), QJsonObject{{QStringLiteral("path"), QStringLiteral("/etc/hostname")}}});
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(session, QStringLiteral("whiteout"), QStringLiteral("/etc/hostname")), 5000);
    }

    void commandRunsInTheMergedRoot()
    {
        // A static program in a lower layer, run in the merged root from the playground's command
        // line: its output reaches the console and the file it writes is an event naming it.
        QTemporaryDir build;
        QFile source(build.filePath(QStringLiteral("writer.c")));
        QVERIFY(source.open(QIODevice::WriteOnly));
        source.write("#include <stdio.h>\nint main(void){FILE*f=fopen(\"/log.txt\",\"w\");if(!f)return 2;fputs(\"logged\\n\",f);fclose(f);"
                     "puts(\"hello from the merged root\");return 7;}\n");
        source.close();
        m_lower->dir(QStringLiteral("bin"));
        const int cc = QProcess::execute(QStringLiteral("cc"), {QStringLiteral("-static"), QStringLiteral("-O2"), QStringLiteral("-o"),
                                                                 m_lower->root() + QStringLiteral("/bin/writer"), source.fileName()});
        QCOMPARE(cc, 0);

        MainWindow w;
        QSignalSpy stats(&w, &MainWindow::statisticsLoaded);
        w.openSource(QStringLiteral("overlay:lowerdir=") + m_lower->root());
        QVERIFY(stats.wait(20000));
        QSignalSpy mounted(w.liveSession(), &LiveSession::mounted);
        w.mountLive();
        QVERIFY(mounted.wait(20000));
        QSignalSpy finished(w.liveSession(), &LiveSession::commandFinished);
        w.playgroundPanel()->commandLine()->setText(QStringLiteral("/bin/writer"));
        QTest::keyClick(w.playgroundPanel()->commandLine(), Qt::Key_Return);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toString(), LiveSession::tr("exit status %1").arg(7));
        QTRY_VERIFY_WITH_TIMEOUT(w.playgroundPanel()->console()->toPlainText().contains(QStringLiteral("hello from the merged root")), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*w.liveSession(), QStringLiteral("new-entry"), QStringLiteral("/log.txt")), 5000);
        const auto it = std::find_if(w.liveSession()->events().begin(), w.liveSession()->events().end(), [](const LiveEvent &e) { return e.path == u"/log.txt"; });
        if (!rootless())
            QCOMPARE(it->comm, QStringLiteral("writer"));
        QTRY_VERIFY_WITH_TIMEOUT(w.unionModel()->indexOfPath(QStringLiteral("/log.txt")).isValid(), 5000);
    }

    void rootlessInTheWindow()
    {
        // The same tests as an unprivileged user: the helper in rootless mode (a user namespace,
        // userxattr, inotify), the scans reading user.overlay.* — what a normal user gets.
        if (rootless())
            QSKIP("this is the rootless run");
        QTemporaryDir bin, home;
        ::chmod(QFile::encodeName(bin.path()).constData(), 0755);
        ::chmod(QFile::encodeName(home.path()).constData(), 01777);
        QVERIFY(QFile::copy(QCoreApplication::applicationFilePath(), bin.filePath(QStringLiteral("test_playground"))));
        for (const char *name : {"strata-cli", "strata-helper"})
            QVERIFY(QFile::copy(qEnvironmentVariable("STRATA_BIN") + u'/' + QLatin1StringView(name), bin.filePath(QLatin1StringView(name))));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STRATA_PLAYGROUND_ROOTLESS"), QStringLiteral("1"));
        env.insert(QStringLiteral("STRATA_BIN"), bin.path());
        env.insert(QStringLiteral("HOME"), home.path());
        for (const char *xdg : {"XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"})
            env.insert(QLatin1StringView(xdg), home.path());
        QProcess run;
        run.setProcessEnvironment(env);
        run.setWorkingDirectory(QStringLiteral("/tmp"));
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                                              bin.filePath(QStringLiteral("test_playground")), QStringLiteral("operationCopiesUpAndRowsUpdateInPlace"),
                                              QStringLiteral("resetRestoresTheUpperDirByteForByte"), QStringLiteral("lessonChecksTurnGreenLive"),
                                              QStringLiteral("everyLessonRunsInTheWindow"), QStringLiteral("aKilledHelperIsReplaced"),
                                              QStringLiteral("commandRunsInTheMergedRoot")});
        QVERIFY(run.waitForFinished(240000));
        const QByteArray out = run.readAll();
        qInfo("%s", out.constData());
        QVERIFY2(run.exitCode() == 0, out.constData());
        QVERIFY2(out.contains("Totals: 8 passed, 0 failed, 0 skipped"), out.constData());
    }

private:
    static bool rootless() { return ::geteuid() != 0; }
    std::unique_ptr<LayerBuilder> m_lower;
};

QTEST_MAIN(TestPlayground)
#include "test_playground.moc"
