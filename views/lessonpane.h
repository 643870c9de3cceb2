// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lesson.h"

#include <QImage>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace strata {

class LiveSession;
class PlaygroundActions;

// Guides through a lesson (resources/lessons, backend/lesson.h) next to the live playground: the
// steps revealed one at a time, each with its explanation, a "Show me" button that does the step's
// action, what to observe, and checks that turn green as soon as the state meets them — whoever
// changed it, the student or "Show me". Starting a lesson is the window's (it opens and mounts
// the lesson's stack): startRequested().
class LessonPane : public QWidget
{
    Q_OBJECT
public:
    LessonPane(LiveSession *session, PlaygroundActions *actions, QWidget *parent = nullptr);

    const std::vector<Lesson> &lessons() const { return m_lessons; }
    // The lesson shown (its index in lessons()), -1 none; setLesson shows its first step.
    int lessonIndex() const { return m_lessonIndex; }
    void setLesson(int index);
    int currentStep() const { return m_step; }
    void setCurrentStep(int step);
    // The current step's checks as last evaluated (true: met).
    std::vector<bool> checkResults(int step) const;
    QStringList checkDetails(int step) const; // what each check found (English)
    void showMe();
    // An HTML handout: the lesson's steps so far with their checks, each step's picture (the
    // window when its checks were first met), the event timeline and a picture of `window` now.
    bool exportTranscript(const QString &fileName, QWidget *window, QString *error = nullptr) const;
    void retranslateUi();
    // Docker's data root for lessons whose source is docker-storage ($STRATA_LESSON_DATA_ROOT).
    static QString lessonDataRoot();

Q_SIGNALS:
    void startRequested(int lessonIndex);

protected:
    void changeEvent(QEvent *event) override;

private:
    void evaluate();
    void render();
    QString language() const;
    QString checkText(const LessonCheck &check) const;
    // The steps so far with their checks; `handout`: with each step's picture.
    QString lessonHtml(bool handout) const;

    LiveSession *m_session;
    PlaygroundActions *m_actions;
    std::vector<Lesson> m_lessons;
    QString m_loadError;
    int m_lessonIndex = -1;
    int m_step = 0;
    std::vector<std::vector<CheckResult>> m_results; // per step, per check
    std::vector<QImage> m_stepPictures; // per step: the window when its checks were first all met
    QComboBox *m_choice;
    QPushButton *m_start;
    QTextBrowser *m_text;
    QPushButton *m_showMe;
    QPushButton *m_previous;
    QPushButton *m_next;
    QPushButton *m_export;
};

} // namespace strata
