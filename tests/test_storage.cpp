// SPDX-License-Identifier: GPL-3.0-or-later
// docker-storage: and containers-storage: against the real tools. The test starts its own dockerd
// (own data root, exec root, pid file and socket; no networking) and uses buildah with its own
// --root/--runroot, builds a small image with a deleted file and a re-created directory, changes
// files in a container, then checks that what Strata reads equals what docker and buildah report.
// Damaged copies of the storage must give clear typed errors.
#include "overlaystack.h"
#include "source.h"
#include "storagetestutil.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

#include <csignal>
#include <sys/wait.h>

using namespace strata;

namespace {

QString cliPath()
{
    return qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli");
}

// The stack a SOURCE resolves to, as (path, role) lines bottom → top; or the error's message.
QStringList layersOf(const QString &source)
{
    auto resolved = openSource(source, QDir::currentPath());
    if (!resolved)
        return {QStringLiteral("error: ") + resolved.error().message()};
    QStringList out;
    for (const LayerSpec &l : (*resolved)->config().layers)
        out << QStringLiteral("%1 %2").arg(l.role == LayerRole::Upper ? QStringLiteral("upper") : QStringLiteral("lower"), l.path);
    return out;
}

Error errorOf(const QString &source)
{
    auto resolved = openSource(source, QDir::currentPath());
    return resolved ? Error{ErrorCode::Io, 0, {}, QStringLiteral("(no error: it resolved)")} : resolved.error();
}

// docker inspect's GraphDriver.Data as layers bottom → top, the way layersOf() prints them. For an
// image Docker calls its top layer the UpperDir; it is read-only all the same.
QStringList layersOfGraphDriver(const QJsonObject &data, bool isContainer)
{
    QStringList out;
    const QString lower = data.value(QStringLiteral("LowerDir")).toString();
    const QStringList lowers = lower.isEmpty() ? QStringList() : lower.split(u':');
    for (auto it = lowers.crbegin(); it != lowers.crend(); ++it)
        out << QStringLiteral("lower ") + *it;
    out << (isContainer ? QStringLiteral("upper ") : QStringLiteral("lower ")) + data.value(QStringLiteral("UpperDir")).toString();
    return out;
}

} // namespace

class StorageTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir{QStringLiteral("/tmp/strata-storage-XXXXXX")};
    DockerDaemon m_daemon;
    QString m_rootfs; // the tiny root filesystem's directory
    QString m_dockerError; // why the docker tests cannot run, empty when they can
    QString m_imageId;
    QString m_containerId;
    QString m_buildahError; // why the buildah tests cannot run, empty when they can
    QString m_buildahRoot;

    ToolRun docker(const QStringList &args) { return m_daemon.docker(args); }
    QString dockerSource(const QString &reference) const { return QStringLiteral("docker-storage:%1:%2").arg(m_daemon.root(), reference); }
    QJsonObject inspect(const QString &what)
    {
        const ToolRun r = docker({QStringLiteral("inspect"), what});
        return QJsonDocument::fromJson(r.out).array().at(0).toObject();
    }
    ToolRun cli(const QStringList &args) { return runTool(cliPath(), args); }

    QString setUpDocker()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty() || QStandardPaths::findExecutable(QStringLiteral("docker")).isEmpty())
            return QStringLiteral("dockerd or docker is not installed (the toolbox has them: run through scripts/test)");
        if (::geteuid() != 0)
            return QStringLiteral("dockerd needs root");
        if (QString started = m_daemon.start(m_dir.filePath(QStringLiteral("docker"))); !started.isEmpty())
            return started;
        QTemporaryDir context;
        auto write = [&](const QString &name, const QByteArray &data) {
            QFile f(context.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
        };
        // Layer 0: the tiny rootfs; 1: files; 2: a deleted file (whiteout) and a re-created dir
        // (opaque); 3: a copied file.
        write(QStringLiteral("Dockerfile"), "FROM strata-base:1\n"
                                            "RUN mkdir -p /etc/app /data && echo one > /etc/app/a.conf && echo keep > /data/keep && echo gone > /data/gone\n"
                                            "RUN rm /data/gone && rm -r /etc/app && mkdir /etc/app && echo two > /etc/app/b.conf\n"
                                            "COPY hello.txt /srv/hello.txt\n");
        write(QStringLiteral("hello.txt"), "hello\n");
        const QString tar = m_dir.filePath(QStringLiteral("rootfs.tar"));
        const QList<QStringList> steps = {
            {QStringLiteral("import"), tar, QStringLiteral("strata-base:1")},
            {QStringLiteral("build"), QStringLiteral("--network=none"), QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("strata-test:1"), context.path()},
            {QStringLiteral("tag"), QStringLiteral("strata-test:1"), QStringLiteral("strata-test:latest")},
            {QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("web"), QStringLiteral("--network=none"), QStringLiteral("strata-test:1"), QStringLiteral("sh"),
             QStringLiteral("-c"), QStringLiteral("rm /data/keep; echo changed > /srv/hello.txt; mkdir /new; echo x > /new/file")},
            {QStringLiteral("start"), QStringLiteral("-a"), QStringLiteral("web")},
            {QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("fresh"), QStringLiteral("--network=none"), QStringLiteral("strata-base:1"), QStringLiteral("sh")},
        };
        const ToolRun packed = runTool(QStringLiteral("tar"), {QStringLiteral("-C"), m_rootfs, QStringLiteral("-cf"), tar, QStringLiteral(".")});
        if (packed.code != 0)
            return packed.describe(QStringLiteral("tar"), {});
        for (const QStringList &step : steps) {
            const ToolRun r = docker(step);
            if (r.code != 0)
                return r.describe(QStringLiteral("docker"), step) + QStringLiteral("\ndockerd log:\n") + m_daemon.log();
        }
        m_imageId = inspect(QStringLiteral("strata-test:1")).value(QStringLiteral("Id")).toString().mid(7);
        m_containerId = inspect(QStringLiteral("web")).value(QStringLiteral("Id")).toString();
        if (m_imageId.size() != 64 || m_containerId.size() != 64)
            return QStringLiteral("docker inspect gave no ids");
        return {};
    }

    ToolRun buildah(const QStringList &args) { return runBuildah(m_dir.filePath(QStringLiteral("buildah")), args); }
    QString containersSource(const QString &reference) const { return QStringLiteral("containers-storage:%1:%2").arg(m_buildahRoot, reference); }

    // The same image as for docker, made with buildah: each step mounts a working container and
    // changes files through the kernel's overlay (rm makes the whiteout, rm -r + mkdir the opaque
    // dir), then commits it.
    QString setUpBuildah()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("buildah")).isEmpty())
            return QStringLiteral("buildah is not installed (the toolbox has it: run through scripts/test)");
        if (::geteuid() != 0)
            return QStringLiteral("buildah mount needs root");
        const QString dir = m_dir.filePath(QStringLiteral("buildah"));
        m_buildahRoot = dir + QStringLiteral("/root");
        // Every storage operation below is buildah's own (see writeBuildahConfig).
        if (const QString written = writeBuildahConfig(dir); !written.isEmpty())
            return written;

        QString failure;
        auto run = [&](const QStringList &args) -> QString {
            if (!failure.isEmpty())
                return {};
            const ToolRun r = buildah(args);
            if (r.code != 0)
                failure = r.describe(QStringLiteral("buildah"), args);
            return QString::fromUtf8(r.out.trimmed());
        };
        auto change = [&](const QString &container, const std::function<bool(const QString &merged)> &edit) {
            const QString merged = run({QStringLiteral("mount"), container});
            if (failure.isEmpty() && !edit(merged))
                failure = QStringLiteral("could not change files in %1 mounted at %2").arg(container, merged);
            run({QStringLiteral("umount"), container});
        };
        auto write = [](const QString &path, const QByteArray &data) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
        };
        QString c = run({QStringLiteral("from"), QStringLiteral("scratch")});
        run({QStringLiteral("copy"), c, m_rootfs + u'/', QStringLiteral("/")});
        run({QStringLiteral("commit"), QStringLiteral("-q"), c, QStringLiteral("strata-base")});
        run({QStringLiteral("rm"), c});
        c = run({QStringLiteral("from"), QStringLiteral("--pull=never"), QStringLiteral("localhost/strata-base")});
        change(c, [&](const QString &m) {
            return QDir().mkpath(m + QStringLiteral("/etc/app")) && QDir().mkpath(m + QStringLiteral("/data")) && write(m + QStringLiteral("/etc/app/a.conf"), "one\n")
                && write(m + QStringLiteral("/data/keep"), "keep\n") && write(m + QStringLiteral("/data/gone"), "gone\n");
        });
        run({QStringLiteral("commit"), QStringLiteral("-q"), c, QStringLiteral("strata-mid")});
        run({QStringLiteral("rm"), c});
        c = run({QStringLiteral("from"), QStringLiteral("--pull=never"), QStringLiteral("localhost/strata-mid")});
        change(c, [&](const QString &m) {
            return QFile::remove(m + QStringLiteral("/data/gone")) && QDir(m + QStringLiteral("/etc/app")).removeRecursively() && QDir().mkpath(m + QStringLiteral("/etc/app"))
                && write(m + QStringLiteral("/etc/app/b.conf"), "two\n");
        });
        run({QStringLiteral("commit"), QStringLiteral("-q"), c, QStringLiteral("strata-test:1")});
        run({QStringLiteral("rm"), c});
        run({QStringLiteral("from"), QStringLiteral("--pull=never"), QStringLiteral("--name"), QStringLiteral("work"), QStringLiteral("localhost/strata-test:1")});
        change(QStringLiteral("work"), [&](const QString &m) {
            return QFile::remove(m + QStringLiteral("/data/keep")) && QDir().mkpath(m + QStringLiteral("/new")) && write(m + QStringLiteral("/new/file"), "x\n");
        });
        return failure;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(cliPath()));
        m_rootfs = m_dir.filePath(QStringLiteral("rootfs"));
        const QString made = makeTinyRootfs(m_rootfs);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QElapsedTimer timer;
        timer.start();
        m_dockerError = setUpDocker();
        qInfo("docker set-up: %lld ms%s", qint64(timer.elapsed()), m_dockerError.isEmpty() ? "" : qPrintable(QStringLiteral(" — ") + m_dockerError.left(300)));
        timer.restart();
        m_buildahError = setUpBuildah();
        qInfo("buildah set-up: %lld ms%s", qint64(timer.elapsed()), m_buildahError.isEmpty() ? "" : qPrintable(QStringLiteral(" — ") + m_buildahError.left(300)));
    }

    void cleanupTestCase()
    {
        m_daemon.stop();
        if (!m_buildahRoot.isEmpty())
            buildah({QStringLiteral("umount"), QStringLiteral("--all")});
        QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), m_dir.path()});
    }

    void dockerImageLayersEqualInspect()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const QJsonObject image = inspect(QStringLiteral("strata-test:1"));
        const QStringList expected = layersOfGraphDriver(image.value(QStringLiteral("GraphDriver")).toObject().value(QStringLiteral("Data")).toObject(), false);
        QCOMPARE(expected.size(), image.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray().size());
        QCOMPARE(expected.size(), 4);
        QCOMPARE(layersOf(dockerSource(QStringLiteral("strata-test:1"))), expected);

        // Each layer is named by its diff id and the command that made it.
        auto resolved = openSource(dockerSource(QStringLiteral("strata-test:1")), QStringLiteral("/"));
        QVERIFY(resolved);
        const auto &layers = (*resolved)->config().layers;
        const QJsonArray diffIds = image.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray();
        for (size_t i = 0; i < layers.size(); ++i)
            QCOMPARE(layers[i].label, diffIds.at(qsizetype(i)).toString().mid(7, 12));
        QVERIFY2(layers[2].createdBy.contains(QStringLiteral("rm /data/gone")), qPrintable(layers[2].createdBy));
        QVERIFY(layers[3].createdBy.contains(QStringLiteral("COPY")));
    }

    void dockerContainerLayersEqualInspect()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const QJsonObject data = inspect(QStringLiteral("web")).value(QStringLiteral("GraphDriver")).toObject().value(QStringLiteral("Data")).toObject();
        QStringList expected = layersOfGraphDriver(data, true);
        QCOMPARE(expected.size(), 6); // 4 image layers, init, upper
        QVERIFY(expected.last().startsWith(QStringLiteral("upper ")));
        QCOMPARE(layersOf(dockerSource(QStringLiteral("web"))), expected);
        auto resolved = openSource(dockerSource(QStringLiteral("web")), QStringLiteral("/"));
        QVERIFY(resolved);
        QCOMPARE((*resolved)->config().workdir, data.value(QStringLiteral("WorkDir")).toString());
        QCOMPARE((*resolved)->kind(), SourceKind::DockerStorage);
    }

    void dockerReferences_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("sameAs");
        QTest::newRow("name without tag → latest") << QStringLiteral("strata-test") << QStringLiteral("strata-test:1");
        QTest::newRow("docker.io spelling") << QStringLiteral("docker.io/library/strata-test:1") << QStringLiteral("strata-test:1");
        QTest::newRow("full id") << QStringLiteral("IMAGE") << QStringLiteral("strata-test:1");
        QTest::newRow("sha256: id") << QStringLiteral("sha256:IMAGE") << QStringLiteral("strata-test:1");
        QTest::newRow("short id") << QStringLiteral("IMAGE12") << QStringLiteral("strata-test:1");
        QTest::newRow("container /name") << QStringLiteral("/web") << QStringLiteral("web");
        QTest::newRow("container id") << QStringLiteral("CONTAINER") << QStringLiteral("web");
        QTest::newRow("container short id") << QStringLiteral("CONTAINER12") << QStringLiteral("web");
    }

    void dockerReferences()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        QFETCH(QString, reference);
        QFETCH(QString, sameAs);
        reference.replace(QStringLiteral("IMAGE12"), m_imageId.left(12)).replace(QStringLiteral("IMAGE"), m_imageId);
        reference.replace(QStringLiteral("CONTAINER12"), m_containerId.left(12)).replace(QStringLiteral("CONTAINER"), m_containerId);
        const QStringList layers = layersOf(dockerSource(reference));
        QVERIFY2(!layers.value(0).startsWith(QStringLiteral("error")), qPrintable(layers.value(0)));
        QCOMPARE(layers, layersOf(dockerSource(sameAs)));
    }

    // The strong check: the merged tree Strata computes from the layer directories equals the
    // files `docker export` writes for the container (paths, types, sizes).
    void dockerContainerEqualsExport()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const QString tar = m_dir.filePath(QStringLiteral("web-export.tar"));
        const QString tree = m_dir.filePath(QStringLiteral("web-export"));
        QCOMPARE(docker({QStringLiteral("export"), QStringLiteral("-o"), tar, QStringLiteral("web")}).code, 0);
        QVERIFY(QDir().mkpath(tree));
        const ToolRun unpacked = runTool(QStringLiteral("tar"), {QStringLiteral("-xpf"), tar, QStringLiteral("-C"), tree});
        QVERIFY2(unpacked.code == 0, qPrintable(unpacked.describe(QStringLiteral("tar"), {})));
        const TreeSummary exported = walkTree(tree);

        const ToolRun ls = cli({QStringLiteral("ls"), QStringLiteral("--json"), dockerSource(QStringLiteral("web"))});
        QVERIFY2(ls.code == 0, ls.err.constData());
        const TreeSummary merged = summaryOfListing(ls.out);
        QVERIFY2(merged == exported, qPrintable(summaryDifference(merged, exported, QStringLiteral("docker export"))));
        // And what the build and the container did shows as docker made it.
        QVERIFY(!merged.contains(QStringLiteral("/data/gone")) && !merged.contains(QStringLiteral("/data/keep")) && !merged.contains(QStringLiteral("/etc/app/a.conf")));
        QCOMPARE(merged.value(QStringLiteral("/etc/app/b.conf")), QStringLiteral("file 4"));
        QCOMPARE(merged.value(QStringLiteral("/new/file")), QStringLiteral("file 2"));
        const ToolRun cat = cli({QStringLiteral("cat"), dockerSource(QStringLiteral("web")), QStringLiteral("/srv/hello.txt")});
        QCOMPARE(cat.out, QByteArray("changed\n"));
        const ToolRun catImage = cli({QStringLiteral("cat"), dockerSource(QStringLiteral("strata-test:1")), QStringLiteral("/srv/hello.txt")});
        QCOMPARE(catImage.out, QByteArray("hello\n"));
    }

    // What the container's upper changes is what docker diff reports.
    void dockerContainerDiffEqualsDockerDiff()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const ToolRun dockerDiff = docker({QStringLiteral("diff"), QStringLiteral("web")});
        QCOMPARE(dockerDiff.code, 0);
        QMap<QString, QString> expected; // path → A, C or D
        for (const QByteArray &line : dockerDiff.out.split('\n')) {
            if (line.size() > 2)
                expected.insert(QString::fromUtf8(line.mid(2)), QString::fromLatin1(line.left(1)));
        }
        QVERIFY(expected.size() >= 5);
        const ToolRun diff = cli({QStringLiteral("diff"), QStringLiteral("--json"), QStringLiteral("--layer"), QStringLiteral("5"), dockerSource(QStringLiteral("web"))});
        QVERIFY2(diff.code == 0, diff.err.constData());
        QMap<QString, QString> got;
        for (const QByteArray &line : diff.out.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString change = o.value(QStringLiteral("change")).toString();
            if (o.isEmpty() || o.value(QStringLiteral("path")).toString() == u"/")
                continue;
            got.insert(o.value(QStringLiteral("path")).toString(), change == u"added" ? QStringLiteral("A") : change == u"deleted" ? QStringLiteral("D") : QStringLiteral("C"));
        }
        QCOMPARE(got, expected);
    }

    void dockerImagesCommand()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const ToolRun images = cli({QStringLiteral("images"), QStringLiteral("--json"), QStringLiteral("docker-storage:") + m_daemon.root()});
        QVERIFY2(images.code == 0, images.err.constData());
        QStringList strataImages, strataContainers;
        for (const QByteArray &line : images.out.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.isEmpty())
                continue;
            const QString source = o.value(QStringLiteral("source")).toString();
            QVERIFY2(!layersOf(source).value(0).startsWith(QStringLiteral("error")), qPrintable(source + u' ' + layersOf(source).value(0)));
            if (o.value(QStringLiteral("kind")).toString() == u"image") {
                for (const QJsonValue &name : o.value(QStringLiteral("names")).toArray())
                    strataImages << name.toString() + u' ' + o.value(QStringLiteral("id")).toString().left(12) + u' ' + QString::number(o.value(QStringLiteral("layers")).toInt());
            } else {
                strataContainers << QStringList{o.value(QStringLiteral("id")).toString().left(12), o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("state")).toString(),
                                                o.value(QStringLiteral("image")).toString()}.join(u' ');
            }
        }
        QStringList dockerImages;
        const ToolRun listed = docker({QStringLiteral("images"), QStringLiteral("--format"), QStringLiteral("{{.Repository}}:{{.Tag}} {{.ID}}")});
        for (const QString &line : QString::fromUtf8(listed.out).split(u'\n', Qt::SkipEmptyParts)) {
            const QString name = line.section(u' ', 0, 0);
            const QJsonArray layers = inspect(name).value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray();
            dockerImages << line.section(u' ', 0, 0) + u' ' + line.section(u' ', 1, 1).left(12) + u' ' + QString::number(layers.size());
        }
        strataImages.sort();
        dockerImages.sort();
        QCOMPARE(strataImages, dockerImages);
        const ToolRun ps = docker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--no-trunc"), QStringLiteral("--format"), QStringLiteral("{{.ID}} {{.Names}} {{.State}} {{.Image}}")});
        QStringList dockerContainers;
        for (const QString &line : QString::fromUtf8(ps.out).split(u'\n', Qt::SkipEmptyParts))
            dockerContainers << line.left(12) + line.mid(64);
        strataContainers.sort();
        dockerContainers.sort();
        QCOMPARE(strataContainers, dockerContainers);
    }

    // Damaged copies of the daemon's storage: each damage gives a typed error naming what is wrong.
    void dockerBadInput()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const QString copy = m_dir.filePath(QStringLiteral("docker-copy"));
        QCOMPARE(runTool(QStringLiteral("cp"), {QStringLiteral("-a"), m_daemon.root(), copy}).code, 0);
        auto source = [&](const QString &reference) { return QStringLiteral("docker-storage:%1:%2").arg(copy, reference); };
        auto expectError = [&](const QString &reference, ErrorCode code, const QString &mentions) {
            const Error e = errorOf(source(reference));
            QVERIFY2(e.code == code && e.message().contains(mentions),
                     qPrintable(QStringLiteral("%1: got %2 '%3', expected %4 mentioning '%5'")
                                    .arg(reference, QLatin1StringView(errorCodeName(e.code)), e.message(), QLatin1StringView(errorCodeName(code)), mentions)));
        };
        auto writeFile = [](const QString &path, const QByteArray &data) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(data), data.size());
        };
        QVERIFY(layersOf(source(QStringLiteral("web"))).size() == 6); // the copy itself is fine

        expectError(QStringLiteral("nope:1"), ErrorCode::NotFound, QStringLiteral("no image or container 'nope:1'"));
        expectError(QStringLiteral("0123456789ab"), ErrorCode::NotFound, QStringLiteral("'0123456789ab'"));
        expectError(QString(), ErrorCode::InvalidSource, QStringLiteral("strata-cli images"));
        QCOMPARE(errorOf(QStringLiteral("docker-storage:%1:web").arg(m_dir.path())).code, ErrorCode::NotFound); // not Docker storage

        const QString repositories = copy + QStringLiteral("/image/overlay2/repositories.json");
        QFile::rename(repositories, repositories + QStringLiteral(".good"));
        writeFile(repositories, "{\"Repositories\": {\"strata-test\": ");
        expectError(QStringLiteral("strata-test:1"), ErrorCode::Corrupt, QStringLiteral("repositories.json is not valid JSON"));
        QFile::remove(repositories);
        {
            QFile huge(repositories);
            QVERIFY(huge.open(QIODevice::WriteOnly) && huge.resize(17 * 1024 * 1024));
        }
        expectError(QStringLiteral("strata-test:1"), ErrorCode::LimitExceeded, QStringLiteral("repositories.json is larger than 16 MiB"));
        QFile::remove(repositories);
        QFile::rename(repositories + QStringLiteral(".good"), repositories);

        // The layer database entry of layer 2 (its chain id from the copy's own metadata).
        auto resolved = openSource(source(QStringLiteral("strata-test:1")), QStringLiteral("/"));
        QVERIFY(resolved);
        const QString layer2 = (*resolved)->config().layers[2].path;
        QString chainDir;
        for (const QString &dir : QDir(copy + QStringLiteral("/image/overlay2/layerdb/sha256")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile cacheId(copy + QStringLiteral("/image/overlay2/layerdb/sha256/") + dir + QStringLiteral("/cache-id"));
            if (cacheId.open(QIODevice::ReadOnly) && layer2.contains(QString::fromUtf8(cacheId.readAll().trimmed())))
                chainDir = copy + QStringLiteral("/image/overlay2/layerdb/sha256/") + dir;
        }
        QVERIFY(!chainDir.isEmpty());
        QVERIFY(QFile::rename(chainDir, chainDir + QStringLiteral(".moved")));
        expectError(QStringLiteral("strata-test:1"), ErrorCode::NotFound, QStringLiteral("no entry for layer 2"));
        QVERIFY(QFile::rename(chainDir + QStringLiteral(".moved"), chainDir));

        const QString cacheIdFile = chainDir + QStringLiteral("/cache-id");
        QFile::copy(cacheIdFile, cacheIdFile + QStringLiteral(".good"));
        writeFile(cacheIdFile, "../../../../../etc");
        expectError(QStringLiteral("strata-test:1"), ErrorCode::Corrupt, QStringLiteral("not an id"));
        QFile::remove(cacheIdFile);
        QFile::rename(cacheIdFile + QStringLiteral(".good"), cacheIdFile);

        // A layer directory that is a symlink out of the storage.
        const QString layerDir = QString(layer2).replace(m_daemon.root(), copy);
        QVERIFY(QFile::rename(layerDir, layerDir + QStringLiteral(".moved")));
        QVERIFY(QFile::link(QStringLiteral("/etc"), layerDir));
        expectError(QStringLiteral("strata-test:1"), ErrorCode::Corrupt, QStringLiteral("leads outside the storage root"));
        QFile::remove(layerDir);
        QVERIFY(QFile::rename(layerDir + QStringLiteral(".moved"), layerDir));

        const QString containerConfig = copy + QStringLiteral("/containers/") + m_containerId + QStringLiteral("/config.v2.json");
        QFile::copy(containerConfig, containerConfig + QStringLiteral(".good"));
        writeFile(containerConfig, "[1, 2");
        expectError(m_containerId, ErrorCode::Corrupt, QStringLiteral("config.v2.json is not valid JSON"));
        QFile::remove(containerConfig);
        QFile::rename(containerConfig + QStringLiteral(".good"), containerConfig);

        const QString parent = copy + QStringLiteral("/image/overlay2/layerdb/mounts/") + m_containerId + QStringLiteral("/parent");
        writeFile(parent, "sha256:" + QByteArray(64, '0'));
        expectError(QStringLiteral("web"), ErrorCode::Corrupt, QStringLiteral("but the top layer of image"));

        // The CLI prints the error and fails.
        const ToolRun ls = cli({QStringLiteral("ls"), source(QStringLiteral("nope:1"))});
        QCOMPARE(ls.code, 1);
        QVERIFY2(ls.err.contains("strata-cli: no image or container 'nope:1' in Docker storage"), ls.err.constData());
    }
    // The strong check: the kernel's own merged view of the container (buildah mount) equals the
    // tree Strata computes from containers-storage; and the live mount, read as mount:, has the
    // same layers as containers-storage: resolves.
    void containersStorageEqualsBuildahMount()
    {
        if (!m_buildahError.isEmpty())
            QSKIP(qPrintable(m_buildahError));
        const QString merged = QString::fromUtf8(buildah({QStringLiteral("mount"), QStringLiteral("work")}).out.trimmed());
        QVERIFY(QFileInfo(merged).isDir());
        const TreeSummary kernel = walkTree(merged);
        const QStringList viaMount = layersOf(QStringLiteral("mount:") + merged);
        buildah({QStringLiteral("umount"), QStringLiteral("work")});

        const ToolRun ls = cli({QStringLiteral("ls"), QStringLiteral("--json"), containersSource(QStringLiteral("work"))});
        QVERIFY2(ls.code == 0, ls.err.constData());
        const TreeSummary strata = summaryOfListing(ls.out);
        QVERIFY2(strata == kernel, qPrintable(summaryDifference(strata, kernel, QStringLiteral("buildah mount"))));
        QVERIFY(!strata.contains(QStringLiteral("/data/gone")) && !strata.contains(QStringLiteral("/data/keep")) && !strata.contains(QStringLiteral("/etc/app/a.conf")));
        QCOMPARE(strata.value(QStringLiteral("/new/file")), QStringLiteral("file 2"));

        // containers-storage mounts through the overlay/l/ short links; compare resolved paths.
        auto canonical = [](const QStringList &layers) {
            QStringList out;
            for (const QString &l : layers)
                out << l.section(u' ', 0, 0) + u' ' + QFileInfo(l.section(u' ', 1)).canonicalFilePath();
            return out;
        };
        const QStringList viaStorage = layersOf(containersSource(QStringLiteral("work")));
        QCOMPARE(viaStorage.size(), 4);
        QVERIFY(viaStorage.last().startsWith(QStringLiteral("upper ")));
        QCOMPARE(canonical(viaMount), canonical(viaStorage));
    }

    void containersStorageImage()
    {
        if (!m_buildahError.isEmpty())
            QSKIP(qPrintable(m_buildahError));
        const ToolRun inspected = buildah({QStringLiteral("inspect"), QStringLiteral("--type"), QStringLiteral("image"), QStringLiteral("localhost/strata-test:1")});
        const QJsonArray diffIds = QJsonDocument::fromJson(inspected.out).object().value(QStringLiteral("OCIv1")).toObject().value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("diff_ids")).toArray();
        QCOMPARE(diffIds.size(), 3);
        for (const QString &reference : {QStringLiteral("strata-test:1"), QStringLiteral("localhost/strata-test:1")}) {
            const QStringList layers = layersOf(containersSource(reference));
            QCOMPARE(layers.size(), diffIds.size());
            for (const QString &l : layers)
                QVERIFY2(l.startsWith(QStringLiteral("lower ") + m_buildahRoot + QStringLiteral("/overlay/")), qPrintable(l));
        }
        const ToolRun ls = cli({QStringLiteral("ls"), QStringLiteral("--json"), containersSource(QStringLiteral("strata-test:1"))});
        const TreeSummary image = summaryOfListing(ls.out);
        QVERIFY(!image.contains(QStringLiteral("/data/gone")) && !image.contains(QStringLiteral("/etc/app/a.conf")) && !image.contains(QStringLiteral("/new")));
        QCOMPARE(image.value(QStringLiteral("/data/keep")), QStringLiteral("file 5"));
        QCOMPARE(image.value(QStringLiteral("/etc/app/b.conf")), QStringLiteral("file 4"));
        // The middle layer re-created /etc/app: the kernel marked it opaque.
        const ToolRun diff = cli({QStringLiteral("diff"), QStringLiteral("--json"), QStringLiteral("--layer"), QStringLiteral("2"), containersSource(QStringLiteral("strata-test:1"))});
        QVERIFY2(diff.out.contains("\"path\":\"/etc/app\",\"change\":\"opaque\"") && diff.out.contains("\"path\":\"/data/gone\",\"change\":\"deleted\""), diff.out.constData());
    }

    void containersStorageImagesCommand()
    {
        if (!m_buildahError.isEmpty())
            QSKIP(qPrintable(m_buildahError));
        const ToolRun images = cli({QStringLiteral("images"), QStringLiteral("--json"), QStringLiteral("containers-storage:") + m_buildahRoot});
        QVERIFY2(images.code == 0, images.err.constData());
        QStringList strataImages, strataContainers;
        for (const QByteArray &line : images.out.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.isEmpty())
                continue;
            const QString source = o.value(QStringLiteral("source")).toString();
            QVERIFY2(!layersOf(source).value(0).startsWith(QStringLiteral("error")), qPrintable(source + u' ' + layersOf(source).value(0)));
            if (o.value(QStringLiteral("kind")).toString() == u"image")
                strataImages << o.value(QStringLiteral("names")).toArray().at(0).toString() + u' ' + o.value(QStringLiteral("id")).toString().left(12);
            else
                strataContainers << o.value(QStringLiteral("id")).toString().left(12) + u' ' + o.value(QStringLiteral("name")).toString();
        }
        QStringList buildahImages, buildahContainers;
        for (const QJsonValue &image : QJsonDocument::fromJson(buildah({QStringLiteral("images"), QStringLiteral("--json")}).out).array())
            buildahImages << image.toObject().value(QStringLiteral("names")).toArray().at(0).toString() + u' ' + image.toObject().value(QStringLiteral("id")).toString().left(12);
        for (const QJsonValue &container : QJsonDocument::fromJson(buildah({QStringLiteral("containers"), QStringLiteral("--json")}).out).array())
            buildahContainers << container.toObject().value(QStringLiteral("id")).toString().left(12) + u' ' + container.toObject().value(QStringLiteral("containername")).toString();
        strataImages.sort();
        buildahImages.sort();
        strataContainers.sort();
        buildahContainers.sort();
        QCOMPARE(strataImages, buildahImages);
        QCOMPARE(strataContainers, buildahContainers);
    }

    void containersStorageBadInput()
    {
        if (!m_buildahError.isEmpty())
            QSKIP(qPrintable(m_buildahError));
        const QString copy = m_dir.filePath(QStringLiteral("containers-copy"));
        QCOMPARE(runTool(QStringLiteral("cp"), {QStringLiteral("-a"), m_buildahRoot, copy}).code, 0);
        auto source = [&](const QString &reference) { return QStringLiteral("containers-storage:%1:%2").arg(copy, reference); };
        QCOMPARE(layersOf(source(QStringLiteral("work"))).size(), 4);
        auto expectError = [&](const QString &reference, ErrorCode code, const QString &mentions) {
            const Error e = errorOf(source(reference));
            QVERIFY2(e.code == code && e.message().contains(mentions),
                     qPrintable(QStringLiteral("%1: got %2 '%3', expected %4 mentioning '%5'")
                                    .arg(reference, QLatin1StringView(errorCodeName(e.code)), e.message(), QLatin1StringView(errorCodeName(code)), mentions)));
        };
        expectError(QStringLiteral("nope"), ErrorCode::NotFound, QStringLiteral("no image or container 'nope'"));

        // A parent chain that loops: the base layer's parent is the image's top layer.
        const QString layersJson = copy + QStringLiteral("/overlay-layers/layers.json");
        QFile file(layersJson);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray good = file.readAll();
        file.close();
        QJsonArray layers = QJsonDocument::fromJson(good).array();
        QCOMPARE(layers.size(), 3);
        QJsonObject base = layers.at(0).toObject();
        QVERIFY(!base.contains(QStringLiteral("parent")));
        base.insert(QStringLiteral("parent"), layers.at(2).toObject().value(QStringLiteral("id")));
        layers.replace(0, base);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(layers).toJson());
        file.close();
        expectError(QStringLiteral("strata-test:1"), ErrorCode::Corrupt, QStringLiteral("loops back to layer"));

        // A layer the image needs is not in the store.
        layers.removeAt(0);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(layers).toJson());
        file.close();
        expectError(QStringLiteral("strata-test:1"), ErrorCode::NotFound, QStringLiteral("does not list"));

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(good.left(good.size() / 2));
        file.close();
        expectError(QStringLiteral("strata-test:1"), ErrorCode::Corrupt, QStringLiteral("layers.json is not valid JSON"));
    }
};

QTEST_GUILESS_MAIN(StorageTest)
#include "test_storage.moc"
