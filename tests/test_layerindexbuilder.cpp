// SPDX-License-Identifier: GPL-3.0-or-later
// LayerIndexBuilder: entries in any order seal into the same index (and the same merge) as a scan.
#include "layerindexbuilder.h"
#include "layerscanner.h"
#include "merger.h"
#include "testutil.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace strata;

namespace {

// Every entry's path with what the merge reads of it.
QStringList describe(const LayerIndex &layer)
{
    QStringList out;
    for (EntryId id = 0; id < layer.entries.size(); ++id) {
        const Entry &e = layer.entries[id];
        out << QStringLiteral("%1 type=%2 mode=%3 owner=%4:%5 size=%6 flags=%7 target=%8 redirect=%9")
                   .arg(QString::fromStdString(layer.pathOf(id)))
                   .arg(int(e.type))
                   .arg(e.mode, 0, 8)
                   .arg(e.uid)
                   .arg(e.gid)
                   .arg(e.size)
                   .arg(e.flags)
                   .arg(QString::fromStdString(layer.extra(id).symlinkTarget), QString::fromStdString(layer.extra(id).redirect));
    }
    out.sort();
    return out;
}

// The merged view as paths with their providing layer and lookup error.
QStringList describe(const MergedTree &tree, const std::vector<LayerIndex> &layers)
{
    QStringList out;
    std::vector<std::pair<MergedId, std::string>> pending{{0, ""}};
    while (!pending.empty()) {
        auto [id, path] = pending.back();
        pending.pop_back();
        const MergedNode &n = tree.nodes[id];
        out << QStringLiteral("%1 meta=%2 data=%3 errno=%4")
                   .arg(QString::fromStdString(path.empty() ? "/" : path))
                   .arg(n.meta.layer)
                   .arg(n.data.layer)
                   .arg(n.lookupErrno);
        for (uint32_t c = n.firstChild; c < n.firstChild + n.childCount; ++c)
            pending.emplace_back(c, path + '/' + std::string(layers[tree.nodes[c].name.layer].name(tree.nodes[c].name.entry)));
    }
    out.sort();
    return out;
}

// Feeds a scanned layer to the builder in a shuffled order (children often before parents).
LayerIndex rebuild(const LayerIndex &scanned, unsigned seed)
{
    std::vector<EntryId> ids(scanned.entries.size());
    for (EntryId i = 0; i < ids.size(); ++i)
        ids[i] = i;
    std::shuffle(ids.begin(), ids.end(), std::mt19937(seed));
    LayerIndexBuilder builder(scanned.path);
    for (EntryId id : ids) {
        const auto problem = builder.add(scanned.pathOf(id), scanned.entries[id], scanned.extra(id));
        if (problem)
            qFatal("%s", qPrintable(problem->message()));
    }
    auto sealed = std::move(builder).seal();
    if (!sealed)
        qFatal("%s", qPrintable(sealed.error().message()));
    return std::move(sealed).value();
}

} // namespace

class LayerIndexBuilderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anyOrderSealsLikeAScan()
    {
        LayerBuilder low, up;
        for (int i = 0; i < 30; ++i)
            low.file(QStringLiteral("d%1/sub%2/f%3").arg(i % 3).arg(i % 5).arg(i), QByteArray(i, 'x'), 0600 + i % 8);
        low.symlink(QStringLiteral("link"), "d0/sub0/f0");
        low.file(QStringLiteral("gone.txt"));
        up.whiteout(QStringLiteral("gone.txt"));
        up.file(QStringLiteral("d1/sub1/f1"), "changed");
        up.dir(QStringLiteral("d2"));
        up.opaque(QStringLiteral("d2"));
        up.file(QStringLiteral("d2/only"));
        const QString source = stackSource({low.root()}, up.root());
        auto stack = OverlayStack::open(source, QStringLiteral("/"));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));

        std::vector<LayerIndex> rebuilt;
        for (size_t l = 0; l < stack->layers.size(); ++l) {
            rebuilt.push_back(rebuild(stack->layers[l], unsigned(l + 7)));
            QCOMPARE(describe(rebuilt.back()), describe(stack->layers[l]));
        }
        // The merge is a function of the sealed indexes alone: the same view from either.
        const MergedTree merged = Merger::merge(stack->config, rebuilt);
        QCOMPARE(describe(merged, rebuilt), describe(stack->merged, stack->layers));
    }

    void lastEntryWinsAndParentsAreImplied()
    {
        LayerIndexBuilder builder(QStringLiteral("test"));
        Entry file;
        file.type = EntryType::File;
        file.mode = S_IFREG | 0644;
        file.size = 3;
        QVERIFY(!builder.add("./a/b/c.txt", file));
        file.size = 5;
        QVERIFY(!builder.add("a/b/c.txt", file)); // replaces the first
        auto index = std::move(builder).seal();
        QVERIFY(index.hasValue());
        QCOMPARE(index->entries.size(), size_t(4));
        const EntryId c = index->find("/a/b/c.txt");
        QVERIFY(c != noEntry);
        QCOMPARE(index->entries[c].size, uint64_t(5));
        QCOMPARE(index->entries[index->find("/a")].type, EntryType::Dir);
        QCOMPARE(index->entries[index->find("/a")].mode, uint32_t(S_IFDIR | 0755));
    }

    void badEntriesAreClearErrors()
    {
        Entry file;
        file.type = EntryType::File;
        file.mode = S_IFREG | 0644;
        {
            LayerIndexBuilder builder(QStringLiteral("layer.tar"));
            const auto problem = builder.add("a/../../etc/passwd", file);
            QVERIFY(problem);
            QCOMPARE(problem->code, ErrorCode::Corrupt);
            QVERIFY2(problem->message().contains(QStringLiteral("a/../../etc/passwd")), qPrintable(problem->message()));
        }
        {
            LayerIndexBuilder builder(QStringLiteral("layer.tar"));
            QVERIFY(!builder.add("a/b", file));
            QVERIFY(!builder.add("a", file)); // a becomes a file with an entry below it
            auto sealed = std::move(builder).seal();
            QVERIFY(sealed.hasValue()); // the entry below is dropped, a problem naming both
            QCOMPARE(sealed->problems.size(), size_t(1));
            QCOMPARE(sealed->problems[0].code, ErrorCode::Corrupt);
            QVERIFY2(sealed->problems[0].message().contains(QStringLiteral("/a/b lies below /a")), qPrintable(sealed->problems[0].message()));
            QCOMPARE(sealed->entries.size(), size_t(2));
            QVERIFY(sealed->find("/a/b") == noEntry);
        }
        {
            LayerIndexBuilder builder(QStringLiteral("layer.tar"));
            const auto problem = builder.add(std::string(70000, 'n'), file);
            QVERIFY(problem);
            QCOMPARE(problem->code, ErrorCode::LimitExceeded);
        }
    }
};

QTEST_GUILESS_MAIN(LayerIndexBuilderTest)
#include "test_layerindexbuilder.moc"
