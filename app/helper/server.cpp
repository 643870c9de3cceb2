// SPDX-License-Identifier: GPL-3.0-or-later
#include "server.h"

#include "mergedcompare.h"
#include "overlaystack.h"
#include "source.h"
#include "storageopener.h"
#include "strata/version.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

namespace strata::helper {

namespace {

// The engine's merged view of the mounted stack against the kernel's walk of the mount.
Expected<QJsonObject> verifyMount(const MountedStack &m)
{
    auto stack = OverlayStack::load(*overlaySourceFromConfig(m.config), nullptr, OverlayStack::LoadDepth::MergedView);
    if (!stack)
        return stack.error();
    const auto mismatches = compareViews(describeEngineView(*stack), describeKernelView(QFile::encodeName(m.merged).toStdString()));
    QJsonArray list;
    for (const ViewMismatch &mm : mismatches) {
        if (list.size() >= 100)
            break;
        list.append(QJsonObject{{QStringLiteral("path"), QString::fromStdString(mm.path)}, {QStringLiteral("engine"), QString::fromStdString(mm.engine)},
                                {QStringLiteral("kernel"), QString::fromStdString(mm.kernel)}});
    }
    return QJsonObject{{QStringLiteral("entries"), qint64(stack->merged.nodes.size() - 1)}, {QStringLiteral("mismatchCount"), qint64(mismatches.size())},
                       {QStringLiteral("mismatches"), list}};
}

} // namespace

void Server::send(const QByteArray &line)
{
    QByteArray out = line;
    out.append('\n');
    for (qsizetype done = 0; done < out.size();) {
        const ssize_t n = ::write(STDOUT_FILENO, out.constData() + done, size_t(out.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_quit = true; // the client is gone
            return;
        }
        done += n;
    }
}

std::optional<Error> Server::sendWithFds(const QByteArray &line, const std::vector<int> &fds)
{
    if (fds.empty()) {
        send(line);
        return std::nullopt;
    }
    QByteArray out = line;
    out.append('\n');
    std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
    iovec iov{out.data(), size_t(out.size())};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
    ssize_t n;
    do {
        n = ::sendmsg(STDOUT_FILENO, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ENOTSOCK)
            return makeError(ErrorCode::Unsupported, QStringLiteral("passing fds needs a socket to the client (this helper talks over a pipe)"));
        return errorFromErrno(errno, QString(), QStringLiteral("sending the fds"));
    }
    // The fds went with the first bytes; the rest of the line follows as usual.
    if (n < out.size()) {
        const QByteArray rest = out.mid(n);
        send(rest.left(rest.size() - 1));
    }
    return std::nullopt;
}

int Server::exec()
{
    const Send sendFn = [this](const QByteArray &line) { send(line); };
    while (!m_quit) {
        std::vector<pollfd> fds{{STDIN_FILENO, POLLIN, 0}};
        std::vector<std::pair<int64_t, int>> runFds; // run id, fd
        for (const auto &[id, run] : m_runs) {
            for (int fd : run->fds()) {
                fds.push_back({fd, POLLIN, 0});
                runFds.emplace_back(id, fd);
            }
        }
        std::vector<Watcher *> watchers;
        int timeout = -1;
        for (const auto &[id, watcher] : m_watchers) {
            fds.push_back({watcher->fd(), POLLIN, 0});
            watchers.push_back(watcher.get());
            const int due = watcher->msUntilFlush();
            if (due >= 0)
                timeout = timeout < 0 ? due : std::min(timeout, due);
        }
        const int ready = ::poll(fds.data(), fds.size(), timeout);
        if (ready < 0 && errno != EINTR)
            return 1;
        // Notifications first: a run's process that has just exited is a zombie until its run
        // reaps it below, so the name of the process that caused them can still be read.
        const size_t firstWatcher = 1 + runFds.size();
        for (size_t i = 0; i < watchers.size(); ++i) {
            if (fds[firstWatcher + i].revents)
                watchers[i]->onReadable();
        }
        size_t next = 1;
        for (const auto &[runId, fd] : runFds) {
            const pollfd &p = fds[next++];
            if (!p.revents)
                continue;
            auto it = m_runs.find(runId);
            if (it != m_runs.end() && it->second->onReadable(fd, sendFn))
                m_runs.erase(it);
        }
        for (Watcher *w : watchers)
            w->flush(sendFn);
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buffer[16384];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                spdlog::info("stdin closed: stopping");
                break;
            }
            if (n > 0) {
                m_reader.append(QByteArrayView(buffer, n));
                while (auto line = m_reader.next()) {
                    handleLine(*line);
                    if (m_quit)
                        break;
                }
            }
        }
    }
    stopAll();
    return 0;
}

