// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackloader.h"

#include "helpersource.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

StackLoader::StackLoader(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(2); // a superseded load may still be winding down
}

StackLoader::~StackLoader()
{
    if (m_cancel)
        m_cancel->store(true);
}

void StackLoader::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

void StackLoader::cancel()
{
    const bool running = isBusy();
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    setPhase(Phase::Idle);
    if (running)
        Q_EMIT cancelled();
}

void StackLoader::open(const QString &source, const QString &baseDir)
{
    cancel();
    const quint64 generation = ++m_generation;
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancelFlag;
    m_source = source;
    setPhase(Phase::MergedView);
    auto *watcher = new QFutureWatcher<Expected<OverlayStack>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, source] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // superseded by a newer load, or cancelled
        auto result = watcher->future().takeResult(); // moved out: no second copy of a large stack
        if (!result) {
            m_cancel.reset();
            setPhase(Phase::Idle);
            if (result.error().is(ErrorCode::Cancelled))
                Q_EMIT cancelled();
            else
                Q_EMIT failed(result.error(), source);
            return;
        }
        auto stack = std::make_shared<const OverlayStack>(std::move(result).value());
        const bool needsCompletion = stack->depth != OverlayStack::LoadDepth::Full;
        if (needsCompletion)
            setPhase(Phase::Statistics);
        Q_EMIT mergedViewLoaded(stack, source);
        if (generation != m_generation)
            return; // a slot opened something else
        if (needsCompletion) {
            completeInBackground(std::move(stack));
        } else {
            m_cancel.reset();
            setPhase(Phase::Idle);
            Q_EMIT completed(stack, source);
        }
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [source, baseDir, cancelFlag] {
        // Root-only storage (/var/lib/docker) for a normal user: its layer dirs come from
        // strata-helper (one polkit prompt) as read-only fds; anything else opens directly.
        auto resolved = openSourceForUser(source, baseDir);
        if (!resolved)
            return Expected<OverlayStack>(resolved.error());
        return OverlayStack::load(**resolved, cancelFlag.get(), OverlayStack::LoadDepth::MergedView);
    }));
}

void StackLoader::completeInBackground(std::shared_ptr<const OverlayStack> stack)
{
    const quint64 generation = m_generation;
    const QString source = m_source;
    std::shared_ptr<std::atomic<bool>> cancelFlag = m_cancel;
    auto *watcher = new QFutureWatcher<Expected<OverlayStack>>(this);
    // QFutureWatcher delivers progress on the GUI thread, throttled: no event flood from the workers.
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, generation](int value) {
        if (generation == m_generation)
            Q_EMIT progress(value);
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, source] {
        watcher->deleteLater();
        if (generation != m_generation || watcher->future().resultCount() == 0)
            return;
        auto result = watcher->future().takeResult();
        m_cancel.reset();
        setPhase(Phase::Idle);
        if (!result) {
            if (result.error().is(ErrorCode::Cancelled))
                Q_EMIT cancelled();
            else
                Q_EMIT failed(result.error(), source);
            return;
        }
        Q_EMIT completed(std::make_shared<const OverlayStack>(std::move(result).value()), source);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [stack = std::move(stack), cancelFlag](QPromise<Expected<OverlayStack>> &promise) {
        promise.setProgressRange(0, progressMaximum);
        // The shown stack stays untouched (the model reads it); completion works on a copy.
        OverlayStack copy = *stack;
        promise.addResult(OverlayStack::complete(std::move(copy), cancelFlag.get(), [&promise](size_t done, size_t total) {
            promise.setProgressValue(total == 0 ? progressMaximum : int(double(done) / double(total) * progressMaximum));
        }));
    }));
}

} // namespace strata
