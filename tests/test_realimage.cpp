// SPDX-License-Identifier: GPL-3.0-or-later
// Proof with real data (issue #9): a Debian image built from packages (tests/make_real_image.sh:
// minbase, nginx-light, a tuning layer that deletes, replaces a directory and edits nginx.conf),
// cached outside the repo and built on first use. Strata's views are compared with peers:
//   - oci: and docker-archive: (skopeo's, and the one `docker save` writes) against umoci unpack's
//     rootfs, entry for entry (path, type, mode, owner, size, link target, content hash);
//   - each layer's own view against its tar, walked independently (libarchive's own gzip reader),
//     and the member names against GNU tar's listing;
//   - a private dockerd: docker-storage: of the loaded image and of a container that changed,
//     deleted and chmodded files against the kernel's own overlay mount of the GraphDriver dirs
//     (read-only, in a private mount namespace); mount: of a running container against its live
//     rootfs mount;
//   - buildah on its own root: containers-storage: of the image and of a changed working container
//     against umoci and against the kernel's mount (buildah mount), and mount: of that mount.
#include "contentreader.h"
#include "helperclient.h"
#include "overlaystack.h"
#include "source.h"
#include "storagetestutil.h"
#include "treedescription.h"
#include "tarlayer.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <map>
#include <unistd.h>

using namespace strata;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> describeLayer(const LayerIndex &layer)
{
    auto hashes = TarContent::sha256All(layer);
    std::vector<std::string> out;
    if (!hashes) {
        out.push_back("error: " + hashes.error().message().toStdString());
        return out;
    }
    for (EntryId id = 1; id < layer.entries.size(); ++id) {
        const Entry &e = layer.entries[id];
        const std::string path = layer.pathOf(id);
        if (e.has(FlagWhiteout)) {
            out.push_back(path + " whiteout");
            continue;
        }
        std::string line = describeEntry(path, e.type, e.mode, e.uid, e.gid, e.size, layer.extra(id).symlinkTarget, (*hashes)[id]);
        if (e.type == EntryType::Dir && e.has(FlagOpaque))
            line += " opaque";
        out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string normalizedMember(std::string path)
{
    while (path.starts_with("./"))
        path.erase(0, 2);
    while (!path.empty() && path.front() == '/')
        path.erase(0, 1);
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    return path.empty() || path == "." ? std::string() : '/' + path;
}

// A layer blob walked by libarchive's own readers (its gzip filter, not Strata's decoder): every
// member as describeLayer() spells it, and the member names in order.
std::vector<std::string> describeTarBlob(const QString &path, QStringList *names)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    std::vector<std::string> out;
    if (archive_read_open_filename(a, QFile::encodeName(path).constData(), 1 << 16) != ARCHIVE_OK) {
        out.push_back(std::string("error: ") + archive_error_string(a));
        archive_read_free(a);
        return out;
    }
    struct Member {
        EntryType type;
        uint32_t mode, uid, gid;
        uint64_t size;
        std::string target;
        QByteArray sha;
    };
    std::map<std::string, Member> members;
    std::map<std::string, std::string> hardlinks;
    std::vector<std::string> whiteouts, opaque;
    struct archive_entry *e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        const std::string name = normalizedMember(archive_entry_pathname(e));
        names->append(QString::fromStdString(name));
        if (name.empty())
            continue;
        const std::string base = name.substr(name.rfind('/') + 1);
        const std::string dir = name.substr(0, name.rfind('/'));
        if (base == ".wh..wh..opq") {
            opaque.push_back(dir);
            continue;
        }
        if (base.starts_with(".wh.")) {
            whiteouts.push_back(dir + '/' + base.substr(4));
            continue;
        }
        if (const char *link = archive_entry_hardlink(e)) {
            hardlinks[name] = normalizedMember(link);
            continue;
        }
        Member m{entryTypeFromMode(archive_entry_mode(e)), uint32_t(archive_entry_mode(e)), uint32_t(archive_entry_uid(e)), uint32_t(archive_entry_gid(e)),
                 uint64_t(archive_entry_size(e)), archive_entry_symlink(e) ? archive_entry_symlink(e) : "", {}};
        if (m.type == EntryType::File) {
            QCryptographicHash h(QCryptographicHash::Sha256);
            static char buffer[1 << 16];
            la_ssize_t n;
            while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0)
                h.addData(QByteArrayView(buffer, n));
            m.sha = h.result().toHex();
        }
        if (m.type == EntryType::Symlink)
            m.size = m.target.size();
        members[name] = m;
    }
    const bool complete = archive_errno(a) == 0;
    archive_read_free(a);
    if (!complete)
        out.push_back("error: the blob did not read to its end");
    for (const auto &[name, target] : hardlinks)
        members[name] = members[target];
    for (const auto &[name, m] : members) {
        std::string line = describeEntry(name, m.type, m.mode, m.uid, m.gid, m.size, m.target, m.sha);
        if (m.type == EntryType::Dir && std::find(opaque.begin(), opaque.end(), name) != opaque.end())
            line += " opaque";
        out.push_back(line);
    }
    for (const std::string &w : whiteouts)
        out.push_back(w + " whiteout");
    std::sort(out.begin(), out.end());
    return out;
}

