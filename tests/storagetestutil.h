// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers for tests that drive real container tools: running them, a tiny root filesystem to build
// images from, and walking a directory tree the way `strata-cli ls --json` lists one.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#include <csignal>

#include <sys/prctl.h>
#include <sys/stat.h>

struct ToolRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QString describe(const QString &program, const QStringList &args) const
    {
        return QStringLiteral("%1 %2 → exit %3\n%4").arg(program, args.join(u' ')).arg(code).arg(QString::fromUtf8(err.left(2000)));
    }
};

inline ToolRun runTool(const QString &program, const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, p.readAllStandardOutput(), "timed out: " + p.readAllStandardError()};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// A root filesystem of a few megabytes: this machine's dash as /bin/sh, rm and mkdir, and the
// libraries they load (found with ldd). Enough for RUN steps and a container's command.
inline QString makeTinyRootfs(const QString &dir)
{
    QDir().mkpath(dir + QStringLiteral("/bin"));
    QDir().mkpath(dir + QStringLiteral("/tmp"));
    QDir().mkpath(dir + QStringLiteral("/etc"));
    const QList<std::pair<QString, QString>> binaries = {{QStringLiteral("dash"), QStringLiteral("sh")}, {QStringLiteral("rm"), QStringLiteral("rm")},
                                                         {QStringLiteral("mkdir"), QStringLiteral("mkdir")}};
    static const QRegularExpression library(QStringLiteral(R"((/\S+\.so[^\s]*))"));
    for (const auto &[name, as] : binaries) {
        const QString path = QStandardPaths::findExecutable(name);
        if (path.isEmpty())
            return QStringLiteral("no %1 on this machine").arg(name);
        if (!QFile::copy(path, dir + QStringLiteral("/bin/") + as))
            return QStringLiteral("cannot copy %1").arg(path);
        const ToolRun ldd = runTool(QStringLiteral("ldd"), {path});
        for (const QString &line : QString::fromUtf8(ldd.out).split(u'\n')) {
            const auto m = library.match(line);
            if (!m.hasMatch() || QFileInfo::exists(dir + m.captured(1)))
                continue;
            QDir().mkpath(dir + QFileInfo(m.captured(1)).path());
            if (!QFile::copy(QFileInfo(m.captured(1)).canonicalFilePath(), dir + m.captured(1)))
                return QStringLiteral("cannot copy %1").arg(m.captured(1));
        }
    }
    return {};
}

// "type size" per path, as strata-cli ls --json names types; sizes only for regular files.
using TreeSummary = QMap<QString, QString>;

inline QString typeName(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return QStringLiteral("file");
    case S_IFDIR:
        return QStringLiteral("dir");
    case S_IFLNK:
        return QStringLiteral("symlink");
    case S_IFCHR:
        return QStringLiteral("char");
    case S_IFBLK:
        return QStringLiteral("block");
    case S_IFIFO:
        return QStringLiteral("fifo");
    default:
        return QStringLiteral("socket");
    }
}

inline TreeSummary walkTree(const QString &root)
{
    TreeSummary out;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat st{};
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        const QString type = typeName(st.st_mode);
        out.insert(path.mid(root.size()), type == u"file" ? QStringLiteral("file %1").arg(st.st_size) : type);
    }
    return out;
}

inline TreeSummary summaryOfListing(const QByteArray &jsonLines)
{
    TreeSummary out;
    for (const QByteArray &line : jsonLines.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString path = o.value(QStringLiteral("path")).toString();
        if (path == u"/")
            continue;
        const QString type = o.value(QStringLiteral("type")).toString();
        out.insert(path, type == u"file" ? QStringLiteral("file %1").arg(qint64(o.value(QStringLiteral("size")).toDouble())) : type);
    }
    return out;
}

// The first few differences between two summaries, for a readable failure.
inline QString summaryDifference(const TreeSummary &strata, const TreeSummary &tool, const QString &toolName)
{
    QStringList lines;
    for (auto it = strata.begin(); it != strata.end() && lines.size() < 20; ++it) {
        if (!tool.contains(it.key()))
            lines << QStringLiteral("only Strata: %1 (%2)").arg(it.key(), it.value());
        else if (tool.value(it.key()) != it.value())
            lines << QStringLiteral("%1: Strata %2, %3 %4").arg(it.key(), it.value(), toolName, tool.value(it.key()));
    }
    for (auto it = tool.begin(); it != tool.end() && lines.size() < 20; ++it) {
        if (!strata.contains(it.key()))
            lines << QStringLiteral("only %1: %2 (%3)").arg(toolName, it.key(), it.value());
    }
    return lines.join(u'\n');
}

