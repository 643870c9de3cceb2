// SPDX-License-Identifier: GPL-3.0-or-later
// strata-helper: the privileged side. --serve speaks the JSON-lines protocol (docs/helper-protocol.md)
// on stdin/stdout from a private mount namespace (and, rootless, a user namespace mapping the
// invoking user to root), so every mount it makes vanishes with it. --self-test reports what the
// kernel allows.
#include "logging.h"
#include "mounter.h"
#include "server.h"
#include "strata/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace strata;
using namespace strata::helper;

namespace {

bool writeFile(const char *path, const std::string &text)
{
    QFile f(QString::fromLatin1(path));
    return f.open(QIODevice::WriteOnly) && f.write(text.data(), qint64(text.size())) == qint64(text.size());
}

// Enters the helper's namespaces; an empty string on success, else what failed.
std::string enterNamespaces(bool rootless)
{
    if (rootless) {
        const uid_t uid = ::getuid();
        const gid_t gid = ::getgid();
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return std::string("unshare(user+mount): ") + std::strerror(errno);
        if (!writeFile("/proc/self/setgroups", "deny") || !writeFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1")
            || !writeFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
            return std::string("writing the id maps: ") + std::strerror(errno);
    } else if (::unshare(CLONE_NEWNS) != 0) {
        return std::string("unshare(mount): ") + std::strerror(errno);
    }
    // Nothing mounted here propagates back to the host.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return std::string("making / private: ") + std::strerror(errno);
    return {};
}

// The user the helper acts for: PKEXEC_UID under pkexec, else whoever started it.
Invoker invokerFor(bool rootless)
{
    Invoker invoker;
    if (rootless || ::geteuid() != 0)
        return invoker; // inside the user namespace the kernel enforces the user's own rights
    const char *pkexecUid = std::getenv("PKEXEC_UID");
    if (!pkexecUid)
        return invoker;
    invoker.uid = uid_t(std::strtoul(pkexecUid, nullptr, 10));
    invoker.gid = invoker.uid;
    // NSS is consulted here, before any image root is entered (CVE-2019-14271).
    if (const passwd *pw = ::getpwuid(invoker.uid)) {
        invoker.gid = pw->pw_gid;
        int count = 64;
        invoker.groups.resize(size_t(count));
        if (::getgrouplist(pw->pw_name, pw->pw_gid, invoker.groups.data(), &count) < 0) {
            invoker.groups.resize(size_t(count));
            ::getgrouplist(pw->pw_name, pw->pw_gid, invoker.groups.data(), &count);
        }
        invoker.groups.resize(size_t(std::max(count, 0)));
    } else {
        invoker.groups = {invoker.gid};
    }
    return invoker;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("strata-helper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Strata's helper: mounts overlay stacks in a private mount namespace."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption verbose(QStringLiteral("verbose"), QStringLiteral("Log debug messages to stderr."));
    const QCommandLineOption selfTest(QStringLiteral("self-test"), QStringLiteral("Check that overlayfs is available, print the result."));
    const QCommandLineOption serve(QStringLiteral("serve"), QStringLiteral("Serve the helper protocol on stdin/stdout."));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("direct (root) or rootless (user namespace); default: direct as root."),
                                  QStringLiteral("mode"));
    parser.addOptions({verbose, selfTest, serve, mode});
    parser.process(app);
    strata::initLogging(QStringLiteral("strata-helper"), parser.isSet(verbose));
    if (parser.isSet(selfTest)) {
        QFile filesystems(QStringLiteral("/proc/filesystems"));
        const bool overlay = filesystems.open(QIODevice::ReadOnly) && filesystems.readAll().contains("\toverlay\n");
        std::printf("overlayfs: %s\n", overlay ? "available" : "missing");
        std::printf("layers as fds (FSCONFIG_SET_FD): %s\n", kernelTakesLayerFds() ? "yes" : "no");
        return overlay ? 0 : 1;
    }
    if (!parser.isSet(serve)) {
        std::fprintf(stderr, "strata-helper: nothing to do; see --help\n");
        return 2;
    }
    const QString modeName = parser.isSet(mode) ? parser.value(mode) : (::geteuid() == 0 ? QStringLiteral("direct") : QStringLiteral("rootless"));
    if (modeName != u"direct" && modeName != u"rootless") {
        std::fprintf(stderr, "strata-helper: --mode is direct or rootless\n");
        return 2;
    }
    const bool rootless = modeName == u"rootless";
    if (!rootless && ::geteuid() != 0) {
        std::fprintf(stderr, "strata-helper: direct mode needs root; use --mode=rootless\n");
        return 2;
    }
    ::signal(SIGPIPE, SIG_IGN);
    const Invoker invoker = invokerFor(rootless);
    if (const std::string failure = enterNamespaces(rootless); !failure.empty()) {
        std::fprintf(stderr, "strata-helper: %s\n", failure.c_str());
        return 3;
    }
    // Mount points live on a tmpfs only this namespace sees; the empty dir under it is the only
    // trace on the host and goes when the helper exits normally.
    QByteArray scratch = QFile::encodeName(QDir::tempPath()) + "/strata-helper-XXXXXX";
    if (!::mkdtemp(scratch.data()) || ::mount("tmpfs", scratch.constData(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
        std::fprintf(stderr, "strata-helper: cannot set up the scratch dir %s: %s\n", scratch.constData(), std::strerror(errno));
        return 3;
    }
    spdlog::info("serving in {} mode for uid {}, scratch {}", modeName.toStdString(), invoker.uid, scratch.constData());
    Server server(modeName, QFile::decodeName(scratch), invoker);
    const int rc = server.exec();
    ::umount2(scratch.constData(), MNT_DETACH);
    ::rmdir(scratch.constData());
    return rc;
}