bool hasLine(const std::vector<std::string> &lines, const std::string &prefix)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string &l) { return l.starts_with(prefix); });
}

Expected<OverlayStack> load(const QString &source)
{
    auto resolved = openSource(source, QDir::currentPath());
    if (!resolved)
        return resolved.error();
    return OverlayStack::load(**resolved);
}

QString layerProblems(const OverlayStack &stack)
{
    QStringList out;
    for (const LayerIndex &layer : stack.layers) {
        for (const Error &e : layer.problems)
            out << e.message();
    }
    return out.join(u'\n');
}

// The kernel's view of layers (bottom → top), mounted read-only as an overlay in a private mount
// namespace by this test binary run as a child ("--describe-overlay"), so nothing stays mounted.
std::vector<std::string> kernelView(const QStringList &layersBottomUp, QString *error)
{
    QStringList lowers = layersBottomUp;
    std::reverse(lowers.begin(), lowers.end());
    const ToolRun r = runTool(QStringLiteral("unshare"),
                              {QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"), QCoreApplication::applicationFilePath(),
                               QStringLiteral("--describe-overlay"), lowers.join(u':')},
                              QProcessEnvironment::systemEnvironment(), 300000);
    if (r.code != 0) {
        *error = r.describe(QStringLiteral("unshare … --describe-overlay"), {});
        return {};
    }
    std::vector<std::string> out;
    for (const QByteArray &line : r.out.split('\n')) {
        if (!line.isEmpty())
            out.push_back(line.toStdString());
    }
    return out;
}

// The child's side: mount, describe, print. Runs in its own mount namespace. The layers are
// passed as short relative symlinks from a scratch directory: mount(8) sends lowerdir through
// fsconfig(), which refuses strings past 256 bytes, and Docker's own paths are longer.
int describeOverlay(const char *lowerdir)
{
    char dir[] = "/tmp/strata-kernel-view-XXXXXX";
    if (!::mkdtemp(dir) || ::chdir(dir) != 0)
        return 2;
    QStringList links;
    const QStringList layers = QString::fromUtf8(lowerdir).split(u':');
    for (qsizetype i = 0; i < layers.size(); ++i) {
        links << QString::number(i);
        if (!QFile::link(layers[i], links.last()))
            return 2;
    }
    QDir().mkdir(QStringLiteral("m"));
    const ToolRun mounted = runTool(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("overlay"), QStringLiteral("overlay"), QStringLiteral("-o"),
                                                              QStringLiteral("ro,lowerdir=") + links.join(u':'), QStringLiteral("m")});
    int status = 0;
    if (mounted.code != 0) {
        std::fprintf(stderr, "mount failed: %s\n", mounted.err.constData());
        status = 3;
    } else {
        for (const std::string &line : describeTree(std::string(dir) + "/m"))
            std::printf("%s\n", line.c_str());
        std::fflush(stdout);
        runTool(QStringLiteral("umount"), {QStringLiteral("m")});
    }
    QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), QString::fromUtf8(dir)});
    return status;
}

