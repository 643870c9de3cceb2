// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A lesson in the window as a trainer runs it: Start (its stack made and mounted live), then each
// step through Show Me, waiting until every check of the step is green in the lesson pane.

#include "lessonpane.h"
#include "livesession.h"
#include "mainwindow.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

// Empty when every check of every step turned green; else what did not, naming lesson and step.
inline QString runLessonInWindow(strata::MainWindow &window, int index, int stepTimeoutMs = 15000)
{
    using namespace strata;
    const Lesson &lesson = window.lessonPane()->lessons()[size_t(index)];
    QSignalSpy mounted(window.liveSession(), &LiveSession::mounted);
    QSignalSpy failed(window.liveSession(), &LiveSession::failed);
    window.startLesson(index);
    if (!mounted.wait(60000)) {
        QStringList why;
        for (const QList<QVariant> &f : failed)
            why << f.first().value<Error>().message();
        return QStringLiteral("lesson %1: not mounted within 60 s%2").arg(lesson.id, why.isEmpty() ? QString() : QStringLiteral(": ") + why.join(QStringLiteral("; ")));
    }
    for (int step = 0; step < int(lesson.steps.size()); ++step) {
        window.lessonPane()->setCurrentStep(step);
        window.lessonPane()->showMe();
        if (lesson.steps[size_t(step)].checks.empty())
            continue;
        const auto allMet = [&] {
            const auto r = window.lessonPane()->checkResults(step);
            return !r.empty() && std::count(r.begin(), r.end(), false) == 0;
        };
        QElapsedTimer waited;
        waited.start();
        while (!allMet() && waited.elapsed() < stepTimeoutMs)
            QTest::qWait(20);
        if (!allMet())
            return QStringLiteral("lesson %1 step %2: %3").arg(lesson.id).arg(step + 1).arg(window.lessonPane()->checkDetails(step).join(QStringLiteral("; ")));
    }
    return {};
}
