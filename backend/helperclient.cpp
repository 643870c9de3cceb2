// SPDX-License-Identifier: GPL-3.0-or-later
#include "helperclient.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace strata {

using helper::Message;

namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : int(left);
}

} // namespace

std::optional<HelperMode> helperModeFromName(QStringView name)
{
    if (name == u"auto")
        return HelperMode::Auto;
    if (name == u"direct")
        return HelperMode::Direct;
    if (name == u"rootless")
        return HelperMode::Rootless;
    if (name == u"pkexec")
        return HelperMode::Pkexec;
    return std::nullopt;
}

QString helperModeName(HelperMode mode)
{
    switch (mode) {
    case HelperMode::Auto:
        return QStringLiteral("auto");
    case HelperMode::Direct:
        return QStringLiteral("direct");
    case HelperMode::Rootless:
        return QStringLiteral("rootless");
    case HelperMode::Pkexec:
        return QStringLiteral("pkexec");
    }
    return {};
}

HelperClient::~HelperClient()
{
    stop();
}

QString HelperClient::helperPath() const
{
    if (!m_options.helperPath.isEmpty())
        return m_options.helperPath;
    const QByteArray env = qgetenv("STRATA_HELPER");
    if (!env.isEmpty())
        return QFile::decodeName(env);
    // Beside the executable in a build tree; installed, in libexec/strata (app/helper/CMakeLists.txt).
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/strata-helper");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/../libexec/strata/strata-helper");
}

std::optional<Error> HelperClient::start()
{
    if (running())
        return std::nullopt;
    m_resolvedMode = m_options.mode;
    if (m_resolvedMode == HelperMode::Auto)
        m_resolvedMode = ::geteuid() == 0 ? HelperMode::Direct : HelperMode::Rootless;
    const QString path = helperPath();
    if (!QFileInfo(path).isExecutable())
        return makeError(ErrorCode::NotFound, QStringLiteral("strata-helper not found (set STRATA_HELPER)"), path);
    std::vector<std::string> args;
    if (m_resolvedMode == HelperMode::Pkexec)
        args.push_back("pkexec");
    args.push_back(QFile::encodeName(path).toStdString());
    args.push_back("--serve");
    args.push_back(m_resolvedMode == HelperMode::Rootless ? "--mode=rootless" : "--mode=direct");
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    // One socket for both directions (the helper's stdin and stdout): it can carry fds
    // (SCM_RIGHTS, open-storage), and pkexec passes it through like any stdio.
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return errorFromErrno(errno, path, QStringLiteral("socket for strata-helper"));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, sv[1], STDOUT_FILENO);
    pid_t pid = -1;
    const int rc = m_resolvedMode == HelperMode::Pkexec ? ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ)
                                                        : ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    if (rc != 0) {
        ::close(sv[0]);
        return errorFromErrno(rc, path, QStringLiteral("cannot start strata-helper"));
    }
    m_pid = pid;
    m_socket = sv[0];
    m_fds.clear();
    m_reader = {};
    m_events.clear();
    m_replies.clear();
    auto hello = call(QStringLiteral("hello"));
    if (!hello)
        return hello.error();
    m_hello = *hello;
    spdlog::info("strata-helper pid {} in {} mode", m_pid, helperModeName(m_resolvedMode).toStdString());
    return std::nullopt;
}

void HelperClient::stop()
{
    if (m_pid <= 0)
        return;
    ::shutdown(m_socket, SHUT_WR); // EOF: the helper unmounts everything and exits
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
        if (Clock::now() > deadline) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::close(m_socket);
    m_socket = -1;
    m_fds.clear();
    m_pid = -1;
    removeScratch();
}

void HelperClient::removeScratch()
{
    // A killed helper cannot remove its scratch dir (its tmpfs was only in its namespace, so the
    // host side is an empty dir). rmdir, never recursive: only an empty dir goes.
    const QString scratch = m_hello.value(QStringLiteral("scratch")).toString();
    if (scratch.contains(QStringLiteral("/strata-helper-")))
        ::rmdir(QFile::encodeName(scratch).constData());
}

std::optional<Error> HelperClient::restart()
{
    stop();
    return start();
}

Error HelperClient::died(const QString &why, bool reaped)
{
    const pid_t pid = m_pid;
    if (m_pid > 0) {
        if (!reaped) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_socket);
        m_socket = -1;
        m_fds.clear();
        m_pid = -1;
        removeScratch();
    }
    spdlog::warn("strata-helper (pid {}): {}", pid, why.toStdString());
    return makeError(ErrorCode::Io, QStringLiteral("strata-helper %1; its mounts are gone, restart it").arg(why));
}

