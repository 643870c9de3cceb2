// SPDX-License-Identifier: GPL-3.0-or-later
// oci: and docker-archive: sources against peer tools: images built with umoci (its own whiteouts
// plus a hand-written layer with the spec's harder orders) and converted by skopeo; Strata's merged
// view must equal umoci's unpacked rootfs entry for entry (type, mode, owner, size, link target,
// content hash). Then hostile layouts and archives, read-only access, and strata-cli on both.
#include "contentreader.h"
#include "digest.h"
#include "helperclient.h"
#include "layercache.h"
#include "mountplan.h"
#include "ocilayout.h"
#include "overlaystack.h"
#include "tartestutil.h"
#include "testutil.h"
#include "treedescription.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <map>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
namespace fs = std::filesystem;

namespace {

bool runTool(const QString &program, const QStringList &args, QByteArray *output = nullptr)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("%s %s failed: %s", qPrintable(program), qPrintable(args.join(u' ')), p.readAllStandardError().constData());
        return false;
    }
    if (output)
        *output = p.readAllStandardOutput();
    return true;
}

// Every file under `dir` with its bytes' hash and mtime: what "read-only" must leave unchanged.
std::map<QString, QByteArray> snapshot(const QString &dir)
{
    std::map<QString, QByteArray> out;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        out[path] = fileSha256(QFile::encodeName(path).toStdString()) + ' ' + QByteArray::number(info.lastModified().toMSecsSinceEpoch());
    }
    return out;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

// Adds `data` as a blob of the layout; returns its digest.
QString addBlob(const QString &layout, const QByteArray &data)
{
    const std::string digest = sha256Digest(data);
    writeFile(layout + u'/' + QString::fromStdString(blobPath(digest)), data);
    return QString::fromStdString(digest);
}

QString manifestDigest(const QString &layout, const QString &ref)
{
    for (const QJsonValue &m : readJson(layout + QStringLiteral("/index.json")).value(u"manifests").toArray()) {
        if (m.toObject().value(u"annotations").toObject().value(u"org.opencontainers.image.ref.name").toString() == ref)
            return m.toObject().value(u"digest").toString();
    }
    return {};
}

// `check(cache, asRoot)` into a cache under `work`: as root, then as nobody in a child (its
// own cache dir, owned by nobody). Empty when both passed, else the first problem.
QString asRootAndAsNobody(const QTemporaryDir &work, const std::function<QString(const QString &, bool)> &check)
{
    if (const QString asRoot = check(work.filePath(QStringLiteral("cache-root")), true); !asRoot.isEmpty())
        return QStringLiteral("as root: ") + asRoot;
    const QString nobodysCache = work.filePath(QStringLiteral("nobody"));
    if (!QDir().mkpath(nobodysCache) || ::chown(QFile::encodeName(nobodysCache).constData(), 65534, 65534) != 0)
        return QStringLiteral("cannot make %1 nobody's").arg(nobodysCache);
    const auto [code, why] = runInChild([&](QByteArray &report) {
        report = "cannot drop to nobody";
        if (::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0)
            report = check(nobodysCache + QStringLiteral("/cache"), false).toUtf8();
        return report.isEmpty() ? 0 : 1;
    });
    return code == 0 ? QString() : QStringLiteral("as nobody: ") + QString::fromUtf8(why);
}

} // namespace

class ImageSourcesTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_fixtures;
    std::map<QString, std::vector<std::string>> m_umoci; // tag → umoci's rootfs
    std::map<QString, QByteArray> m_before;

    QString fixture(const QString &name) const { return m_fixtures + u'/' + name; }
    // A private copy of the layout to break.
    QString copyLayout(const QString &name)
    {
        const QString to = m_dir.path() + u'/' + name;
        runTool(QStringLiteral("cp"), {QStringLiteral("-a"), fixture(QStringLiteral("oci")), to});
        return to;
    }
    Expected<OverlayStack> load(const QString &source) { return OverlayStack::open(source, m_fixtures); }

    struct Run {
        int code = -1;
        QByteArray out, err;
    };
    Run cli(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_fixtures);
        p.start(qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli"), args);
        if (!p.waitForFinished(120000))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool : {"umoci", "skopeo", "python3", "zstd"}) {
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed (the toolbox has it)").arg(QString::fromLatin1(tool))));
        }
        if (::geteuid() != 0)
            QSKIP("umoci needs root to keep owners (scripts/test runs as root in the toolbox)");
        // The layer cache of mounted images: private to this run.
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_dir.path() + QStringLiteral("/cache")));
        m_fixtures = m_dir.path() + QStringLiteral("/fixtures");
        QVERIFY(QDir().mkpath(m_fixtures));
        const auto t0 = std::chrono::steady_clock::now();
        QVERIFY(runTool(QStringLiteral("python3"), {qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/tests/make_image_fixtures.py"), m_fixtures}));
        // umoci unpacks from a copy: the fixtures stay as Strata must leave them.
        const QString scratch = copyLayout(QStringLiteral("umoci-scratch"));
        for (const QString &tag : {QStringLiteral("v1"), QStringLiteral("v2"), QStringLiteral("v3")}) {
            const QString bundle = m_dir.path() + QStringLiteral("/bundle-") + tag;
            QVERIFY(runTool(QStringLiteral("umoci"), {QStringLiteral("unpack"), QStringLiteral("--image"), scratch + u':' + tag, bundle}));
            m_umoci[tag] = describeTree(QFile::encodeName(bundle + QStringLiteral("/rootfs")).toStdString());
        }
        qInfo("fixtures and umoci unpacks: %.1f s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        m_before = snapshot(m_fixtures);
    }

    void cleanupTestCase()
    {
        // Read-only: nothing Strata did changed a byte or an mtime of the layout and archives.
        if (!m_before.empty())
            QVERIFY(snapshot(m_fixtures) == m_before);
        // QDir cannot remove a name that is not UTF-8 (the fixtures have one).
        runTool(QStringLiteral("rm"), {QStringLiteral("-rf"), m_dir.path()});
    }

    void mergedViewEqualsUmoci_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("peer");
        QTest::newRow("oci v1") << QStringLiteral("oci:oci:v1") << QStringLiteral("v1");
        QTest::newRow("oci v2 (umoci whiteouts)") << QStringLiteral("oci:oci:v2") << QStringLiteral("v2");
        QTest::newRow("oci v3 (opaque, same-layer whiteout)") << QStringLiteral("oci:oci:v3") << QStringLiteral("v3");
        QTest::newRow("oci v4 (tar, gzip, zstd)") << QStringLiteral("oci:oci:v4") << QStringLiteral("v3");
        QTest::newRow("docker-archive skopeo") << QStringLiteral("docker-archive:legacy.tar") << QStringLiteral("v3");
        QTest::newRow("docker-archive skopeo named") << QStringLiteral("docker-archive:legacy.tar:strata/test:v3") << QStringLiteral("v3");
        QTest::newRow("docker-archive docker 25") << QStringLiteral("docker-archive:docker25.tar") << QStringLiteral("v3");
        QTest::newRow("docker-archive oci only") << QStringLiteral("docker-archive:oci-only.tar") << QStringLiteral("v3");
        QTest::newRow("docker-archive null manifests") << QStringLiteral("docker-archive:null-manifests.tar:docker.io/strata/test:v3") << QStringLiteral("v3");
    }

    void mergedViewEqualsUmoci()
    {
        QFETCH(QString, source);
        QFETCH(QString, peer);
        auto stack = load(source);
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        for (const LayerIndex &layer : stack->layers)
            QVERIFY2(layer.problems.empty(), layer.problems.empty() ? "" : qPrintable(layer.problems.front().message()));
        const auto ours = describeMerged(*stack);
        const auto &theirs = m_umoci[peer];
        QVERIFY(theirs.size() > 15);
        QVERIFY2(ours == theirs, qPrintable(difference(ours, theirs)));
    }

    void layerDescriptions()
    {
        auto stack = load(QStringLiteral("oci:oci:v3"));
        QVERIFY(stack);
        QCOMPARE(stack->config.layers.size(), size_t(3));
        QCOMPARE(stack->config.layers[0].createdBy, QStringLiteral("layer one: files"));
        QCOMPARE(stack->config.layers[1].createdBy, QStringLiteral("layer two: deletions"));
        QCOMPARE(stack->config.layers[2].createdBy, QStringLiteral("layer three: by hand"));
        QVERIFY(stack->config.layers[0].digest.startsWith(QStringLiteral("sha256:")));
        QVERIFY(stack->config.layers[0].path.contains(QStringLiteral("/blobs/sha256/")));
        // The deletions of layer 2 are whiteouts there, and the diff says so.
        const LayerIndex &two = stack->layers[1];
        QVERIFY(two.find("/etc/a.conf") != noEntry && two.entries[two.find("/etc/a.conf")].has(FlagWhiteout));
    }

    void pickingImages()
    {
        // Several tags, no REF: refused, listing them.
        auto none = load(QStringLiteral("oci:oci"));
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::InvalidSource);
        QVERIFY2(none.error().message().contains(QStringLiteral("v1")) && none.error().message().contains(QStringLiteral("v4")), qPrintable(none.error().message()));
        auto unknown = load(QStringLiteral("oci:oci:nope"));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QVERIFY(unknown.error().message().contains(QStringLiteral("v2")));
        // A manifest digest as REF.
        const QString v2 = manifestDigest(fixture(QStringLiteral("oci")), QStringLiteral("v2"));
        auto byDigest = load(QStringLiteral("oci:oci:") + v2);
        QVERIFY2(byDigest, byDigest ? "" : qPrintable(byDigest.error().message()));
        QVERIFY2(describeMerged(*byDigest) == m_umoci[QStringLiteral("v2")], qPrintable(difference(describeMerged(*byDigest), m_umoci[QStringLiteral("v2")])));
        // An image without layers is a clear error, not an empty crash.
        auto base = load(QStringLiteral("oci:oci:base"));
        QVERIFY(!base);
        QVERIFY(base.error().message().contains(QStringLiteral("no layers")));
    }

    void multiPlatformIndex()
    {
        const QString layout = copyLayout(QStringLiteral("multi"));
        const QString v3 = manifestDigest(layout, QStringLiteral("v3")), v1 = manifestDigest(layout, QStringLiteral("v1"));
        auto platformIndex = [&](const QString &amd64Arch) {
            return QJsonDocument::fromJson(QStringLiteral(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%1","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%2","size":1,"platform":{"os":"linux","architecture":"%3"}}]})")
                                                  .arg(v1, v3, amd64Arch)
                                                  .toUtf8())
                .toJson(QJsonDocument::Compact);
        };
        auto top = [&](const QString &nested) {
            return QStringLiteral(R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%1","size":1,
                "annotations":{"org.opencontainers.image.ref.name":"multi"}}]})")
                .arg(nested)
                .toUtf8();
        };
        writeFile(layout + QStringLiteral("/index.json"), top(addBlob(layout, platformIndex(QStringLiteral("amd64")))));
        auto picked = OverlayStack::open(QStringLiteral("oci:") + layout, m_dir.path());
        QVERIFY2(picked, picked ? "" : qPrintable(picked.error().message()));
        QVERIFY2(describeMerged(*picked) == m_umoci[QStringLiteral("v3")], qPrintable(difference(describeMerged(*picked), m_umoci[QStringLiteral("v3")]))); // linux/amd64 is v3
        auto named = OverlayStack::open(QStringLiteral("oci:") + layout + QStringLiteral(":multi"), m_dir.path());
        QVERIFY(named);
        // --platform: another platform's image of the same index (linux/arm64/v8 is v1).
        setImagePlatform(QStringLiteral("linux/arm64/v8"));
        auto arm = OverlayStack::open(QStringLiteral("oci:") + layout, m_dir.path());
        setImagePlatform({});
        QVERIFY2(arm, arm ? "" : qPrintable(arm.error().message()));
        QVERIFY2(describeMerged(*arm) == m_umoci[QStringLiteral("v1")], qPrintable(difference(describeMerged(*arm), m_umoci[QStringLiteral("v1")])));
        QCOMPARE(imagePlatform(), hostPlatform());
        // No entry for this host: the error lists what there is.
        writeFile(layout + QStringLiteral("/index.json"), top(addBlob(layout, platformIndex(QStringLiteral("s390x")))));
        auto foreign = OverlayStack::open(QStringLiteral("oci:") + layout, m_dir.path());
        QVERIFY(!foreign);
        QVERIFY2(foreign.error().message().contains(QStringLiteral("linux/arm64/v8")) && foreign.error().message().contains(QStringLiteral("linux/s390x")),
                 qPrintable(foreign.error().message()));
        // Indexes nested deeper than 8: refused.
        QString nested = v3;
        QString type = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
        for (int depth = 0; depth < 12; ++depth) {
            nested = addBlob(layout, QStringLiteral(R"({"schemaVersion":2,"manifests":[{"mediaType":"%1","digest":"%2","size":1}]})").arg(type, nested).toUtf8());
            type = QStringLiteral("application/vnd.oci.image.index.v1+json");
        }
        writeFile(layout + QStringLiteral("/index.json"), top(nested));
        auto deep = OverlayStack::open(QStringLiteral("oci:") + layout, m_dir.path());
        QVERIFY(!deep);
        QCOMPARE(deep.error().code, ErrorCode::Corrupt);
        QVERIFY2(deep.error().message().contains(QStringLiteral("deep")), qPrintable(deep.error().message()));
    }

    void hostileLayouts_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("symlinked blob escaping") << QStringLiteral("escape") << int(ErrorCode::Corrupt) << QStringLiteral("out of the image layout");
        QTest::newRow("missing blob") << QStringLiteral("missing") << int(ErrorCode::NotFound) << QStringLiteral("blobs/sha256/");
        QTest::newRow("index manifests not an array") << QStringLiteral("index-type") << int(ErrorCode::Corrupt) << QStringLiteral("index.json");
        QTest::newRow("manifest layers not an array") << QStringLiteral("layers-type") << int(ErrorCode::Corrupt) << QStringLiteral("\"layers\"");
        QTest::newRow("config diff_ids wrong") << QStringLiteral("diffids-type") << int(ErrorCode::Corrupt) << QStringLiteral("diff_ids");
        QTest::newRow("manifest digest mismatch") << QStringLiteral("manifest-digest") << int(ErrorCode::Corrupt) << QStringLiteral("sha256");
        QTest::newRow("truncated JSON") << QStringLiteral("truncated-json") << int(ErrorCode::Corrupt) << QStringLiteral("not valid JSON");
        QTest::newRow("layout version 2") << QStringLiteral("version") << int(ErrorCode::Unsupported) << QStringLiteral("oci-layout");
        QTest::newRow("huge index.json") << QStringLiteral("huge-json") << int(ErrorCode::LimitExceeded) << QStringLiteral("index.json");
        QTest::newRow("digest with a path in it") << QStringLiteral("digest-path") << int(ErrorCode::Corrupt) << QStringLiteral("digest");
        // CVE-2021-41190: a document is what its descriptor says, or nothing.
        QTest::newRow("manifest mediaType disagrees with its descriptor") << QStringLiteral("mediatype-content") << int(ErrorCode::Corrupt) << QStringLiteral("CVE-2021-41190");
        QTest::newRow("descriptor calls a manifest an index") << QStringLiteral("mediatype-descriptor") << int(ErrorCode::Corrupt) << QStringLiteral("CVE-2021-41190");
        QTest::newRow("untyped manifest read as an index") << QStringLiteral("mediatype-untyped") << int(ErrorCode::Corrupt) << QStringLiteral("\"layers\" or \"config\"");
    }

    void hostileLayouts()
    {
        QFETCH(QString, breakage);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const QString layout = copyLayout(QStringLiteral("hostile-") + breakage);
        const QString manifest = layout + u'/' + QString::fromStdString(blobPath(manifestDigest(layout, QStringLiteral("v3")).toStdString()));
        const QJsonObject m = readJson(manifest);
        const QString layer0 = layout + u'/' + QString::fromStdString(blobPath(m.value(u"layers").toArray().at(0).toObject().value(u"digest").toString().toStdString()));
        const QString config = layout + u'/' + QString::fromStdString(blobPath(m.value(u"config").toObject().value(u"digest").toString().toStdString()));
        const QString outside = m_dir.path() + QStringLiteral("/outside.tar");
        if (breakage == u"escape") {
            QVERIFY(QFile::copy(layer0, outside));
            QVERIFY(QFile::remove(layer0));
            QVERIFY(QFile::link(outside, layer0));
        } else if (breakage == u"missing") {
            QVERIFY(QFile::remove(layer0));
        } else if (breakage == u"index-type") {
            writeFile(layout + QStringLiteral("/index.json"), R"({"schemaVersion":2,"manifests":"v3"})");
        } else if (breakage == u"layers-type" || breakage == u"diffids-type") {
            // Rewritten with a matching digest, so only the type is wrong.
            QJsonObject broken = breakage == u"layers-type" ? m : readJson(config);
            if (breakage == u"layers-type") {
                broken[QStringLiteral("layers")] = 5;
            } else {
                QJsonObject rootfs = broken.value(u"rootfs").toObject();
                rootfs[QStringLiteral("diff_ids")] = QStringLiteral("sha256:nope");
                broken[QStringLiteral("rootfs")] = rootfs;
            }
            const QString digest = addBlob(layout, QJsonDocument(broken).toJson());
            QJsonObject fixed = m;
            if (breakage == u"diffids-type") {
                QJsonObject c = fixed.value(u"config").toObject();
                c[QStringLiteral("digest")] = digest;
                fixed[QStringLiteral("config")] = c;
            }
            const QString manifestDigest = breakage == u"layers-type" ? digest : addBlob(layout, QJsonDocument(fixed).toJson());
            writeFile(layout + QStringLiteral("/index.json"),
                      QStringLiteral(R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%1","size":1,"annotations":{"org.opencontainers.image.ref.name":"v3"}}]})")
                          .arg(manifestDigest)
                          .toUtf8());
        } else if (breakage == u"manifest-digest") {
            QFile::remove(manifest);
            writeFile(manifest, QJsonDocument(m).toJson() + "\n");
        } else if (breakage == u"truncated-json") {
            writeFile(layout + QStringLiteral("/index.json"), R"({"schemaVersion":2,"manifests":[{"mediaType")");
        } else if (breakage == u"version") {
            writeFile(layout + QStringLiteral("/oci-layout"), R"({"imageLayoutVersion":"2.0.0"})");
        } else if (breakage == u"huge-json") {
            writeFile(layout + QStringLiteral("/index.json"), "{\"x\":\"" + QByteArray(20 << 20, 'a') + "\"}");
        } else if (breakage == u"mediatype-content" || breakage == u"mediatype-descriptor" || breakage == u"mediatype-untyped") {
            QJsonObject changed = m;
            if (breakage == u"mediatype-content")
                changed[QStringLiteral("mediaType")] = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
            if (breakage == u"mediatype-untyped")
                changed.remove(QStringLiteral("mediaType"));
            const QString digest = addBlob(layout, QJsonDocument(changed).toJson());
            const QString declared = breakage == u"mediatype-content" ? QStringLiteral("application/vnd.oci.image.manifest.v1+json") : QStringLiteral("application/vnd.oci.image.index.v1+json");
            writeFile(layout + QStringLiteral("/index.json"),
                      QStringLiteral(R"({"schemaVersion":2,"manifests":[{"mediaType":"%1","digest":"%2","size":1,"annotations":{"org.opencontainers.image.ref.name":"v3"}}]})")
                          .arg(declared, digest)
                          .toUtf8());
        } else if (breakage == u"digest-path") {
            writeFile(layout + QStringLiteral("/index.json"),
                      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../etc/passwd","size":1,"annotations":{"org.opencontainers.image.ref.name":"v3"}}]})");
        }
        auto stack = OverlayStack::open(QStringLiteral("oci:") + layout + QStringLiteral(":v3"), m_dir.path());
        QVERIFY2(!stack, qPrintable(breakage));
        QCOMPARE(int(stack.error().code), code);
        QVERIFY2(stack.error().message().contains(mentions), qPrintable(stack.error().message()));
    }

    // A changed byte inside a layer that still parses: loaded, with the mismatch on that layer.
    void layerDigestMismatch()
    {
        const QString layout = copyLayout(QStringLiteral("tampered"));
        const QJsonObject m = readJson(layout + u'/' + QString::fromStdString(blobPath(manifestDigest(layout, QStringLiteral("v4")).toStdString())));
        const QString digest = m.value(u"layers").toArray().at(0).toObject().value(u"digest").toString(); // the plain tar
        const QString blob = layout + u'/' + QString::fromStdString(blobPath(digest.toStdString()));
        QFile f(blob);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.indexOf("alpha\n");
        QVERIFY(at > 0);
        bytes[at] = 'A';
        f.seek(0);
        f.write(bytes);
        f.close();
        auto stack = OverlayStack::open(QStringLiteral("oci:") + layout + QStringLiteral(":v4"), m_dir.path());
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        const auto &problems = stack->layers[0].problems;
        QCOMPARE(problems.size(), size_t(2)); // the blob digest and the diff_id
        for (const Error &p : problems) {
            QCOMPARE(p.code, ErrorCode::Corrupt);
            QVERIFY2(p.message().contains(digest.mid(7, 12)), qPrintable(p.message()));
        }
        QVERIFY(stack->layers[1].problems.empty() && stack->layers[2].problems.empty());
    }

    void hostileArchives()
    {
        // Compressed: refused with the reason, not unpacked somewhere.
        const QString gz = m_dir.path() + QStringLiteral("/legacy.tar.gz");
        QVERIFY(runTool(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("gzip -c '%1' > '%2'").arg(fixture(QStringLiteral("legacy.tar")), gz)}));
        auto compressed = OverlayStack::open(QStringLiteral("docker-archive:") + gz, m_dir.path());
        QVERIFY(!compressed);
        QCOMPARE(compressed.error().code, ErrorCode::Unsupported);
        // Truncated: the error names the archive.
        QFile whole(fixture(QStringLiteral("docker25.tar")));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        writeFile(m_dir.path() + QStringLiteral("/cut.tar"), whole.read(whole.size() / 2));
        auto cut = OverlayStack::open(QStringLiteral("docker-archive:cut.tar"), m_dir.path());
        QVERIFY(!cut);
        QVERIFY2(cut.error().message().contains(QStringLiteral("cut.tar")), qPrintable(cut.error().message()));
        // A layer path climbing out of the archive.
        const QString evil = m_dir.path() + QStringLiteral("/evil");
        QDir().mkpath(evil);
        writeFile(evil + QStringLiteral("/manifest.json"), R"([{"Config":"c.json","RepoTags":["a:b"],"Layers":["../../../etc/passwd"]}])");
        QVERIFY(runTool(QStringLiteral("tar"), {QStringLiteral("-C"), evil, QStringLiteral("-cf"), m_dir.path() + QStringLiteral("/evil.tar"), QStringLiteral("manifest.json")}));
        auto climbing = OverlayStack::open(QStringLiteral("docker-archive:evil.tar"), m_dir.path());
        QVERIFY(!climbing);
        QVERIFY2(climbing.error().message().contains(QStringLiteral("manifest.json")), qPrintable(climbing.error().message()));
        // Unknown tag: the error lists the tags.
        auto wrongTag = load(QStringLiteral("docker-archive:legacy.tar:strata/test:v9"));
        QVERIFY(!wrongTag);
        QVERIFY(wrongTag.error().message().contains(QStringLiteral("strata/test:v3")));
    }

    // Mounted for real: each tar layer extracted once into the layer cache, the kernel's merged
    // mount equals umoci's rootfs (fifos and device nodes aside: the cache creates none) and the
    // engine's view of the mounted stack (verify: zero mismatches); planning again reuses every
    // cache entry (same inodes), and strata-cli verify says the same.
    void mountedImageEqualsUmoci_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("peer");
        QTest::newRow("oci v3") << QStringLiteral("oci:oci:v3") << QStringLiteral("v3");
        QTest::newRow("oci v4 (tar, gzip, zstd)") << QStringLiteral("oci:oci:v4") << QStringLiteral("v3");
        QTest::newRow("docker-archive skopeo") << QStringLiteral("docker-archive:legacy.tar") << QStringLiteral("v3");
        QTest::newRow("docker-archive docker 25") << QStringLiteral("docker-archive:docker25.tar") << QStringLiteral("v3");
        QTest::newRow("oci v1 (fifo)") << QStringLiteral("oci:oci:v1") << QStringLiteral("v1");
    }

    void mountedImageEqualsUmoci()
    {
        QFETCH(QString, source);
        QFETCH(QString, peer);
        auto plan = planMount(source, m_fixtures, UpperChoice::AsSource);
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message()));
        QVERIFY2(plan->source.contains(QStringLiteral("userxattr")) && plan->source.contains(layerCacheDir()), qPrintable(plan->source));
        auto config = OverlayConfig::parse(plan->source.mid(8), QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
        QVERIFY(config);
        std::vector<ino_t> inodes;
        for (const LayerSpec &layer : config->layers) {
            struct stat st{};
            QVERIFY(::stat(QFile::encodeName(layer.path).constData(), &st) == 0 && S_ISDIR(st.st_mode));
            inodes.push_back(st.st_ino);
        }
        HelperClient client(HelperClient::Options{qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-helper"), HelperMode::Direct, 60000});
        QVERIFY(!client.start());
        auto mounted = client.call(QStringLiteral("mount"), QJsonObject{{QStringLiteral("source"), plan->source}});
        QVERIFY2(mounted, mounted ? "" : qPrintable(mounted.error().message()));
        const std::string merged = QStringLiteral("/proc/%1/root%2").arg(client.pid()).arg(mounted->value(QStringLiteral("merged")).toString()).toStdString();
        std::vector<std::string> theirs;
        size_t special = 0;
        for (const std::string &e : m_umoci[peer]) {
            const bool skipped = e.find(" fifo ") != std::string::npos || e.find(" char ") != std::string::npos || e.find(" block ") != std::string::npos;
            special += skipped;
            if (!skipped)
                theirs.push_back(e);
        }
        if (peer == u"v1")
            QVERIFY(special > 0); // the fixture's fifo
        const auto ours = describeTree(merged);
        QVERIFY(ours.size() > 15);
        QVERIFY2(ours == theirs, qPrintable(difference(ours, theirs)));
        auto verified = client.call(QStringLiteral("verify"), QJsonObject{{QStringLiteral("mount"), mounted->value(QStringLiteral("mount"))}}, {}, 120000);
        QVERIFY2(verified, verified ? "" : qPrintable(verified.error().message()));
        QCOMPARE(verified->value(QStringLiteral("mismatchCount")).toInt(), 0);
        QVERIFY(verified->value(QStringLiteral("entries")).toInt() > 15);
        client.stop();

        auto again = planMount(source, m_fixtures, UpperChoice::AsSource);
        QVERIFY(again);
        QCOMPARE(again->source, plan->source);
        for (size_t i = 0; i < config->layers.size(); ++i) {
            struct stat st{};
            QVERIFY(::stat(QFile::encodeName(config->layers[i].path).constData(), &st) == 0);
            QCOMPARE(st.st_ino, inodes[i]);
        }
        const Run verify = cli({QStringLiteral("verify"), source});
        QVERIFY2(verify.code == 0 && verify.out.contains("\"mismatches\":0"), QByteArray(verify.out + verify.err).constData());
    }

    // A hostile layer: absolute names, "..", a symlink and then a file through it, device nodes, a
    // fifo, hardlinks out of the layer. Nothing is written outside its cache entry, the rest is
    // extracted (whiteout as 0/0, opaque dir as user.overlay.opaque), and a wrong diff_id leaves
    // no entry and no temporary dir. As nobody too: whiteouts still 0/0, setuid bits dropped.
    void hostileLayerStaysInItsCacheEntry()
    {
        QTemporaryDir work;
        QVERIFY(::chmod(QFile::encodeName(work.path()).constData(), 0755) == 0);
        const QString outside = work.filePath(QStringLiteral("outside"));
        QVERIFY(QDir().mkpath(outside));
        const std::string out = QFile::encodeName(outside).toStdString();
        std::vector<TarMember> members{
            {"/abs-file", '0', "absolute\n"},
            {"../escape", '0', "x"},
            {"a/../../escape2", '0', "x"},
            {"link", '2', {}, 0777, 0, 0, out},
            {"link/pwned", '0', "pwned"},
            {"rootlink", '2', {}, 0777, 0, 0, "/"},
            {"rootlink" + out + "/pwned2", '0', "pwned"},
            {"dev", '3', {}, 0666, 0, 0, {}, {}, 1, 3},
            {"fifo", '6', {}, 0644},
            {"hl", '1', {}, 0644, 0, 0, "/etc/passwd"},
            {"hl2", '1', {}, 0644, 0, 0, "../outside/x"},
            {"setuid", '0', "s", 04755},
            {"dir/", '5', {}, 0755},
            {"dir/.wh..wh..opq", '0'},
            {"dir/f", '0', "f"},
            {".wh.gone", '0'},
            {"same", '0', "same"},
            {"same-link", '1', {}, 0644, 0, 0, "same"},
        };
        const QByteArray tar = writeTar(members);
        auto extractAndCheck = [&](const QString &cache, bool asRoot) -> QString {
            auto handle = tarHandle(tar, QStringLiteral("hostile.tar"), {}, sha256Of(tar));
            if (!handle)
                return handle.error().message();
            auto cached = materializeLayer(*handle, cache);
            if (!cached)
                return cached.error().message();
            if (cached->skipped != 2)
                return QStringLiteral("skipped %1, not the device and the fifo").arg(cached->skipped);
            if (!QDir(outside).isEmpty())
                return QStringLiteral("something was written outside");
            const QStringList entries = QDir(cache).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
            if (entries != QStringList{QStringLiteral("sha256-") + QString::fromStdString(sha256Of(tar).substr(7))})
                return QStringLiteral("cache holds %1").arg(entries.join(u' '));
            const std::string root = QFile::encodeName(cached->path).toStdString();
            std::vector<std::string> tree = describeTree(root);
            QStringList names;
            for (const std::string &e : tree)
                names << QString::fromStdString(e.substr(0, e.find(' ')));
            const QStringList want{QStringLiteral("/abs-file"), QStringLiteral("/dir"),       QStringLiteral("/dir/f"),    QStringLiteral("/gone"), QStringLiteral("/link"),
                                   QStringLiteral("/rootlink"), QStringLiteral("/same"),     QStringLiteral("/same-link"), QStringLiteral("/setuid")};
            if (names != want)
                return QStringLiteral("extracted %1").arg(names.join(u' '));
            struct stat st{}, st2{};
            if (::lstat((root + "/gone").c_str(), &st) != 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(0, 0))
                return QStringLiteral("gone is no 0/0 whiteout");
            char value[4] = {};
            if (::getxattr((root + "/dir").c_str(), "user.overlay.opaque", value, sizeof value) != 1 || value[0] != 'y')
                return QStringLiteral("dir is not opaque");
            if (::lstat((root + "/same").c_str(), &st) != 0 || ::lstat((root + "/same-link").c_str(), &st2) != 0 || st.st_ino != st2.st_ino)
                return QStringLiteral("same-link is no hardlink of same");
            if (::lstat((root + "/setuid").c_str(), &st) != 0 || (st.st_mode & 07777) != (asRoot ? 04755u : 0755u))
                return QStringLiteral("setuid has mode %1").arg(st.st_mode & 07777, 0, 8);
            // A wrong diff_id: no entry, no temporary dir left.
            const QByteArray other = writeTar({{"x", '0', "x"}});
            auto wrong = tarHandle(other, QStringLiteral("wrong.tar"), {}, sha256Of("not this"));
            auto refused = materializeLayer(*wrong, cache + QStringLiteral("-wrong"));
            if (refused || refused.error().code != ErrorCode::Corrupt || !refused.error().message().contains(QStringLiteral("wrong.tar")))
                return QStringLiteral("a wrong diff_id was cached");
            if (!QDir(cache + QStringLiteral("-wrong")).isEmpty())
                return QStringLiteral("the refused layer left %1").arg(QDir(cache + QStringLiteral("-wrong")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).join(u' '));
            return {};
        };
        const QString problem = asRootAndAsNobody(work, extractAndCheck);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // A regular file's xattrs come back in the cache: user.* always, file capabilities as root (set
    // after the chown, which would drop them: the file belongs to uid 1000), on both names of a
    // hardlink. Overlay marks and other namespaces stay out — a userxattr mount would obey
    // user.overlay.opaque, which in an image layer is just a name.
    void fileXattrsSurviveTheCache()
    {
        QTemporaryDir work;
        QVERIFY(::chmod(QFile::encodeName(work.path()).constData(), 0755) == 0);
        // cap_net_raw (bit 13), effective: VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE, then
        // permitted/inheritable, low and high words, little-endian.
        const QByteArray capability = QByteArray::fromHex("01000002" "00200000" "00000000" "00000000" "00000000");
        const std::vector<TarMember> members{
            {"bin/", '5', {}, 0755},
            {"bin/ping", '0', "ping", 0755, 1000, 1000, {}, {{"security.capability", capability}, {"user.note", "hello"}}},
            {"bin/ping-too", '1', {}, 0755, 1000, 1000, "bin/ping"},
            {"sneaky", '0', "s", 0644, 0, 0, {}, {{"user.overlay.opaque", "y"}, {"user.overlay.redirect", "/x"}, {"trusted.strata", "t"}, {"user.kept", "k"}}},
        };
        const QByteArray tar = writeTar(members);
        auto check = [&](const QString &cache, bool asRoot) -> QString {
            auto handle = tarHandle(tar, QStringLiteral("xattrs.tar"), {}, sha256Of(tar));
            if (!handle)
                return handle.error().message();
            auto cached = materializeLayer(*handle, cache);
            if (!cached)
                return cached.error().message();
            const std::string root = QFile::encodeName(cached->path).toStdString();
            auto get = [](const std::string &path, const char *name) -> std::optional<QByteArray> {
                char value[256];
                const ssize_t n = ::lgetxattr(path.c_str(), name, value, sizeof value);
                return n < 0 ? std::nullopt : std::optional<QByteArray>(QByteArray(value, n));
            };
            for (const char *name : {"/bin/ping", "/bin/ping-too"}) {
                if (get(root + name, "user.note") != QByteArray("hello"))
                    return QStringLiteral("%1: user.note not restored").arg(QLatin1StringView(name));
                const auto caps = get(root + name, "security.capability");
                if (asRoot && caps != capability)
                    return QStringLiteral("%1: security.capability is %2").arg(QLatin1StringView(name), caps ? QString::fromLatin1(caps->toHex()) : QStringLiteral("absent"));
                if (!asRoot && caps)
                    return QStringLiteral("%1: nobody restored security.capability").arg(QLatin1StringView(name));
            }
            struct stat st{};
            if (::lstat((root + "/bin/ping").c_str(), &st) != 0 || (asRoot && st.st_uid != 1000) || (st.st_mode & 07777) != 0755)
                return QStringLiteral("bin/ping lost its owner or mode");
            if (get(root + "/sneaky", "user.kept") != QByteArray("k"))
                return QStringLiteral("sneaky: user.kept not restored");
            for (const char *name : {"user.overlay.opaque", "user.overlay.redirect", "trusted.strata"}) {
                if (get(root + "/sneaky", name))
                    return QStringLiteral("sneaky: %1 was restored").arg(QLatin1StringView(name));
            }
            const size_t skipped = asRoot ? 3 : 4; // the overlay marks and trusted.strata (nobody: and the capability)
            if (cached->xattrsSkipped != skipped)
                return QStringLiteral("%1 xattrs skipped, not %2").arg(cached->xattrsSkipped).arg(skipped);
            return {};
        };
        const QString problem = asRootAndAsNobody(work, check);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // strata-cli on both kinds: ls (with hashes) equals umoci's tree, layers shows created_by,
    // cat prints a file of a compressed layer, diff lists the deletions.
    void cli_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("oci") << QStringLiteral("oci:oci:v4");
        QTest::newRow("docker-archive") << QStringLiteral("docker-archive:docker25.tar:strata/test:v3");
        QTest::newRow("docker-archive legacy") << QStringLiteral("docker-archive:legacy.tar");
    }

    void cli()
    {
        QFETCH(QString, source);
        const Run ls = cli({QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--hash"), source});
        QVERIFY2(ls.code == 0, ls.err.constData());
        QVERIFY2(ls.err.isEmpty(), ls.err.constData());
        std::map<QByteArray, QByteArray> hashes;
        for (const QByteArray &line : ls.out.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            hashes[o.value(u"path").toString().toUtf8()] = o.value(u"sha256").toString().toUtf8();
        }
        QCOMPARE(hashes["/etc/b.conf"], QCryptographicHash::hash("bravo, layer three\n", QCryptographicHash::Sha256).toHex());
        QCOMPARE(hashes["/usr/bin/tool"], QCryptographicHash::hash("#!/bin/sh\necho v2\n", QCryptographicHash::Sha256).toHex());
        QVERIFY(hashes.count("/opq/fresh") && !hashes.count("/opq/old") && !hashes.count("/etc/a.conf") && !hashes.count("/data/keep/x"));

        const Run cat = cli({QStringLiteral("cat"), source, QStringLiteral("/usr/bin/tool")});
        QCOMPARE(cat.code, 0);
        QCOMPARE(cat.out, QByteArray("#!/bin/sh\necho v2\n"));
        const Run lower = cli({QStringLiteral("cat"), QStringLiteral("--layer"), QStringLiteral("0"), source, QStringLiteral("/usr/bin/tool2")});
        QCOMPARE(lower.code, 0);
        QCOMPARE(lower.out.size(), 256 * 300);
        const Run gone = cli({QStringLiteral("cat"), source, QStringLiteral("/etc/a.conf")});
        QVERIFY(gone.code != 0);

        const Run layers = cli({QStringLiteral("layers"), QStringLiteral("--json"), source});
        QCOMPARE(layers.code, 0);
        const QList<QByteArray> rows = layers.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(rows[1]).object().value(u"created_by").toString(), QStringLiteral("layer two: deletions"));

        const Run diff = cli({QStringLiteral("diff"), QStringLiteral("--json"), QStringLiteral("--layer"), QStringLiteral("1"), source});
        QCOMPARE(diff.code, 0);
        QVERIFY2(diff.out.contains(R"("path":"/etc/a.conf","change":"deleted")"), diff.out.constData());
        QVERIFY(diff.out.contains(R"("path":"/data/drop","change":"deleted")"));
    }

    void cliErrors()
    {
        const Run missing = cli({QStringLiteral("ls"), QStringLiteral("oci:no-such-dir")});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("no-such-dir"), missing.err.constData());
        const Run several = cli({QStringLiteral("ls"), QStringLiteral("oci:oci")});
        QCOMPARE(several.code, 1);
        QVERIFY(several.err.contains("v1"));
    }
};

QTEST_GUILESS_MAIN(ImageSourcesTest)
#include "test_imagesources.moc"
