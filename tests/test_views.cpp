// SPDX-License-Identifier: GPL-3.0-or-later
// The parts MainWindow is wired from (StackLoader, FilterBar's size parser, RecentSources,
// ChangeNavigator, ListingExporter, errorText, the details pane's plain words) and the promise that
// nothing slow runs on the GUI thread: a 2 MiB file read from a deliberately slow layer.
#include "changefilterproxy.h"
#include "changenavigator.h"
#include "changestyle.h"
#include "demostack.h"
#include "detailspane.h"
#include "errortext.h"
#include "filepane.h"
#include "filterbar.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "listingexporter.h"
#include "provenance.h"
#include "recentsources.h"
#include "roles.h"
#include "sidebysidediff.h"
#include "stackloader.h"
#include "testutil.h"
#include "translations.h"
#include "uniontreemodel.h"
#include "wastedialog.h"
#include "wastereport.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QFile>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace strata;

namespace {
// Nanoseconds this thread has spent runnable but waiting for a CPU (/proc/thread-self/schedstat,
// second field): time other processes took, which says nothing about what the GUI thread does.
qint64 runQueueDelayMs()
{
    QFile file(QStringLiteral("/proc/thread-self/schedstat"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() >= 2 ? fields[1].toLongLong() / 1000000 : 0;
}

// The longest time between two turns of the event loop while `until` is false: a 5 ms timer ticks
// in between, so any gap beyond that is time the GUI thread spent elsewhere — working or blocked
// in a system call. Time it merely waited for a CPU that other processes held (a busy 2-core
// machine) is not counted.
qint64 maxEventLoopGap(const std::function<void()> &start, const std::function<bool()> &until, int timeoutMs = 20000)
{
    QElapsedTimer clock;
    qint64 last = 0, maxGap = 0, lastDelay = runQueueDelayMs();
    auto tick = [&] {
        const qint64 now = clock.elapsed(), delay = runQueueDelayMs();
        maxGap = std::max(maxGap, (now - last) - (delay - lastDelay));
        last = now;
        lastDelay = delay;
    };
    QTimer ticker;
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, tick);
    clock.start();
    ticker.start();
    start(); // runs inside the measured span: a synchronous read here shows up as a gap
    tick();
    while (!until() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    return until() ? maxGap : -1;
}
}

class ViewsTest : public QObject
{
    Q_OBJECT
    QTemporaryDir m_demoDir;
    QString m_source;
    std::shared_ptr<const OverlayStack> m_demo;

    UnionId nodeOf(const OverlayStack &stack, const char *path)
    {
        UnionTreeModel model;
        model.setStack(std::shared_ptr<const OverlayStack>(std::shared_ptr<const OverlayStack>{}, &stack));
        return model.nodeOf(model.indexOfPath(QString::fromUtf8(path)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto source = createDemoStack(m_demoDir.path());
        QVERIFY(source.hasValue());
        m_source = *source;
        auto stack = OverlayStack::open(m_source, QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        m_demo = std::make_shared<const OverlayStack>(std::move(stack).value());
        QSettings().remove(QStringLiteral("recentSources"));
    }

    void parseSize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint64>("bytes");
        QTest::newRow("empty") << QString() << true << quint64(0);
        QTest::newRow("bytes") << QStringLiteral("300") << true << quint64(300);
        QTest::newRow("k") << QStringLiteral("10k") << true << quint64(10 * 1024);
        QTest::newRow("KB") << QStringLiteral("10KB") << true << quint64(10 * 1024);
        QTest::newRow("M") << QStringLiteral("10M") << true << quint64(10 * 1024 * 1024);
        QTest::newRow("M, spaces") << QStringLiteral(" 2 M ") << true << quint64(2 * 1024 * 1024);
        QTest::newRow("fraction G") << QStringLiteral("1.5G") << true << quint64(1536ull * 1024 * 1024);
        QTest::newRow("GiB with a space") << QStringLiteral("1.5 GiB") << true << quint64(1536ull * 1024 * 1024);
        QTest::newRow("MB") << QStringLiteral("2 MB") << true << quint64(2 * 1024 * 1024);
        QTest::newRow("kib lower case") << QStringLiteral("4kib") << true << quint64(4096);
        QTest::newRow("T") << QStringLiteral("1t") << true << quint64(1024ull * 1024 * 1024 * 1024);
        QTest::newRow("B only") << QStringLiteral("512b") << true << quint64(512);
        QTest::newRow("zero") << QStringLiteral("0") << true << quint64(0);
        QTest::newRow("a file name") << QStringLiteral("nginx.conf") << false << quint64(0);
        QTest::newRow("garbage") << QStringLiteral("lots") << false << quint64(0);
        QTest::newRow("negative") << QStringLiteral("-5k") << false << quint64(0);
        QTest::newRow("unit only") << QStringLiteral("M") << false << quint64(0);
        QTest::newRow("unknown unit") << QStringLiteral("5X") << false << quint64(0);
        QTest::newRow("two numbers") << QStringLiteral("1 2") << false << quint64(0);
    }
    void parseSize()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(quint64, bytes);
        const std::optional<quint64> parsed = strata::parseSize(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, bytes);
    }

    void minimumSizeFieldRejectsJunkVisibly()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        proxy.setSourceModel(&model);
        FilterBar bar(&proxy);
        bar.minimumSizeField()->setText(QStringLiteral("20"));
        Q_EMIT bar.minimumSizeField()->editingFinished();
        QCOMPARE(proxy.rowCount(), 1); // b.txt (39 bytes)
        QVERIFY(!bar.minimumSizeRejected());
        const QString goodTip = bar.minimumSizeField()->toolTip();
        bar.minimumSizeField()->setText(QStringLiteral("nginx.conf"));
        Q_EMIT bar.minimumSizeField()->editingFinished();
        QVERIFY(bar.minimumSizeRejected());
        QVERIFY(!bar.minimumSizeField()->styleSheet().isEmpty()); // the red frame
        QVERIFY(bar.minimumSizeField()->toolTip() != goodTip);
        QCOMPARE(proxy.rowCount(), 1); // the last valid filter stays
        bar.minimumSizeField()->setText(QStringLiteral("1.5 GiB"));
        Q_EMIT bar.minimumSizeField()->editingFinished();
        QVERIFY(!bar.minimumSizeRejected());
        QVERIFY(bar.minimumSizeField()->styleSheet().isEmpty());
        QCOMPARE(proxy.rowCount(), 0);
        QCOMPARE(bar.matchText(), QStringLiteral("Nothing matches the filters."));
    }

    void filtersCountMatches_data()
    {
        QTest::addColumn<QString>("search");
        QTest::addColumn<bool>("onlyChanges");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no filter") << QString() << false << QString();
        QTest::newRow("one name") << QStringLiteral("b.txt") << false << QStringLiteral("1 match");
        QTest::newRow("glob") << QStringLiteral("*.txt") << false << QStringLiteral("3 matches");
        QTest::newRow("only changes") << QString() << true << QStringLiteral("3 matches");
        QTest::newRow("nothing") << QStringLiteral("nginx") << false << QStringLiteral("Nothing matches the filters.");
    }

    void filtersCountMatches()
    {
        QFETCH(QString, search);
        QFETCH(bool, onlyChanges);
        QFETCH(QString, expected);
        applyLanguage(QStringLiteral("en"));
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        proxy.setSourceModel(&model);
        FilterBar bar(&proxy);
        bar.setOnlyChanges(onlyChanges);
        bar.searchField()->setText(search);
        QTRY_COMPARE(bar.matchText(), expected);
    }

    void errorTextByCode()
    {
        // Every code has its own sentence; the path is named, the English detail only in parentheses.
        QSet<QString> sentences;
        for (int c = 0; c < errorCodeCount; ++c) {
            const QString text = errorText(Error{ErrorCode(c), 0, QStringLiteral("/srv/x"), {}});
            QVERIFY2(c == int(ErrorCode::Cancelled) || text.contains(QStringLiteral("/srv/x")), qPrintable(text));
            sentences.insert(text);
        }
        QCOMPARE(sentences.size(), errorCodeCount);
        const QString denied = errorText(errorFromErrno(EACCES, QStringLiteral("/srv/upper"), QStringLiteral("cannot open layer")));
        QVERIFY2(denied.startsWith(QStringLiteral("Permission denied: /srv/upper.")) && denied.contains(QStringLiteral("(cannot open layer")), qPrintable(denied));
        QCOMPARE(errorText(cancelledError()), QStringLiteral("Cancelled."));
        applyLanguage(QStringLiteral("ko"));
        const QString korean = errorText(Error{ErrorCode::NotFound, ENOENT, QStringLiteral("/srv/x"), QStringLiteral("cannot open layer")});
        applyLanguage(QStringLiteral("en"));
        QVERIFY2(korean.contains(QStringLiteral("/srv/x")) && !korean.startsWith(QStringLiteral("/srv/x does not exist")), qPrintable(korean));
    }

    // A deleted path's Content tab shows the hidden lower version, and says so (issue #8).
    void contentOfADeletedPathSaysItIsHidden()
    {
        FilePane pane;
        pane.showPath(m_demo, nodeOf(*m_demo, "/a.txt")); // whited out by the upper dir
        QTRY_VERIFY(!pane.isLoading());
        QVERIFY(!pane.contentNote()->isHidden());
        QVERIFY2(pane.contentNote()->text().contains(QStringLiteral("lower 0")), qPrintable(pane.contentNote()->text()));
        QCOMPARE(pane.contentView()->toPlainText(), QStringLiteral("a from image1\n"));
        pane.showPath(m_demo, nodeOf(*m_demo, "/b.txt")); // what the merged view shows
        QTRY_VERIFY(!pane.isLoading());
        QVERIFY(pane.contentNote()->isHidden());
    }

    void slowReadKeepsGuiResponsive()
    {
        // A 2 MiB text in a layer whose reads are slow (8 chunks × 40 ms, the test hook in
        // ContentReader): selecting it must leave the event loop turning, content, hex and diff.
        LayerBuilder low;
        QByteArray big;
        for (int i = 0; big.size() < FilePane::sizeCap; ++i)
            big += QByteArray("line ") + QByteArray::number(i) + QByteArray(" of a big text file that takes a while to read\n");
        big.truncate(FilePane::sizeCap);
        low.file(QStringLiteral("big.txt"), big);
        auto loaded = OverlayStack::open(stackSource({low.root()}), QStringLiteral("/"));
        QVERIFY(loaded.hasValue());
        auto stack = std::make_shared<const OverlayStack>(std::move(loaded).value());
        const UnionId node = nodeOf(*stack, "/big.txt");

        FilePane pane;
        pane.resize(900, 600);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        qputenv("STRATA_TEST_READ_DELAY_MS", "40");
        QElapsedTimer took;
        took.start();
        const qint64 gap = maxEventLoopGap([&] { pane.showPath(stack, node); }, [&] { return !pane.isLoading() && pane.contentView()->document()->characterCount() > 1000; });
        const qint64 elapsed = took.elapsed();
        qunsetenv("STRATA_TEST_READ_DELAY_MS");
        qInfo("2 MiB from a slow layer: shown after %lld ms, longest event-loop gap %lld ms", elapsed, gap);
        QVERIFY2(gap >= 0, "the content never arrived");
        QVERIFY2(elapsed >= 2 * 8 * 40, "the read was not slow: the hook did not apply"); // content + each diff side
        QVERIFY2(gap < 50, qPrintable(QStringLiteral("the GUI thread was blocked for %1 ms").arg(gap)));
        QCOMPARE(pane.contentView()->document()->blockCount(), big.count('\n') + 1);
        QVERIFY(pane.contentView()->toPlainText().startsWith(QStringLiteral("line 0 of")));
        QVERIFY(pane.hexView()->toPlainText().startsWith(QStringLiteral("00000000  6c 69 6e 65")));
        QCOMPARE(pane.diffView()->changedRows(), 0); // lower 0 ↔ merged: the same bytes
    }

    void newerSelectionSupersedesSlowRead()
    {
        LayerBuilder low;
        low.file(QStringLiteral("big.txt"), QByteArray(1024 * 1024, 'x'));
        low.file(QStringLiteral("small.txt"), "small\n");
        auto loaded = OverlayStack::open(stackSource({low.root()}), QStringLiteral("/"));
        QVERIFY(loaded.hasValue());
        auto stack = std::make_shared<const OverlayStack>(std::move(loaded).value());
        FilePane pane;
        QSignalSpy shown(&pane, &FilePane::contentShown);
        qputenv("STRATA_TEST_READ_DELAY_MS", "100");
        pane.showPath(stack, nodeOf(*stack, "/big.txt"));
        QCOMPARE(pane.contentView()->toPlainText(), QStringLiteral("Loading…"));
        QTest::qWait(30);
        pane.showPath(stack, nodeOf(*stack, "/small.txt"));
        QTRY_VERIFY(!pane.isLoading());
        QTest::qWait(500); // the big read finishes (cancelled) meanwhile; its result must not land
        qunsetenv("STRATA_TEST_READ_DELAY_MS");
        QCOMPARE(pane.contentView()->toPlainText(), QStringLiteral("small\n"));
        QCOMPARE(shown.count(), 1);
    }

    void fileErrorsAreTranslatedText()
    {
        LayerBuilder low;
        low.file(QStringLiteral("secret.txt"), "s", 0000);
        auto loaded = OverlayStack::open(stackSource({low.root()}), QStringLiteral("/"));
        QVERIFY(loaded.hasValue());
        auto stack = std::make_shared<const OverlayStack>(std::move(loaded).value());
        if (::geteuid() == 0)
            QSKIP("root reads mode 0000 files");
        FilePane pane;
        pane.showPath(stack, nodeOf(*stack, "/secret.txt"));
        QTRY_VERIFY(!pane.isLoading());
        QVERIFY2(pane.contentView()->toPlainText().startsWith(QStringLiteral("Permission denied: ")), qPrintable(pane.contentView()->toPlainText()));
    }

    void stackLoaderIsProgressive()
    {
        StackLoader loader;
        QSignalSpy merged(&loader, &StackLoader::mergedViewLoaded);
        QSignalSpy completed(&loader, &StackLoader::completed);
        QSignalSpy progress(&loader, &StackLoader::progress);
        loader.open(m_source, QStringLiteral("/"));
        QCOMPARE(loader.phase(), StackLoader::Phase::MergedView);
        QTRY_COMPARE(merged.count(), 1);
        const auto first = merged.at(0).at(0).value<std::shared_ptr<const OverlayStack>>();
        QCOMPARE(first->depth, OverlayStack::LoadDepth::MergedView);
        QVERIFY(first->stats.empty());
        QTRY_COMPARE(completed.count(), 1);
        const auto full = completed.at(0).at(0).value<std::shared_ptr<const OverlayStack>>();
        QCOMPARE(full->depth, OverlayStack::LoadDepth::Full);
        QCOMPARE(full->stats.size(), full->layers.size());
        QCOMPARE(full->merged.nodes.size(), first->merged.nodes.size());
        QCOMPARE(loader.phase(), StackLoader::Phase::Idle);
        QTRY_VERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toInt(), StackLoader::progressMaximum);
    }

    void stackLoaderCancels()
    {
        StackLoader loader;
        QSignalSpy merged(&loader, &StackLoader::mergedViewLoaded);
        QSignalSpy completed(&loader, &StackLoader::completed);
        QSignalSpy cancelled(&loader, &StackLoader::cancelled);
        // Cancelled in the statistics phase: the merged view stays, completed() never comes.
        connect(&loader, &StackLoader::mergedViewLoaded, &loader, [&] { loader.cancel(); });
        loader.open(m_source, QStringLiteral("/"));
        QTRY_COMPARE(cancelled.count(), 1);
        QCOMPARE(merged.count(), 1);
        QTest::qWait(200);
        QCOMPARE(completed.count(), 0);
        QVERIFY(!loader.isBusy());
        // A newer open supersedes the running one: one result, for the newer source.
        StackLoader second;
        QSignalSpy secondMerged(&second, &StackLoader::mergedViewLoaded);
        QSignalSpy failed(&second, &StackLoader::failed);
        second.open(QStringLiteral("overlay:lowerdir=/nonexistent-strata-layer"), QStringLiteral("/"));
        second.open(m_source, QStringLiteral("/"));
        QTRY_COMPARE(secondMerged.count(), 1);
        QCOMPARE(secondMerged.at(0).at(1).toString(), m_source);
        QTest::qWait(100);
        QCOMPARE(failed.count(), 0);
        // A failing source reports a typed error.
        second.open(QStringLiteral("overlay:lowerdir=/nonexistent-strata-layer"), QStringLiteral("/"));
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<Error>().code, ErrorCode::NotFound);
    }