// A layer's parents that its tar does not list are implied by Strata as 0755 root directories
// (what the layer index does for any member whose parent came before it or not at all). The lines
// of `ours` that are such directories — absent from the tar, with members beneath them — are
// dropped and counted.
std::vector<std::string> withoutImpliedParents(const std::vector<std::string> &ours, const QStringList &names, int *implied)
{
    std::vector<std::string> out;
    const std::string suffix = " dir 493 0:0 ";
    QSet<QString> listed(names.begin(), names.end());
    for (const std::string &line : ours) {
        if (line.ends_with(suffix)) {
            const QString path = QString::fromStdString(line.substr(0, line.size() - suffix.size()));
            if (!listed.contains(path)
                && std::any_of(names.begin(), names.end(), [&](const QString &n) { return n.startsWith(path + u'/'); })) {
                ++*implied;
                continue;
            }
        }
        out.push_back(line);
    }
    return out;
}

QStringList graphDriverLayers(const QJsonObject &data)
{
    QStringList out;
    const QString lower = data.value(QStringLiteral("LowerDir")).toString();
    QStringList lowers = lower.isEmpty() ? QStringList() : lower.split(u':');
    std::reverse(lowers.begin(), lowers.end());
    out << lowers << data.value(QStringLiteral("UpperDir")).toString();
    return out;
}

QStringList canonicalLayers(const Source &source)
{
    QStringList out;
    for (const LayerSpec &l : source.config().layers)
        out << QFileInfo(l.path).canonicalFilePath();
    return out;
}

} // namespace

class RealImageTest : public QObject
{
    Q_OBJECT

    QString m_image; // the cached image's directory
    QTemporaryDir m_dir{QStringLiteral("/tmp/strata-realimage-XXXXXX")};
    std::vector<std::string> m_umoci; // umoci unpack's rootfs
    DockerDaemon m_daemon;
    QString m_dockerError;
    QString m_buildahError;
    QString m_buildahRoot;

    ToolRun docker(const QStringList &args, int timeoutMs = 120000) { return m_daemon.docker(args, timeoutMs); }
    QJsonObject inspect(const QString &what)
    {
        return QJsonDocument::fromJson(docker({QStringLiteral("inspect"), what}).out).array().at(0).toObject();
    }

