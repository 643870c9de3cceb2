// SPDX-License-Identifier: GPL-3.0-or-later
// The models on nested generated stacks holding every change kind: QAbstractItemModelTester with
// and without filters, at both load depths, while snapshot updates are applied; a real tree view
// keeping expansion, selection, current index and scroll position across updates and a language
// switch.
#include "changefilterproxy.h"
#include "layerlistmodel.h"
#include "mainwindow.h"
#include "provenance.h"
#include "overlayrules.h"
#include "roles.h"
#include "testutil.h"
#include "translations.h"
#include "uniontreemodel.h"

#include <QAbstractItemModelTester>
#include <QMenuBar>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTreeView>

#include <filesystem>

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
        low.file(QStringLiteral("quiet/deep/file"), "base"); // no change anywhere on its path
        up.file(QStringLiteral("grow/deep/small"), "1"); // below the size filter until touch()
        low.file(QStringLiteral("metacopied"), "real data"); // metacopy: metadata above, data below
        up.file(QStringLiteral("metacopied"), "", 0600);
        QVERIFY(::truncate(up.path(QStringLiteral("metacopied")).c_str(), 9) == 0);
        up.xattr(QStringLiteral("metacopied"), "trusted.overlay.metacopy", "");
    }
    static QStringList prefixes() { return {QString(), QStringLiteral("d1/"), QStringLiteral("d1/d2/"), QStringLiteral("d1/d2/d3/")}; }

    QString source() const { return stackSource({low.root(), mid.root()}, up.root(), QStringLiteral("redirect_dir=on,metacopy=on")); }
    std::shared_ptr<const OverlayStack> open(Depth depth) const
    {
        auto stack = OverlayStack::open(source(), QStringLiteral("/"), nullptr, depth);
        if (!stack)
            qWarning() << stack.error().message();
        return stack ? std::make_shared<const OverlayStack>(std::move(stack).value()) : nullptr;
    }

    // What a live session might see next: files added, removed and changed, directories removed.
    void change()
    {
        up.file(QStringLiteral("d1/d2/fresh"), "new");
        up.file(QStringLiteral("brand/new/deep"), "new dir");
        remove(up, QStringLiteral("added"));
        remove(up, QStringLiteral("d1/d2/d3/added"));
        up.file(QStringLiteral("d1/mod"), "changed again, longer");
        up.file(QStringLiteral("d1/d2/same"), "now modified in upper");
        remove(low, QStringLiteral("d1/d2/d3/src")); // the redirect's lower content
        remove(up, QStringLiteral("d1/onlyup")); // the phantom's directory
        remove(up, QStringLiteral("d1/d2/opq")); // the opaque dir: the lower content shows again
        remove(mid, QStringLiteral("d1/mid-only"));
    }
    // An update that keeps every row in place: writes, chmod, copy-ups.
    void touch()
    {
        up.file(QStringLiteral("d1/d2/d3/mod"), "4444");
        ::chmod(up.path(QStringLiteral("d1/meta")).c_str(), 0750);
        up.file(QStringLiteral("d1/d2/same"), "same, copied up and changed");
        up.file(QStringLiteral("quiet/deep/file"), "changed in upper");
        up.file(QStringLiteral("grow/deep/small"), "grown to 13"); // its directories stay as they are
    }
    void update(const QString &kind)
    {
        if (kind == u"rows change")
            change();
        else
            touch();
    }
    static void remove(const LayerBuilder &layer, const QString &rel)
    {
        std::error_code error;
        QVERIFY(std::filesystem::remove_all(layer.path(rel), error) > 0);
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

// Rows of equal size may come in any order after sorting: compare those dumps as sets, and check
// the order on its own.
QStringList comparable(QStringList rows, const QString &filter)
{
    if (filter == u"sorted by size")
        rows.sort();
    return rows;
}

bool sortedBySizeDescending(const QAbstractItemModel &model, int column, const QModelIndex &parent = {})
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        // Directories by their recursive totals (TotalSizeRole), as Sort by Size promises.
        if (r > 0 && model.index(r - 1, column, parent).data(TotalSizeRole).toULongLong() < model.index(r, column, parent).data(TotalSizeRole).toULongLong())
            return false;
        if (!sortedBySizeDescending(model, column, model.index(r, 0, parent)))
            return false;
    }
    return true;
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

