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

#include <algorithm>
#include <chrono>
#include <cstring>
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


// One raw 512-byte ustar header (for headers libarchive's writer will not produce): `name` as
// given (truncated to 100 bytes), `type` the typeflag, `size` the declared size.
QByteArray rawHeader(const std::string &name, char type, uint64_t size)
{
    QByteArray h(512, '\0');
    memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));
    snprintf(h.data() + 100, 8, "%07o", 0644);
    snprintf(h.data() + 108, 8, "%07o", 0);
    snprintf(h.data() + 116, 8, "%07o", 0);
    snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
    snprintf(h.data() + 136, 12, "%011o", 1700000000u);
    h[156] = type;
    memcpy(h.data() + 257, "ustar\0" "00", 8);
    memset(h.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; ++i)
        sum += uint8_t(h[i]);
    snprintf(h.data() + 148, 8, "%06o", sum);
    return h;
}

QByteArray padded(QByteArray data)
{
    data.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    return data;
}

// A member written by hand: header, data, padding.
QByteArray rawMember(const std::string &name, char type, const QByteArray &data)
{
    return rawHeader(name, type, uint64_t(data.size())) + padded(data);
}

const QByteArray tarEnd(1024, '\0');

// The index of a tar, or the error, with the problems' messages joined for QVERIFY2.
QString problemsText(const LayerIndex &index)
{
    QStringList out;
    for (const Error &p : index.problems)
        out << p.message();
    return out.join(u'\n');
}