    QString setUpDocker()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty() || QStandardPaths::findExecutable(QStringLiteral("docker")).isEmpty())
            return QStringLiteral("dockerd or docker is not installed (the toolbox has them: run through scripts/test)");
        if (QString started = m_daemon.start(m_dir.filePath(QStringLiteral("docker"))); !started.isEmpty())
            return started;
        // The container changes, deletes and chmods files of every layer: an edited config
        // (layer 3's nginx.conf), a deleted binary (layer 2), a deleted directory (layer 3), a
        // chmod without a content change (layer 1), a new file and a new directory.
        const QString changes = QStringLiteral("echo '# changed in the container' >> /etc/nginx/nginx.conf && rm /usr/sbin/nginx && rm -r /var/www/html/static "
                                               "&& chmod 0700 /etc/debian_version && mkdir -p /srv/new && echo new > /srv/new/file && ln -s /srv/new /srv/link");
        const QList<QStringList> steps = {
            {QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), m_image + QStringLiteral("/real.tar")},
            {QStringLiteral("save"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("saved.tar")), QStringLiteral("strata-real:1")},
            {QStringLiteral("run"), QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--name"), QStringLiteral("web"), QStringLiteral("strata-real:1"),
             QStringLiteral("sh"), QStringLiteral("-c"), changes},
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--name"), QStringLiteral("live"),
             QStringLiteral("strata-real:1"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo live > /live.txt && exec sleep 600")},
        };
        for (const QStringList &step : steps) {
            const ToolRun r = docker(step, 300000);
            if (r.code != 0)
                return r.describe(QStringLiteral("docker"), step) + QStringLiteral("\ndockerd log:\n") + m_daemon.log();
        }
        return {};
    }

    ToolRun buildah(const QStringList &args) { return runBuildah(m_dir.filePath(QStringLiteral("buildah")), args); }

    QString setUpBuildah()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("buildah")).isEmpty())
            return QStringLiteral("buildah is not installed (the toolbox has it: run through scripts/test)");
        const QString dir = m_dir.filePath(QStringLiteral("buildah"));
        m_buildahRoot = dir + QStringLiteral("/root");
        if (const QString written = writeBuildahConfig(dir); !written.isEmpty())
            return written;
        const QStringList from = {QStringLiteral("from"), QStringLiteral("--name"), QStringLiteral("work"), QStringLiteral("oci:") + m_image + QStringLiteral("/oci:real")};
        ToolRun r = buildah(from);
        if (r.code != 0)
            return r.describe(QStringLiteral("buildah"), from);
        r = buildah({QStringLiteral("mount"), QStringLiteral("work")});
        if (r.code != 0)
            return r.describe(QStringLiteral("buildah"), {QStringLiteral("mount")});
        const QString m = QString::fromUtf8(r.out.trimmed());
        // Changes through the kernel's overlay: a deleted file and directory, a chmod, an edit.
        const ToolRun changed = runTool(QStringLiteral("sh"), {QStringLiteral("-ec"),
                                                               QStringLiteral("cd \"$1\" && rm usr/bin/gzip && rm -r etc/nginx/snippets && chmod 0750 etc/nginx/conf.d "
                                                                              "&& echo '# buildah' >> etc/nginx/conf.d/strata.conf && mkdir -p opt/app && echo hi > opt/app/hi"),
                                                               QStringLiteral("sh"), m});
        if (changed.code != 0)
            return changed.describe(QStringLiteral("sh"), {});
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("building the real image, docker and buildah need root (scripts/test runs as root in the toolbox)");
        QVERIFY(m_dir.isValid());
        QElapsedTimer timer;
        timer.start();
        QString error;
        m_image = makeRealImage(&error);
        QVERIFY2(!m_image.isEmpty(), qPrintable(error));
        m_umoci = describeTree(QFile::encodeName(m_image + QStringLiteral("/rootfs")).toStdString());
        QVERIFY(m_umoci.size() > 3000);
        qInfo("real image ready: %lld ms, %zu entries in umoci's rootfs", qint64(timer.restart()), m_umoci.size());
        m_dockerError = setUpDocker();
        qInfo("docker set-up: %lld ms%s", qint64(timer.restart()), m_dockerError.isEmpty() ? "" : qPrintable(QStringLiteral(" — ") + m_dockerError.left(600)));
        m_buildahError = setUpBuildah();
        qInfo("buildah set-up: %lld ms%s", qint64(timer.restart()), m_buildahError.isEmpty() ? "" : qPrintable(QStringLiteral(" — ") + m_buildahError.left(600)));
    }

    void cleanupTestCase()
    {
        if (QFileInfo::exists(m_dir.filePath(QStringLiteral("docker/docker.sock"))))
            docker({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("live")});
        m_daemon.stop();
        if (!m_buildahRoot.isEmpty())
            buildah({QStringLiteral("umount"), QStringLiteral("--all")});
        QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), m_dir.path()});
    }

    // The image is what the script says it built: three layers with their history, the tuning
    // layer's deletions, replaced directory and edited config.
    void imageIsTheTunedNginx()
    {
        auto stack = load(QStringLiteral("oci:") + m_image + QStringLiteral("/oci:real"));
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        QCOMPARE(stack->layers.size(), size_t(3));
        const auto &layers = stack->config.layers;
        QVERIFY2(layers[0].createdBy.contains(QStringLiteral("mmdebstrap")), qPrintable(layers[0].createdBy));
        QVERIFY2(layers[1].createdBy.contains(QStringLiteral("nginx-light")), qPrintable(layers[1].createdBy));
        QVERIFY(hasLine(m_umoci, "/usr/sbin/nginx file 493 0:0"));
        QVERIFY(hasLine(m_umoci, "/etc/nginx/nginx.conf file 384 0:0"));
        QVERIFY(hasLine(m_umoci, "/var/www/html dir 488 33:33"));
        QVERIFY(hasLine(m_umoci, "/var/www/html/default.html symlink 511 33:33 -> index.html"));
        QVERIFY(!hasLine(m_umoci, "/etc/nginx/sites-enabled/default "));
        QVERIFY(!hasLine(m_umoci, "/usr/share/man "));
        QVERIFY(!hasLine(m_umoci, "/var/www/html/index.nginx-debian.html "));
        QVERIFY(hasLine(describeLayer(stack->layers[1]), "/var/www/html/index.nginx-debian.html file"));
        QVERIFY(hasLine(describeLayer(stack->layers[2]), "/usr/share/man whiteout"));
        ContentReader reader;
        const MergedId conf = stack->findMerged("/etc/nginx/nginx.conf");
        QVERIFY(conf != noMerged);
        auto text = reader.head(stack->layers[stack->merged.nodes[conf].data.layer], stack->merged.nodes[conf].data.entry, 1 << 20);
        QVERIFY(text && text->contains("worker_processes 2;"));
    }

    void mergedViewEqualsUmoci_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("oci") << QStringLiteral("oci:IMAGE/oci");
        QTest::newRow("oci:real") << QStringLiteral("oci:IMAGE/oci:real");
        QTest::newRow("docker-archive (skopeo)") << QStringLiteral("docker-archive:IMAGE/real.tar");
        QTest::newRow("docker-archive (skopeo) by name") << QStringLiteral("docker-archive:IMAGE/real.tar:strata-real:1");
        QTest::newRow("docker-archive (docker save)") << QStringLiteral("docker-archive:TMP/saved.tar");
        QTest::newRow("docker-archive (docker save) by name") << QStringLiteral("docker-archive:TMP/saved.tar:strata-real:1");
        QTest::newRow("docker-storage image") << QStringLiteral("docker-storage:TMP/docker/root:strata-real:1");
        QTest::newRow("containers-storage image") << QStringLiteral("containers-storage:TMP/buildah/root:oci-real");
    }

    void mergedViewEqualsUmoci()
    {
        QFETCH(QString, source);
        if (source.contains(QStringLiteral("TMP/saved")) || source.startsWith(QStringLiteral("docker-storage"))) {
            if (!m_dockerError.isEmpty())
                QSKIP(qPrintable(m_dockerError));
        }
        if (source.startsWith(QStringLiteral("containers-storage"))) {
            if (!m_buildahError.isEmpty())
                QSKIP(qPrintable(m_buildahError));
            // buildah names the image it pulled from the layout by the layout's path.
            const QJsonArray images = QJsonDocument::fromJson(buildah({QStringLiteral("images"), QStringLiteral("--json")}).out).array();
            QCOMPARE(images.size(), 1);
            source = QStringLiteral("containers-storage:TMP/buildah/root:") + images.at(0).toObject().value(QStringLiteral("id")).toString();
        }
        source.replace(QStringLiteral("IMAGE"), m_image).replace(QStringLiteral("TMP"), m_dir.path());
        if (source.contains(QStringLiteral("saved.tar"))) {
            // Docker 26 writes an OCI layout inside the tar (with manifest.json beside it).
            const ToolRun listing = runTool(QStringLiteral("tar"), {QStringLiteral("-tf"), m_dir.filePath(QStringLiteral("saved.tar"))});
            QVERIFY(listing.out.contains("oci-layout\n") && listing.out.contains("index.json\n") && listing.out.contains("blobs/sha256/"));
        }
        auto stack = load(source);
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        QCOMPARE(stack->layers.size(), size_t(3));
        QVERIFY2(layerProblems(*stack).isEmpty(), qPrintable(layerProblems(*stack)));
        const auto ours = describeMerged(*stack);
        QVERIFY2(ours == m_umoci, qPrintable(difference(ours, m_umoci, QStringLiteral("umoci"))));
    }

    // Each layer's own view equals its blob walked by libarchive's own gzip reader, and the member
    // names equal GNU tar's listing; the docker-archive's layers (uncompressed, inside the outer
    // tar) give the same lines.
    void layersEqualTheirTars()
    {
        auto oci = load(QStringLiteral("oci:") + m_image + QStringLiteral("/oci:real"));
        QVERIFY2(oci, oci ? "" : qPrintable(oci.error().message()));
        auto archive = load(QStringLiteral("docker-archive:") + m_image + QStringLiteral("/real.tar"));
        QVERIFY2(archive, archive ? "" : qPrintable(archive.error().message()));
        QCOMPARE(archive->layers.size(), oci->layers.size());
        for (size_t i = 0; i < oci->layers.size(); ++i) {
            const QString digest = oci->config.layers[i].digest;
            QVERIFY2(digest.startsWith(QStringLiteral("sha256:")), qPrintable(digest));
            const QString blob = m_image + QStringLiteral("/oci/blobs/sha256/") + digest.mid(7);
            QStringList names;
            const auto theirs = describeTarBlob(blob, &names);
            QVERIFY(theirs.size() > 5);
            int implied = 0;
            const auto ours = withoutImpliedParents(describeLayer(oci->layers[i]), names, &implied);
            QVERIFY2(ours == theirs, qPrintable(QStringLiteral("layer %1: ").arg(i) + difference(ours, theirs, QStringLiteral("libarchive"))));
            qInfo("layer %zu: %zu entries equal the tar's, %d parent directories implied", i, ours.size(), implied);
            const auto fromArchive = withoutImpliedParents(describeLayer(archive->layers[i]), names, &implied);
            QVERIFY2(fromArchive == theirs, qPrintable(QStringLiteral("docker-archive layer %1: ").arg(i) + difference(fromArchive, theirs, QStringLiteral("libarchive"))));

            const ToolRun tar = runTool(QStringLiteral("tar"), {QStringLiteral("-tzf"), blob});
            QCOMPARE(tar.code, 0);
            QStringList gnu;
            for (const QByteArray &line : tar.out.split('\n')) {
                if (!line.isEmpty())
                    gnu << QString::fromStdString(normalizedMember(line.toStdString()));
            }
            QCOMPARE(names, gnu);
        }
    }

    // docker-storage: of the image and of the changed container equal the kernel's own overlay
    // mount of the dirs docker inspect's GraphDriver lists.
    void dockerStorageEqualsKernel_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<int>("layers");
        QTest::newRow("image") << QStringLiteral("strata-real:1") << 3;
        QTest::newRow("changed container") << QStringLiteral("web") << 5;
    }

    void dockerStorageEqualsKernel()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        QFETCH(QString, reference);
        QFETCH(int, layers);
        const QStringList dirs = graphDriverLayers(inspect(reference).value(QStringLiteral("GraphDriver")).toObject().value(QStringLiteral("Data")).toObject());
        QCOMPARE(dirs.size(), layers);
        QString error;
        const auto kernel = kernelView(dirs, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(kernel.size() > 3000);
        const QString source = QStringLiteral("docker-storage:%1:%2").arg(m_daemon.root(), reference);
        auto resolved = openSource(source, QDir::currentPath());
        QVERIFY2(resolved, resolved ? "" : qPrintable(resolved.error().message()));
        QStringList expected;
        for (const QString &d : dirs)
            expected << QFileInfo(d).canonicalFilePath();
        QCOMPARE(canonicalLayers(**resolved), expected);
        auto stack = OverlayStack::load(**resolved);
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        const auto ours = describeMerged(*stack);
        QVERIFY2(ours == kernel, qPrintable(difference(ours, kernel, QStringLiteral("kernel"))));
        if (reference == u"web") {
            // What the container did is there: and it differs from the image exactly there.
            QVERIFY(!hasLine(ours, "/usr/sbin/nginx ") && !hasLine(ours, "/var/www/html/static "));
            QVERIFY(hasLine(ours, "/etc/debian_version file 448 "));
            QVERIFY(hasLine(ours, "/srv/new/file file 420 0:0 4 "));
            QVERIFY(hasLine(ours, "/srv/link symlink 511 0:0 -> /srv/new"));
            QVERIFY(hasLine(m_umoci, "/usr/sbin/nginx ") && hasLine(m_umoci, "/etc/debian_version file 420 "));
        } else {
            QVERIFY2(ours == m_umoci, qPrintable(difference(ours, m_umoci, QStringLiteral("umoci"))));
        }
    }

    // The walkthrough's last act, automated (issue #10's proof): the real nginx image's layers (as
    // Docker stores them) mounted by strata-helper with a fresh upper dir, nginx run in the merged
    // root in its own namespaces, a page fetched over the loopback, and nginx's log and pid files
    // found in the upper dir, the watch naming nginx as their cause.
    void nginxRunsInTheMergedRoot()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        auto image = openSource(QStringLiteral("docker-storage:%1:strata-real:1").arg(m_daemon.root()), QDir::currentPath());
        QVERIFY2(image, image ? "" : qPrintable(image.error().message()));
        OverlayConfig config = (*image)->config();
        const QString upper = m_dir.filePath(QStringLiteral("nginx/upper")), work = m_dir.filePath(QStringLiteral("nginx/work"));
        QVERIFY(QDir().mkpath(upper) && QDir().mkpath(work));
        config.layers.push_back(LayerSpec{upper, LayerRole::Upper, {}, {}, {}});
        config.workdir = work;
        HelperClient::Options options;
        options.helperPath = qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-helper");
        options.mode = HelperMode::Direct;
        HelperClient client(options);
        QVERIFY(!client.start());
        auto call = [&](const QString &op, const QJsonObject &args) {
            auto reply = client.call(op, args);
            if (!reply)
                qWarning("%s: %s", qPrintable(op), qPrintable(reply.error().message()));
            return reply;
        };
        auto mounted = call(QStringLiteral("mount"), {{QStringLiteral("source"), overlaySource(config.toOptionString())}});
        QVERIFY(mounted);
        const QString m = mounted->value(QStringLiteral("mount")).toString();
        QVERIFY(call(QStringLiteral("watch"), {{QStringLiteral("mount"), m}}));
        // nginx in the foreground (no /dev/null to daemonize with), fetched with bash's /dev/tcp.
        const QString script = QStringLiteral(
            "nginx -g 'daemon off;' & n=$!; "
            "for i in $(seq 100); do exec 3<>/dev/tcp/127.0.0.1/80 && break; sleep 0.1; done 2>/dev/null; "
            "printf 'GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3; cat <&3; "
            "kill -QUIT $n; wait $n; echo nginx-exit=$?");
        QByteArray out, err;
        auto ran = client.call(QStringLiteral("run"),
                               {{QStringLiteral("mount"), m}, {QStringLiteral("network"), true},
                                {QStringLiteral("argv"), QJsonArray{QStringLiteral("bash"), QStringLiteral("-c"), script}},
                                {QStringLiteral("env"), QJsonArray{QStringLiteral("PATH=/usr/sbin:/usr/bin:/sbin:/bin")}}},
                               [&](const helper::Message &msg) {
                                   (msg.event == u"stderr" ? err : out) += msg.result.value(QStringLiteral("data")).toString().toUtf8();
                               },
                               60000);
        QVERIFY2(ran, ran ? "" : qPrintable(ran.error().message()));
        // The image's own site (its tuning layer's conf.d/strata.conf serves /var/www/html on port 80).
        QFile page(m_image + QStringLiteral("/rootfs/var/www/html/index.html"));
        QVERIFY(page.open(QIODevice::ReadOnly));
        QVERIFY2(out.contains("HTTP/1.1 200 OK") && out.contains(page.readAll()) && out.contains("nginx-exit=0"), QByteArray(out + "\n" + err).constData());
        QVERIFY(call(QStringLiteral("sync"), {{QStringLiteral("mount"), m}}));
        // The access log and the pid file came about in the upper dir, and the watch says nginx did it.
        QSet<QString> byNginx;
        for (const helper::Message &event : client.pendingEvents()) {
            if (event.result.value(QStringLiteral("comm")).toString() == u"nginx")
                byNginx << event.result.value(QStringLiteral("kind")).toString() + u' ' + event.result.value(QStringLiteral("path")).toString();
        }
        const QStringList seen(byNginx.begin(), byNginx.end());
        // The package ships empty logs: nginx's first write copies each up; the pid file is new (and
        // gone again when nginx quits).
        QVERIFY2(byNginx.contains(QStringLiteral("data-copy-up var/log/nginx/access.log")), qPrintable(seen.join(u'|')));
        QVERIFY2(byNginx.contains(QStringLiteral("data-copy-up var/log/nginx/error.log")), qPrintable(seen.join(u'|')));
        QVERIFY2(byNginx.contains(QStringLiteral("new-entry run/nginx.pid")) && byNginx.contains(QStringLiteral("removed run/nginx.pid")), qPrintable(seen.join(u'|')));
        QFile log(upper + QStringLiteral("/var/log/nginx/access.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("\"GET / HTTP/1.0\" 200"));
        // The image's layers are untouched: their access logs are still empty.
        for (size_t l = 0; l + 1 < config.layers.size(); ++l) {
            const QFileInfo below(config.layers[l].path + QStringLiteral("/var/log/nginx/access.log"));
            QVERIFY(!below.exists() || below.size() == 0);
        }
        client.stop();
    }

    // A running container's rootfs is an overlay mount in dockerd's (here: this test's) mount
    // namespace; mount: on it gives the same layers as docker-storage: and the same tree as the
    // live mount itself.
    void liveContainerMount()
    {
        if (!m_dockerError.isEmpty())
            QSKIP(qPrintable(m_dockerError));
        const QJsonObject live = inspect(QStringLiteral("live"));
        QVERIFY(live.value(QStringLiteral("State")).toObject().value(QStringLiteral("Running")).toBool());
        const QString merged = live.value(QStringLiteral("GraphDriver")).toObject().value(QStringLiteral("Data")).toObject().value(QStringLiteral("MergedDir")).toString();
        QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
        QVERIFY(mountinfo.open(QIODevice::ReadOnly));
        QVERIFY2(mountinfo.readAll().contains(QFile::encodeName(merged)), qPrintable(merged + QStringLiteral(" is not in this namespace's mountinfo")));
        auto viaMount = openSource(QStringLiteral("mount:") + merged, QDir::currentPath());
        QVERIFY2(viaMount, viaMount ? "" : qPrintable(viaMount.error().message()));
        auto viaStorage = openSource(QStringLiteral("docker-storage:%1:live").arg(m_daemon.root()), QDir::currentPath());
        QVERIFY2(viaStorage, viaStorage ? "" : qPrintable(viaStorage.error().message()));
        QCOMPARE(canonicalLayers(**viaMount), canonicalLayers(**viaStorage));
        auto stack = OverlayStack::load(**viaMount);
        QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
        const auto ours = describeMerged(*stack);
        const auto kernel = describeTree(QFile::encodeName(merged).toStdString());
        QVERIFY2(ours == kernel, qPrintable(difference(ours, kernel, QStringLiteral("live mount"))));
        QVERIFY(hasLine(ours, "/live.txt file 420 0:0 5 "));
    }

    // containers-storage: of buildah's working container (changed through buildah mount) equals
    // the kernel's mount of it, and mount: of that mount resolves to the same layers.
    void containersStorageEqualsKernel()
    {
        if (!m_buildahError.isEmpty())
            QSKIP(qPrintable(m_buildahError));
        const QString merged = QString::fromUtf8(buildah({QStringLiteral("mount"), QStringLiteral("work")}).out.trimmed());
        QVERIFY(QFileInfo(merged).isDir());
        const auto kernel = describeTree(QFile::encodeName(merged).toStdString());
        auto viaMount = openSource(QStringLiteral("mount:") + merged, QDir::currentPath());
        QVERIFY2(viaMount, viaMount ? "" : qPrintable(viaMount.error().message()));
        auto viaStorage = openSource(QStringLiteral("containers-storage:%1:work").arg(m_buildahRoot), QDir::currentPath());
        QVERIFY2(viaStorage, viaStorage ? "" : qPrintable(viaStorage.error().message()));
        QCOMPARE((*viaStorage)->config().layers.size(), size_t(4));
        QCOMPARE(canonicalLayers(**viaMount), canonicalLayers(**viaStorage));
        for (auto *source : {&*viaStorage, &*viaMount}) {
            auto stack = OverlayStack::load(**source);
            QVERIFY2(stack, stack ? "" : qPrintable(stack.error().message()));
            const auto ours = describeMerged(*stack);
            QVERIFY2(ours == kernel, qPrintable(difference(ours, kernel, QStringLiteral("buildah mount"))));
        }
        QVERIFY(!hasLine(kernel, "/usr/bin/gzip ") && !hasLine(kernel, "/etc/nginx/snippets "));
        QVERIFY(hasLine(kernel, "/etc/nginx/conf.d dir 488 ") && hasLine(kernel, "/opt/app/hi file 420 0:0 3 "));
    }
};

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--describe-overlay") == 0) {
        QCoreApplication app(argc, argv);
        return describeOverlay(argv[2]);
    }
    QCoreApplication app(argc, argv);
    RealImageTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_realimage.moc"
