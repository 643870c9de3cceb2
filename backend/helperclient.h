// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "helperprotocol.h"
#include "uniquefd.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <sys/types.h>

namespace strata {

// How strata-helper is started. Auto: direct as root, rootless otherwise.
enum class HelperMode : uint8_t { Auto, Direct, Rootless, Pkexec };
std::optional<HelperMode> helperModeFromName(QStringView name);
QString helperModeName(HelperMode mode);

// The client side of the helper protocol (docs/helper-protocol.md), used by the CLI and the GUI:
// starts strata-helper as a child, sends requests, collects replies and events, notices a helper
// that died or stopped answering (each call has a timeout) and can start a new one. Not
// thread-safe; one owner. Starting is start(), never the constructor.
class HelperClient
{
public:
    struct Options {
        QString helperPath; // empty: $STRATA_HELPER, else strata-helper beside this executable
        HelperMode mode = HelperMode::Auto;
        int timeoutMs = 10000; // a reply later than this counts as a hung helper
    };
    using EventHandler = std::function<void(const helper::Message &event)>;

    explicit HelperClient(Options options)
        : m_options(std::move(options))
    {
    }
    ~HelperClient();
    HelperClient(const HelperClient &) = delete;
    HelperClient &operator=(const HelperClient &) = delete;

    // Starts the helper and checks it speaks our protocol version (hello).
    std::optional<Error> start();
    // Stops a running helper (SIGKILL if it does not exit on EOF) and starts a new one. Its mounts
    // are gone: the caller mounts again.
    std::optional<Error> restart();
    void stop();
    bool running() const { return m_pid > 0; }
    pid_t pid() const { return m_pid; }
    HelperMode mode() const { return m_resolvedMode; }
    QJsonObject hello() const { return m_hello; }

    // Sends a request and waits for its reply; events of this request go to `onEvent` (events of
    // other requests, e.g. a running watch, queue up in pendingEvents()). A dead or hung helper is
    // an Io error saying so; the helper is then stopped (restart() brings a new one).
    Expected<QJsonObject> call(const QString &op, const QJsonObject &args = {}, const EventHandler &onEvent = {}, int timeoutMs = -1);
    // Sends without waiting: the request id, for waitReply.
    Expected<int64_t> send(const QString &op, const QJsonObject &args = {});
    Expected<QJsonObject> waitReply(int64_t id, const EventHandler &onEvent = {}, int timeoutMs = -1);
    // Raw bytes to the helper (tests: malformed and oversize lines). A newline is appended.
    std::optional<Error> sendRaw(const QByteArray &line);
    // The next message of any kind, e.g. a watch's event. No message within timeoutMs is a
    // Cancelled error and leaves the helper running (waiting for events is no sign of a hang).
    Expected<helper::Message> nextMessage(int timeoutMs = -1);

    std::deque<helper::Message> &pendingEvents() { return m_events; }
    // The reply to `id` if it was read while waiting for another one (a long `run` whose reply
    // came during a file operation); never reads from the helper.
    std::optional<helper::Message> takeReply(int64_t id);
    // Fds the helper passed (SCM_RIGHTS), oldest first: after an open-storage reply saying `fds`:
    // N, its N layer dirs. Fewer come back if fewer arrived.
    std::vector<UniqueFd> takeFds(size_t count);

private:
    Expected<helper::Message> readMessage(int timeoutMs, bool timeoutIsHang = true);
    // Stops the helper (unless already reaped) and says why in an Io error.
    Error died(const QString &why, bool reaped = false);
    QString helperPath() const;
    void removeScratch();

    Options m_options;
    HelperMode m_resolvedMode = HelperMode::Auto;
    pid_t m_pid = -1;
    int m_socket = -1; // the helper's stdin and stdout
    std::deque<UniqueFd> m_fds; // passed by the helper, not taken yet
    int64_t m_nextId = 1;
    helper::LineReader m_reader;
    std::deque<helper::Message> m_events; // events not for the call being waited on
    std::deque<helper::Message> m_replies; // replies read while waiting for another one
    QJsonObject m_hello;
};

} // namespace strata
