// SPDX-License-Identifier: GPL-3.0-or-later
#include "livesession.h"

#include "changekind.h"
#include "helpermode.h"
#include "treecopy.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

namespace strata {

namespace {

QJsonObject withMount(QJsonObject args, const QString &mountId)
{
    args.insert(QStringLiteral("mount"), mountId);
    return args;
}

QString upperKindName(const OverlayStack *stack, const QString &path)
{
    if (!stack || stack->layers.empty() || path.startsWith(u'#'))
        return QStringLiteral("absent");
    const UnionId id = stack->findUnion(path.toStdString());
    if (id == noUnion)
        return QStringLiteral("absent");
    return QString::fromLatin1(changeKindName(stack->unionTree.kind(id, stack->layers.size() - 1)));
}

qint64 bytesWritten(const FileOpRequest &request)
{
    if (request.op == u"create" || request.op == u"write" || request.op == u"append")
        return request.args.value(QStringLiteral("data")).toString().toUtf8().size();
    return 0;
}

} // namespace

// Owns the helper; lives on LiveSession's worker thread, so every blocking call happens there.
// Results go back to the session as queued calls on the GUI thread.
class LiveWorker : public QObject
{
public:
    explicit LiveWorker(LiveSession *session)
        : m_session(session)
    {
    }

    void mount(const LiveSession::Settings &settings)
    {
        m_clock.start();
        auto plan = planMount(settings.source, settings.baseDir, settings.upperChoice, settings.upperDir);
        if (!plan)
            return fail(plan.error());
        m_plan = *plan;
        m_options = settings.options;
        // Automatic: rootless unless the stack needs more (root-only layers, trusted.* xattrs,
        // redirect_dir/metacopy/index): then pkexec, or an error saying what is needed.
        auto choice = helperModeFor(m_plan, m_options, settings.mode);
        if (!choice)
            return fail(choice.error());
        HelperClient::Options o;
        o.helperPath = settings.helperPath;
        o.mode = choice->mode;
        m_client = std::make_unique<HelperClient>(o);
        if (auto e = m_client->start())
            return fail(*e);

        // The upper dir as mounted, for Reset.
        m_snapshot = std::make_unique<QTemporaryDir>();
        if (!m_snapshot->isValid())
            return fail(makeError(ErrorCode::Io, QStringLiteral("cannot create a directory for the upper dir's snapshot"), QDir::tempPath()));
        if (auto e = copyTree(m_plan.upper, snapshotUpper()))
            return fail(*e);
        mountNow();
    }

    void remount(const QStringList &options, bool fresh)
    {
        if (!unmountNow())
            return;
        if (fresh && !restoreUpper())
            return;
        const QStringList previous = m_options;
        m_options = options;
        if (!mountNow()) {
            // The kernel refused these options (the failure is reported): back to the last ones.
            m_options = previous;
            mountNow();
        }
    }

    void reset()
    {
        if (unmountNow() && restoreUpper())
            mountNow();
    }

    Expected<QJsonObject> call(const QString &op, const QJsonObject &args)
    {
        if (!m_client || m_mountId.isEmpty())
            return makeError(ErrorCode::Io, QStringLiteral("not mounted"));
        // Ops on a kept handle (read-handle, close) name no mount.
        return m_client->call(op, args.contains(QStringLiteral("handle")) ? args : withMount(args, m_mountId));
    }

    void unmount()
    {
        stopHelper();
        QMetaObject::invokeMethod(m_session, [s = m_session] {
            s->m_stack.reset();
            s->setState(LiveSession::State::Off);
            Q_EMIT s->unmounted();
        });
    }

