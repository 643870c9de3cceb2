// SPDX-License-Identifier: GPL-3.0-or-later
// What wastes space: the per-layer copy-up cost (LayerStats::duplicatedBytes, copiedUpBytes) and the
// ranked waste report, both against a model of the stack kept while generating it.
#include "bytesize.h"
#include "overlaystack.h"
#include "testutil.h"
#include "wastereport.h"

#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace strata;

namespace
{

// The independent side: which regular file each path shows after each layer, built from what the
// generator does (not from Strata's merge).
struct Model {
    struct Version {
        int layer;
        QByteArray content;
        int64_t mtime;
    };
    std::map<QString, Version> visible;
    std::set<std::tuple<QString, int, uint64_t, QString, int>> hidden; // path, layer, bytes, why, by
    std::vector<uint64_t> duplicated, copiedUp;

    void hide(const QString &path, const char *why, int by)
    {
        const Version &v = visible.at(path);
        hidden.insert({path, v.layer, uint64_t(v.content.size()), QString::fromLatin1(why), by});
        visible.erase(path);
    }
    void hideUnder(const QString &dir, const char *why, int by)
    {
        std::vector<QString> under;
        for (const auto &[path, _] : visible) {
            if (path.startsWith(dir + u'/'))
                under.push_back(path);
        }
        for (const QString &p : under)
            hide(p, why, by);
    }
};

void setMtime(const LayerBuilder &b, const QString &rel, int64_t seconds)
{
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    QVERIFY(::utimensat(AT_FDCWD, b.path(rel).c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

} // namespace

class WasteReportTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void byteSizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes"); // -1: rejected
        QTest::newRow("plain") << QStringLiteral("300") << qint64(300);
        QTest::newRow("M") << QStringLiteral("10M") << qint64(10 << 20);
        QTest::newRow("GiB fraction") << QStringLiteral("1.5GiB") << qint64(1536) * 1024 * 1024;
        QTest::newRow("kB, spaces") << QStringLiteral(" 2 kB ") << qint64(2048);
        QTest::newRow("B") << QStringLiteral("512B") << qint64(512);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("junk") << QStringLiteral("nginx.conf") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("10Q") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-5k") << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("too large") << QStringLiteral("20000000P") << qint64(-1);
        QTest::newRow("two units") << QStringLiteral("1MK") << qint64(-1);
    }
    void byteSizes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const std::optional<uint64_t> parsed = parseByteSize(text.toStdString());
        QCOMPARE(parsed.has_value(), bytes >= 0);
        if (parsed)
            QCOMPARE(qint64(*parsed), bytes);
        QCOMPARE(formatByteSize(1536), std::string("1.5 KiB"));
        QCOMPARE(formatByteSize(28), std::string("28 B"));
    }

