// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "helperclient.h"
#include "lesson.h"

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace strata {

struct OverlayStack;

// Runs a lesson through strata-helper, step by step, with no window: the lesson's stack created in
// a temporary directory, mounted in the helper's namespace and watched; each step's action done in
// the merged dir (file operations, keep-open, recursive chmod/chown, remount with other options,
// a command run in the merged root), then its checks evaluated on a fresh scan, the session's
// events and what the kernel answered. `strata-cli lesson run` and the tests use it; the window's
// lesson pane can too (no widgets here).
class LessonRunner
{
public:
    struct Options {
        HelperClient::Options helper;
        QStringList mountOptions; // extra options for every mount (strata-cli --option)
        QString dataRoot; // "{data-root}" of a lesson's source: a Docker data root
        int runTimeoutMs = 120000; // a run action's command
    };
    // What a step's action came to.
    struct Outcome {
        bool acted = false; // the step has an action and it was sent
        std::optional<Error> error; // the action failed (the kernel's errno in sysErrno)
        QString description; // "chown -R /opt/app (12 paths)"
        QString output; // run: stdout
        QString errorOutput; // run: stderr
    };

    LessonRunner(Lesson lesson, Options options);
    ~LessonRunner();
    LessonRunner(const LessonRunner &) = delete;
    LessonRunner &operator=(const LessonRunner &) = delete;

    // Creates the stack, starts the helper, mounts and watches. An error says what stopped it.
    std::optional<Error> start();
    const Lesson &lesson() const { return m_lesson; }
    QString source() const { return m_source; } // overlay: SOURCE of the stack as mounted now
    HelperClient *client() { return m_client.get(); }

    // Does step `s`'s action (nothing when it has none) and collects its events. The Expected's
    // error is a broken session (helper gone); a refused action is Outcome::error.
    Expected<Outcome> perform(size_t s);
    // Step `s`'s checks against a fresh scan, the events so far and the last action's outcome.
    Expected<std::vector<CheckResult>> evaluate(size_t s);
    const std::vector<ObservedEvent> &events() const { return m_events; }
    // Unmounts and stops the helper; the temporary directory goes with the runner.
    void stop();

private:
    std::optional<Error> mount(const QString &extraOptions);
    std::optional<Error> collectEvents();
    Expected<Outcome> remount(const LessonAction &action);
    Expected<Outcome> run(const LessonAction &action);
    Expected<Outcome> fileOperation(const LessonAction &action);
    Expected<QJsonObject> statMerged(const QString &path);
    Expected<QByteArray> readKeptOpen(const QString &path);

    Lesson m_lesson;
    Options m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HelperClient> m_client;
    QString m_baseSource; // without the lesson's options: a remount adds its own
    QString m_source;
    QString m_mount; // the helper's mount id
    std::vector<ObservedEvent> m_events; // the session's (a later step may check an earlier event); a fresh remount starts anew
    std::map<QString, int64_t> m_keptOpen; // path → the helper's handle
    std::optional<size_t> m_actedStep;
    Outcome m_last;
};

} // namespace strata
