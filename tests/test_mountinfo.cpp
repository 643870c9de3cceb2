// SPDX-License-Identifier: GPL-3.0-or-later
// Real overlay mounts in a private mount namespace: the options the kernel prints for them
// (ovl_show_options in /proc/self/mountinfo) parse back into the stack that was mounted, an
// index=on inode that only workdir/index still holds reads as the kernel reads it, and mount:PATH
// finds a live mount's stack.
#include "contentreader.h"
#include "mountsource.h"
#include "overlayconfig.h"
#include "overlaystack.h"
#include "pastedstack.h"
#include "source.h"
#include "storagetestutil.h"
#include "testutil.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace strata;

namespace {

// Mounts `options` on `target` in a child's private mount namespace and returns the mountinfo line
// of that mount ("" when the kernel refused the options).
QByteArray mountinfoLineFor(const std::string &target, const std::string &options)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipeFds[0]);
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            _exit(2);
        if (::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) != 0)
            _exit(3);
        QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
        if (!mountinfo.open(QIODevice::ReadOnly))
            _exit(4);
        const QByteArray needle = " " + QByteArray::fromStdString(target) + " ";
        for (const QByteArray &line : mountinfo.readAll().split('\n')) {
            if (line.contains(needle) && line.contains(" - overlay ")) {
                const ssize_t written = ::write(pipeFds[1], line.constData(), size_t(line.size()));
                _exit(written == line.size() ? 0 : 5);
            }
        }
        _exit(6);
    }
    ::close(pipeFds[1]);
    QByteArray out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
        out.append(buffer, n);
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : QByteArray();
}

} // namespace

class MountinfoTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // index=on: a copied-up hardlink whose upper name is gone lives on in workdir/index, and the
    // lower's other names still resolve to it. The engine must show what the kernel shows.
    void indexEntryWithoutUpperName()
    {
        LayerBuilder low, up, work, target;
        low.file(QStringLiteral("a"), "lower data");
        QVERIFY(::link(low.path(QStringLiteral("a")).c_str(), low.path(QStringLiteral("b")).c_str()) == 0);
        const std::string options = QStringLiteral("lowerdir=%1,upperdir=%2,workdir=%3,index=on,redirect_dir=on")
                                        .arg(low.root(), up.root(), work.root())
                                        .toStdString();
        const std::string merged = target.root().toStdString();
        int pipeFds[2];
        QVERIFY(::pipe(pipeFds) == 0);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(pipeFds[0]);
            if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
                _exit(2);
            if (::mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) != 0)
                _exit(3);
            // Copy up through one name (the index records the inode), then unlink that name.
            const int fd = ::open((merged + "/a").c_str(), O_WRONLY | O_APPEND);
            if (fd < 0 || ::write(fd, " + appended", 11) != 11)
                _exit(4);
            ::close(fd);
            if (::unlink((merged + "/a").c_str()) != 0 || ::umount(merged.c_str()) != 0)
                _exit(5);
            if (::mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) != 0)
                _exit(6);
            QFile b(QString::fromStdString(merged + "/b"));
            if (!b.open(QIODevice::ReadOnly))
                _exit(7);
            const QByteArray content = b.readAll();
            _exit(::write(pipeFds[1], content.constData(), size_t(content.size())) == content.size() ? 0 : 8);
        }
        ::close(pipeFds[1]);
        char buffer[256];
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
        ::close(pipeFds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        QCOMPARE(WEXITSTATUS(status), 0);
        const QByteArray kernelB(buffer, n > 0 ? n : 0);
        QCOMPARE(kernelB, QByteArray("lower data + appended"));
        struct stat whiteout{};
        QVERIFY(::lstat(up.path(QStringLiteral("a")).c_str(), &whiteout) == 0 && S_ISCHR(whiteout.st_mode)); // a's upper name is a whiteout now

        auto stack = OverlayStack::open(QStringLiteral("overlay:") + QString::fromStdString(options), QStringLiteral("/"));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        QCOMPARE(stack->findMerged("/a"), noMerged);
        const MergedId b = stack->findMerged("/b");
        QVERIFY(b != noMerged);
        ContentReader reader;
        const auto data = reader.head(stack->layers[stack->merged.nodes[b].data.layer], stack->merged.nodes[b].data.entry, 1024);
        QVERIFY2(data.hasValue(), data.hasValue() ? "" : qPrintable(data.error().message()));
        QCOMPARE(*data, kernelB);
        // The detached inode is no entry of the upper tree: the layer's statistics leave it out.
        QCOMPARE(stack->stats.back().entries, uint64_t(1)); // the whiteout
    }

    void kernelPrintedOptionsParseBack_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::newRow("defaults") << QString();
        QTest::newRow("redirect, index, metacopy") << QStringLiteral("redirect_dir=on,index=on,metacopy=on");
        QTest::newRow("xino and uuid") << QStringLiteral("xino=on,uuid=off,nfs_export=off");
        QTest::newRow("nfs_export") << QStringLiteral("index=on,nfs_export=on,redirect_dir=nofollow");
        QTest::newRow("volatile") << QStringLiteral("volatile");
        QTest::newRow("userxattr") << QStringLiteral("userxattr");
        QTest::newRow("default_permissions") << QStringLiteral("default_permissions,redirect_dir=follow");
    }

    void kernelPrintedOptionsParseBack()
    {
        QFETCH(QString, extra);
        LayerBuilder low1, low2, up, work, target;
        low1.file(QStringLiteral("a"));
        low2.file(QStringLiteral("b"));
        // A layer path with characters mountinfo escapes (space) and overlay escapes (comma).
        QVERIFY(QDir(low2.root()).mkpath(QStringLiteral("odd dir,x")));
        const QString oddLower = low2.root() + QStringLiteral("/odd dir,x");
        const QString options = QStringLiteral("lowerdir=%1:%2,upperdir=%3,workdir=%4%5")
                                    .arg(escapeOverlayPath(low1.root()), escapeOverlayPath(oddLower), up.root(), work.root(),
                                         extra.isEmpty() ? QString() : u',' + extra);
        const QByteArray line = mountinfoLineFor(target.root().toStdString(), options.toStdString());
        if (line.isEmpty() && !extra.isEmpty())
            QSKIP(qPrintable(QStringLiteral("this kernel refuses '%1'").arg(extra)));
        QVERIFY2(!line.isEmpty(), qPrintable(QStringLiteral("the kernel refused %1").arg(options)));
        auto pasted = optionsFromPastedText(QString::fromUtf8(line));
        QVERIFY2(pasted.hasValue(), pasted.hasValue() ? "" : qPrintable(pasted.error().message()));
        auto config = OverlayConfig::parse(*pasted, QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
        QVERIFY2(config.hasValue(), qPrintable(QStringLiteral("%1\n  from: %2").arg(config.hasValue() ? QString() : config.error().message(), QString::fromUtf8(line))));
        QCOMPARE(config->layers.size(), size_t(3));
        QCOMPARE(config->layers[0].path, oddLower);
        QCOMPARE(config->layers[1].path, low1.root());
        QCOMPARE(config->layers[2].path, up.root());
        QCOMPARE(config->userxattr, extra.contains(QStringLiteral("userxattr")));
        if (extra.contains(QStringLiteral("metacopy=on")))
            QVERIFY(config->metacopy);
        if (extra.contains(QStringLiteral("index=on")))
            QVERIFY(config->index);
    }
    // mount:PATH on a live overlay whose mount point and layers have spaces and commas in their
    // names: the same stack as mounted, the merged tree the kernel shows, clear errors for a path
    // inside the mount or beside it, and strata-cli mounts lists it.
    void mountSourceReadsLiveMount()
    {
        // Our own mount namespace: the mount is visible to this process and the strata-cli it starts.
        QVERIFY(::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
        LayerBuilder low1, low2, up, work, targetParent;
        low1.file(QStringLiteral("a"), "lower one");
        low1.file(QStringLiteral("gone"), "x");
        low1.file(QStringLiteral("d/old"), "old");
        low2.file(QStringLiteral("odd dir,x/b"), "lower two");
        const QString oddLower = low2.root() + QStringLiteral("/odd dir,x");
        up.file(QStringLiteral("c"), "upper");
        up.whiteout(QStringLiteral("gone"));
        up.file(QStringLiteral("d/new"), "new");
        up.opaque(QStringLiteral("d"));
        targetParent.dir(QStringLiteral("merged dir"));
        const QString target = targetParent.root() + QStringLiteral("/merged dir");
        const QString options = QStringLiteral("lowerdir=%1:%2,upperdir=%3,workdir=%4")
                                    .arg(escapeOverlayPath(low1.root()), escapeOverlayPath(oddLower), up.root(), work.root());
        QVERIFY2(::mount("overlay", QFile::encodeName(target).constData(), "overlay", 0, options.toUtf8().constData()) == 0, qPrintable(options));
        struct Unmount {
            QByteArray path;
            ~Unmount() { ::umount2(path.constData(), MNT_DETACH); }
        } unmount{QFile::encodeName(target)};

        auto source = openSource(QStringLiteral("mount:") + target, QStringLiteral("/"));
        QVERIFY2(source.hasValue(), source.hasValue() ? "" : qPrintable(source.error().message()));
        QCOMPARE((*source)->kind(), SourceKind::Mount);
        const OverlayConfig &config = (*source)->config();
        QCOMPARE(config.layers.size(), size_t(3));
        QCOMPARE(config.layers[0].path, oddLower);
        QCOMPARE(config.layers[1].path, low1.root());
        QCOMPARE(config.layers[2].path, up.root());
        QVERIFY(config.hasUpper());
        QCOMPARE(config.workdir, work.root());
        // Relative to another directory, the same mount.
        auto relative = openSource(QStringLiteral("mount:merged dir"), targetParent.root());
        QVERIFY(relative.hasValue() && (*relative)->config().layers.size() == 3);

        const QString cli = qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli");
        const ToolRun ls = runTool(cli, {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("mount:") + target});
        QVERIFY2(ls.code == 0, ls.err.constData());
        const TreeSummary strata = summaryOfListing(ls.out);
        const TreeSummary kernel = walkTree(target);
        QVERIFY2(strata == kernel, qPrintable(summaryDifference(strata, kernel, QStringLiteral("the kernel"))));
        QVERIFY(!strata.contains(QStringLiteral("/gone")) && !strata.contains(QStringLiteral("/d/old")) && strata.contains(QStringLiteral("/d/new")));

        const auto inside = openSource(QStringLiteral("mount:") + target + QStringLiteral("/d"), QStringLiteral("/"));
        QVERIFY(!inside.hasValue());
        QCOMPARE(inside.error().code, ErrorCode::InvalidSource);
        QVERIFY2(inside.error().message().contains(QStringLiteral("inside the overlay mounted at ") + target), qPrintable(inside.error().message()));
        const auto beside = openSource(QStringLiteral("mount:") + low1.root(), QStringLiteral("/"));
        QVERIFY(!beside.hasValue());
        QVERIFY2(beside.error().message().contains(QStringLiteral("is not a mount point")), qPrintable(beside.error().message()));
        const auto missing = openSource(QStringLiteral("mount:") + target + QStringLiteral("/nothing here"), QStringLiteral("/"));
        QVERIFY(!missing.hasValue());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);

        const ToolRun mounts = runTool(cli, {QStringLiteral("mounts"), QStringLiteral("--json")});
        QCOMPARE(mounts.code, 0);
        bool listed = false;
        for (const QByteArray &line : mounts.out.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QStringLiteral("mount_point")).toString() != target)
                continue;
            listed = true;
            QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("mount:") + target);
            QCOMPARE(o.value(QStringLiteral("layers")).toInt(), 2);
            QCOMPARE(o.value(QStringLiteral("upper")).toString(), up.root());
        }
        QVERIFY2(listed, mounts.out.constData());
    }

    // mountinfo lines as the kernel writes them: octal escapes, optional fields, lowerdir+.
    void parseMountInfoLines()
    {
        const QByteArray text = "36 35 98:0 / /mnt/merged\\040dir rw,relatime shared:1 master:2 - overlay overlay rw,lowerdir+=/l/one,lowerdir+=/l/t\\134wo,upperdir=/u,workdir=/w,nouserxattr\n"
                                "37 35 98:0 / /proc rw - proc proc rw\n"
                                "broken line\n"
                                // Not the kernel's: an empty field (two spaces), a relative mount
                                // point, an empty type (found by fuzz_mountinfo): skipped.
                                "38 35 0:5 /  /x rw - tmpfs tmpfs rw\n"
                                "39 35 0:6 / rel rw - tmpfs tmpfs rw\n"
                                "40 35 0:7 / /y rw -  tmpfs rw\n"
                                "41 35 0:8 / /mnt/a\\054b rw - tmpfs tmpfs rw\n";
        const auto mounts = parseMountInfo(text);
        QCOMPARE(mounts.size(), size_t(3));
        QCOMPARE(mounts[2].mountPoint, QStringLiteral("/mnt/a,b"));
        QCOMPARE(mounts[0].mountPoint, QStringLiteral("/mnt/merged dir"));
        QCOMPARE(mounts[0].fsType, QStringLiteral("overlay"));
        auto config = overlayConfigOfMount(mounts[0], OverlayDefaults{});
        QVERIFY2(config.hasValue(), config.hasValue() ? "" : qPrintable(config.error().message()));
        QCOMPARE(config->layers.size(), size_t(3));
        QCOMPARE(config->layers[1].path, QStringLiteral("/l/one"));
        QVERIFY(!config->userxattr);
        MountInfoEntry relative = mounts[0];
        relative.superOptions = QStringLiteral("rw,lowerdir=l/ABC:l/DEF,upperdir=abc/diff,workdir=abc/work");
        const auto refused = overlayConfigOfMount(relative, OverlayDefaults{});
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, ErrorCode::Unsupported);
    }
};

QTEST_GUILESS_MAIN(MountinfoTest)
#include "test_mountinfo.moc"
