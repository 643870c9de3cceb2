// SPDX-License-Identifier: GPL-3.0-or-later
#include "runner.h"

#include "helperprotocol.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::helper {

namespace {

constexpr size_t outputChunk = 16 * 1024; // an output event stays far below the message cap

[[noreturn]] void childFail(int errorPipe, int step)
{
    const int e[2] = {step, errno};
    [[maybe_unused]] ssize_t n = ::write(errorPipe, e, sizeof e);
    _exit(127);
}

std::vector<std::string> toStrings(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(QFile::encodeName(s).toStdString());
    return out;
}

const char *stepName(int step)
{
    static const char *names[] = {"?", "making mounts private", "mounting /proc", "pivot_root", "detaching the old root", "setting the host name", "redirecting output", "exec", "bringing up the loopback", "switching to the invoking user"};
    return step > 0 && step < int(std::size(names)) ? names[step] : names[0];
}

} // namespace

Expected<std::unique_ptr<Runner>> Runner::start(const QString &mergedRoot, const QStringList &argv, const QStringList &env, bool privateNetwork,
                                                const Invoker &invoker, int64_t requestId, int64_t runId)
{
    if (argv.isEmpty() || argv.front().isEmpty())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("run needs a command"));
    for (const QString &s : argv + env) {
        if (s.contains(QChar(0)))
            return makeError(ErrorCode::InvalidOption, QStringLiteral("run arguments may not hold NUL"));
    }
    for (const QString &e : env) {
        if (!e.contains(u'=') || e.startsWith(u'='))
            return makeError(ErrorCode::InvalidOption, QStringLiteral("environment entries are NAME=VALUE, not '%1'").arg(e));
    }
    // Everything the child needs is prepared before the fork: after it, no allocation, no NSS.
    const std::string root = QFile::encodeName(mergedRoot).toStdString();
    const std::vector<std::string> args = toStrings(argv), vars = toStrings(env);
    std::vector<char *> argp, envp;
    for (const auto &a : args)
        argp.push_back(const_cast<char *>(a.c_str()));
    argp.push_back(nullptr);
    for (const auto &v : vars)
        envp.push_back(const_cast<char *>(v.c_str()));
    envp.push_back(nullptr);
    // A bare command name is looked up in the usual PATH inside the root (the helper's own PATH
    // says nothing about the image).
    std::vector<std::string> candidates;
    if (args.front().find('/') != std::string::npos) {
        candidates.push_back(args.front());
    } else {
        for (const char *dir : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
            candidates.push_back(std::string(dir) + "/" + args.front());
    }

    int out[2], err[2], status[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(status, O_CLOEXEC) != 0)
        return errorFromErrno(errno, QString(), QStringLiteral("pipe"));
    // A raw clone with a null stack behaves like fork; the child is PID 1 of its own namespace.
    const unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | (privateNetwork ? CLONE_NEWNET : 0) | SIGCHLD;
    const long pid = ::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, 0);
    if (pid < 0) {
        const int e = errno;
        for (int fd : {out[0], out[1], err[0], err[1], status[0], status[1]})
            ::close(fd);
        return errorFromErrno(e, mergedRoot, QStringLiteral("clone with new mount, PID and UTS namespaces"));
    }
    if (pid == 0) {
        ::close(status[0]);
        const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (privateNetwork) {
            // A new network namespace starts with its loopback down.
            const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            ifreq ifr{};
            std::memcpy(ifr.ifr_name, "lo", 3);
            if (sock < 0 || ::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0)
                childFail(status[1], 8);
            ifr.ifr_flags = short(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
            if (::ioctl(sock, SIOCSIFFLAGS, &ifr) != 0)
                childFail(status[1], 8);
            ::close(sock);
        }
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            childFail(status[1], 1);
        if (::chdir(root.c_str()) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0)
            childFail(status[1], 3);
        if (::umount2(".", MNT_DETACH) != 0 || ::chdir("/") != 0)
            childFail(status[1], 4);
        struct stat st{};
        if (::stat("/proc", &st) == 0 && S_ISDIR(st.st_mode) && ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
            childFail(status[1], 2);
        if (::sethostname("strata", 6) != 0)
            childFail(status[1], 5);
        if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0)
            childFail(status[1], 6);
        if (!invoker.isRoot()
            && (::setgroups(invoker.groups.size(), invoker.groups.data()) != 0 || ::setresgid(invoker.gid, invoker.gid, invoker.gid) != 0
                || ::setresuid(invoker.uid, invoker.uid, invoker.uid) != 0))
            childFail(status[1], 9);
        ::signal(SIGPIPE, SIG_DFL);
        int lastErrno = ENOENT;
        for (const auto &c : candidates) {
            ::execve(c.c_str(), argp.data(), envp.data());
            if (errno != ENOENT)
                lastErrno = errno;
        }
        errno = lastErrno;
        childFail(status[1], 7);
    }
    ::close(out[1]);
    ::close(err[1]);
    ::close(status[1]);
    std::unique_ptr<Runner> runner(new Runner);
    runner->m_pid = pid_t(pid);
    runner->m_stdout = UniqueFd(out[0]);
    runner->m_stderr = UniqueFd(err[0]);
    runner->m_requestId = requestId;
    runner->m_runId = runId;
    // The status pipe closes on a successful exec (CLOEXEC) or carries the failed step.
    int failure[2] = {0, 0};
    const ssize_t n = ::read(status[0], failure, sizeof failure);
    ::close(status[0]);
    if (n == sizeof failure) {
        ::waitpid(pid_t(pid), nullptr, 0);
        return errorFromErrno(failure[1], QString::fromUtf8(args.front().c_str()), QStringLiteral("run: %1 failed").arg(QLatin1StringView(stepName(failure[0]))));
    }
    runner->m_pidfd = UniqueFd(int(::syscall(SYS_pidfd_open, pid, 0)));
    spdlog::info("run {}: started pid {} in {}", runId, pid, root);
    return runner;
}

