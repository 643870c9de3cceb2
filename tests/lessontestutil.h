// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A lesson step by step through LessonRunner and the real strata-helper: before each action its
// state checks must not all hold already (a step that asks for something is not green before it is
// done — unless the step expects its action to fail, when nothing may change), after it every check
// must hold.

#include "lesson.h"
#include "lessonrunner.h"

#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>

// Empty when every step behaves; else what went wrong, naming the lesson and step.
inline QString runLessonStepByStep(const strata::Lesson &lesson, const QString &dataRoot = {}, strata::HelperMode mode = strata::HelperMode::Direct)
{
    using namespace strata;
    QElapsedTimer timer;
    timer.start();
    LessonRunner::Options options;
    options.helper.helperPath = qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-helper");
    options.helper.mode = mode;
    options.dataRoot = dataRoot;
    LessonRunner runner(lesson, options);
    if (auto e = runner.start())
        return QStringLiteral("lesson %1: start: %2").arg(lesson.id, e->message());
    int checks = 0;
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const LessonStep &step = lesson.steps[s];
        const QString where = QStringLiteral("lesson %1 step %2").arg(lesson.id).arg(s + 1);
        if (step.action) {
            auto before = runner.evaluate(s);
            if (!before)
                return where + QStringLiteral(": ") + before.error().message();
            const bool expectsFailure = std::any_of(step.checks.begin(), step.checks.end(), [](const LessonCheck &c) { return c.kind == LessonCheck::Kind::ActionFails; });
            bool anyState = false, allStateHold = true;
            for (size_t c = 0; c < step.checks.size(); ++c) {
                if (!isStateCheck(step.checks[c]))
                    continue;
                anyState = true;
                allStateHold = allStateHold && (*before)[c].passed;
            }
            if (!expectsFailure && (!anyState || allStateHold))
                return where + QStringLiteral(": every state check holds before the action");
        }
        auto outcome = runner.perform(s);
        if (!outcome)
            return where + QStringLiteral(": ") + outcome.error().message();
        auto after = runner.evaluate(s);
        if (!after)
            return where + QStringLiteral(": ") + after.error().message();
        for (const CheckResult &result : *after) {
            ++checks;
            if (!result.passed)
                return QStringLiteral("%1: ✗ %2%3").arg(where, result.detail,
                                                         outcome->error ? QStringLiteral(" (the action: %1)").arg(outcome->error->message()) : QString());
        }
    }
    runner.stop();
    qInfo("lesson %d %s: %zu steps, %d checks hold after their actions, %lld ms", lesson.number, qPrintable(lesson.id), lesson.steps.size(), checks, qint64(timer.elapsed()));
    return {};
}