    void recentSources()
    {
        QSettings().remove(QStringLiteral("recentSources"));
        RecentSources recent;
        QSignalSpy chosen(&recent, &RecentSources::sourceChosen);
        QVERIFY(!recent.menu()->isEnabled());
        for (int i = 0; i < 12; ++i)
            recent.add(QStringLiteral("overlay:lowerdir=/l%1").arg(i));
        recent.add(QStringLiteral("overlay:lowerdir=/l5")); // moves to the front, no duplicate
        const QStringList list = recent.sources();
        QCOMPARE(list.size(), RecentSources::maxCount);
        QCOMPARE(list.first(), QStringLiteral("overlay:lowerdir=/l5"));
        QCOMPARE(list.count(QStringLiteral("overlay:lowerdir=/l5")), 1);
        QVERIFY(!list.contains(QStringLiteral("overlay:lowerdir=/l0")));
        QCOMPARE(recent.menu()->actions().size(), RecentSources::maxCount);
        recent.menu()->actions().at(1)->trigger();
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toString(), list.at(1));
        QSettings().remove(QStringLiteral("recentSources"));
    }

    void recentSourcesHaveShortLabels_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("label");
        QTest::newRow("one lower") << QStringLiteral("overlay:lowerdir=/srv/l5") << QStringLiteral("l5");
        QTest::newRow("upper over lowest")
            << QStringLiteral("overlay:lowerdir=/tmp/demo/image2:/tmp/demo/image1,upperdir=/tmp/demo/upper,workdir=/tmp/demo/work")
            << QStringLiteral("upper over image1 · 3 layers");
        QTest::newRow("docker storage dirs") << QStringLiteral(
            "overlay:lowerdir=/var/lib/docker/overlay2/l/ABCDEF:/var/lib/docker/overlay2/4f1e2d3c4b5a69788796a5b4c3d2e1f0/diff,"
            "upperdir=/var/lib/docker/overlay2/0123456789abcdef0123456789abcdef/diff,workdir=/var/lib/docker/overlay2/0123456789abcdef0123456789abcdef/work")
                                             << QStringLiteral("0123456789ab… over 4f1e2d3c4b5a… · 3 layers");
        QTest::newRow("not overlay") << QStringLiteral("oci:") + QString(80, u'x') << QStringLiteral("oci:") + QString(55, u'x') + u'…';
    }

    void recentSourcesHaveShortLabels()
    {
        QFETCH(QString, source);
        QFETCH(QString, label);
        applyLanguage(QStringLiteral("en"));
        QCOMPARE(RecentSources::label(source), label);
        QSettings().remove(QStringLiteral("recentSources"));
        RecentSources recent;
        recent.add(source);
        QAction *action = recent.menu()->actions().first();
        QCOMPARE(action->text(), label);
        QCOMPARE(action->toolTip(), source);
        QVERIFY(recent.menu()->toolTipsVisible());
        QSettings().remove(QStringLiteral("recentSources"));
    }

    void changeNavigatorWalksChanges()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        proxy.setSourceModel(&model);
        QTreeView tree;
        tree.setModel(&proxy);
        ChangeNavigator navigator(&tree);
        QCOMPARE(navigator.action()->shortcut(), QKeySequence(Qt::Key_F8));
        // a.txt (whiteout in upper), b.txt (modified in upper), c.txt (added by image2), then none.
        QStringList visited;
        while (navigator.goToNext())
            visited << tree.currentIndex().data(PathRole).toString();
        QCOMPARE(visited, (QStringList{QStringLiteral("/a.txt"), QStringLiteral("/b.txt"), QStringLiteral("/c.txt")}));
        // Shift+F8 walks back the same way.
        QCOMPARE(navigator.previousAction()->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F8));
        visited.clear();
        while (navigator.goToPrevious())
            visited << tree.currentIndex().data(PathRole).toString();
        QCOMPARE(visited, (QStringList{QStringLiteral("/b.txt"), QStringLiteral("/a.txt")}));
        tree.setCurrentIndex({});
        QVERIFY(navigator.goToPrevious()); // from nowhere: the last change
        QCOMPARE(tree.currentIndex().data(PathRole).toString(), QStringLiteral("/c.txt"));
    }

    void listingExporterOffTheGuiThread()
    {
        QTemporaryDir out;
        ListingExporter exporter;
        QSignalSpy finished(&exporter, &ListingExporter::finished);
        const QString file = out.filePath(QStringLiteral("merged.jsonl"));
        exporter.exportListing(m_demo, file);
        QCOMPARE(exporter.running(), 1);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString direct = out.filePath(QStringLiteral("direct.jsonl"));
        QCOMPARE(ListingExporter::writeListing(*m_demo, direct), QString());
        QFile g(direct);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), g.readAll());
        exporter.exportListing(m_demo, QStringLiteral("/nonexistent-dir/x.csv"));
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(!finished.at(1).at(1).toString().isEmpty());
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(Qt::red);
        exporter.exportImage(image, out.filePath(QStringLiteral("shot.png")));
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(QImage(out.filePath(QStringLiteral("shot.png"))).size(), QSize(40, 30));
    }

    void detailsNameRolesInPlainWords()
    {
        const QString b = DetailsPane::describe(*m_demo, nodeOf(*m_demo, "/b.txt"));
        QVERIFY2(b.contains(QStringLiteral("provided by <b>upper</b>")) && b.contains(QStringLiteral("hidden by upper")), qPrintable(b));
        QVERIFY2(b.contains(QStringLiteral("content differs from lower 1")), qPrintable(b));
        const QString a = DetailsPane::describe(*m_demo, nodeOf(*m_demo, "/a.txt"));
        QVERIFY2(a.contains(QStringLiteral("deleted by a whiteout in upper")) && a.contains(QStringLiteral("whiteout: hides lower 0's version")), qPrintable(a));
    }

    void detailsCallAChmodCopyUpAFullCopy()
    {
        // What `chmod 600` in a container leaves without metacopy: a full copy, same bytes and mtime.
        LayerBuilder low, up;
        low.file(QStringLiteral("etc/nginx.conf"), "worker_processes 1;\n", 0644);
        up.file(QStringLiteral("etc/nginx.conf"), "worker_processes 1;\n", 0600);
        struct stat st{};
        QVERIFY(::stat(low.path(QStringLiteral("etc/nginx.conf")).c_str(), &st) == 0);
        const timespec times[2] = {st.st_atim, st.st_mtim};
        QVERIFY(::utimensat(AT_FDCWD, up.path(QStringLiteral("etc/nginx.conf")).c_str(), times, 0) == 0);
        auto stack = OverlayStack::open(stackSource({low.root()}, up.root()), QStringLiteral("/"));
        QVERIFY(stack);
        const QString text = DetailsPane::describe(*stack, stack->findUnion("/etc/nginx.conf"));
        QVERIFY2(text.contains(QStringLiteral("contents identical to lower 0, only the permissions differ: a full copy")), qPrintable(text));
    }

    void identicalContentsNoteNamesMetadata()
    {
        std::vector<MetadataDifference> d{{MetadataField::Mode, 0644, 0600, {}, {}}, {MetadataField::Uid, 0, 1000, {}, {}}, {MetadataField::Gid, 0, 1000, {}, {}}};
        QCOMPARE(FilePane::identicalContentsNote(d), QStringLiteral("Contents identical; mode 0644 → 0600; owner 0:0 → 1000:1000"));
        d = {{MetadataField::Gid, 0, 50, {}, {}}};
        QCOMPARE(FilePane::identicalContentsNote(d), QStringLiteral("Contents identical; owner ·:0 → ·:50"));
        QCOMPARE(FilePane::identicalContentsNote({}), QStringLiteral("Contents identical; no metadata differs"));
        // The metacopy and metadata-only kinds are told apart in the legend's words.
        QVERIFY(ChangeStyle::explanation(ChangeKind::MetadataOnly).contains(QStringLiteral("full copy")));
        QVERIFY(ChangeStyle::explanation(ChangeKind::Metacopy).contains(QStringLiteral("still read from the layer below")));
        QVERIFY(ChangeStyle::glyph(ChangeKind::Metacopy) != ChangeStyle::glyph(ChangeKind::MetadataOnly));
        QVERIFY(ChangeStyle::color(ChangeKind::Metacopy, QPalette()) != ChangeStyle::color(ChangeKind::MetadataOnly, QPalette()));
    }

    // A chmod copy-up in the Diff tab: the two texts are equal, so the note says what differs.
    void diffTabSaysContentsIdentical()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("nginx.conf"), "worker_processes 1;\n", 0644);
        up.file(QStringLiteral("nginx.conf"), "worker_processes 1;\n", 0600);
        const timespec times[2] = {{1000, 0}, {1000, 0}};
        for (const LayerBuilder *b : {&low, &up})
            QVERIFY(::utimensat(AT_FDCWD, b->path(QStringLiteral("nginx.conf")).c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
        auto loaded = OverlayStack::open(stackSource({low.root()}, up.root()), QStringLiteral("/"));
        QVERIFY(loaded.hasValue());
        auto stack = std::make_shared<const OverlayStack>(std::move(loaded).value());
        FilePane pane;
        pane.showPath(stack, nodeOf(*stack, "/nginx.conf"));
        QTRY_VERIFY(!pane.isLoading());
        QCOMPARE(pane.leftVersion()->currentText(), QStringLiteral("lower 0"));
        QTRY_COMPARE(pane.diffNote()->text(), QStringLiteral("Contents identical; mode 0644 → 0600"));
        QVERIFY(!pane.diffNote()->isHidden());
        // Upper ↔ merged: the same version, nothing to say about metadata.
        pane.leftVersion()->setCurrentIndex(pane.leftVersion()->findText(QStringLiteral("upper")));
        pane.rightVersion()->setCurrentIndex(pane.rightVersion()->findText(QStringLiteral("merged")));
        QTRY_VERIFY(!pane.isLoading());
        QVERIFY(!pane.diffNote()->text().startsWith(QStringLiteral("Contents identical")) || pane.diffNote()->isHidden());
    }

    // The layer table: copy-up cost columns with tooltips, one efficiency format.
    void layerTableShowsCopyUpCost()
    {
        LayerListModel layers;
        layers.setStack(m_demo);
        for (int c : {LayerListModel::WastedColumn, LayerListModel::DuplicatedColumn, LayerListModel::CopiedUpColumn, LayerListModel::EfficiencyColumn}) {
            QVERIFY(!layers.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
            QCOMPARE(layers.index(0, c).data(Qt::ToolTipRole), layers.headerData(c, Qt::Horizontal, Qt::ToolTipRole));
        }
        QCOMPARE(layers.headerData(LayerListModel::DuplicatedColumn, Qt::Horizontal).toString(), QStringLiteral("Duplicated"));
        QCOMPARE(layers.index(0, LayerListModel::DuplicatedColumn).data().toString(), QLocale().formattedDataSize(39)); // upper's b.txt
        QCOMPARE(layers.index(0, LayerListModel::CopiedUpColumn).data().toString(), QLocale().formattedDataSize(0));
        QCOMPARE(layers.index(0, LayerListModel::EfficiencyColumn).data().toString(), QStringLiteral("100.0%")); // nothing wasted: same format
        QCOMPARE(layers.index(2, LayerListModel::EfficiencyColumn).data().toString(), QStringLiteral("0.0%")); // lower 0: a.txt deleted
    }

    void wasteDialogListsTheDemo()
    {
        WasteDialog dialog;
        QSignalSpy shown(&dialog, &WasteDialog::reportShown);
        dialog.setStack(m_demo);
        QVERIFY2(shown.count() == 1 || shown.wait(), qPrintable(dialog.summary()->text()));
        QCOMPARE(dialog.list()->topLevelItemCount(), 2);
        QCOMPARE(dialog.list()->topLevelItem(0)->text(4), QStringLiteral("/a.txt"));
        QCOMPARE(dialog.list()->topLevelItem(0)->text(1), WasteDialog::reasonText(WasteReason::Deleted));
        QCOMPARE(dialog.list()->topLevelItem(0)->text(3), QStringLiteral("upper"));
        QVERIFY2(dialog.summary()->text().contains(QStringLiteral("in 2 files")), qPrintable(dialog.summary()->text()));
    }

    void tooltipsNameLayersWithoutHeaders()
    {
        // Through the filter proxy, in Korean: the layer names come from LayerListModel::label.
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        proxy.setSourceModel(&model);
        const QModelIndex a = proxy.mapFromSource(model.indexOfPath(QStringLiteral("/a.txt"), 2));
        QVERIFY(LayerCellDelegate::tooltipFor(a).contains(QStringLiteral("lower 0")));
        applyLanguage(QStringLiteral("ko"));
        const QString korean = LayerCellDelegate::tooltipFor(a);
        const QString lower0 = LayerListModel::label(*m_demo, 0);
        applyLanguage(QStringLiteral("en"));
        QVERIFY2(lower0 != QStringLiteral("lower 0") && korean.contains(lower0), qPrintable(korean));
        const QModelIndex merged = proxy.mapFromSource(model.indexOfPath(QStringLiteral("/b.txt"), model.mergedColumn()));
        QVERIFY(LayerCellDelegate::tooltipFor(merged).contains(QStringLiteral("upper")));
    }
};

QTEST_MAIN(ViewsTest)
#include "test_views.moc"