void Server::stopAll()
{
    m_runs.clear(); // kills what still runs
    m_watchers.clear();
    m_mounter.unmountAll();
}

void Server::handleLine(const LineReader::Line &line)
{
    if (line.oversize) {
        const Error e = makeError(ErrorCode::LimitExceeded, QStringLiteral("message exceeds the cap of %1 bytes").arg(maxMessageBytes));
        spdlog::warn("refused: {}", e.message().toStdString());
        send(encodeError(0, e));
        return;
    }
    if (line.bytes.trimmed().isEmpty())
        return;
    auto parsed = parseRequest(line.bytes);
    if (auto *failure = std::get_if<ParseFailure>(&parsed)) {
        spdlog::warn("refused request {}: {}", failure->id, failure->error.message().toStdString());
        send(encodeError(failure->id, failure->error));
        return;
    }
    handle(std::get<Request>(parsed));
}

MountedStack *Server::mountOf(const Request &request, Error *error)
{
    MountedStack *m = m_mounter.find(request.string("mount"));
    if (!m)
        *error = makeError(ErrorCode::NotFound, QStringLiteral("no such mount"), request.string("mount"));
    return m;
}

void Server::handle(const Request &request)
{
    spdlog::info("request {} {} {}", request.id, request.op.toStdString(), QJsonDocument(request.args).toJson(QJsonDocument::Compact).left(300).toStdString());
    // run and watch answer themselves (run when the command ends); everything else answers here.
    if (request.op == u"run") {
        Error error;
        MountedStack *m = mountOf(request, &error);
        if (!m) {
            send(encodeError(request.id, error));
            return;
        }
        const int64_t runId = m_nextRun++;
        auto runner = Runner::start(m->merged, request.strings("argv"), request.strings("env"), request.boolean("network"), m_invoker, request.id, runId);
        if (!runner) {
            spdlog::warn("run refused: {}", runner.error().message().toStdString());
            send(encodeError(request.id, runner.error()));
            return;
        }
        send(encodeEvent(request.id, QStringLiteral("started"), QJsonObject{{QStringLiteral("run"), qint64(runId)}}));
        m_runs.emplace(runId, std::move(*runner));
        return;
    }
    if (request.op == u"open-storage") {
        // As the helper itself (root under pkexec): the storage is what the invoker cannot open.
        auto opened = openStorage(request.string("source"), m_invoker);
        if (!opened) {
            spdlog::warn("open-storage refused: {}", opened.error().message().toStdString());
            send(encodeError(request.id, opened.error()));
            return;
        }
        for (const QJsonObject &xattrs : opened->xattrEvents) {
            send(encodeEvent(request.id, QStringLiteral("xattrs"), xattrs));
            if (m_quit)
                return; // the client is gone
        }
        std::vector<int> fds;
        for (const UniqueFd &fd : opened->fds)
            fds.push_back(fd.get());
        if (auto e = sendWithFds(encodeReply(request.id, opened->result), fds)) {
            spdlog::warn("open-storage failed: {}", e->message().toStdString());
            send(encodeError(request.id, *e));
        }
        return; // our copies close here; the client holds its own
    }
    auto result = dispatch(request);
    if (result) {
        send(encodeReply(request.id, *result));
    } else {
        spdlog::warn("request {} {} failed: {}", request.id, request.op.toStdString(), result.error().message().toStdString());
        send(encodeError(request.id, result.error()));
    }
}

