// SPDX-License-Identifier: GPL-3.0-or-later
// Tar layers: metadata, OCI whiteouts, content reads and digests from tars written here with
// libarchive (plain, gzip, zstd), and hostile input: truncated and corrupt streams, paths leaving
// the layer, lying headers, a tar bomb, and a deterministic mutation run.
#include "contentreader.h"
#include "merger.h"
#include "overlayrules.h"
#include "digest.h"
#include "tarlayer.h"
#include "tartestutil.h"

#include <QFile>
#include <QProcess>
#include <QTest>

#include <chrono>
#include <random>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>

using namespace strata;

namespace {

LayerIndex indexOrFail(const QByteArray &tar, const QString &name = QStringLiteral("layer.tar"), std::string digest = {}, std::string diffId = {})
{
    auto handle = tarHandle(tar, name, std::move(digest), std::move(diffId), 1234);
    if (!handle)
        qFatal("%s", qPrintable(handle.error().message()));
    auto index = TarLayer::index(*handle);
    if (!index)
        qFatal("%s", qPrintable(index.error().message()));
    return std::move(index).value();
}

// The merged view of image layers (bottom → top) as "path type" lines.
QStringList mergedPaths(const std::vector<LayerIndex> &layers)
{
    OverlayConfig config;
    for (const LayerIndex &l : layers)
        config.layers.push_back(LayerSpec{l.path, LayerRole::Lower});
    const MergedTree tree = Merger::merge(config, layers);
    QStringList out;
    std::vector<std::pair<MergedId, std::string>> pending{{0, ""}};
    while (!pending.empty()) {
        auto [id, path] = pending.back();
        pending.pop_back();
        const MergedNode &n = tree.nodes[id];
        if (id != 0)
            out << QString::fromStdString(path + ' ' + std::string(entryTypeName(layers[n.meta.layer].entries[n.meta.entry].type)) + " @" + std::to_string(n.meta.layer));
        for (uint32_t c = n.firstChild; c < n.firstChild + n.childCount; ++c)
            pending.emplace_back(c, path + '/' + std::string(layers[tree.nodes[c].name.layer].name(tree.nodes[c].name.entry)));
    }
    out.sort();
    return out;
}

QByteArray randomBytes(size_t size, unsigned seed)
{
    std::mt19937 rng(seed);
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    for (char &c : out)
        c = char(rng());
    return out;
}

long peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return 0;
}

} // namespace

class TarLayerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metadata_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::newRow("tar") << QByteArray("none");
        QTest::newRow("tar+gzip") << QByteArray("gzip");
        QTest::newRow("tar+zstd") << QByteArray("zstd");
    }

    void metadata()
    {
        QFETCH(QByteArray, filter);
        const QByteArray capability("\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
        const std::vector<TarMember> members{
            {"usr/", '5', {}, 0755},
            {"usr/bin/ping", '0', "PING", 04750, 0, 11, {}, {{"security.capability", capability}, {"user.origin", "test"}}, 0, 0, 1600000000, 123456789},
            {"usr/bin/ping6", '1', {}, 0, 0, 0, "usr/bin/ping"},
            {"usr/bin/sh", '2', {}, 0777, 0, 0, "../../bin/dash"},
            {"dev/null", '3', {}, 0666, 0, 0, {}, {}, 1, 3},
            {"run/fifo", '6', {}, 0600, 7, 8},
            {"home/u/file", '0', "content", 0640, 1000, 1001},
        };
        const QByteArray tar = writeTar(members, filter);
        auto handle = tarHandle(tar, QStringLiteral("layer"));
        QVERIFY(handle);
        QCOMPARE(handle->tar()->compression, filter == "gzip" ? Compression::Gzip : filter == "zstd" ? Compression::Zstd : Compression::None);
        const LayerIndex layer = indexOrFail(tar);
        QVERIFY2(layer.problems.empty(), layer.problems.empty() ? "" : qPrintable(layer.problems.front().message()));

        const EntryId ping = layer.find("/usr/bin/ping");
        QVERIFY(ping != noEntry);
        const Entry &p = layer.entries[ping];
        QCOMPARE(p.type, EntryType::File);
        QCOMPARE(p.mode, uint32_t(S_IFREG | 04750));
        QCOMPARE(p.gid, 11u);
        QCOMPARE(p.size, uint64_t(4));
        QCOMPARE(p.nlink, 2u); // ping6 links to it
        QCOMPARE(p.mtimeNs, int64_t(1600000000) * 1000000000 + 123456789);
        QVERIFY(p.has(FlagOtherXattrs));
        const auto &xattrs = layer.extra(ping).otherXattrs;
        QVERIFY(std::find(xattrs.begin(), xattrs.end(), "security.capability") != xattrs.end());
        QVERIFY(std::find(xattrs.begin(), xattrs.end(), "user.origin") != xattrs.end());

        const EntryId ping6 = layer.find("/usr/bin/ping6");
        QCOMPARE(layer.entries[ping6].type, EntryType::File);
        QCOMPARE(layer.entries[ping6].nlink, 2u);
        QCOMPARE(layer.entries[ping6].size, uint64_t(4));
        ContentReader reader;
        QCOMPARE(*reader.head(layer, ping6, 100), QByteArray("PING"));

        const EntryId sh = layer.find("/usr/bin/sh");
        QCOMPARE(layer.entries[sh].type, EntryType::Symlink);
        QCOMPARE(layer.extra(sh).symlinkTarget, std::string("../../bin/dash"));
        const EntryId null = layer.find("/dev/null");
        QCOMPARE(layer.entries[null].type, EntryType::Char);
        QCOMPARE(layer.extra(null).rdev, makedev(1, 3));
        QVERIFY(!rules::isWhiteout(layer.entries[null]));
        QCOMPARE(layer.entries[layer.find("/run/fifo")].type, EntryType::Fifo);
        QCOMPARE(layer.entries[layer.find("/run/fifo")].uid, 7u);
        const Entry &file = layer.entries[layer.find("/home/u/file")];
        QCOMPARE(file.mode, uint32_t(S_IFREG | 0640));
        QCOMPARE(file.uid, 1000u);
        QCOMPARE(file.gid, 1001u);
        QCOMPARE(*reader.head(layer, layer.find("/home/u/file"), 100), QByteArray("content"));
        // Parents without their own member are implied directories.
        QCOMPARE(layer.entries[layer.find("/home")].type, EntryType::Dir);
    }

    // Image spec "Whiteouts": .wh.NAME hides NAME below only; .wh..wh..opq anywhere in the stream.
    void ociWhiteouts_data()
    {
        QTest::addColumn<bool>("reversed");
        QTest::newRow("markers last") << false;
        QTest::newRow("markers first") << true;
    }

    void ociWhiteouts()
    {
        QFETCH(bool, reversed);
        const LayerIndex lower = indexOrFail(writeTar({{"gone", '0', "g"},
                                                       {"keep", '0', "k"},
                                                       {"same", '0', "lower"},
                                                       {"opq/old", '0', "o"},
                                                       {"replaced/old", '0', "r"},
                                                       {"file-to-dir", '0', "f"}}),
                                             QStringLiteral("lower"));
        std::vector<TarMember> upper{{"opq/new", '0', "n"},
                                     {"opq/.wh..wh..opq", '0', {}},
                                     {".wh.gone", '0', {}},
                                     {"same", '0', "upper"},
                                     {".wh.same", '0', {}},
                                     {".wh.replaced", '0', {}},
                                     {"replaced/new", '0', "r2"},
                                     {".wh..wh.plnk", '0', {}},
                                     {".wh.never-existed", '0', {}}};
        if (reversed)
            std::reverse(upper.begin(), upper.end());
        const LayerIndex top = indexOrFail(writeTar(upper), QStringLiteral("upper"));

        // The encodings: the same flags an overlay upper dir would carry.
        QVERIFY(rules::isWhiteout(top.entries[top.find("/gone")]));
        QCOMPARE(top.entries[top.find("/gone")].type, EntryType::Char);
        QCOMPARE(top.entries[top.find("/gone")].mode, uint32_t(S_IFCHR));
        QVERIFY(rules::isOpaqueDir(top.entries[top.find("/opq")]));
        QVERIFY(rules::isOpaqueDir(top.entries[top.find("/replaced")]));
        QVERIFY(!rules::isWhiteout(top.entries[top.find("/same")]));
        QVERIFY(top.find("/.wh..wh.plnk") == noEntry);
        QVERIFY(top.find("/opq/.wh..wh..opq") == noEntry);

        const QStringList merged = mergedPaths({lower, top});
        const QStringList expected{
            QStringLiteral("/file-to-dir file @0"), QStringLiteral("/keep file @0"),     QStringLiteral("/opq dir @1"),
            QStringLiteral("/opq/new file @1"),     QStringLiteral("/replaced dir @1"), QStringLiteral("/replaced/new file @1"),
            QStringLiteral("/same file @1"),
        };
        QCOMPARE(merged, expected);
        ContentReader reader;
        QCOMPARE(*reader.head(top, top.find("/same"), 10), QByteArray("upper"));
    }

    void contentReads_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::newRow("tar") << QByteArray("none");
        QTest::newRow("tar+gzip") << QByteArray("gzip");
        QTest::newRow("tar+zstd") << QByteArray("zstd");
    }

    // Every file read back from its member equals what was written: long (PAX) names, sizes around
    // block boundaries, empty files, a path that appears twice (the last one wins).
    void contentReads()
    {
        QFETCH(QByteArray, filter);
        std::vector<TarMember> members;
        std::map<std::string, QByteArray> expected;
        const size_t sizes[] = {0, 1, 511, 512, 513, 4096, 65537, 300000};
        for (unsigned i = 0; i < 40; ++i) {
            std::string path = "dir" + std::to_string(i % 4) + '/' + std::string(i % 3 == 0 ? 150 : 5, 'n') + std::to_string(i);
            const QByteArray data = randomBytes(sizes[i % 8], i);
            members.push_back({path, '0', data, 0644});
            expected[path] = data;
        }
        members.push_back({"dir0/twice", '0', "first", 0644});
        members.push_back({"dir0/twice", '0', "second and last", 0644});
        expected["dir0/twice"] = "second and last";
        const QByteArray tar = writeTar(members, filter);
        const LayerIndex layer = indexOrFail(tar);
        ContentReader reader;
        for (const auto &[path, data] : expected) {
            const EntryId id = layer.find(path);
            QVERIFY2(id != noEntry, path.c_str());
            QCOMPARE(layer.entries[id].size, uint64_t(data.size()));
            auto hash = reader.sha256Hex(layer, id);
            QVERIFY2(hash, hash ? "" : qPrintable(hash.error().message()));
            QCOMPARE(*hash, QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
        }
        // A capped read stops early and says how much it took.
        const EntryId big = layer.find(members[7].path);
        auto head = reader.head(layer, big, 1000);
        QVERIFY(head);
        QCOMPARE(head->size(), 1000);
    }

    void digests_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::newRow("tar") << QByteArray("none");
        QTest::newRow("tar+gzip") << QByteArray("gzip");
        QTest::newRow("tar+zstd") << QByteArray("zstd");
    }

    void digests()
    {
        QFETCH(QByteArray, filter);
        const QByteArray plain = writeTar({{"a", '0', "alpha"}, {"b", '0', randomBytes(100000, 1)}});
        const QByteArray stored = filter == "none" ? plain : writeTar({{"a", '0', "alpha"}, {"b", '0', randomBytes(100000, 1)}}, filter);
        const LayerIndex good = indexOrFail(stored, QStringLiteral("good"), sha256Of(stored), sha256Of(plain));
        QVERIFY2(good.problems.empty(), good.problems.empty() ? "" : qPrintable(good.problems.front().message()));

        const std::string wrong = "sha256:" + std::string(64, '0');
        const LayerIndex badBlob = indexOrFail(stored, QStringLiteral("blobs/sha256/x"), wrong, sha256Of(plain));
        QCOMPARE(badBlob.problems.size(), size_t(1));
        QCOMPARE(badBlob.problems.front().code, ErrorCode::Corrupt);
        QVERIFY2(badBlob.problems.front().message().contains(QStringLiteral("blobs/sha256/x")), qPrintable(badBlob.problems.front().message()));
        QVERIFY(badBlob.problems.front().message().contains(QString::fromStdString(sha256Of(stored))));

        const LayerIndex badDiff = indexOrFail(stored, QStringLiteral("blob"), sha256Of(stored), wrong);
        QCOMPARE(badDiff.problems.size(), size_t(1));
        QVERIFY(badDiff.problems.front().message().contains(QStringLiteral("diff_id")));
        // The entries are there all the same: a mismatch is reported, not fatal.
        QVERIFY(badDiff.find("/b") != noEntry);
    }

    void hostileInput()
    {
        const QByteArray plain = writeTar({{"a", '0', randomBytes(200000, 2)}, {"b", '0', "bee"}});
        const QByteArray gz = writeTar({{"a", '0', randomBytes(200000, 2)}, {"b", '0', "bee"}}, "gzip");
        const QByteArray zst = writeTar({{"a", '0', randomBytes(200000, 2)}, {"b", '0', "bee"}}, "zstd");
        auto failsNaming = [](const QByteArray &bytes, const char *what) {
            auto handle = tarHandle(bytes, QStringLiteral("bad-blob"));
            QVERIFY(handle);
            auto index = TarLayer::index(*handle);
            QVERIFY2(!index, what);
            QVERIFY2(index.error().message().contains(QStringLiteral("bad-blob")), qPrintable(index.error().message()));
            QVERIFY2(index.error().code == ErrorCode::Corrupt || index.error().code == ErrorCode::Io, qPrintable(index.error().message()));
        };
        failsNaming(gz.left(gz.size() / 2), "truncated gzip");
        failsNaming(zst.left(zst.size() / 2), "truncated zstd");
        QByteArray flipped = zst;
        for (qsizetype i = 20; i < flipped.size() - 20; i += 97)
            flipped[i] = char(flipped[i] ^ 0x5a);
        failsNaming(flipped, "corrupt zstd");
        QByteArray flippedGz = gz;
        for (qsizetype i = 30; i < flippedGz.size() - 30; i += 97)
            flippedGz[i] = char(flippedGz[i] ^ 0x5a);
        failsNaming(flippedGz, "corrupt gzip");
        QByteArray badCrc = gz;
        badCrc[badCrc.size() - 6] = char(badCrc[badCrc.size() - 6] ^ 1); // the CRC-32 in the trailer
        failsNaming(badCrc, "gzip CRC mismatch");

        // gzip members one after another are one stream (as gzip -d reads them).
        auto gzipped = [](const QByteArray &data) {
            QProcess p;
            p.start(QStringLiteral("gzip"), {QStringLiteral("-c"), QStringLiteral("-1")});
            p.write(data);
            p.closeWriteChannel();
            p.waitForFinished();
            return p.readAllStandardOutput();
        };
        const QByteArray twoMembers = gzipped(plain.left(100000)) + gzipped(plain.mid(100000));
        auto twoHandle = tarHandle(twoMembers, QStringLiteral("two-members"), sha256Digest(twoMembers), sha256Digest(plain));
        QVERIFY(twoHandle);
        auto two = TarLayer::index(*twoHandle);
        QVERIFY2(two, two ? "" : qPrintable(two.error().message()));
        QVERIFY2(two->problems.empty(), two->problems.empty() ? "" : qPrintable(two->problems[0].message()));
        QCOMPARE(two->entries.size(), size_t(3));

        // A decompression bomb: 64 MiB of zeros gzip to about 64 KiB; the default cap (100×) stops it,
        // a raised one lets it through.
        const QByteArray bomb = writeTar({{"zeros", '0', QByteArray(64 << 20, '\0')}}, "gzip");
        auto bombHandle = tarHandle(bomb, QStringLiteral("gzip-bomb"));
        QVERIFY(bombHandle);
        auto stopped = TarLayer::index(*bombHandle);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::LimitExceeded);
        QVERIFY2(stopped.error().message().contains(QStringLiteral("gzip-bomb")), qPrintable(stopped.error().message()));
        QVERIFY(TarLayer::index(*bombHandle, TarIndexOptions{nullptr, 4'000'000, DecompressionLimits{10000, uint64_t(1) << 30}}));
        auto absolute = TarLayer::index(*bombHandle, TarIndexOptions{nullptr, 4'000'000, DecompressionLimits{10000, 1 << 20}});
        QVERIFY(!absolute);
        QCOMPARE(absolute.error().code, ErrorCode::LimitExceeded);
        failsNaming(plain.left(700), "truncated tar");
        failsNaming(QByteArray("this is not a tar at all, just some words that go on and on") + QByteArray(2000, 'x'), "garbage");

        // Paths: ".." is refused (a problem naming it), absolute paths are taken as layer paths,
        // odd bytes stay as they are.
        const LayerIndex odd = indexOrFail(writeTar({{"../escape", '0', "x"},
                                                     {"a/../../etc/passwd", '0', "x"},
                                                     {"/abs/file", '0', "abs"},
                                                     {"new\nline", '0', "nl"},
                                                     {"bad\xff\xfe", '0', "raw"},
                                                     {"ok", '0', "ok"}}),
                                           QStringLiteral("odd.tar"));
        QCOMPARE(odd.problems.size(), size_t(2));
        QVERIFY(odd.problems[0].message().contains(QStringLiteral("../escape")));
        QCOMPARE(odd.problems[0].code, ErrorCode::Corrupt);
        QVERIFY(odd.find("/abs/file") != noEntry);
        QVERIFY(odd.find("/new\nline") != noEntry);
        QVERIFY(odd.find("/bad\xff\xfe") != noEntry);
        ContentReader reader;
        QCOMPARE(*reader.head(odd, odd.find("/bad\xff\xfe"), 10), QByteArray("raw"));
        QVERIFY(odd.find("/escape") == noEntry && odd.find("/etc/passwd") == noEntry);

        // A header declaring 8 GiB with 3 bytes behind it: an error, no allocation, no hang.
        QByteArray lying = writeTar({{"huge", '0', "abc"}, {"after", '0', "x"}});
        memcpy(lying.data() + 124, "77777777777", 12); // the ustar size field, octal
        memset(lying.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < 512; ++i)
            sum += uint8_t(lying[i]);
        snprintf(lying.data() + 148, 8, "%06o", sum);
        const auto t0 = std::chrono::steady_clock::now();
        failsNaming(lying, "huge declared size");
        QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));

        // An entry below a file.
        auto below = tarHandle(writeTar({{"f", '0', "x"}, {"f/g", '0', "y"}}), QStringLiteral("below.tar"));
        auto index = TarLayer::index(*below);
        QVERIFY(!index);
        QCOMPARE(index.error().code, ErrorCode::Corrupt);
        QVERIFY2(index.error().message().contains(QStringLiteral("/f/g")), qPrintable(index.error().message()));

        // A hardlink to nothing in the layer.
        const LayerIndex dangling = indexOrFail(writeTar({{"link", '1', {}, 0, 0, 0, "missing"}}));
        QCOMPARE(dangling.problems.size(), size_t(1));
        QVERIFY(dangling.problems[0].message().contains(QStringLiteral("missing")));
    }

    // 1M tiny members: indexed in bounded memory and time; a cap stops earlier; cancel works.
    void tarBomb()
    {
        std::vector<TarMember> members;
        members.reserve(1'000'000);
        for (int i = 0; i < 1'000'000; ++i)
            members.push_back({"d" + std::to_string(i % 1000) + "/f" + std::to_string(i), '0', {}, 0644});
        const QByteArray bomb = writeTar(members, "zstd");
        members.clear();
        members.shrink_to_fit();
        qInfo("tar bomb: %lld bytes zstd for 1M members", qlonglong(bomb.size()));
        auto handle = tarHandle(bomb, QStringLiteral("bomb"));
        QVERIFY(handle);

        // 1M headers of 1 KiB from 3.7 MB is about 280×: past the default decompression cap (100×).
        auto expanded = TarLayer::index(*handle);
        QVERIFY(!expanded);
        QCOMPARE(expanded.error().code, ErrorCode::LimitExceeded);
        QVERIFY2(expanded.error().message().contains(QStringLiteral("decompression bomb")), qPrintable(expanded.error().message()));
        const DecompressionLimits generous{1000, uint64_t(64) << 30};

        auto capped = TarLayer::index(*handle, TarIndexOptions{nullptr, 100'000, generous});
        QVERIFY(!capped);
        QCOMPARE(capped.error().code, ErrorCode::LimitExceeded);
        QVERIFY(capped.error().message().contains(QStringLiteral("bomb")));

        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            cancel = true;
        });
        const auto c0 = std::chrono::steady_clock::now();
        auto cancelled = TarLayer::index(*handle, TarIndexOptions{&cancel, 4'000'000, generous});
        canceller.join();
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QVERIFY(std::chrono::steady_clock::now() - c0 < std::chrono::seconds(3));

        // Resets the peak ("5" to clear_refs) so what the index takes is measured, not the writer.
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        if (clear.open(QIODevice::WriteOnly))
            clear.write("5");
        clear.close();
        const long before = peakRssKiB();
        const auto t0 = std::chrono::steady_clock::now();
        auto full = TarLayer::index(*handle, TarIndexOptions{nullptr, 4'000'000, generous});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        QVERIFY(full);
        QCOMPARE(full->entries.size(), size_t(1'000'000 + 1000 + 1));
        const long grew = peakRssKiB() - before;
        qInfo("tar bomb: indexed 1M members in %.1f s, peak RSS grew %ld MiB, index holds %zu MiB", seconds, grew / 1024, full->memoryBytes() >> 20);
        QVERIFY2(grew < 700 * 1024, qPrintable(QStringLiteral("peak RSS grew %1 MiB").arg(grew / 1024)));
        QVERIFY(seconds < 60);
    }

    // Deterministic mutations of small tars (byte flips, truncations): never a crash or a hang;
    // each run indexes or fails with an error, and whatever indexed reads back without crashing.
    void mutations()
    {
        const std::vector<TarMember> members{{"etc/", '5'}, {"etc/passwd", '0', "root:x:0:0\n"}, {"bin/sh", '2', {}, 0777, 0, 0, "dash"},
                                             {"bin/dash", '0', randomBytes(3000, 3), 0755}, {"l", '1', {}, 0, 0, 0, "etc/passwd"},
                                             {".wh.x", '0', {}}, {"d/.wh..wh..opq", '0', {}}};
        std::mt19937 rng(9);
        int indexed = 0, failed = 0;
        for (const char *filter : {"none", "gzip", "zstd"}) {
            const QByteArray base = writeTar(members, filter);
            for (int round = 0; round < 150; ++round) {
                QByteArray mutated = base;
                const int flips = 1 + int(rng() % 4);
                for (int f = 0; f < flips; ++f)
                    mutated[qsizetype(rng() % uint32_t(mutated.size()))] = char(rng());
                if (round % 5 == 0)
                    mutated.truncate(qsizetype(rng() % uint32_t(mutated.size())) + 1);
                auto handle = tarHandle(mutated, QStringLiteral("mutant"));
                QVERIFY(handle);
                auto index = TarLayer::index(*handle, TarIndexOptions{nullptr, 10000});
                if (!index) {
                    ++failed;
                    QVERIFY(!index.error().message().isEmpty());
                    continue;
                }
                ++indexed;
                ContentReader reader;
                for (EntryId id = 1; id < index->entries.size(); ++id) {
                    if (index->entries[id].type == EntryType::File)
                        (void)reader.head(*index, id, 1 << 20);
                }
            }
        }
        qInfo("mutations: %d indexed, %d refused", indexed, failed);
        QVERIFY(indexed > 0 && failed > 0);
    }
};

QTEST_GUILESS_MAIN(TarLayerTest)
#include "test_tarlayer.moc"