QModelIndex proxyIndexOf(const ChangeFilterProxy &proxy, const UnionTreeModel &model, const char *path)
{
    return proxy.mapFromSource(model.indexOfPath(QString::fromUtf8(path)));
}

QString pathOf(const QModelIndex &index)
{
    return index.siblingAtColumn(0).data(PathRole).toString();
}

} // namespace

// A union model and a filter proxy over it, both checked by QAbstractItemModelTester (fetchMore
// on) from before the first stack arrives.
struct TestedModels {
    UnionTreeModel model;
    QAbstractItemModelTester modelTester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    ChangeFilterProxy proxy;
    QAbstractItemModelTester proxyTester{&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest};
    TestedModels()
    {
        modelTester.setUseFetchMore(true);
        proxyTester.setUseFetchMore(true);
        proxy.setSourceModel(&model);
    }
};

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
    // The as-of view under the testers: applied off the GUI thread as a layout change, the rows
    // and the filter following; a new snapshot keeps the layer and recomputes the view.
    void asOfViewUnderTester_data()
    {
        QTest::addColumn<bool>("async");
        QTest::newRow("on the spot") << false;
        QTest::newRow("off the GUI thread") << true;
    }
    void asOfViewUnderTester()
    {
        QFETCH(bool, async);
        GeneratedStack g;
        const auto before = g.open(Depth::Full);
        QVERIFY(before);
        TestedModels tested;
        UnionTreeModel &model = tested.model;
        model.setAsyncThreshold(async ? 0 : 1'000'000);
        model.setStack(before);
        tested.proxy.setOnlyChanges(true);
        QSignalSpy applied(&model, &UnionTreeModel::asOfApplied);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setAsOfLayer(0);
        QTRY_COMPARE(applied.count(), 1);
        QCOMPARE(applied.first().first().toInt(), 0);
        QVERIFY(model.asOfView());
        // As of the bottom layer nothing is a change: the filter leaves no row.
        QCOMPARE(tested.proxy.rowCount(), 0);
        // Every merged cell is the bottom layer's own entry.
        for (UnionId n = 1; n < before->unionTree.nodes.size(); ++n) {
            const QModelIndex merged = model.indexOfNode(n, model.mergedColumn());
            const bool inBottom = before->unionTree.cell(n, 0) != noEntry && !rules::isWhiteout(before->layers[0].entries[before->unionTree.cell(n, 0)]);
            QCOMPARE(merged.data(PresentRole).toBool(), inBottom);
            if (model.columnCount() > 2)
                QVERIFY(model.indexOfNode(n, 1).data(OutsideViewRole).toBool());
        }
        tested.proxy.setOnlyChanges(false);
        // A new snapshot: the layer stays, the view is recomputed for it.
        g.touch();
        const auto after = g.open(Depth::Full);
        model.applySnapshot(after);
        QTRY_COMPARE(applied.count(), 2);
        QCOMPARE(model.asOfLayer(), 0);
        QVERIFY(model.asOfView());
        QCOMPARE(model.asOfView()->byUnion.size(), after->unionTree.nodes.size());
        model.setAsOfLayer(-1);
        QTRY_COMPARE(applied.count(), 3);
        QVERIFY(!model.asOfView());
        QCOMPARE(resets.count(), 0);
    }

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

    // "Only changes" leaves out the base layer's content, also when data-only layers lie under it.
    void onlyChangesSkipsBaseAndDataLayers()
    {
        LayerBuilder data, low, up;
        data.file(QStringLiteral("blobs/abc"), "payload");
        low.file(QStringLiteral("app"), "", 0755);
        ::truncate(low.path(QStringLiteral("app")).c_str(), 7);
        low.xattr(QStringLiteral("app"), "trusted.overlay.metacopy", "");
        low.xattr(QStringLiteral("app"), "trusted.overlay.redirect", "/blobs/abc");
        low.file(QStringLiteral("base-file"));
        up.file(QStringLiteral("new"));
        auto stack = OverlayStack::open(QStringLiteral("overlay:lowerdir=%1::%2,upperdir=%3,workdir=%3.work,metacopy=on").arg(low.root(), data.root(), up.root()),
                                        QStringLiteral("/"));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setOnlyChanges(true);
        QCOMPARE(dump(proxy).size(), 1);
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/new"));
        proxy.setOnlyChanges(false);
        proxy.setLayerFilter(0); // asked for explicitly, a layer's own entries count
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/blobs"));
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

        TestedModels tested; // the union model and its filter proxy, each under QAbstractItemModelTester
        UnionTreeModel &model = tested.model;
        ChangeFilterProxy &proxy = tested.proxy;
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
        // The statistics exist with a Full load only; a directory layer has no blob.
        for (int c = LayerListModel::EntriesColumn; c <= LayerListModel::EfficiencyColumn; ++c)
            QCOMPARE(layers.index(0, c).data().isValid(), depth == Depth::Full);
        QVERIFY(!layers.index(0, LayerListModel::BlobColumn).data().isValid());
        QVERIFY(!layers.hasBlobs());
    }

    // Tester attached while snapshots are applied: files added, removed, changed, dirs removed.
    // The result equals a fresh model of the new snapshot, and nothing resets.
    void snapshotUpdateUnderTester_data() { addDepthAndFilterRows(); }
    void snapshotUpdateUnderTester()
    {
        QFETCH(Depth, depth);
        QFETCH(QString, filter);
        GeneratedStack g;
        const auto before = g.open(depth);
        QVERIFY(before);
        g.change();
        const auto after = g.open(depth);
        QVERIFY(after);

        TestedModels tested; // the union model and its filter proxy, each under QAbstractItemModelTester
        UnionTreeModel &model = tested.model;
        ChangeFilterProxy &proxy = tested.proxy;
        model.applySnapshot(before); // no stack yet: a reset
        applyFilter(proxy, filter, model.mergedColumn());
        dump(proxy);

        const QPersistentModelIndex kept = model.indexOfPath(QStringLiteral("/d1/d2/d3/mod"), 2);
        const QPersistentModelIndex changed = model.indexOfPath(QStringLiteral("/d1/mod"), model.mergedColumn());
        const QPersistentModelIndex vanished = model.indexOfPath(QStringLiteral("/d1/onlyup/ghost"));
        const QPersistentModelIndex vanishedDir = model.indexOfPath(QStringLiteral("/d1/d2/opq"), 1);
        QVERIFY(kept.isValid() && changed.isValid() && vanished.isValid() && vanishedDir.isValid());
        QPersistentModelIndex keptInProxy = proxy.mapFromSource(kept);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy proxyResets(&proxy, &QAbstractItemModel::modelReset);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        model.applySnapshot(after);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(proxyResets.count(), 0);
        QCOMPARE(layouts.count(), 1);
        QCOMPARE(model.stack(), after.get());

        QCOMPARE(pathOf(kept), QStringLiteral("/d1/d2/d3/mod"));
        QCOMPARE(kept.column(), 2);
        QCOMPARE(QModelIndex(kept), model.indexOfPath(QStringLiteral("/d1/d2/d3/mod"), 2));
        QCOMPARE(QModelIndex(changed), model.indexOfPath(QStringLiteral("/d1/mod"), model.mergedColumn()));
        QVERIFY(!vanished.isValid());
        QVERIFY(model.indexOfPath(QStringLiteral("/d1/d2/opq")).isValid()); // the lower dir remains...
        QVERIFY(vanishedDir.isValid()); // ... so the row stays, now shown from lower 0
        QVERIFY(!model.indexOfPath(QStringLiteral("/d1/d2/opq/new")).isValid());
        if (keptInProxy.isValid())
            QCOMPARE(pathOf(keptInProxy), QStringLiteral("/d1/d2/d3/mod"));

        // Row for row what a fresh model shows.
        UnionTreeModel fresh;
        fresh.setStack(after);
        ChangeFilterProxy freshProxy;
        freshProxy.setSourceModel(&fresh);
        applyFilter(freshProxy, filter, fresh.mergedColumn());
        QCOMPARE(dump(model), dump(fresh));
        QCOMPARE(comparable(dump(proxy), filter), comparable(dump(freshProxy), filter));
        if (filter == u"sorted by size")
            QVERIFY(sortedBySizeDescending(proxy, model.mergedColumn()));
        QCOMPARE(headers(model), headers(fresh));

        // And back: the rows that came with the update vanish again.
        model.applySnapshot(before);
        QCOMPARE(resets.count(), 0);
        QVERIFY(!model.indexOfPath(QStringLiteral("/brand")).isValid());
        QCOMPARE(pathOf(kept), QStringLiteral("/d1/d2/d3/mod"));
        fresh.setStack(before);
        QCOMPARE(comparable(dump(proxy), filter), comparable(dump(freshProxy), filter));
    }

    // Writes, chmod and copy-ups keep every row in place: dataChanged for those rows, no layout
    // change (views keep their layout), the result the same as a fresh model's.
    void contentOnlyUpdateUnderTester_data() { addDepthAndFilterRows(); }
    void contentOnlyUpdateUnderTester()
    {
        QFETCH(Depth, depth);
        QFETCH(QString, filter);
        GeneratedStack g;
        const auto before = g.open(depth);
        g.touch();
        const auto after = g.open(depth);
        QVERIFY(before && after);
        TestedModels tested; // the union model and its filter proxy, each under QAbstractItemModelTester
        UnionTreeModel &model = tested.model;
        ChangeFilterProxy &proxy = tested.proxy;
        model.setStack(before);
        applyFilter(proxy, filter, model.mergedColumn());
        dump(proxy);
        LayerListModel layers;
        QAbstractItemModelTester layersTester(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        layers.applySnapshot(before);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy layerResets(&layers, &QAbstractItemModel::modelReset);
        model.applySnapshot(after);
        layers.applySnapshot(after);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(layouts.count(), 0);
        QCOMPARE(layerResets.count(), 0);
        QStringList changed;
        for (const QList<QVariant> &signal : std::as_const(changes)) {
            const QModelIndex from = signal.at(0).toModelIndex(), to = signal.at(1).toModelIndex();
            for (int r = from.row(); r <= to.row(); ++r)
                changed << pathOf(from.siblingAtRow(r));
        }
        changed.sort();
        // Only rows that differ: an added upper cell counts (the ancestors of a copy-up), and so does
        // a directory's mtime (/d1/d2 got a new entry) and a directory's total size (/grow/deep:
        // its file grew; /d1 and /d1/d2/d3: a file below them changed size).
        QCOMPARE(changed, (QStringList{QStringLiteral("/d1"), QStringLiteral("/d1/d2"), QStringLiteral("/d1/d2/d3"), QStringLiteral("/d1/d2/d3/mod"), QStringLiteral("/d1/d2/same"),
                                       QStringLiteral("/d1/meta"), QStringLiteral("/grow"), QStringLiteral("/grow/deep"), QStringLiteral("/grow/deep/small"), QStringLiteral("/quiet"),
                                       QStringLiteral("/quiet/deep"), QStringLiteral("/quiet/deep/file")}));

        UnionTreeModel fresh;
        fresh.setStack(after);
        ChangeFilterProxy freshProxy;
        freshProxy.setSourceModel(&fresh);
        applyFilter(freshProxy, filter, fresh.mergedColumn());
        QCOMPARE(dump(model), dump(fresh));
        QCOMPARE(comparable(dump(proxy), filter), comparable(dump(freshProxy), filter));
        if (filter == u"sorted by size")
            QVERIFY(sortedBySizeDescending(proxy, model.mergedColumn()));
    }

    // Completing a MergedView load changes kinds all over the tree: one layout change (so a proxy
    // does not build a mapping for every touched directory), view state kept, same rows as fresh.
    void completedLoadIsOneLayoutChange()
    {
        LayerBuilder low, mid, up;
        for (int i = 0; i < 700; ++i) {
            const QString file = QStringLiteral("d%1/f").arg(i, 3, 10, QLatin1Char('0'));
            low.file(file, "1");
            mid.file(file, "22"); // covered by up's: its kind needs low's size, which only a Full load reads
            up.file(file, "333");
        }
        auto lazy = OverlayStack::open(stackSource({low.root(), mid.root(), up.root()}), QStringLiteral("/"), nullptr, OverlayStack::LoadDepth::MergedView);
        QVERIFY(lazy.hasValue());
        auto completed = OverlayStack::complete(*lazy);
        QVERIFY(completed.hasValue());
        const auto before = std::make_shared<const OverlayStack>(std::move(lazy).value());
        const auto after = std::make_shared<const OverlayStack>(std::move(completed).value());

        TestedModels tested;
        UnionTreeModel &model = tested.model;
        ChangeFilterProxy &proxy = tested.proxy;
        model.setStack(before);
        QTreeView view;
        view.setModel(&proxy);
        view.resize(500, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (const char *dir : {"/d005", "/d350", "/d699"})
            view.expand(proxyIndexOf(proxy, model, dir));
        const QModelIndex current = proxyIndexOf(proxy, model, "/d350/f");
        view.setCurrentIndex(current);

        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.applySnapshot(after);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(layouts.count(), 1);
        QCOMPARE(changes.count(), 0);
        for (const char *dir : {"/d005", "/d350", "/d699"})
            QVERIFY2(view.isExpanded(proxyIndexOf(proxy, model, dir)), dir);
        QCOMPARE(pathOf(view.currentIndex()), QStringLiteral("/d350/f"));
        QCOMPARE(ChangeKind(model.indexOfPath(QStringLiteral("/d350/f"), 1).data(ChangeKindRole).toInt()), ChangeKind::Modified);
        UnionTreeModel fresh;
        fresh.setStack(after);
        QCOMPARE(dump(model), dump(fresh));
    }

    void layerCountChangeResets()
    {
        GeneratedStack g;
        const auto three = g.open(Depth::Full);
        auto two = OverlayStack::open(stackSource({g.low.root()}, g.up.root()), QStringLiteral("/"));
        QVERIFY(three && two);
        UnionTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        LayerListModel layers;
        QAbstractItemModelTester layersTester(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStack(three);
        layers.setStack(three);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layerResets(&layers, &QAbstractItemModel::modelReset);
        const auto twoLayers = std::make_shared<const OverlayStack>(std::move(two).value());
        model.applySnapshot(twoLayers);
        layers.applySnapshot(twoLayers);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(layerResets.count(), 1);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(layers.rowCount(), 2);
        // Same layer count: the layer table updates in place.
        QSignalSpy layerChanges(&layers, &QAbstractItemModel::dataChanged);
        layers.applySnapshot(std::make_shared<const OverlayStack>(*twoLayers));
        QCOMPARE(layerResets.count(), 1);
        QCOMPARE(layerChanges.count(), 1);
        model.applySnapshot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // A filter computed off the GUI thread while an update lands: the update decides the rows for
    // the new snapshot and filterApplied() still follows.
    void filterRunningDuringUpdate()
    {
        GeneratedStack g;
        const auto before = g.open(Depth::Full);
        g.change();
        const auto after = g.open(Depth::Full);
        UnionTreeModel model;
        model.setStack(before);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setAsyncThreshold(0);
        QSignalSpy applied(&proxy, &ChangeFilterProxy::filterApplied);
        proxy.setNamePattern(QStringLiteral("fresh"));
        model.applySnapshot(after); // before the worker's result arrives
        QCOMPARE(proxy.rowCount(), 1); // d1 (ancestor of /d1/d2/fresh)
        QTRY_COMPARE(applied.count(), 1);
        QCOMPARE(dump(proxy).size(), 3); // d1, d1/d2, d1/d2/fresh
    }

    // A real tree view through the filter proxy: what the user set up survives an update.
    void viewStateSurvivesSnapshot_data()
    {
        QTest::addColumn<QString>("update");
        QTest::addColumn<QString>("filter");
        for (const char *update : {"rows change", "content only"}) {
            for (const char *filter : {"none", "only changes", "upper layer", "name", "directories", "min size", "sorted by size"})
                QTest::addRow("%s, %s", update, filter) << QString::fromLatin1(update) << QString::fromLatin1(filter);
        }
    }
    void viewStateSurvivesSnapshot()
    {
        QFETCH(QString, update);
        QFETCH(QString, filter);
        GeneratedStack g;
        const auto before = g.open(Depth::Full);
        g.update(update);
        const auto after = g.open(Depth::Full);
        UnionTreeModel model;
        model.setStack(before);
        ChangeFilterProxy proxy;
        proxy.setSourceModel(&model);
        applyFilter(proxy, filter, model.mergedColumn());
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&proxy);
        view.resize(500, 220);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        // A path every filter keeps (a modified directory of the upper layer with a size of 3+),
        // its ancestors, an expanded sibling that the update removes.
        const char *target = "/d1/d2/d3/mod";
        const QModelIndex targetIndex = proxyIndexOf(proxy, model, target);
        QVERIFY(targetIndex.isValid() || filter == u"directories");
        const char *selected = filter == u"directories" ? "/d1/d2/d3/meta" : target;
        QStringList expanded; // "/d1/onlyup" is removed by the update
        for (const char *dir : {"/d1", "/d1/d2", "/d1/d2/d3", "/d1/d2/opq", "/d1/d2/d3/retyped", "/d1/onlyup"}) {
            const QModelIndex index = proxyIndexOf(proxy, model, dir);
            view.expand(index);
            if (view.isExpanded(index))
                expanded << QString::fromLatin1(dir);
        }
        QVERIFY(expanded.contains(QStringLiteral("/d1/d2/d3")));
        const QModelIndex current = proxyIndexOf(proxy, model, selected);
        QVERIFY(current.isValid());
        view.setCurrentIndex(current);
        view.selectionModel()->select(current, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QScrollBar *scroll = view.verticalScrollBar();
        QTRY_VERIFY(scroll->maximum() > 0);
        scroll->setValue(scroll->maximum() / 2);
        const int scrolled = scroll->value();

        model.applySnapshot(after);
        // The proxy shows exactly what a fresh one on the new snapshot shows.
        UnionTreeModel fresh;
        fresh.setStack(after);
        ChangeFilterProxy freshProxy;
        freshProxy.setSourceModel(&fresh);
        applyFilter(freshProxy, filter, fresh.mergedColumn());
        QCOMPARE(comparable(dump(proxy), filter), comparable(dump(freshProxy), filter));
        // Still-shown directories stay expanded ("/d1/onlyup" is gone; "/d1/d2/opq" is only
        // unchanged base content now, which some filters drop).
        for (const QString &dir : std::as_const(expanded)) {
            const QModelIndex index = proxy.mapFromSource(model.indexOfPath(dir));
            QCOMPARE(index.isValid(), freshProxy.mapFromSource(fresh.indexOfPath(dir)).isValid());
            QVERIFY2(!index.isValid() || view.isExpanded(index), qPrintable(dir));
        }
        QVERIFY(view.isExpanded(proxyIndexOf(proxy, model, "/d1/d2/d3")));
        QCOMPARE(pathOf(view.currentIndex()), QString::fromLatin1(selected));
        const QModelIndexList rows = view.selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(pathOf(rows.first()), QString::fromLatin1(selected));
        QCOMPARE(scroll->value(), scrolled);
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
        QCOMPARE(view->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString().section(u' ', 0, 0), QStringLiteral("병합"));
        QCOMPARE(pathOf(view->currentIndex()), QStringLiteral("/d1/d2/d3/mod"));
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QVERIFY(view->isExpanded(view->currentIndex().parent()));
        QVERIFY(view->isExpanded(opaque));
        QCOMPARE(resets.count(), 0);
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QCOMPARE(view->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString().section(u' ', 0, 0), QStringLiteral("merged"));
        QCOMPARE(pathOf(view->currentIndex()), QStringLiteral("/d1/d2/d3/mod"));
        QVERIFY(view->isExpanded(opaque));
    }
};

QTEST_MAIN(ModelsTest)
#include "test_models.moc"
