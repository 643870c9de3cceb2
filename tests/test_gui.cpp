// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer on the seed's demo stack (offscreen): models under QAbstractItemModelTester, the
// window's columns, filters, search, details and tooltips.
#include "changefilterproxy.h"
#include "filepane.h"
#include "opendialog.h"
#include "reports.h"
#include "sidebysidediff.h"
#include "translations.h"
#include "demostack.h"
#include "detailspane.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "mainwindow.h"
#include "roles.h"
#include "testutil.h"
#include "uniontreemodel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTabWidget>
#include <QApplication>
#include <QSignalSpy>
#include <QTreeView>

#include <optional>

using namespace strata;

class GuiTest : public QObject
{
    Q_OBJECT
    QTemporaryDir m_demoDir;
    std::shared_ptr<const OverlayStack> m_demo;
    QString m_source;

    QModelIndex find(const UnionTreeModel &model, const char *path, int column) { return model.indexOfPath(QString::fromUtf8(path), column); }
    ChangeKind kindAt(const QModelIndex &index) { return ChangeKind(index.data(ChangeKindRole).toInt()); }

private Q_SLOTS:
    void initTestCase()
    {
        auto source = createDemoStack(m_demoDir.path());
        QVERIFY2(source.hasValue(), source.hasValue() ? "" : qPrintable(source.error().message()));
        m_source = *source;
        auto stack = OverlayStack::open(m_source, QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        m_demo = std::make_shared<const OverlayStack>(std::move(stack).value());
    }

    void unionModelPassesTester()
    {
        UnionTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(true);
        model.setStack(m_demo);
        QCOMPARE(model.columnCount(), 4); // lower 0, lower 1, upper, merged
        QCOMPARE(model.rowCount(), 3); // a.txt b.txt c.txt
        LayerListModel layers;
        QAbstractItemModelTester layerTester(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        layers.setStack(m_demo);
        QCOMPARE(layers.rowCount(), 3);
        QCOMPARE(layers.index(0, LayerListModel::LayerColumn).data().toString(), QStringLiteral("upper"));
    }

    void seedStates()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        const int merged = model.mergedColumn();
        // a.txt: deleted by a whiteout in upper, absent from merged.
        QCOMPARE(kindAt(find(model, "/a.txt", 0)), ChangeKind::Added);
        QCOMPARE(kindAt(find(model, "/a.txt", 2)), ChangeKind::Deleted);
        QVERIFY(!find(model, "/a.txt", merged).data(PresentRole).toBool());
        // b.txt: upper's version shadows image2's.
        QCOMPARE(kindAt(find(model, "/b.txt", 2)), ChangeKind::Modified);
        QCOMPARE(find(model, "/b.txt", merged).data(ProviderLayerRole).toInt(), 2);
        QCOMPARE(find(model, "/b.txt", merged).data(HiddenVersionsRole).toInt(), 1);
        // c.txt: provided by image2.
        QCOMPARE(find(model, "/c.txt", merged).data(ProviderLayerRole).toInt(), 1);
        QVERIFY(!find(model, "/c.txt", 2).data(PresentRole).toBool());
        // Tooltips say it in plain words.
        const QString tip = LayerCellDelegate::tooltipFor(find(model, "/a.txt", 2));
        QVERIFY2(tip.contains(QStringLiteral("0/0 character device")) && tip.contains(QStringLiteral("lower 0")), qPrintable(tip));
    }

    void filterProxy()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(true);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setOnlyChanges(true); // a.txt (deleted in upper), b.txt (modified), c.txt (added by image2)
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setLayerFilter(2); // what the upper layer changed
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setLayerFilter(-1);
        proxy.setOnlyChanges(false);
        proxy.setNamePattern(QStringLiteral("c.*"), ChangeFilterProxy::PatternSyntax::Wildcard);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/c.txt"));
        proxy.setNamePattern(QStringLiteral("^[ab]\\."), ChangeFilterProxy::PatternSyntax::RegularExpression);
        QCOMPARE(proxy.rowCount(), 2);
    }

