// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile storage metadata without a daemon: a Docker overlay2 store and a containers-storage
// store written here by hand (the smallest layout each reader accepts), then damaged: cache ids
// that are not 64 hex digits (a path, a short name), a missing diff dir, a diff dir leading out of
// the root, a parent cycle. Each gives a typed error naming the file; nothing outside the root is
// ever returned as a layer. (test_storage does the same against real dockerd and buildah stores.)
#include "containersstorage.h"
#include "digest.h"
#include "dockerstorage.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace strata;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

const QByteArray diffId = "sha256:" + QByteArray(64, '1');
const QByteArray cacheId(64, 'c');

} // namespace

class StorageHostileTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // A one-layer image "app:1" in Docker's overlay2 layout; returns the layerdb entry's dir.
    QString makeDocker(const QString &root)
    {
        const QByteArray config = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},\"history\":[{\"created_by\":\"ADD x\"}]}";
        const QString imageId = QString::fromStdString(sha256Digest(config)).mid(7);
        writeFile(root + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + imageId, config);
        writeFile(root + QStringLiteral("/image/overlay2/repositories.json"), "{\"Repositories\":{\"app\":{\"app:1\":\"sha256:" + imageId.toUtf8() + "\"}}}");
        const QString chain = root + QStringLiteral("/image/overlay2/layerdb/sha256/") + QString::fromUtf8(diffId.mid(7));
        writeFile(chain + QStringLiteral("/diff"), diffId);
        writeFile(chain + QStringLiteral("/cache-id"), cacheId);
        QDir().mkpath(root + QStringLiteral("/overlay2/") + QString::fromUtf8(cacheId) + QStringLiteral("/diff"));
        return chain;
    }

    void makeContainersStorage(const QString &root, const QByteArray &layers)
    {
        writeFile(root + QStringLiteral("/overlay-layers/layers.json"), layers);
        writeFile(root + QStringLiteral("/overlay-images/images.json"), "[{\"id\":\"" + QByteArray(64, 'a') + "\",\"names\":[\"localhost/app:1\"],\"layer\":\"l2\"}]");
        QDir().mkpath(root + QStringLiteral("/overlay/l1/diff"));
        QDir().mkpath(root + QStringLiteral("/overlay/l2/diff"));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void dockerCacheIds_data()
    {
        QTest::addColumn<QByteArray>("cacheIdText");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("good") << cacheId << -1 << QString();
        QTest::newRow("a path") << QByteArray("../../../../etc") << int(ErrorCode::Corrupt) << QStringLiteral("not an id");
        QTest::newRow("a short name") << QByteArray("etc") << int(ErrorCode::Corrupt) << QStringLiteral("not 64 hex digits");
        QTest::newRow("uppercase hex") << QByteArray(64, 'C') << int(ErrorCode::Corrupt) << QStringLiteral("not 64 hex digits");
        QTest::newRow("missing diff dir") << QByteArray(64, 'e') << int(ErrorCode::NotFound) << QStringLiteral("is missing");
        QTest::newRow("diff dir out of the root") << QByteArray(64, 'f') << int(ErrorCode::Corrupt) << QStringLiteral("leads outside the storage root");
    }

    void dockerCacheIds()
    {
        QFETCH(QByteArray, cacheIdText);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const QString root = m_dir.path() + QStringLiteral("/docker-") + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
        const QString chain = makeDocker(root);
        writeFile(chain + QStringLiteral("/cache-id"), cacheIdText + "\n");
        // "etc" and the path would name real dirs if they were joined under overlay2/.
        QDir().mkpath(root + QStringLiteral("/overlay2/etc/diff"));
        QDir().mkpath(m_dir.path() + QStringLiteral("/outside/diff"));
        QFile::link(m_dir.path() + QStringLiteral("/outside"), root + QStringLiteral("/overlay2/") + QString(64, u'f'));
        auto stack = DockerStorage(root).resolve(QStringLiteral("app:1"), OverlayDefaults{});
        if (code < 0) {
            QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
            QCOMPARE(stack->layers.size(), size_t(1));
            QCOMPARE(stack->layers[0].path, root + QStringLiteral("/overlay2/") + QString::fromUtf8(cacheId) + QStringLiteral("/diff"));
            return;
        }
        QVERIFY(!stack);
        QCOMPARE(int(stack.error().code), code);
        QVERIFY2(stack.error().message().contains(mentions), qPrintable(stack.error().message()));
        QVERIFY2(stack.error().message().contains(root), qPrintable(stack.error().message()));
    }

    void containersStorageChains_data()
    {
        QTest::addColumn<QByteArray>("layers");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("good") << QByteArray("[{\"id\":\"l1\"},{\"id\":\"l2\",\"parent\":\"l1\"}]") << -1 << QString();
        QTest::newRow("parent cycle") << QByteArray("[{\"id\":\"l1\",\"parent\":\"l2\"},{\"id\":\"l2\",\"parent\":\"l1\"}]") << int(ErrorCode::Corrupt) << QStringLiteral("loops back");
        QTest::newRow("self parent") << QByteArray("[{\"id\":\"l2\",\"parent\":\"l2\"}]") << int(ErrorCode::Corrupt) << QStringLiteral("loops back");
        QTest::newRow("missing diff dir") << QByteArray("[{\"id\":\"l0\"},{\"id\":\"l2\",\"parent\":\"l0\"}]") << int(ErrorCode::NotFound) << QStringLiteral("missing");
        QTest::newRow("id with a path") << QByteArray("[{\"id\":\"../../etc\"},{\"id\":\"l2\",\"parent\":\"../../etc\"}]") << int(ErrorCode::Corrupt) << QStringLiteral("id");
        QTest::newRow("not JSON") << QByteArray("[{\"id\":\"l1\"},") << int(ErrorCode::Corrupt) << QStringLiteral("layers.json");
    }

    void containersStorageChains()
    {
        QFETCH(QByteArray, layers);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const QString root = m_dir.path() + QStringLiteral("/cs-") + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
        makeContainersStorage(root, layers);
        auto stack = ContainersStorage(root).resolve(QStringLiteral("app:1"), OverlayDefaults{});
        if (code < 0) {
            QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
            QCOMPARE(stack->layers.size(), size_t(2));
            QCOMPARE(stack->layers[0].path, root + QStringLiteral("/overlay/l1/diff"));
            return;
        }
        QVERIFY(!stack);
        QCOMPARE(int(stack.error().code), code);
        QVERIFY2(stack.error().message().contains(mentions), qPrintable(stack.error().message()));
    }
};

QTEST_GUILESS_MAIN(StorageHostileTest)
#include "test_storagehostile.moc"