Runner::~Runner()
{
    if (m_pid > 0 && !m_exited) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
}

std::vector<int> Runner::fds() const
{
    std::vector<int> out;
    for (const UniqueFd *fd : {&m_stdout, &m_stderr, &m_pidfd}) {
        if (fd->valid())
            out.push_back(fd->get());
    }
    return out;
}

void Runner::kill()
{
    if (m_pid > 0 && !m_exited)
        ::kill(m_pid, SIGKILL); // PID 1 of its namespace: the whole namespace goes with it
}

bool Runner::onReadable(int fd, const Send &send)
{
    for (auto [pipe, name] : {std::pair{&m_stdout, "stdout"}, std::pair{&m_stderr, "stderr"}}) {
        if (fd != pipe->get())
            continue;
        char buffer[outputChunk];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            pipe->reset();
        } else {
            send(encodeEvent(m_requestId, QString::fromLatin1(name),
                             QJsonObject{{QStringLiteral("run"), qint64(m_runId)}, {QStringLiteral("data"), QString::fromUtf8(buffer, n)}}));
        }
    }
    if (fd == m_pidfd.get()) {
        if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
            m_exited = true;
            m_pidfd.reset();
        }
    }
    return finishIfDone(send);
}

bool Runner::finishIfDone(const Send &send)
{
    // The reply comes after all output: both pipes at EOF and the process reaped.
    if (!m_exited || m_stdout.valid() || m_stderr.valid())
        return false;
    QJsonObject result{{QStringLiteral("run"), qint64(m_runId)}};
    if (WIFEXITED(m_status))
        result.insert(QStringLiteral("exit"), WEXITSTATUS(m_status));
    else if (WIFSIGNALED(m_status))
        result.insert(QStringLiteral("signal"), WTERMSIG(m_status));
    spdlog::info("run {}: finished with status {}", m_runId, m_status);
    send(encodeReply(m_requestId, result));
    return true;
}

} // namespace strata::helper