    void filterOffTheGuiThread()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setAsyncThreshold(0); // every tree counts as big
        QSignalSpy applied(&proxy, &ChangeFilterProxy::filterApplied);
        proxy.setNamePattern(QStringLiteral("c.txt"));
        proxy.setNamePattern(QStringLiteral("b.txt")); // supersedes the first before it lands
        QTRY_VERIFY(applied.count() >= 1);
        QTRY_COMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/b.txt"));
    }

    void filterKeepsAncestors()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("etc/nginx/nginx.conf"));
        low.file(QStringLiteral("etc/hosts"));
        up.file(QStringLiteral("etc/nginx/nginx.conf"), "changed");
        auto stack = OverlayStack::open(stackSource({low.root(), up.root()}), QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setLayerFilter(1);
        QCOMPARE(proxy.rowCount(), 1); // etc (ancestor of the change)
        const QModelIndex etc = proxy.index(0, 0);
        QCOMPARE(proxy.rowCount(etc), 1); // nginx, not hosts
    }

    void windowOnDemo()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        QSignalSpy complete(&window, &MainWindow::statisticsLoaded);
        std::optional<OverlayStack::LoadDepth> depthWhenShown;
        connect(&window, &MainWindow::loaded, this, [&] { depthWhenShown = window.stack()->depth; });
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1); // the merged tree first
        QCOMPARE(depthWhenShown, OverlayStack::LoadDepth::MergedView);
        QTRY_COMPARE(complete.count(), 1); // then every layer's statistics
        QCOMPARE(window.stack()->depth, OverlayStack::LoadDepth::Full);
        QVERIFY(!window.progressBar()->isVisible());
        window.show();
        QVERIFY(window.selectPath(QStringLiteral("/b.txt")));
        // One selection spans every layer column: the columns stay in step by construction.
        const QModelIndexList selected = window.treeView()->selectionModel()->selectedIndexes();
        QCOMPARE(selected.size(), window.unionModel()->columnCount());
        QVERIFY(window.detailsPane()->toPlainText().contains(QStringLiteral("provided by upper")));
        // Header names the layer directory and its size.
        QVERIFY(window.treeView()->model()->headerData(1, Qt::Horizontal).toString().contains(QStringLiteral("image2")));
        // Only changes + search.
        window.filterProxy()->setNamePattern(QStringLiteral("b.txt"));
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
    }

    void openDialogBuildsSources()
    {
        OpenDialog dialog;
        QVERIFY(dialog.source().isEmpty()); // no lower layer yet
        dialog.setLowerDirs({QStringLiteral("/srv/image2"), QStringLiteral("/srv/image1")});
        dialog.upperEdit()->setText(QStringLiteral("/srv/upper"));
        QCOMPARE(dialog.source(), QStringLiteral("overlay:lowerdir=/srv/image2:/srv/image1,upperdir=/srv/upper,workdir=/srv/work"));
        // Reordering: the bottom layer moves to the top.
        dialog.lowerList()->setCurrentRow(1);
        QListWidgetItem *item = dialog.lowerList()->takeItem(1);
        dialog.lowerList()->insertItem(0, item);
        dialog.upperEdit()->setText(QString());
        dialog.upperEdit()->setText(QStringLiteral("/srv/upper"));
        QVERIFY(dialog.source().startsWith(QStringLiteral("overlay:lowerdir=/srv/image1:/srv/image2,")));
        dialog.tabs()->setCurrentIndex(1);
        dialog.pasteEdit()->setPlainText(QStringLiteral(R"("Data": {"LowerDir": "/d/l1/diff:/d/l2/diff", "UpperDir": "/d/u/diff", "WorkDir": "/d/u/work"})"));
        QCOMPARE(dialog.source(), QStringLiteral("overlay:lowerdir=/d/l1/diff:/d/l2/diff,upperdir=/d/u/diff,workdir=/d/u/work"));
        dialog.pasteEdit()->setPlainText(QStringLiteral("nothing useful"));
        QVERIFY(dialog.source().isEmpty());
        QVERIFY(dialog.error().contains(QStringLiteral("lowerdir")));
    }

    void exportsAndSorting()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        QTemporaryDir out;
        QVERIFY(window.exportListing(out.filePath(QStringLiteral("merged.jsonl"))));
        QFile json(out.filePath(QStringLiteral("merged.jsonl")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        std::string expected;
        ListingOptions options;
        options.json = true;
        writeListing(*window.stack(), options, [&](const std::string &l) { expected += l + '\n'; }, [](const std::string &) {});
        QCOMPARE(json.readAll(), QByteArray::fromStdString(expected));
        QVERIFY(window.exportListing(out.filePath(QStringLiteral("merged.csv"))));
        QFile csv(out.filePath(QStringLiteral("merged.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 4); // header, /, /b.txt, /c.txt
        QCOMPARE(rows[0], QByteArray("path,type,mode,uid,gid,size,target,layer,change"));
        QCOMPARE(rows[2], QByteArray("/b.txt,file,0644,0,0,39,,2,modified"));
        QVERIFY(!window.exportListing(QStringLiteral("/nonexistent-dir/x.csv")));

        window.setSortBySize(true); // b.txt (39 bytes) before c.txt (14) before a.txt (no merged size)
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/b.txt"));
        window.setSortBySize(false);
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/a.txt"));
        window.filterProxy()->setMinimumSize(20);
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
        window.filterProxy()->setMinimumSize(0);
        window.filterProxy()->setTypeFilter(int(EntryType::Char)); // the whiteout of a.txt
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/a.txt"));
    }

    void fileDiffShowsVersions()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(window.selectPath(QStringLiteral("/b.txt")));
        FilePane *pane = window.filePane();
        QCOMPARE(pane->leftVersion()->currentText(), QStringLiteral("lower 1"));
        QCOMPARE(pane->rightVersion()->currentText(), QStringLiteral("merged"));
        QTRY_VERIFY(!pane->isLoading()); // read and diffed off the GUI thread
        QCOMPARE(pane->diffView()->changedRows(), 1); // one added line
        QVERIFY(pane->diffView()->rightView()->toPlainText().contains(QStringLiteral("changed in the container")));
        QVERIFY(pane->contentView()->toPlainText().startsWith(QStringLiteral("b from image2")));
        // A deleted path still shows the content it had below the whiteout.
        QVERIFY(window.selectPath(QStringLiteral("/a.txt")));
        QTRY_VERIFY(!pane->isLoading());
        QCOMPARE(pane->contentView()->toPlainText(), QStringLiteral("a from image1\n"));
    }

    void languageSwitchesLive()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        applyLanguage(QStringLiteral("ko"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("파일(&F)"));
        QCOMPARE(window.treeView()->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString(), QStringLiteral("병합"));
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    }

    void bigTreeExpandsAll()
    {
        // 20 directories × 999 files: expandAll must not crawl (unique internal ids).
        LayerBuilder low;
        for (int d = 0; d < 20; ++d) {
            const QString dir = low.root() + QStringLiteral("/d%1").arg(d);
            QDir().mkpath(dir);
            for (int f = 0; f < 999; ++f)
                ::close(::open(QFile::encodeName(dir + QStringLiteral("/f%1").arg(f)).constData(), O_CREAT | O_WRONLY, 0644));
        }
        auto stack = OverlayStack::open(stackSource({low.root()}), QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&model);
        view.expandAll();
        QCOMPARE(model.rowCount(model.index(5, 0)), 999);
    }
};

QTEST_MAIN(GuiTest)
#include "test_gui.moc"