    // A random stack of two lowers and an upper: files overwritten, copied with identical contents
    // (chmod), deleted by whiteouts (files and directories), hidden by opaque directories. Strata's
    // statistics and report must equal the model's, and each reason must occur.
    void reportMatchesModel_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed : {1, 2, 3, 4, 5})
            QTest::addRow("seed %d", seed) << seed;
    }
    void reportMatchesModel()
    {
        QFETCH(int, seed);
        std::mt19937 rng {uint32_t(seed)};
        const auto chance = [&](int percent) { return int(rng() % 100) < percent; };
        LayerBuilder layers[3];
        Model model;
        model.duplicated.assign(3, 0);
        model.copiedUp.assign(3, 0);
        int64_t clock = 100000; // distinct mtimes: Strata compares size and mtime, not bytes
        const QStringList dirs {QStringLiteral("d0"), QStringLiteral("d1"), QStringLiteral("d2"), QStringLiteral("d3")};
        std::set<QString> deletedDirs;
        for (int l = 0; l < 3; ++l) {
            LayerBuilder &b = layers[l];
            if (l > 0) {
                // Whole directories: a whiteout, or an opaque directory, hides what is below.
                const QString &d = dirs[rng() % dirs.size()];
                if (chance(40)) {
                    b.whiteout(d);
                    model.hideUnder(QStringLiteral("/") + d, "deleted", l);
                    deletedDirs.insert(d);
                    continue; // nothing else in this layer, so the whiteout stays a whiteout
                }
                if (chance(50)) {
                    b.dir(d);
                    b.opaque(d);
                    model.hideUnder(QStringLiteral("/") + d, "opaque-dir", l);
                }
            }
            for (const QString &d : dirs) {
                if (l > 0 && deletedDirs.contains(d))
                    continue; // a file under a deleted directory would need the directory back
                for (int f = 0; f < 6; ++f) {
                    const QString rel = d + QStringLiteral("/f%1").arg(f);
                    const QString path = QStringLiteral("/") + rel;
                    const auto shown = model.visible.find(path);
                    const int action = int(rng() % 100);
                    if (shown == model.visible.end()) {
                        if (action < (l == 0 ? 70 : 20)) {
                            const QByteArray content(int(1 + rng() % 4000), char('a' + rng() % 26));
                            b.file(rel, content);
                            setMtime(b, rel, ++clock);
                            model.visible[path] = {l, content, clock};
                        }
                    } else if (action < 25) { // another version
                        const QByteArray content(int(1 + rng() % 4000), char('a' + rng() % 26));
                        model.duplicated[l] += uint64_t(content.size());
                        model.hide(path, "overwritten", l);
                        b.file(rel, content);
                        setMtime(b, rel, ++clock);
                        model.visible[path] = {l, content, clock};
                    } else if (action < 45) { // a chmod copy-up: the same bytes and times, other mode
                        const Model::Version v = shown->second;
                        model.duplicated[l] += uint64_t(v.content.size());
                        model.copiedUp[l] += uint64_t(v.content.size());
                        model.hide(path, "copied-up", l);
                        b.file(rel, v.content, 0600);
                        setMtime(b, rel, v.mtime);
                        model.visible[path] = {l, v.content, v.mtime};
                    } else if (action < 55) {
                        b.whiteout(rel);
                        model.hide(path, "deleted", l);
                    }
                }
            }
        }
        auto stack = OverlayStack::open(stackSource({layers[0].root(), layers[1].root()}, layers[2].root()), QStringLiteral("/"));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        for (size_t l = 0; l < 3; ++l) {
            QCOMPARE(stack->stats[l].duplicatedBytes, model.duplicated[l]);
            QCOMPARE(stack->stats[l].copiedUpBytes, model.copiedUp[l]);
        }
        const WasteReport report = wasteReport(*stack);
        std::set<std::tuple<QString, int, uint64_t, QString, int>> reported;
        uint64_t wasted = 0, statsWasted = 0, total = 0;
        for (const WasteItem &item : report.items) {
            reported.insert({QString::fromStdString(item.path), int(item.layer), item.bytes, QString::fromLatin1(wasteReasonName(item.why)), item.byLayer});
            wasted += item.bytes;
        }
        if (reported != model.hidden) {
            for (const auto &[path, layer, bytes, why, by] : reported) {
                if (!model.hidden.contains({path, layer, bytes, why, by}))
                    qWarning() << "reported, not in the model:" << path << layer << bytes << why << by;
            }
            for (const auto &[path, layer, bytes, why, by] : model.hidden) {
                if (!reported.contains({path, layer, bytes, why, by}))
                    qWarning() << "in the model, not reported:" << path << layer << bytes << why << by;
            }
        }
        QCOMPARE(reported, model.hidden);
        for (const LayerStats &s : stack->stats) {
            statsWasted += s.wastedBytes;
            total += s.bytes;
        }
        QCOMPARE(report.wastedBytes, wasted);
        QCOMPARE(report.wastedBytes, statsWasted); // the report explains every wasted byte of `layers`
        QCOMPARE(report.totalBytes, total);
        QCOMPARE(report.efficiency, total ? 1.0 - double(wasted) / double(total) : 1.0);
        QVERIFY(std::is_sorted(report.items.begin(), report.items.end(), [](const WasteItem &a, const WasteItem &b) { return a.bytes > b.bytes; }));
    }

    // Across the seeds above every reason occurs; this fixed stack pins one of each.
    void eachReasonOnce()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("over"), "old contents");
        low.file(QStringLiteral("gone"), "deleted below");
        low.file(QStringLiteral("opq/inside"), "hidden by an opaque dir");
        low.file(QStringLiteral("chmodded"), "same bytes");
        setMtime(low, QStringLiteral("chmodded"), 5000);
        up.file(QStringLiteral("over"), "new contents, longer");
        up.whiteout(QStringLiteral("gone"));
        up.dir(QStringLiteral("opq"));
        up.opaque(QStringLiteral("opq"));
        up.file(QStringLiteral("chmodded"), "same bytes", 0600);
        setMtime(up, QStringLiteral("chmodded"), 5000);
        auto stack = OverlayStack::open(stackSource({low.root()}, up.root()), QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        const WasteReport report = wasteReport(*stack);
        QStringList lines;
        for (const WasteItem &item : report.items)
            lines << QStringLiteral("%1 %2 %3 %4>%5")
                         .arg(QString::fromStdString(item.path), QString::fromLatin1(wasteReasonName(item.why)))
                         .arg(item.bytes)
                         .arg(item.layer)
                         .arg(item.byLayer);
        QCOMPARE(lines,
            (QStringList {QStringLiteral("/opq/inside opaque-dir 23 0>1"),
                QStringLiteral("/gone deleted 13 0>1"),
                QStringLiteral("/over overwritten 12 0>1"),
                QStringLiteral("/chmodded copied-up 10 0>1")}));
        QCOMPARE(stack->stats[1].duplicatedBytes, uint64_t(20 + 10));
        QCOMPARE(stack->stats[1].copiedUpBytes, uint64_t(10));
        QCOMPARE(stack->stats[0].duplicatedBytes, uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(WasteReportTest)
#include "test_wastereport.moc"