// buildah's own containers.conf under `dir`: buildah looks up a network backend (netavark) at start
// even when nothing uses the network, and Debian's buildah does not pull one in. The stand-in it
// points at satisfies the lookup and fails if anything ever calls it. Empty on success.
inline QString writeBuildahConfig(const QString &dir)
{
    QDir().mkpath(dir + QStringLiteral("/helpers"));
    QFile stub(dir + QStringLiteral("/helpers/netavark"));
    if (!stub.open(QIODevice::WriteOnly) || stub.write("#!/bin/sh\necho 'no network backend in this test' >&2\nexit 1\n") < 0)
        return QStringLiteral("cannot write %1").arg(stub.fileName());
    stub.close();
    stub.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile conf(dir + QStringLiteral("/containers.conf"));
    if (!conf.open(QIODevice::WriteOnly) || conf.write("[engine]\nhelper_binaries_dir = [\"" + QFile::encodeName(dir) + "/helpers\"]\n") < 0)
        return QStringLiteral("cannot write %1").arg(conf.fileName());
    return {};
}

// buildah on a root of its own: `dir`/root, `dir`/run and writeBuildahConfig(dir).
inline ToolRun runBuildah(const QString &dir, const QStringList &args, int timeoutMs = 300000)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CONTAINERS_CONF"), dir + QStringLiteral("/containers.conf"));
    return runTool(QStringLiteral("buildah"),
                   QStringList{QStringLiteral("--root"), dir + QStringLiteral("/root"), QStringLiteral("--runroot"), dir + QStringLiteral("/run"),
                               QStringLiteral("--storage-driver"), QStringLiteral("overlay")}
                       + args,
                   env, timeoutMs);
}

// The real image's directory (tests/make_real_image.sh: built once into the cache, a few minutes on
// a fresh machine, its progress on stderr), or empty with `error` saying why.
inline QString makeRealImage(QString *error)
{
    QProcess make;
    make.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    make.start(QStringLiteral("bash"), {qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/tests/make_real_image.sh")});
    if (!make.waitForFinished(20 * 60 * 1000) || make.exitCode() != 0) {
        *error = QStringLiteral("tests/make_real_image.sh failed (see above)");
        return {};
    }
    const QString dir = QString::fromUtf8(make.readAllStandardOutput().trimmed());
    if (!QFileInfo::exists(dir + QStringLiteral("/.complete"))) {
        *error = QStringLiteral("tests/make_real_image.sh printed %1, which is not a complete image").arg(dir);
        return {};
    }
    return dir;
}

// A private dockerd: its own data root, exec root, pid file and socket under `dir`, no networking
// (--iptables=false --ip6tables=false --bridge=none); stopped by its pid.
class DockerDaemon
{
public:
    ~DockerDaemon() { stop(); }
    // Empty on success, else why the daemon did not come up.
    QString start(const QString &dir)
    {
        m_dir = dir;
        m_socket = dir + QStringLiteral("/docker.sock");
        QDir().mkpath(dir);
        m_process.setStandardInputFile(QProcess::nullDevice());
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(dir + QStringLiteral("/dockerd.log"));
        // A test that crashes or is killed (ctest's timeout) skips the destructor: the kernel then
        // sends dockerd SIGTERM, and it stops its containerd as on stop().
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process.start(QStringLiteral("dockerd"),
                        {QStringLiteral("--data-root"), dir + QStringLiteral("/root"), QStringLiteral("--exec-root"), dir + QStringLiteral("/exec"),
                         QStringLiteral("--pidfile"), dir + QStringLiteral("/dockerd.pid"), QStringLiteral("--host"), QStringLiteral("unix://") + m_socket,
                         QStringLiteral("--iptables=false"), QStringLiteral("--ip6tables=false"), QStringLiteral("--bridge=none"),
                         QStringLiteral("--storage-driver"), QStringLiteral("overlay2")});
        if (!m_process.waitForStarted(10000))
            return QStringLiteral("dockerd did not start: ") + m_process.errorString();
        for (int i = 0; i < 150; ++i) {
            if (m_process.state() != QProcess::Running)
                return QStringLiteral("dockerd exited:\n") + log();
            if (QFileInfo::exists(m_socket) && docker({QStringLiteral("version")}).code == 0)
                return {};
            QThread::msleep(200);
        }
        return QStringLiteral("dockerd did not answer within 30 s:\n") + log();
    }
    // Stops the daemon by its pid and waits for it (it stops its containerd too).
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_process.processId()), SIGTERM);
        if (!m_process.waitForFinished(30000)) {
            ::kill(pid_t(m_process.processId()), SIGKILL);
            m_process.waitForFinished(5000);
        }
    }
    ToolRun docker(const QStringList &args, int timeoutMs = 60000) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + m_socket);
        env.insert(QStringLiteral("DOCKER_BUILDKIT"), QStringLiteral("0")); // the classic builder: no buildx here
        env.insert(QStringLiteral("DOCKER_CONFIG"), m_dir + QStringLiteral("/client"));
        return runTool(QStringLiteral("docker"), args, env, timeoutMs);
    }
    QString root() const { return m_dir + QStringLiteral("/root"); }
    QString log() const
    {
        QFile f(m_dir + QStringLiteral("/dockerd.log"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(3000)) : QString();
    }

private:
    QProcess m_process;
    QString m_dir;
    QString m_socket;
};

