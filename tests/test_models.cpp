// SPDX-License-Identifier: GPL-3.0-or-later
// The models on nested generated stacks holding every change kind: QAbstractItemModelTester with
// and without filters, at both load depths; a language switch that keeps the view's state.
#include "changefilterproxy.h"
#include "layerlistmodel.h"
#include "mainwindow.h"
#include "provenance.h"
#include "roles.h"
#include "testutil.h"
#include "translations.h"
#include "uniontreemodel.h"

#include <QAbstractItemModelTester>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTreeView>

using namespace strata;
using Depth = OverlayStack::LoadDepth;
Q_DECLARE_METATYPE(strata::OverlayStack::LoadDepth)

namespace {

// Three layers (two lowers and an upper) with every change kind at four directory levels.
class GeneratedStack
{
public:
    GeneratedStack()
    {
        for (const QString &p : prefixes())
            populate(p);
    }
    static QStringList prefixes() { return {QString(), QStringLiteral("d1/"), QStringLiteral("d1/d2/"), QStringLiteral("d1/d2/d3/")}; }

    QString source() const { return overlaySource({low.root(), mid.root()}, up.root(), QStringLiteral("redirect_dir=on")); }
    std::shared_ptr<const OverlayStack> open(Depth depth) const
    {
        auto stack = OverlayStack::open(source(), QStringLiteral("/"), nullptr, depth);
        if (!stack)
            qWarning() << stack.error().message();
        return stack ? std::make_shared<const OverlayStack>(std::move(stack).value()) : nullptr;
    }

    LayerBuilder low, mid, up;

private:
    void populate(const QString &p)
    {
        low.file(p + QStringLiteral("same"), "same");
        low.file(p + QStringLiteral("mod"), "1");
        mid.file(p + QStringLiteral("mod"), "22"); // modified in a lower too
        up.file(p + QStringLiteral("mod"), "333");
        mid.dir(p + QStringLiteral("mid-only"));
        mid.file(p + QStringLiteral("mid-only/file"), "mid");
        up.file(p + QStringLiteral("added"), "added");
        low.dir(p + QStringLiteral("meta")); // metadata-only: same dir, other mode
        up.dir(p + QStringLiteral("meta"));
        ::chmod(up.path(p + QStringLiteral("meta")).c_str(), 0700);
        low.symlink(p + QStringLiteral("link"), "a");
        up.symlink(p + QStringLiteral("link"), "b");
        low.file(p + QStringLiteral("retyped"), "file below");
        up.file(p + QStringLiteral("retyped/inside"), "dir above");
        low.file(p + QStringLiteral("gone"), "gone");
        up.whiteout(p + QStringLiteral("gone"));
        up.whiteout(p + QStringLiteral("orphan")); // nothing below, in a merged dir: not listed
        up.whiteout(p + QStringLiteral("onlyup/ghost")); // dir in one layer only: listed, lookup fails
        low.file(p + QStringLiteral("opq/old"), "old");
        up.file(p + QStringLiteral("opq/new"), "new");
        up.opaque(p + QStringLiteral("opq"));
        low.file(p + QStringLiteral("src/content"), "moved");
        up.dir(p + QStringLiteral("dst"));
        up.xattr(p + QStringLiteral("dst"), "trusted.overlay.redirect", "src"); // relative: sibling
        up.whiteout(p + QStringLiteral("src"));
        low.dir(p + QStringLiteral("copied"));
        up.dir(p + QStringLiteral("copied"));
        up.xattr(p + QStringLiteral("copied"), "trusted.overlay.origin", QByteArray("\x00\xfb\x15\x01", 4));
    }
};

// Every row of a model, depth first, fetching on the way: path and, per column, kind and name.
QStringList dump(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList out;
    if (model.canFetchMore(parent))
        const_cast<QAbstractItemModel &>(model).fetchMore(parent);
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex first = model.index(r, 0, parent);
        QString line = first.data(PathRole).toString();
        for (int c = 0; c < model.columnCount(parent); ++c) {
            const QModelIndex cell = model.index(r, c, parent);
            line += QStringLiteral(" %1:%2").arg(cell.data(ChangeKindRole).toInt()).arg(cell.data().toString());
        }
        out << line;
        out << dump(model, first);
    }
    return out;
}