std::optional<Error> HelperClient::sendRaw(const QByteArray &line)
{
    if (!running())
        return makeError(ErrorCode::Io, QStringLiteral("strata-helper is not running"));
    QByteArray out = line + '\n';
    for (qsizetype done = 0; done < out.size();) {
        const ssize_t n = ::send(m_socket, out.constData() + done, size_t(out.size() - done), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return died(QStringLiteral("stopped reading requests"));
        done += n;
    }
    return std::nullopt;
}

Expected<int64_t> HelperClient::send(const QString &op, const QJsonObject &args)
{
    const int64_t id = m_nextId++;
    const QByteArray line = helper::encodeRequest(id, op, args);
    if (line.size() > helper::maxMessageBytes)
        return makeError(ErrorCode::LimitExceeded, QStringLiteral("request of %1 bytes exceeds the protocol's cap").arg(line.size()));
    if (auto e = sendRaw(line))
        return *e;
    return id;
}

Expected<Message> HelperClient::readMessage(int timeoutMs, bool timeoutIsHang)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? m_options.timeoutMs : timeoutMs);
    for (;;) {
        if (auto line = m_reader.next()) {
            if (line->oversize)
                return died(QStringLiteral("sent a message over the size cap"));
            auto message = helper::parseMessage(line->bytes);
            if (!message)
                return died(QStringLiteral("sent a malformed message: %1").arg(message.error().message()));
            return message;
        }
        if (!running())
            return makeError(ErrorCode::Io, QStringLiteral("strata-helper is not running"));
        pollfd p{m_socket, POLLIN, 0};
        const int ready = ::poll(&p, 1, remainingMs(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0 && !timeoutIsHang)
            return makeError(ErrorCode::Cancelled, QStringLiteral("no message from strata-helper within %1 ms").arg(timeoutMs));
        if (ready == 0)
            return died(QStringLiteral("did not answer within %1 ms").arg(timeoutMs < 0 ? m_options.timeoutMs : timeoutMs));
        char buffer[65536];
        // Fds the helper passes (open-storage) come with the first bytes of their reply.
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 253)];
        iovec iov{buffer, sizeof buffer};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(m_socket, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < count; ++i) {
                int fd = -1;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                m_fds.emplace_back(fd);
            }
        }
        if (n >= 0 && (msg.msg_flags & MSG_CTRUNC))
            return died(QStringLiteral("passed more fds than a message may carry"));
        if (n <= 0) {
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            const QString how = WIFSIGNALED(status) ? QStringLiteral("was killed by signal %1").arg(WTERMSIG(status))
                                                    : QStringLiteral("exited with status %1").arg(WEXITSTATUS(status));
            return died(how, /*reaped=*/true);
        }
        m_reader.append(QByteArrayView(buffer, n));
    }
}

Expected<Message> HelperClient::nextMessage(int timeoutMs)
{
    if (!m_events.empty()) {
        Message m = std::move(m_events.front());
        m_events.pop_front();
        return m;
    }
    return readMessage(timeoutMs, false);
}

Expected<QJsonObject> HelperClient::waitReply(int64_t id, const EventHandler &onEvent, int timeoutMs)
{
    auto toResult = [](const Message &m) -> Expected<QJsonObject> {
        if (m.ok)
            return m.result;
        return *m.error;
    };
    for (auto it = m_replies.begin(); it != m_replies.end(); ++it) {
        if (it->id == id) {
            Message m = std::move(*it);
            m_replies.erase(it);
            return toResult(m);
        }
    }
    for (;;) {
        auto message = readMessage(timeoutMs);
        if (!message)
            return message.error();
        if (message->kind == Message::Kind::Event) {
            if (message->id == id && onEvent)
                onEvent(*message);
            else
                m_events.push_back(std::move(*message));
            continue;
        }
        if (message->id == id)
            return toResult(*message);
        if (message->id == 0 && !message->ok)
            return *message->error; // a refusal of a line the helper could not read an id from
        m_replies.push_back(std::move(*message));
    }
}

std::optional<Message> HelperClient::takeReply(int64_t id)
{
    for (auto it = m_replies.begin(); it != m_replies.end(); ++it) {
        if (it->id == id) {
            Message m = std::move(*it);
            m_replies.erase(it);
            return m;
        }
    }
    return std::nullopt;
}

std::vector<UniqueFd> HelperClient::takeFds(size_t count)
{
    std::vector<UniqueFd> out;
    while (count-- > 0 && !m_fds.empty()) {
        out.push_back(std::move(m_fds.front()));
        m_fds.pop_front();
    }
    return out;
}

Expected<QJsonObject> HelperClient::call(const QString &op, const QJsonObject &args, const EventHandler &onEvent, int timeoutMs)
{
    auto id = send(op, args);
    if (!id)
        return id.error();
    return waitReply(*id, onEvent, timeoutMs);
}

} // namespace strata