    void perform(const FileOpRequest &request, int index)
    {
        if (!m_client || m_mountId.isEmpty())
            return;
        auto done = m_client->call(request.op, withMount(request.args, m_mountId));
        std::optional<Error> error;
        QJsonObject result;
        if (!done)
            error = done.error();
        else
            result = *done;
        if (done || !done.error().message().startsWith(QStringLiteral("strata-helper"))) {
            if (auto synced = m_client->call(QStringLiteral("sync"), withMount({}, m_mountId)); !synced)
                error = synced.error();
        }
        const qint64 ms = m_clock.elapsed();
        if (m_client && !m_client->running()) {
            // The helper died on this request: say so with the operation, then start a new one.
            QMetaObject::invokeMethod(m_session, [s = m_session, index, error, ms] {
                s->m_operations[size_t(index)].error = error;
                s->m_operations[size_t(index)].msSinceMount = ms;
                Q_EMIT s->operationDone(index);
            });
            recoverIfDied();
            return;
        }
        QMetaObject::invokeMethod(m_session, [s = m_session, index, error, ms, result] {
            s->m_operations[size_t(index)].error = error;
            s->m_operations[size_t(index)].result = result;
            s->m_operations[size_t(index)].msSinceMount = ms;
            s->setState(LiveSession::State::Live);
            Q_EMIT s->operationDone(index);
        });
        drain(index);
    }