QStringList headers(const QAbstractItemModel &model)
{
    QStringList out;
    for (int c = 0; c < model.columnCount(); ++c)
        out << model.headerData(c, Qt::Horizontal).toString();
    return out;
}

void applyFilter(ChangeFilterProxy &proxy, const QString &filter, int mergedColumn)
{
    if (filter == u"only changes")
        proxy.setOnlyChanges(true);
    else if (filter == u"upper layer")
        proxy.setLayerFilter(2);
    else if (filter == u"name")
        proxy.setNamePattern(QStringLiteral("o"));
    else if (filter == u"directories")
        proxy.setTypeFilter(int(EntryType::Dir));
    else if (filter == u"min size")
        proxy.setMinimumSize(3);
    else if (filter == u"sorted by size") {
        proxy.setSortRole(SizeRole);
        proxy.sort(mergedColumn, Qt::DescendingOrder);
    }
}

QString pathOf(const QModelIndex &index)
{
    return index.siblingAtColumn(0).data(PathRole).toString();
}

} // namespace

class ModelsTest : public QObject
{
    Q_OBJECT

    static void addDepthAndFilterRows()
    {
        QTest::addColumn<Depth>("depth");
        QTest::addColumn<QString>("filter");
        for (const auto &[depthName, depth] : {std::pair{"full", Depth::Full}, std::pair{"merged view", Depth::MergedView}}) {
            for (const char *filter : {"none", "only changes", "upper layer", "name", "directories", "min size", "sorted by size"})
                QTest::addRow("%s, %s", depthName, filter) << depth << QString::fromLatin1(filter);
        }
    }

private Q_SLOTS:
    void generatedStackHasEveryKind()
    {
        GeneratedStack g;
        const auto stack = g.open(Depth::Full);
        QVERIFY(stack);
        QSet<ChangeKind> seen;
        const UnionTree &tree = stack->unionTree;
        for (UnionId n = 1; n < tree.nodes.size(); ++n) {
            for (size_t l = 0; l < tree.layerCount(); ++l)
                seen.insert(tree.kind(n, l));
            if (tree.nodes[n].merged != noMerged)
                seen.insert(stack->merged.nodes[tree.nodes[n].merged].change);
        }
        for (int k = int(ChangeKind::Unchanged); k < changeKindCount; ++k)
            QVERIFY2(seen.contains(ChangeKind(k)), changeKindName(ChangeKind(k)).data());
        QVERIFY(stack->findMerged("/d1/d2/d3/dst/content") != noMerged); // nested, through a redirect
    }

    // The filter's cheap pass and the full provenance agree on "the version a user means".
    void topmostVersionMatchesProvenance_data()
    {
        QTest::addColumn<Depth>("depth");
        QTest::newRow("full") << Depth::Full;
        QTest::newRow("merged view") << Depth::MergedView;
    }
    void topmostVersionMatchesProvenance()
    {
        QFETCH(Depth, depth);
        GeneratedStack g;
        const auto stack = g.open(depth);
        QVERIFY(stack);
        for (UnionId n = 0; n < stack->unionTree.nodes.size(); ++n)
            QVERIFY2(topmostVersion(*stack, n) == provenanceOf(*stack, n).topmost(), stack->unionPath(n).c_str());
        QVERIFY(!topmostVersion(*stack, UnionId(stack->unionTree.nodes.size())).valid());
    }

