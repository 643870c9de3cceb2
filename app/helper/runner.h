// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "mounter.h"
#include "uniquefd.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <sys/types.h>

namespace strata::helper {

using Send = std::function<void(const QByteArray &line)>;

// One command running inside a merged root: fresh mount, PID and UTS namespaces, pivot_root into
// the merged dir, argv and env exactly as given (nothing inherited), stdin /dev/null. Its stdout and
// stderr stream as events of the request that started it; the reply is the exit status.
class Runner
{
public:
    // privateNetwork: a new network namespace too, with only its loopback, brought up. A non-root
    // invoker's command runs as that user (ids and groups), so it reads nothing the user could not.
    static Expected<std::unique_ptr<Runner>> start(const QString &mergedRoot, const QStringList &argv, const QStringList &env, bool privateNetwork,
                                                   const Invoker &invoker, int64_t requestId, int64_t runId);
    ~Runner();
    std::vector<int> fds() const; // to poll: the output pipes still open and the pidfd
    // Handles readiness of `fd`; true when the run has finished and its reply was sent.
    bool onReadable(int fd, const Send &send);
    void kill();
    int64_t requestId() const { return m_requestId; }
    int64_t runId() const { return m_runId; }

private:
    Runner() = default;
    bool finishIfDone(const Send &send);

    pid_t m_pid = -1;
    UniqueFd m_pidfd, m_stdout, m_stderr;
    bool m_exited = false;
    int m_status = 0;
    int64_t m_requestId = 0;
    int64_t m_runId = 0;
};

} // namespace strata::helper