Expected<QJsonObject> Server::dispatch(const Request &request)
{
    const QString &op = request.op;
    if (op == u"hello") {
        return QJsonObject{{QStringLiteral("version"), protocolVersion}, {QStringLiteral("helper"), QStringLiteral(STRATA_VERSION)},
                           {QStringLiteral("mode"), m_mode}, {QStringLiteral("pid"), qint64(::getpid())},
                           {QStringLiteral("invokerUid"), qint64(m_invoker.uid)}, {QStringLiteral("layerFds"), kernelTakesLayerFds()},
                           {QStringLiteral("scratch"), m_scratch}};
    }
    if (op == u"status") {
        QJsonArray mounts;
        for (const auto &m : m_mounter.mounts()) {
            mounts.append(QJsonObject{{QStringLiteral("mount"), m->id}, {QStringLiteral("merged"), m->merged}, {QStringLiteral("api"), m->api},
                                      {QStringLiteral("options"), m->config.toOptionString()}, {QStringLiteral("watched"), m_watchers.contains(m->id)}});
        }
        QJsonArray runs;
        for (const auto &[id, run] : m_runs)
            runs.append(qint64(id));
        return QJsonObject{{QStringLiteral("mounts"), mounts}, {QStringLiteral("runs"), runs}, {QStringLiteral("mode"), m_mode}};
    }
    if (op == u"shutdown") {
        m_quit = true;
        return QJsonObject{};
    }
    if (op == u"mount") {
        MountRequest mr;
        mr.source = request.string("source");
        mr.options = request.strings("options");
        const QString api = request.string("api");
        if (api == u"legacy")
            mr.api = MountApi::Legacy;
        else if (api == u"fsconfig")
            mr.api = MountApi::Fsconfig;
        else if (!api.isEmpty() && api != u"auto")
            return makeError(ErrorCode::InvalidOption, QStringLiteral("api is auto, fsconfig or legacy, not '%1'").arg(api));
        auto m = m_mounter.mount(mr);
        if (!m)
            return m.error();
        return QJsonObject{{QStringLiteral("mount"), (*m)->id}, {QStringLiteral("merged"), (*m)->merged}, {QStringLiteral("api"), (*m)->api},
                           {QStringLiteral("options"), (*m)->config.toOptionString()}};
    }
    if (op == u"read-handle")
        return m_files.readHandle(request.integer("handle"), request.integer("size", 32 * 1024));
    if (op == u"close") {
        if (auto e = m_files.closeHandle(request.integer("handle")))
            return *e;
        return QJsonObject{};
    }
    if (op == u"kill") {
        auto it = m_runs.find(request.integer("run"));
        if (it == m_runs.end())
            return makeError(ErrorCode::NotFound, QStringLiteral("no running command %1").arg(request.integer("run")));
        it->second->kill();
        return QJsonObject{};
    }

    Error error;
    MountedStack *m = mountOf(request, &error);
    if (!m)
        return error;
    if (op == u"unmount") {
        m_watchers.erase(m->id);
        if (auto e = m_mounter.unmount(m->id))
            return *e;
        return QJsonObject{};
    }
    if (FileOps::isFileOp(op)) {
        // With the invoker's rights: overlayfs checks the caller's, so nothing in a layer the user
        // could not read or change is readable or changeable through the helper.
        AsInvoker as(m_invoker);
        return m_files.run(m->root.get(), request);
    }
    if (op == u"watch") {
        if (m_watchers.contains(m->id))
            return makeError(ErrorCode::InvalidOption, QStringLiteral("the mount is watched already"), m->id);
        auto w = Watcher::start(m->config, m_mode != u"rootless", request.id);
        if (!w)
            return w.error();
        const QString mechanism = QLatin1StringView((*w)->mechanism());
        m_watchers.emplace(m->id, std::move(*w));
        return QJsonObject{{QStringLiteral("mechanism"), mechanism}, {QStringLiteral("watch"), qint64(request.id)}};
    }
    if (op == u"unwatch") {
        if (m_watchers.erase(m->id) == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("the mount is not watched"), m->id);
        return QJsonObject{};
    }
    if (op == u"sync") {
        auto it = m_watchers.find(m->id);
        if (it == m_watchers.end())
            return makeError(ErrorCode::NotFound, QStringLiteral("the mount is not watched"), m->id);
        it->second->onReadable();
        it->second->flush([this](const QByteArray &line) { send(line); }, true);
        return QJsonObject{};
    }
    if (op == u"verify") {
        AsInvoker as(m_invoker); // both walks see what the invoker may see, no more
        return verifyMount(*m);
    }
    return makeError(ErrorCode::Unsupported, QStringLiteral("op %1 is not implemented").arg(op));
}

} // namespace strata::helper