bool anyProblemMentions(const LayerIndex &index, const QString &text)
{
    return std::any_of(index.problems.begin(), index.problems.end(), [&](const Error &p) { return p.message().contains(text) && p.code == ErrorCode::Corrupt; });
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

        // An entry below a file: dropped, a problem naming it.
        const LayerIndex below = indexOrFail(writeTar({{"f", '0', "x"}, {"f/g", '0', "y"}}), QStringLiteral("below.tar"));
        QCOMPARE(below.problems.size(), size_t(1));
        QCOMPARE(below.problems[0].code, ErrorCode::Corrupt);
        QVERIFY2(below.problems[0].message().contains(QStringLiteral("/f/g")), qPrintable(below.problems[0].message()));
        QVERIFY(below.find("/f/g") == noEntry && below.find("/f") != noEntry);

        // A hardlink to nothing in the layer.
        const LayerIndex dangling = indexOrFail(writeTar({{"link", '1', {}, 0, 0, 0, "missing"}}));
        QCOMPARE(dangling.problems.size(), size_t(1));
        QVERIFY(dangling.problems[0].message().contains(QStringLiteral("missing")));
    }

    // Hostile item 1: names leaving the layer are placed as Docker places them (filepath.Clean,
    // absolute names re-rooted, ".." at the root stays there) or, when a relative name climbs
    // above the root (Docker's breakout error), refused as a problem naming the entry.
    void hostilePaths_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("placed"); // empty: refused
        QTest::newRow("../x") << QByteArray("../x") << QByteArray();
        QTest::newRow("/../x") << QByteArray("/../x") << QByteArray("/x");
        QTest::newRow("/etc/x") << QByteArray("/etc/x") << QByteArray("/etc/x");
        QTest::newRow("/../../../etc/shadow") << QByteArray("/../../../etc/shadow") << QByteArray("/etc/shadow");
        QTest::newRow("a/../../x") << QByteArray("a/../../x") << QByteArray();
        QTest::newRow("../root-evil/x") << QByteArray("../root-evil/x") << QByteArray();
        QTest::newRow("./a/./b/../c") << QByteArray("./a/./b/../c") << QByteArray("/a/c");
        QTest::newRow("a//b/") << QByteArray("a//b") << QByteArray("/a/b");
    }

    void hostilePaths()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, placed);
        for (const char *filter : {"none", "gzip"}) {
            const LayerIndex index = indexOrFail(writeTar({{name.toStdString(), '0', "payload"}, {"ok", '0', "ok"}}, filter), QStringLiteral("paths.tar"));
            QVERIFY(index.find("/ok") != noEntry);
            if (placed.isEmpty()) {
                QCOMPARE(index.problems.size(), size_t(1));
                QCOMPARE(index.problems[0].code, ErrorCode::Corrupt);
                QVERIFY2(index.problems[0].message().contains(QString::fromUtf8(name)) && index.problems[0].message().contains(QStringLiteral("paths.tar")),
                         qPrintable(index.problems[0].message()));
                QCOMPARE(index.entries.size(), size_t(2)); // the root and ok: nothing else placed
            } else {
                QVERIFY2(index.problems.empty(), qPrintable(problemsText(index)));
                const EntryId id = index.find(placed.toStdString());
                QVERIFY2(id != noEntry, placed.constData());
                ContentReader reader;
                QCOMPARE(*reader.head(index, id, 100), QByteArray("payload"));
            }
        }
    }

    // Hostile item 2: entries below a symlink are never resolved through it: the symlink is
    // listed with its target, what claims to lie below it is dropped as a problem naming it, and
    // nothing of the merged view or of a content read leaves the layer.
    void symlinkEscapes()
    {
        const LayerIndex lower = indexOrFail(writeTar({{"loophole/", '5'}, {"loophole/mine", '0', "lower"}, {"victim/", '5'}}), QStringLiteral("lower.tar"));
        const LayerIndex upper = indexOrFail(writeTar({{"loophole", '2', {}, 0777, 0, 0, "../victim"},
                                                       {"loophole/file", '0', "through the link"},
                                                       {"inner/", '5'},
                                                       {"inner/up", '2', {}, 0777, 0, 0, ".."},
                                                       {"inner/up/escape", '2', {}, 0777, 0, 0, "../victim"},
                                                       {"inner/up/escape/deeper", '0', "x"},
                                                       {"etc", '2', {}, 0777, 0, 0, "/etc"},
                                                       {"etc/passwd", '0', "root::0:0"},
                                                       {"later/file", '0', "before its symlink"},
                                                       {"later", '2', {}, 0777, 0, 0, "/tmp"},
                                                       {"fine", '0', "fine"}}),
                                             QStringLiteral("upper.tar"));
        for (const char *dropped : {"/loophole/file", "/inner/up/escape", "/etc/passwd", "/later/file"}) {
            QVERIFY2(upper.find(dropped) == noEntry, dropped);
            QVERIFY2(anyProblemMentions(upper, QString::fromUtf8(dropped)), qPrintable(problemsText(upper)));
        }
        QCOMPARE(upper.problems.size(), size_t(4));
        QCOMPARE(upper.entries[upper.find("/loophole")].type, EntryType::Symlink);
        QCOMPARE(upper.extra(upper.find("/loophole")).symlinkTarget, std::string("../victim"));
        QCOMPARE(upper.entries[upper.find("/inner/up")].type, EntryType::Symlink);
        QCOMPARE(upper.entries[upper.find("/later")].type, EntryType::Symlink);
        // The merged view: the symlink replaces the lower directory; nothing below it, and the
        // lower's victim dir is untouched.
        const QStringList merged = mergedPaths({lower, upper});
        const QStringList expected{QStringLiteral("/etc symlink @1"),      QStringLiteral("/fine file @1"),    QStringLiteral("/inner dir @1"),
                                   QStringLiteral("/inner/up symlink @1"), QStringLiteral("/later symlink @1"), QStringLiteral("/loophole symlink @1"),
                                   QStringLiteral("/victim dir @0")};
        QCOMPARE(merged, expected);
        // A content read of the symlink is refused, not followed.
        ContentReader reader;
        auto read = reader.head(upper, upper.find("/loophole"), 100);
        QVERIFY(!read);
        QCOMPARE(read.error().code, ErrorCode::Unsupported);
        QCOMPARE(*reader.head(upper, upper.find("/fine"), 100), QByteArray("fine"));
    }

    // Hostile item 3: hardlinks name a file of the same layer, placed as member names are; out of
    // the layer, to a directory, or through a symlink they are problems; to a symlink or a device
    // node they are that symlink or node.
    void hostileHardlinks()
    {
        const LayerIndex index = indexOrFail(writeTar({{"f", '0', "data"},
                                                       {"d/", '5'},
                                                       {"s", '2', {}, 0777, 0, 0, "f"},
                                                       {"dev", '3', {}, 0600, 0, 0, {}, {}, 1, 5},
                                                       {"loophole", '2', {}, 0777, 0, 0, "/etc"},
                                                       {"loophole/passwd", '0', "below the symlink"},
                                                       {"out", '1', {}, 0, 0, 0, "../victim"},
                                                       {"sibling", '1', {}, 0, 0, 0, "../root-evil/f"},
                                                       {"todir", '1', {}, 0, 0, 0, "d"},
                                                       {"through", '1', {}, 0, 0, 0, "loophole/passwd"},
                                                       {"tosym", '1', {}, 0, 0, 0, "s"},
                                                       {"todev", '1', {}, 0, 0, 0, "dev"},
                                                       {"abs", '1', {}, 0, 0, 0, "/f"},
                                                       {"rerooted", '1', {}, 0, 0, 0, "/../f"}}),
                                             QStringLiteral("links.tar"));
        for (const char *refused : {"out", "sibling", "todir", "through"}) {
            QVERIFY2(index.find(std::string("/") + refused) == noEntry, refused);
            QVERIFY2(anyProblemMentions(index, QStringLiteral("hardlink ") + QString::fromUtf8(refused)), qPrintable(problemsText(index)));
        }
        QCOMPARE(index.problems.size(), size_t(5)); // and loophole/passwd itself, below a symlink
        QVERIFY(anyProblemMentions(index, QStringLiteral("a directory")));
        const EntryId tosym = index.find("/tosym");
        QCOMPARE(index.entries[tosym].type, EntryType::Symlink);
        QCOMPARE(index.extra(tosym).symlinkTarget, std::string("f"));
        const EntryId todev = index.find("/todev");
        QCOMPARE(index.entries[todev].type, EntryType::Char);
        QCOMPARE(index.extra(todev).rdev, makedev(1, 5));
        ContentReader reader;
        for (const char *path : {"/abs", "/rerooted"}) {
            QCOMPARE(index.entries[index.find(path)].type, EntryType::File);
            QCOMPARE(*reader.head(index, index.find(path), 100), QByteArray("data"));
        }
        QCOMPARE(index.entries[index.find("/f")].nlink, 3u);
        QVERIFY(!reader.head(index, tosym, 100));
    }

    // Hostile item 4 (CVE-2021-29136): a member for the root itself that is not a directory is
    // refused; the root stays a directory and the rest of the layer is there. A "." directory
    // member gives the root its metadata.
    void rootEntries()
    {
        const LayerIndex index = indexOrFail(writeTar({{".", '2', {}, 0777, 0, 0, "/etc"},
                                                       {"/", '2', {}, 0777, 0, 0, "../.."},
                                                       {"./", '5', {}, 0700},
                                                       {"a", '0', "a"},
                                                       {".", '1', {}, 0, 0, 0, "a"},
                                                       {"./.", '0', "root as a file"}}),
                                             QStringLiteral("root.tar"));
        QCOMPARE(index.entries[0].type, EntryType::Dir);
        QCOMPARE(index.entries[0].mode, uint32_t(S_IFDIR | 0700));
        QVERIFY(index.find("/a") != noEntry);
        QCOMPARE(index.problems.size(), size_t(4));
        for (const Error &p : index.problems) {
            QCOMPARE(p.code, ErrorCode::Corrupt);
            QVERIFY2(p.message().contains(QStringLiteral("root")), qPrintable(p.message()));
        }
        const QStringList merged = mergedPaths({index});
        QCOMPARE(merged, QStringList{QStringLiteral("/a file @0")});
    }

    // Hostile item 5: ".wh.", ".wh.." and ".wh..." name no entry (Docker's RemoveAll of the
    // directory itself or its parent): problems, and nothing is hidden. Same-layer whiteouts and
    // an opaque marker after its siblings: ociWhiteouts above.
    void whiteoutEdgeNames()
    {
        const LayerIndex lower = indexOrFail(writeTar({{"d/x", '0', "x"}, {"y", '0', "y"}}), QStringLiteral("lower.tar"));
        const LayerIndex upper = indexOrFail(writeTar({{"d/", '5'},
                                                       {"d/keep", '0', "k"},
                                                       {"d/.wh.", '0', {}},
                                                       {"d/.wh..", '0', {}},
                                                       {"d/.wh...", '0', {}},
                                                       {".wh.", '0', {}},
                                                       {".wh..", '0', {}},
                                                       {".wh...", '0', {}}}),
                                             QStringLiteral("edges.tar"));
        QCOMPARE(upper.problems.size(), size_t(6));
        for (const Error &p : upper.problems)
            QVERIFY2(p.message().contains(QStringLiteral(".wh.")) && p.message().contains(QStringLiteral("edges.tar")), qPrintable(p.message()));
        QCOMPARE(upper.entries[upper.find("/d")].type, EntryType::Dir);
        QVERIFY(!rules::isOpaqueDir(upper.entries[upper.find("/d")]));
        QCOMPARE(upper.entries[0].type, EntryType::Dir);
        const QStringList merged = mergedPaths({lower, upper});
        const QStringList expected{QStringLiteral("/d dir @1"), QStringLiteral("/d/keep file @1"), QStringLiteral("/d/x file @0"), QStringLiteral("/y file @0")};
        QCOMPARE(merged, expected);
    }

    // Hostile item 6: long names. A path over 4096 bytes (PAX) is a problem naming its start;
    // a GNU long-name or PAX header over 1 MiB, or one whose records lie about their length, is an
    // error naming the blob, read in bounded memory and time.
    void longNames()
    {
        const std::string longPath = "dir/" + std::string(5000, 'n');
        const LayerIndex index = indexOrFail(writeTar({{longPath, '0', "x"}, {"dir/" + std::string(4000, 'm'), '0', "fits"}, {"ok", '0', "ok"}}), QStringLiteral("long.tar"));
        QCOMPARE(index.problems.size(), size_t(1));
        QCOMPARE(index.problems[0].code, ErrorCode::LimitExceeded);
        QVERIFY2(index.problems[0].message().contains(QStringLiteral("dir/nnnn")) && index.problems[0].message().contains(QStringLiteral("4096")),
                 qPrintable(index.problems[0].message().left(400)));
        QVERIFY(index.problems[0].message().size() < 1000); // names the entry, does not print 5000 bytes
        QVERIFY(index.find("/ok") != noEntry);
        QVERIFY(index.find("/dir/" + std::string(4000, 'm')) != noEntry);

        // mustFail: libarchive refuses special headers over 1 MiB ("Special header too large").
        auto fails = [](const QByteArray &tar, const char *what, bool mustFail = false) {
            auto handle = tarHandle(tar, QStringLiteral("headers.tar"));
            QVERIFY(handle);
            const auto t0 = std::chrono::steady_clock::now();
            auto result = TarLayer::index(*handle);
            QVERIFY2(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5), what);
            QVERIFY2(!mustFail || !result, what);
            if (result) {
                // libarchive may skip a header it refuses; then no entry carries the huge name.
                for (const Entry &e : result->entries)
                    QVERIFY2(e.nameLength <= TarIndexOptions::maxPathBytes, what);
                QVERIFY2(!result->problems.empty() || result->entries.size() <= 2, what);
                return;
            }
            QVERIFY2(result.error().message().contains(QStringLiteral("headers.tar")), qPrintable(result.error().message()));
            QVERIFY2(result.error().code == ErrorCode::Corrupt || result.error().code == ErrorCode::LimitExceeded, qPrintable(result.error().message()));
        };
        // A GNU long name of 2 MiB.
        fails(rawMember("././@LongLink", 'L', QByteArray(2 << 20, 'g')) + rawMember("short", '0', "x") + tarEnd, "GNU long name 2 MiB", true);
        // A PAX header of 2 MiB: one path record.
        const QByteArray value = "path=" + QByteArray(2 << 20, 'p') + "\n";
        const QByteArray record = QByteArray::number(value.size() + 8) + ' ' + value;
        fails(rawMember("PaxHeaders/x", 'x', record) + rawMember("short", '0', "x") + tarEnd, "PAX header 2 MiB", true);
        // A PAX record whose length runs past its header (desynchronising the stream).
        fails(rawMember("PaxHeaders/x", 'x', "999 path=evil\n") + rawMember("short", '0', "x") + tarEnd, "PAX record length lies");
        // A GNU long name declaring 8 GiB with a few bytes behind it.
        fails(rawHeader("././@LongLink", 'L', uint64_t(8) << 30) + padded("abc") + tarEnd, "GNU long name declaring 8 GiB");
    }

    // Hostile item 7: a decompression bomb stops at min(100x the stored size, 64 GiB) (never
    // below 1 MiB), configurable; a zstd frame declaring a 2 GiB window is refused by the decoder.
    void decompressionBombs()
    {
        const QByteArray bomb = writeTar({{"zeros", '0', QByteArray(64 << 20, '\0')}, {"after", '0', "after"}}, "gzip");
        QVERIFY(bomb.size() < (64 << 20) / 100);
        auto handle = tarHandle(bomb, QStringLiteral("bomb.tar.gz"));
        QVERIFY(handle);
        auto refused = TarLayer::index(*handle);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::LimitExceeded);
        QVERIFY2(refused.error().message().contains(QStringLiteral("bomb.tar.gz")), qPrintable(refused.error().message()));
        // Raised: indexed, and a content read with the default limit stops at the cap.
        TarIndexOptions generous;
        generous.limits.maxRatio = 10000;
        auto indexed = TarLayer::index(*handle, generous);
        QVERIFY2(indexed, indexed ? "" : qPrintable(indexed.error().message()));
        QCOMPARE(indexed->entries[indexed->find("/zeros")].size, uint64_t(64 << 20));
        ContentReader reader;
        auto capped = reader.read(*indexed, indexed->find("/zeros"), [](const char *, size_t) { return true; });
        QVERIFY(!capped);
        QCOMPARE(capped.error().code, ErrorCode::LimitExceeded);
        // The environment raises it for every read.
        qputenv("STRATA_TAR_MAX_EXPANSION", "10000");
        auto uncapped = reader.read(*indexed, indexed->find("/after"), [](const char *, size_t) { return true; });
        auto fromEnv = TarLayer::index(*handle);
        qunsetenv("STRATA_TAR_MAX_EXPANSION");
        QVERIFY(uncapped);
        QCOMPARE(*uncapped, uint64_t(5));
        QVERIFY(fromEnv);
        // The absolute cap applies whatever the ratio.
        TarIndexOptions small;
        small.limits.maxRatio = 10000;
        small.limits.maxBytes = 8 << 20;
        auto absolute = TarLayer::index(*handle, small);
        QVERIFY(!absolute);
        QCOMPARE(absolute.error().code, ErrorCode::LimitExceeded);
        // A tiny honest layer compresses far better than 100x and still indexes (the 1 MiB floor).
        const QByteArray tiny = writeTar({{"empty", '0', {}}}, "gzip");
        QVERIFY(tiny.size() * 50 < 10240);
        QVERIFY(indexOrFail(tiny).find("/empty") != noEntry);

        // zstd: magic, a frame header with window log 31 (descriptor 0x00, window byte 21 << 3),
        // one raw last block of 512 bytes.
        QByteArray zstd("\x28\xb5\x2f\xfd\x00", 5);
        zstd.append(char(21 << 3));
        const uint32_t blockHeader = (512u << 3) | 1u;
        zstd.append(char(blockHeader & 0xff)).append(char((blockHeader >> 8) & 0xff)).append(char((blockHeader >> 16) & 0xff));
        zstd.append(rawHeader("f", '0', 0));
        auto wide = tarHandle(zstd, QStringLiteral("window.tar.zst"));
        QVERIFY(wide);
        QCOMPARE(wide->tar()->compression, Compression::Zstd);
        const long before = peakRssKiB();
        auto windowed = TarLayer::index(*wide);
        QVERIFY(!windowed);
        QVERIFY2(windowed.error().message().contains(QStringLiteral("window.tar.zst")), qPrintable(windowed.error().message()));
        QVERIFY(peakRssKiB() - before < 256 * 1024);
    }

    // Hostile item 10: device nodes, fifos and setuid files are listed with their metadata
    // (metadata() above) and never opened or materialised: a content read of a node is refused.
    void specialFilesNeverRead()
    {
        const LayerIndex index = indexOrFail(writeTar({{"dev/sda", '3', {}, 0660, 0, 6, {}, {}, 8, 0},
                                                       {"run/fifo", '6', {}, 0600},
                                                       {"bin/su", '0', "SU", 04755}}),
                                             QStringLiteral("nodes.tar"));
        ContentReader reader;
        for (const char *node : {"/dev/sda", "/run/fifo"}) {
            auto read = reader.head(index, index.find(node), 10);
            QVERIFY2(!read, node);
            QCOMPARE(read.error().code, ErrorCode::Unsupported);
        }
        QCOMPARE(index.entries[index.find("/bin/su")].mode, uint32_t(S_IFREG | 04755));
        QCOMPARE(*reader.head(index, index.find("/bin/su"), 10), QByteArray("SU"));
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
        // 1M bare headers compress about 100x: the expansion cap is raised, this is about entries.
        TarIndexOptions uncapped;
        uncapped.limits.maxRatio = 10000;
        auto full = TarLayer::index(*handle, uncapped);
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
