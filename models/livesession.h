// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "fileoprequest.h"
#include "helperclient.h"
#include "mountplan.h"
#include "overlaystack.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace strata {

// What the kernel did, as the helper's watch reported it, with what the window needs to show it:
// the row's state before and after, the exact upper-dir path and the bytes a copy-up wrote.
struct LiveEvent {
    QString kind; // the watch's kinds (docs/helper-protocol.md): data-copy-up, whiteout, …
    QString path; // in the merged view: "/etc/motd" ("#index/…" for workdir/index entries)
    QString upperPath; // the entry's path on disk
    int layer = -1; // the lower layer a copy-up or whiteout concerns, -1 none
    qint64 pid = 0; // the process that caused it (root helpers only)
    QString comm;
    qint64 bytes = -1; // a copy-up: the file's size in the upper dir (what was copied)
    QString before; // the upper cell's change kind before (changeKindName), "absent" when none
    QString after;
    qint64 msSinceMount = 0;
    int operation = -1; // index into operations() of the operation it followed, -1 none
};

struct LiveOperation {
    FileOpRequest request;
    std::optional<Error> error; // the helper's refusal (errno and why in detail), if any
    QJsonObject result; // the helper's answer (a stat, an open handle)
    qint64 userBytes = 0; // bytes the operation itself wrote (data of create/write/append)
    qint64 msSinceMount = 0;
};

// A live playground: the open stack mounted through strata-helper (its own mount namespace) with
// a fresh upper dir, file operations done in the merged dir, the kernel's upper-dir changes
// watched, and a new snapshot of the stack after each change (scanned off the GUI thread; models
// apply it with UnionTreeModel::applySnapshot). The helper lives on a worker thread; every call
// here returns at once and the answer comes as a signal. Reset puts the upper dir back as it was
// mounted; the operations can be saved as a `strata-cli session` script. A helper that dies or
// stops answering is replaced: the new one mounts the stack over the same upper dir (failed() says so).
class LiveSession : public QObject
{
    Q_OBJECT
public:
    struct Settings {
        QString source; // any SOURCE; its own upper (if any) becomes the topmost lower
        QString baseDir;
        QStringList options; // redirect_dir=on, metacopy=on, index=on, xino=on…
        HelperMode mode = HelperMode::Auto;
        QString upperDir; // empty: a fresh temporary one
        // Fresh: writes go to a new upper (the source's own upper, if any, mounted as a lower).
        // AsSource: the source's upper is the upper (a lesson's stack, made for this session).
        UpperChoice upperChoice = UpperChoice::Fresh;
        QString helperPath; // empty: beside this executable (or $STRATA_HELPER)
    };
    enum class State { Off, Mounting, Live, Busy };
    Q_ENUM(State)

    explicit LiveSession(QObject *parent = nullptr);
    ~LiveSession() override;

    void mount(const Settings &settings);
    void unmount();
    void perform(const FileOpRequest &request);
    // Mounts again with other options over the same upper dir (its contents stay) or, `fresh`,
    // over the upper dir as it was when mounted (a new experiment: the events start anew).
    void remount(const QStringList &options, bool fresh = false);
    // Unmounts, puts the upper dir back byte for byte as it was when mounted, mounts again.
    void reset();
    // A command in the merged root (the helper's `run`: new mount/PID/UTS namespaces, pivot_root).
    void runCommand(const QStringList &argv, bool network);
    void killCommand();
    // A request answered at once (the mount id added, except for ops on a handle), for quick questions while live (a merged path's stat, a kept
    // fd's read): waits for the worker, so never for long-running ops.
    Expected<QJsonObject> callHelper(const QString &op, QJsonObject args);

    State state() const { return m_state; }
    bool isLive() const { return m_state == State::Live || m_state == State::Busy; }
    bool commandRunning() const { return m_commandRunning; }
    HelperMode mode() const { return m_mode; }
    QStringList options() const { return m_settings.options; }
    QString source() const { return m_settings.source; }
    // The overlay: SOURCE the scans read (what is mounted, options included).
    QString mountedSource() const { return m_mountedSource; }
    QString upperDir() const { return m_upperDir; }
    QString mergedPath() const { return m_mergedPath; } // in the helper's namespace
    qint64 helperPid() const { return m_helperPid; } // the helper serving the mount now
    std::shared_ptr<const OverlayStack> stack() const { return m_stack; }
    const std::vector<LiveEvent> &events() const { return m_events; }
    const std::vector<LiveOperation> &operations() const { return m_operations; }
    // Bytes the operations wrote themselves (for the copy-up cost figure).
    qint64 userBytes() const;
    // What the last command printed on stdout (the one running, or the last that ran).
    QString lastCommandOutput() const { return m_commandOutput; }
    // The operations as a `strata-cli session` script (comments say the source and options).
    QString script() const;
    bool saveScript(const QString &fileName, QString *error = nullptr) const;

    // What this helper mode cannot do, in a sentence (empty: nothing): backend rootlessLimitations()
    // says it in English for the CLI; this is the window's translated wording.
    static QString limitsText(HelperMode mode);

Q_SIGNALS:
    void stateChanged(strata::LiveSession::State state);
    // Mounted (again): a stack with the new upper column; the models reset to it.
    void mounted(std::shared_ptr<const strata::OverlayStack> stack);
    void unmounted();
    void failed(const strata::Error &error);
    // A newer snapshot of the same stack (same layers): apply as an update.
    void snapshotChanged(std::shared_ptr<const strata::OverlayStack> stack);
    void operationDone(int index);
    void eventsAdded(int first, int count);
    void commandStarted();
    void commandOutput(const QString &text, bool isStderr);
    void commandFinished(const QString &how);

private:
    friend class LiveWorker;
    void setState(State state);
    void postToWorker(std::function<void()> work);

    class LiveWorker *m_worker;
    QThread *m_thread;
    Settings m_settings;
    State m_state = State::Off;
    HelperMode m_mode = HelperMode::Auto;
    bool m_commandRunning = false;
    QString m_commandOutput;
    QString m_mountedSource;
    QString m_upperDir;
    QString m_mergedPath;
    qint64 m_helperPid = 0;
    std::shared_ptr<const OverlayStack> m_stack;
    std::vector<LiveEvent> m_events;
    std::vector<LiveOperation> m_operations;
};

} // namespace strata
