// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer on the seed's demo stack (offscreen): models under QAbstractItemModelTester, the
// window's columns, filters, search, details and tooltips.
#include "changefilterproxy.h"
#include "demostack.h"
#include "detailspane.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "mainwindow.h"
#include "roles.h"
#include "testutil.h"
#include "uniontreemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTreeView>

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
        QVERIFY2(source.hasValue(), source.hasValue() ? "" : qPrintable(source.error().message));
        m_source = *source;
        auto stack = OverlayStack::open(m_source, QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        m_demo = std::make_shared<const OverlayStack>(std::move(stack).value());
    }

    void unionModelPassesTester()
    {
        UnionTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
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

    void filterKeepsAncestors()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("etc/nginx/nginx.conf"));
        low.file(QStringLiteral("etc/hosts"));
        up.file(QStringLiteral("etc/nginx/nginx.conf"), "changed");
        auto stack = OverlayStack::open(overlaySource({low.root(), up.root()}), QStringLiteral("/"));
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
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
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
        auto stack = OverlayStack::open(overlaySource({low.root()}), QStringLiteral("/"));
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
