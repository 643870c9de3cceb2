// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fileops.h"
#include "helperprotocol.h"
#include "mounter.h"
#include "runner.h"
#include "watcher.h"

#include <QString>

#include <map>
#include <memory>

namespace strata::helper {

// The helper's request loop: reads requests from stdin, one at a time, and answers on stdout.
// `run` and `watch` keep streaming events after their first reply; poll() serves all fds.
class Server
{
public:
    Server(QString mode, QString scratch, Invoker invoker)
        : m_mode(std::move(mode))
        , m_scratch(scratch)
        , m_mounter(scratch, invoker, m_mode == u"rootless")
        , m_invoker(std::move(invoker))
    {
    }
    int exec(); // until stdin closes or a shutdown request; the exit code
    void send(const QByteArray &line);
    // The line with `fds` attached (SCM_RIGHTS on the socket the client gave as stdout).
    std::optional<Error> sendWithFds(const QByteArray &line, const std::vector<int> &fds);

private:
    void handleLine(const LineReader::Line &line);
    void handle(const Request &request);
    Expected<QJsonObject> dispatch(const Request &request);
    MountedStack *mountOf(const Request &request, Error *error);
    void stopAll();

    QString m_mode;
    QString m_scratch;
    Mounter m_mounter;
    Invoker m_invoker;
    FileOps m_files;
    LineReader m_reader;
    std::map<QString, std::unique_ptr<Watcher>> m_watchers; // by mount id
    std::map<int64_t, std::unique_ptr<Runner>> m_runs; // by run id
    int64_t m_nextRun = 1;
    bool m_quit = false;
};

} // namespace strata::helper