    void modelsPassTester_data() { addDepthAndFilterRows(); }
    void modelsPassTester()
    {
        QFETCH(Depth, depth);
        QFETCH(QString, filter);
        GeneratedStack g;
        const auto stack = g.open(depth);
        QVERIFY(stack);
        QCOMPARE(stack->stats.empty(), depth == Depth::MergedView);

        UnionTreeModel model;
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        modelTester.setUseFetchMore(true);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxyTester.setUseFetchMore(true);
        proxy.setSourceModel(&model);
        model.setStack(stack);
        applyFilter(proxy, filter, model.mergedColumn());
        const QStringList rows = dump(proxy);
        QVERIFY(!rows.isEmpty());
        QCOMPARE(proxy.isFiltering(), filter != u"none" && filter != u"sorted by size");
        if (!proxy.isFiltering())
            QCOMPARE(rows.size(), int(stack->unionTree.nodes.size()) - 1);

        // Layer headers name the size only when the load counted it.
        const QStringList names = headers(model);
        QCOMPARE(names.size(), 4);
        QVERIFY(names.at(0).startsWith(QStringLiteral("lower 0: ")));
        QCOMPARE(names.at(2).endsWith(u')'), depth == Depth::Full);

        LayerListModel layers;
        QAbstractItemModelTester layersTester(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        layers.setStack(stack);
        QCOMPARE(layers.rowCount(), 3);
        QCOMPARE(layers.index(0, LayerListModel::LayerColumn).data().toString(), QStringLiteral("upper"));
        QCOMPARE(layers.index(0, LayerListModel::PathColumn).data().toString(), g.up.root());
        for (int c = LayerListModel::EntriesColumn; c < LayerListModel::ColumnCount; ++c)
            QCOMPARE(layers.index(0, c).data().isValid(), depth == Depth::Full);
    }

    // retranslate() touches headers only: no reset, the view keeps what the user set up.
    void retranslateKeepsRows()
    {
        GeneratedStack g;
        const auto stack = g.open(Depth::MergedView);
        UnionTreeModel model;
        model.setStack(stack);
        LayerListModel layers;
        layers.setStack(stack);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy headersChanged(&model, &QAbstractItemModel::headerDataChanged);
        QSignalSpy layerResets(&layers, &QAbstractItemModel::modelReset);
        QSignalSpy layerHeaders(&layers, &QAbstractItemModel::headerDataChanged);
        QSignalSpy layerData(&layers, &QAbstractItemModel::dataChanged);
        model.retranslate();
        layers.retranslate();
        QCOMPARE(resets.count(), 0);
        QCOMPARE(layerResets.count(), 0);
        QCOMPARE(headersChanged.count(), 1);
        QCOMPARE(headersChanged.first().at(2).toInt(), model.mergedColumn());
        QCOMPARE(layerHeaders.count(), 1);
        QCOMPARE(layerData.count(), 1);
    }

    // The window's language switch: headers follow, expansion, selection and current stay.
    void languageSwitchKeepsViewState()
    {
        GeneratedStack g;
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.openSource(g.source());
        QTRY_COMPARE(loaded.count(), 1);
        window.show();
        QVERIFY(window.selectPath(QStringLiteral("/d1/d2/d3/mod")));
        QTreeView *view = window.treeView();
        const QModelIndex opaque = window.filterProxy()->mapFromSource(window.unionModel()->indexOfPath(QStringLiteral("/d1/d2/opq")));
        view->expand(opaque);
        QVERIFY(view->isExpanded(opaque));
        QSignalSpy resets(window.unionModel(), &QAbstractItemModel::modelReset);
        applyLanguage(QStringLiteral("ko"));
        // tr() answers in Korean at once; wait until the window has handled LanguageChange.
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("파일(&F)"));
        QCOMPARE(view->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString(), QStringLiteral("병합"));
        QCOMPARE(pathOf(view->currentIndex()), QStringLiteral("/d1/d2/d3/mod"));
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QVERIFY(view->isExpanded(view->currentIndex().parent()));
        QVERIFY(view->isExpanded(opaque));
        QCOMPARE(resets.count(), 0);
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QCOMPARE(view->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString(), QStringLiteral("merged"));
        QCOMPARE(pathOf(view->currentIndex()), QStringLiteral("/d1/d2/d3/mod"));
        QVERIFY(view->isExpanded(opaque));
    }
};

QTEST_MAIN(ModelsTest)
#include "test_models.moc"
