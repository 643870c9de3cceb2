// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

// Builds layer directories by hand for rule tests: files, dirs, whiteouts, overlay xattrs.
class LayerBuilder
{
public:
    LayerBuilder()
    {
        QVERIFY(m_dir.isValid());
    }
    ~LayerBuilder()
    {
        // rm copes with trees deeper than PATH_MAX, QDir::removeRecursively does not.
        QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), m_dir.path()});
    }
    QString root() const { return m_dir.path(); }
    std::string path(const QString &rel) const { return QFile::encodeName(m_dir.filePath(rel)).toStdString(); }

    void dir(const QString &rel) { QVERIFY(QDir(m_dir.path()).mkpath(rel)); }
    void file(const QString &rel, const QByteArray &content = "x", mode_t mode = 0644)
    {
        dir(QFileInfo(rel).path());
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        ::chmod(path(rel).c_str(), mode);
    }
    void whiteout(const QString &rel)
    {
        dir(QFileInfo(rel).path());
        QVERIFY2(::mknod(path(rel).c_str(), S_IFCHR, makedev(0, 0)) == 0, "mknod 0/0 (needs root)");
    }
    void symlink(const QString &rel, const char *target)
    {
        dir(QFileInfo(rel).path());
        QVERIFY(::symlink(target, path(rel).c_str()) == 0);
    }
    void xattr(const QString &rel, const char *name, const QByteArray &value)
    {
        QVERIFY2(::lsetxattr(path(rel).c_str(), name, value.constData(), size_t(value.size()), 0) == 0, name);
    }
    void opaque(const QString &rel) { xattr(rel, "trusted.overlay.opaque", "y"); }

private:
    QTemporaryDir m_dir;
};

// SOURCE for layers given bottom → top (the last one is the upper when withUpper).
inline QString stackSource(const QStringList &lowersBottomUp, const QString &upper = {}, const QString &extra = {})
{
    QStringList top;
    for (auto it = lowersBottomUp.crbegin(); it != lowersBottomUp.crend(); ++it)
        top << *it;
    QString s = QStringLiteral("overlay:lowerdir=") + top.join(u':');
    if (!upper.isEmpty())
        s += QStringLiteral(",upperdir=%1,workdir=%1.work").arg(upper);
    if (!extra.isEmpty())
        s += u',' + extra;
    return s;
}

// "path kind layer" lines of the merged view, for compact expectations.
inline QStringList mergedSummary(const strata::OverlayStack &stack)
{
    QStringList out;
    for (strata::MergedId id = 1; id < stack.merged.nodes.size(); ++id) {
        const auto &n = stack.merged.nodes[id];
        out << QStringLiteral("%1 %2 %3")
                   .arg(QString::fromStdString(stack.mergedPath(id)), QString::fromLatin1(strata::changeKindName(n.change).data()))
                   .arg(n.lookupErrno ? -n.lookupErrno : int(n.meta.layer));
    }
    out.sort();
    return out;
}

// Every cell's change kind, every merged path's change kind and each layer's statistics: empty when
// both stacks agree, else the first difference.
inline QString kindsAndStatsDifference(const strata::OverlayStack &a, const strata::OverlayStack &b)
{
    using namespace strata;
    if (a.unionTree.nodes.size() != b.unionTree.nodes.size() || a.merged.nodes.size() != b.merged.nodes.size() || a.stats.size() != b.stats.size())
        return QStringLiteral("sizes differ: %1/%2 union rows, %3/%4 merged, %5/%6 stats")
            .arg(a.unionTree.nodes.size()).arg(b.unionTree.nodes.size()).arg(a.merged.nodes.size()).arg(b.merged.nodes.size()).arg(a.stats.size()).arg(b.stats.size());
    for (UnionId n = 0; n < a.unionTree.nodes.size(); ++n) {
        for (size_t l = 0; l < a.layers.size(); ++l) {
            if (a.unionTree.cell(n, l) != b.unionTree.cell(n, l) || a.unionTree.kind(n, l) != b.unionTree.kind(n, l))
                return QStringLiteral("%1 in layer %2: %3 vs %4").arg(QString::fromStdString(a.unionPath(n))).arg(l)
                    .arg(QLatin1StringView(changeKindName(a.unionTree.kind(n, l)))).arg(QLatin1StringView(changeKindName(b.unionTree.kind(n, l))));
        }
    }
    for (MergedId m = 0; m < a.merged.nodes.size(); ++m) {
        if (a.merged.nodes[m].change != b.merged.nodes[m].change)
            return QStringLiteral("merged %1: %2 vs %3").arg(QString::fromStdString(a.mergedPath(m)))
                .arg(QLatin1StringView(changeKindName(a.merged.nodes[m].change))).arg(QLatin1StringView(changeKindName(b.merged.nodes[m].change)));
    }
    for (size_t l = 0; l < a.stats.size(); ++l) {
        const LayerStats &x = a.stats[l], &y = b.stats[l];
        if (x.entries != y.entries || x.bytes != y.bytes || x.added != y.added || x.modified != y.modified || x.deleted != y.deleted || x.wastedBytes != y.wastedBytes
            || x.duplicatedBytes != y.duplicatedBytes || x.copiedUpBytes != y.copiedUpBytes)
            return QStringLiteral("layer %1 statistics: bytes %2/%3 wasted %4/%5 added %6/%7 modified %8/%9 duplicated %10/%11 copied up %12/%13")
                .arg(l).arg(x.bytes).arg(y.bytes).arg(x.wastedBytes).arg(y.wastedBytes).arg(x.added).arg(y.added).arg(x.modified).arg(y.modified)
                .arg(x.duplicatedBytes).arg(y.duplicatedBytes).arg(x.copiedUpBytes).arg(y.copiedUpBytes);
    }
    return {};
}

inline bool sameKindsAndStats(const strata::OverlayStack &a, const strata::OverlayStack &b)
{
    return kindsAndStatsDifference(a, b).isEmpty();
}

// `fn` in a forked child (e.g. one that drops to another user): its return value is the child's
// exit code, what it wrote into `report` comes back with it (100: the child did not exit normally).
inline std::pair<int, QByteArray> runInChild(const std::function<int(QByteArray &report)> &fn)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return {-1, "pipe"};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipeFds[0]);
        QByteArray report;
        const int code = fn(report);
        [[maybe_unused]] ssize_t n = ::write(pipeFds[1], report.constData(), size_t(report.size()));
        _exit(code);
    }
    ::close(pipeFds[1]);
    QByteArray report;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
        report.append(buffer, n);
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 100, report};
}
