// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace strata {

// Loads a SOURCE in two steps, both off the GUI thread: first only what the merged view reaches
// (mergedViewLoaded: the window can show the tree), then the rest of every layer — statistics and
// every cell's change kind — with determinate progress (completed). A newer open() or cancel()
// stops the running load; results of a superseded load are dropped. No widgets: views wire it.
class StackLoader : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Idle, MergedView, Statistics };
    static constexpr int progressMaximum = 1000;

    explicit StackLoader(QObject *parent = nullptr);
    ~StackLoader() override;

    void open(const QString &source, const QString &baseDir);
    // Stops the running load; cancelled() follows when something was running.
    void cancel();
    Phase phase() const { return m_phase; }
    bool isBusy() const { return m_phase != Phase::Idle; }
    QString source() const { return m_source; }

Q_SIGNALS:
    void phaseChanged(strata::StackLoader::Phase phase);
    void mergedViewLoaded(std::shared_ptr<const strata::OverlayStack> stack, const QString &source);
    // Statistics phase: value of progressMaximum.
    void progress(int value);
    void completed(std::shared_ptr<const strata::OverlayStack> stack, const QString &source);
    void failed(const strata::Error &error, const QString &source);
    void cancelled();

private:
    void setPhase(Phase phase);
    void completeInBackground(std::shared_ptr<const OverlayStack> stack);

    Phase m_phase = Phase::Idle;
    QString m_source;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    // Loads run here, not in the global pool: the scan's own blockingMap needs the global pool's
    // threads, and the file pane's readers must not queue behind a long load.
    QThreadPool m_pool;
};

} // namespace strata