    void runCommand(const QStringList &argv, bool network)
    {
        if (!m_client || m_mountId.isEmpty() || m_runRequest)
            return;
        const QJsonObject args{{QStringLiteral("mount"), m_mountId},
                               {QStringLiteral("argv"), QJsonArray::fromStringList(argv)},
                               {QStringLiteral("env"), QJsonArray{QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")}},
                               {QStringLiteral("network"), network}};
        auto id = m_client->send(QStringLiteral("run"), args);
        if (!id)
            return fail(id.error());
        m_runRequest = *id;
        m_runId = 0;
    }

    void killCommand()
    {
        if (m_client && m_runId > 0)
            (void)m_client->call(QStringLiteral("kill"), QJsonObject{{QStringLiteral("run"), m_runId}});
    }

    void startPolling()
    {
        m_poll = new QTimer(this);
        m_poll->setInterval(60);
        connect(m_poll, &QTimer::timeout, this, [this] { drain(-1); });
        m_poll->start();
    }

    // On the worker thread, before it ends: the timer belongs to it.
    void shutdown()
    {
        stopHelper();
        delete m_poll;
        m_poll = nullptr;
    }

    void stopHelper()
    {
        if (m_client)
            m_client->stop(); // its namespace and every mount in it are gone
        m_client.reset();
        m_mountId.clear();
        m_runRequest = 0;
        if (m_plan.scratch) // the kernel leaves work/work mode 000: make it removable
            (void)removeTreeContents(m_plan.scratch->path());
        m_plan = {};
        m_stack.reset();
    }

private:
    QString snapshotUpper() const { return m_snapshot->filePath(QStringLiteral("upper")); }

    // The upper dir (unmounted) back as it was when mounted, byte for byte.
    bool restoreUpper()
    {
        if (auto e = removeTreeContents(m_plan.work))
            return fail(*e), false;
        if (auto e = removeTreeContents(m_plan.upper))
            return fail(*e), false;
        if (!QDir().rmdir(m_plan.upper))
            return fail(makeError(ErrorCode::Io, QStringLiteral("cannot remove the upper dir to restore it"), m_plan.upper)), false;
        if (auto e = copyTree(snapshotUpper(), m_plan.upper))
            return fail(*e), false;
        return true;
    }

    void fail(const Error &error)
    {
        QMetaObject::invokeMethod(m_session, [s = m_session, error] {
            s->setState(s->m_stack ? LiveSession::State::Live : LiveSession::State::Off);
            Q_EMIT s->failed(error);
        });
    }

    bool unmountNow()
    {
        if (!m_client)
            return false;
        if (auto done = m_client->call(QStringLiteral("unmount"), withMount({}, m_mountId)); !done) {
            fail(done.error());
            return false;
        }
        m_mountId.clear();
        return true;
    }

    bool mountNow()
    {
        // The options go into the source with the kernel's implications (metacopy=on brings
        // redirect_dir=on); a rootless helper mounts with userxattr. The scans read that source.
        QStringList options = m_options;
        if (m_client->mode() == HelperMode::Rootless && !options.contains(QStringLiteral("userxattr")))
            options << QStringLiteral("userxattr");
        auto planned = withOptions(m_plan, options);
        if (!planned)
            return fail(planned.error()), false;
        auto mounted = m_client->call(QStringLiteral("mount"), QJsonObject{{QStringLiteral("source"), planned->source}, {QStringLiteral("options"), QJsonArray()}});
        if (!mounted)
            return fail(mounted.error()), false;
        m_mountId = mounted->value(QStringLiteral("mount")).toString();
        const QString merged = mounted->value(QStringLiteral("merged")).toString();
        if (auto watch = m_client->call(QStringLiteral("watch"), withMount({}, m_mountId)); !watch)
            return fail(watch.error()), false;
        m_scanSource = planned->source;
        auto stack = OverlayStack::open(m_scanSource, QStringLiteral("/"));
        if (!stack)
            return fail(stack.error()), false;
        m_stack = std::make_shared<const OverlayStack>(std::move(stack).value());
        QMetaObject::invokeMethod(m_session, [s = m_session, stack = m_stack, source = m_scanSource, upper = m_plan.upper, merged, mode = m_client->mode(),
                                              options = m_options, pid = qint64(m_client->pid())] {
            s->m_helperPid = pid;
            s->m_stack = stack;
            s->m_mountedSource = source;
            s->m_upperDir = upper;
            s->m_mergedPath = merged;
            s->m_mode = mode;
            s->m_settings.options = options;
            s->setState(LiveSession::State::Live);
            Q_EMIT s->mounted(stack);
        });
        return true;
    }

    // A helper that died (a crash, SIGKILL, or killed by the client for not answering) took its
    // mounts along, but the upper dir is on disk: a new helper mounts the same stack over it.
    void recoverIfDied()
    {
        if (!m_client || m_client->running() || m_mountId.isEmpty())
            return;
        m_mountId.clear();
        m_runRequest = 0;
        m_runId = 0;
        QMetaObject::invokeMethod(m_session, [s = m_session] {
            s->m_commandRunning = false;
            s->setState(LiveSession::State::Mounting);
        });
        if (auto e = m_client->start()) {
            fail(*e);
            stopHelper();
            QMetaObject::invokeMethod(m_session, [s = m_session] {
                s->m_stack.reset();
                s->setState(LiveSession::State::Off);
                Q_EMIT s->unmounted();
            });
            return;
        }
        mountNow();
    }

    // Takes what the helper sent meanwhile: the watch's changes (then a new snapshot), a running
    // command's output and its end.
    void drain(int operation)
    {
        if (!m_client || !m_client->running()) {
            recoverIfDied();
            return;
        }
        std::vector<helper::Message> changes;
        for (;;) {
            auto message = m_client->nextMessage(0);
            if (!message) {
                if (message.error().code != ErrorCode::Cancelled) {
                    fail(message.error());
                    recoverIfDied();
                    return;
                }
                break;
            }
            handle(*message, changes);
        }
        if (m_runRequest) {
            if (auto reply = m_client->takeReply(m_runRequest))
                handle(*reply, changes);
        }
        if (!changes.empty())
            rescan(changes, operation);
    }

    void handle(const helper::Message &m, std::vector<helper::Message> &changes)
    {
        if (m.kind == helper::Message::Kind::Event && m.event == u"change") {
            changes.push_back(m);
        } else if (m.kind == helper::Message::Kind::Event && m.id == m_runRequest) {
            if (m.event == u"started") {
                m_runId = m.result.value(QStringLiteral("run")).toInteger();
                QMetaObject::invokeMethod(m_session, [s = m_session] {
                    s->m_commandRunning = true;
                    Q_EMIT s->commandStarted();
                });
            } else {
                QMetaObject::invokeMethod(m_session, [s = m_session, text = m.result.value(QStringLiteral("data")).toString(), err = m.event == u"stderr"] {
                    if (!err)
                        s->m_commandOutput += text;
                    Q_EMIT s->commandOutput(text, err);
                });
            }
        } else if (m.kind == helper::Message::Kind::Reply && m.id == m_runRequest) {
            m_runRequest = 0;
            m_runId = 0;
            QString how;
            if (!m.ok)
                how = m.error->message();
            else if (m.result.contains(QStringLiteral("signal")))
                how = QCoreApplication::translate("strata::LiveSession", "killed by signal %1").arg(m.result.value(QStringLiteral("signal")).toInt());
            else
                how = QCoreApplication::translate("strata::LiveSession", "exit status %1").arg(m.result.value(QStringLiteral("exit")).toInt());
            QMetaObject::invokeMethod(m_session, [s = m_session, how] {
                s->m_commandRunning = false;
                Q_EMIT s->commandFinished(how);
            });
        }
    }

    void rescan(const std::vector<helper::Message> &changes, int operation)
    {
        if (!m_stack)
            return;
        const size_t upper = m_stack->layers.size() - 1;
        auto next = OverlayStack::reload(*m_stack, {upper});
        if (!next)
            return fail(next.error());
        auto stack = std::make_shared<const OverlayStack>(std::move(next).value());
        std::vector<LiveEvent> events;
        const qint64 ms = m_clock.elapsed();
        for (const helper::Message &m : changes) {
            LiveEvent e;
            e.kind = m.result.value(QStringLiteral("kind")).toString();
            const QString rel = m.result.value(QStringLiteral("path")).toString();
            e.path = rel.startsWith(u'#') ? rel : u'/' + rel;
            e.upperPath = rel.startsWith(u'#') ? QString(m_plan.work + QStringLiteral("/index/") + rel.mid(7)) : QString(m_plan.upper + u'/' + rel);
            e.layer = m.result.value(QStringLiteral("layer")).toInt(-1);
            e.pid = m.result.value(QStringLiteral("pid")).toInteger();
            e.comm = m.result.value(QStringLiteral("comm")).toString();
            e.before = upperKindName(m_stack.get(), e.path);
            e.after = upperKindName(stack.get(), e.path);
            if (e.kind == u"data-copy-up" || e.kind == u"metadata-copy-up") {
                const UnionId id = stack->findUnion(e.path.toStdString());
                const EntryId cell = id == noUnion ? noEntry : stack->unionTree.cell(id, upper);
                if (cell != noEntry && stack->layers[upper].entries[cell].type == EntryType::File) {
                    const Entry &entry = stack->layers[upper].entries[cell];
                    e.bytes = e.kind == u"metadata-copy-up" || entry.has(FlagMetacopy) ? 0 : qint64(entry.size);
                }
            }
            e.msSinceMount = ms;
            e.operation = operation;
            events.push_back(std::move(e));
        }
        m_stack = stack;
        QMetaObject::invokeMethod(m_session, [s = m_session, stack, events = std::move(events)] {
            // Events first: whoever reacts to the snapshot (a lesson's checks) sees them too.
            s->m_stack = stack;
            const int first = int(s->m_events.size());
            s->m_events.insert(s->m_events.end(), events.begin(), events.end());
            Q_EMIT s->snapshotChanged(stack);
            Q_EMIT s->eventsAdded(first, int(events.size()));
        });
    }

    LiveSession *m_session;
    std::unique_ptr<HelperClient> m_client;
    MountPlan m_plan;
    QString m_mountId;
    QString m_scanSource;
    QStringList m_options;
    std::unique_ptr<QTemporaryDir> m_snapshot;
    std::shared_ptr<const OverlayStack> m_stack;
    QElapsedTimer m_clock;
    QTimer *m_poll = nullptr;
    int64_t m_runRequest = 0; // the request id of the running command
    qint64 m_runId = 0; // the helper's id for it (kill)
};

LiveSession::LiveSession(QObject *parent)
    : QObject(parent)
    , m_worker(new LiveWorker(this))
    , m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("strata-live-session"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, [w = m_worker] { w->startPolling(); });
    m_thread->start();
}

LiveSession::~LiveSession()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

void LiveSession::postToWorker(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_worker, std::move(work), Qt::QueuedConnection);
}

void LiveSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveSession::mount(const Settings &settings)
{
    if (isLive())
        unmount();
    m_settings = settings;
    m_events.clear();
    m_operations.clear();
    setState(State::Mounting);
    postToWorker([w = m_worker, settings] { w->mount(settings); });
}

void LiveSession::unmount()
{
    postToWorker([w = m_worker] { w->unmount(); });
}

void LiveSession::perform(const FileOpRequest &request)
{
    if (!isLive())
        return;
    m_operations.push_back(LiveOperation{request, std::nullopt, {}, bytesWritten(request), 0});
    setState(State::Busy);
    postToWorker([w = m_worker, request, index = int(m_operations.size() - 1)] { w->perform(request, index); });
}

void LiveSession::remount(const QStringList &options, bool fresh)
{
    if (!isLive())
        return;
    setState(State::Mounting);
    if (fresh) {
        m_events.clear();
        m_operations.clear();
    }
    postToWorker([w = m_worker, options, fresh] { w->remount(options, fresh); });
}

Expected<QJsonObject> LiveSession::callHelper(const QString &op, QJsonObject args)
{
    Expected<QJsonObject> answer = makeError(ErrorCode::Io, QStringLiteral("not mounted"));
    QMetaObject::invokeMethod(m_worker, [&] { answer = m_worker->call(op, args); }, Qt::BlockingQueuedConnection);
    return answer;
}

void LiveSession::reset()
{
    if (!isLive())
        return;
    setState(State::Mounting);
    m_events.clear();
    m_operations.clear();
    postToWorker([w = m_worker] { w->reset(); });
}

void LiveSession::runCommand(const QStringList &argv, bool network)
{
    if (isLive() && !argv.isEmpty() && !m_commandRunning) {
        m_commandOutput.clear();
        postToWorker([w = m_worker, argv, network] { w->runCommand(argv, network); });
    }
}

void LiveSession::killCommand()
{
    postToWorker([w = m_worker] { w->killCommand(); });
}

qint64 LiveSession::userBytes() const
{
    qint64 total = 0;
    for (const LiveOperation &op : m_operations)
        total += op.error ? 0 : op.userBytes;
    return total;
}

QString LiveSession::script() const
{
    QStringList lines;
    lines << QStringLiteral("# strata-cli session SOURCE --script FILE%1").arg(m_settings.options.isEmpty() ? QString() : QStringLiteral(" --option ") + m_settings.options.join(QStringLiteral(" --option ")));
    lines << QStringLiteral("# recorded over %1").arg(m_settings.source);
    for (size_t i = 0; i < m_operations.size(); ++i) {
        const LiveOperation &op = m_operations[i];
        lines << scriptLine(op.request);
        for (const LiveEvent &e : m_events) {
            if (e.operation == int(i))
                lines << QStringLiteral("#   %1 %2").arg(e.kind, e.path);
        }
        if (op.error)
            lines << QStringLiteral("#   refused: %1").arg(op.error->message());
    }
    return lines.join(u'\n') + u'\n';
}

bool LiveSession::saveScript(const QString &fileName, QString *error) const
{
    QFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) || file.write(script().toUtf8()) < 0) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

QString LiveSession::limitsText(HelperMode mode)
{
    if (mode != HelperMode::Rootless)
        return {};
    return QCoreApplication::translate("strata::LiveSession",
                                       "Rootless: the overlay runs with userxattr, so redirect_dir, metacopy and trusted.* xattrs are not available, files "
                                       "owned by other users cannot be changed, and events do not name the process.");
}

} // namespace strata
