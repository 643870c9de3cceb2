// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessonpane.h"

#include "changestyle.h"
#include "eventtimelinemodel.h"
#include "livesession.h"
#include "playgroundactions.h"
#include "translations.h"

#include <QBuffer>
#include <QComboBox>
#include <QEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace strata {

LessonPane::LessonPane(LiveSession *session, PlaygroundActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_actions(actions)
    , m_choice(new QComboBox(this))
    , m_start(new QPushButton(this))
    , m_text(new QTextBrowser(this))
    , m_showMe(new QPushButton(this))
    , m_previous(new QPushButton(this))
    , m_next(new QPushButton(this))
    , m_export(new QPushButton(this))
{
    if (auto lessons = loadLessons())
        m_lessons = std::move(lessons).value();
    else
        m_loadError = lessons.error().message();

    auto *top = new QHBoxLayout;
    // Long lesson titles are elided, not allowed to widen the dock (and with it the window).
    m_choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_choice->setMinimumContentsLength(12);
    top->addWidget(m_choice, 1);
    top->addWidget(m_start);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_showMe);
    buttons->addStretch(1);
    buttons->addWidget(m_previous);
    buttons->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_export);
    m_text->setOpenLinks(false);

    connect(m_start, &QPushButton::clicked, this, [this] { Q_EMIT startRequested(m_choice->currentIndex()); });
    connect(m_showMe, &QPushButton::clicked, this, &LessonPane::showMe);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export Transcript"), QDir::homePath() + QStringLiteral("/strata-lesson.html"), tr("HTML (*.html)"));
        QString problem;
        if (!name.isEmpty() && !exportTranscript(name, window(), &problem))
            QMessageBox::warning(this, tr("Export Transcript"), problem);
    });
    connect(m_previous, &QPushButton::clicked, this, [this] { setCurrentStep(m_step - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setCurrentStep(m_step + 1); });
    connect(m_session, &LiveSession::snapshotChanged, this, &LessonPane::evaluate);
    connect(m_session, &LiveSession::mounted, this, &LessonPane::evaluate);
    connect(m_session, &LiveSession::stateChanged, this, &LessonPane::render);
    // A refused action (EXDEV) or a command's output changes no file: judge them when they come.
    connect(m_session, &LiveSession::operationDone, this, &LessonPane::evaluate);
    connect(m_session, &LiveSession::commandFinished, this, &LessonPane::evaluate);
    retranslateUi();
}

QString LessonPane::lessonDataRoot()
{
    // Where a lesson's docker-storage source looks: $STRATA_LESSON_DATA_ROOT, else Docker's default.
    const QString root = qEnvironmentVariable("STRATA_LESSON_DATA_ROOT");
    return root.isEmpty() ? QStringLiteral("/var/lib/docker") : root;
}

QString LessonPane::language() const
{
    return currentLanguage();
}

void LessonPane::setLesson(int index)
{
    m_lessonIndex = index >= 0 && size_t(index) < m_lessons.size() ? index : -1;
    m_step = 0;
    m_results.assign(m_lessonIndex < 0 ? 0 : m_lessons[size_t(m_lessonIndex)].steps.size(), {});
    m_stepPictures.assign(m_results.size(), QImage());
    if (m_lessonIndex >= 0) {
        const QSignalBlocker blocker(m_choice);
        m_choice->setCurrentIndex(m_lessonIndex);
    }
    evaluate();
}

void LessonPane::setCurrentStep(int step)
{
    if (m_lessonIndex < 0)
        return;
    m_step = std::clamp(step, 0, int(m_lessons[size_t(m_lessonIndex)].steps.size()) - 1);
    render();
}

std::vector<bool> LessonPane::checkResults(int step) const
{
    std::vector<bool> out;
    if (step >= 0 && size_t(step) < m_results.size()) {
        for (const CheckResult &r : m_results[size_t(step)])
            out.push_back(r.passed);
    }
    return out;
}

QStringList LessonPane::checkDetails(int step) const
{
    QStringList out;
    if (step >= 0 && size_t(step) < m_results.size()) {
        for (const CheckResult &r : m_results[size_t(step)])
            out << QStringLiteral("%1 %2").arg(r.passed ? QStringLiteral("✓") : QStringLiteral("✗"), r.detail);
    }
    return out;
}

void LessonPane::showMe()
{
    if (m_lessonIndex < 0 || !m_session->isLive())
        return;
    const LessonStep &step = m_lessons[size_t(m_lessonIndex)].steps[size_t(m_step)];
    if (step.action)
        m_actions->performAction(*step.action);
}

void LessonPane::evaluate()
{
    // Every step's checks against the stack as it is now and the session's events: the student's
    // own operations count as much as "Show me".
    auto stack = m_session->stack();
    if (m_lessonIndex >= 0 && stack && m_session->isLive()) {
        std::vector<ObservedEvent> events;
        for (const LiveEvent &e : m_session->events())
            events.push_back({e.kind, e.path, e.comm});
        const Lesson &lesson = m_lessons[size_t(m_lessonIndex)];
        // What the kernel answered beyond the scan: the last operation's errno, the last
        // command's output, the mount's options, a merged path's inode, a kept fd's data.
        LessonContext context;
        context.events = &events;
        if (!m_session->operations().empty()) {
            const LiveOperation &last = m_session->operations().back();
            context.actionErrno = last.error ? last.error->sysErrno : 0;
        }
        context.runOutput = m_session->lastCommandOutput();
        context.mountOptions = m_session->options();
        LiveSession *session = m_session;
        context.statMerged = [session](const QString &path) -> Expected<QJsonObject> {
            auto opened = session->callHelper(QStringLiteral("open"), QJsonObject{{QStringLiteral("path"), path}});
            if (opened)
                session->callHelper(QStringLiteral("close"), QJsonObject{{QStringLiteral("handle"), opened->value(QStringLiteral("handle"))}});
            return opened;
        };
        context.readKeptOpen = [session](const QString &path) -> Expected<QByteArray> {
            const auto &ops = session->operations();
            for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
                if (it->request.op == u"open" && it->request.args.value(QStringLiteral("path")).toString() == path && !it->error) {
                    auto read = session->callHelper(QStringLiteral("read-handle"), QJsonObject{{QStringLiteral("handle"), it->result.value(QStringLiteral("handle"))},
                                                                                             {QStringLiteral("size"), qint64(32768)}});
                    if (!read)
                        return read.error();
                    return read->value(QStringLiteral("data")).toString().toUtf8();
                }
            }
            return makeError(ErrorCode::NotFound, QStringLiteral("no fd is kept open on %1 (a keep-open action opens one)").arg(path), path);
        };
        if (auto docker = dockerStorageOf(lesson, lessonDataRoot())) {
            context.dockerRoot = docker->first;
            context.dockerImage = docker->second;
        }
        // A fresh mount (Start, Reset, a fresh remount) starts over; otherwise a met check stays
        // met: a later step may undo what an earlier one showed (lesson 3 removes its whiteouts).
        const bool freshSession = m_session->events().empty() && m_session->operations().empty();
        for (size_t s = 0; s < lesson.steps.size(); ++s) {
            std::vector<CheckResult> results;
            for (size_t c = 0; c < lesson.steps[s].checks.size(); ++c) {
                const LessonCheck &check = lesson.steps[s].checks[c];
                // Checks that ask about the step's action or the kernel are judged for the current step.
                const bool stepBound = !isStateCheck(check) && check.kind != LessonCheck::Kind::Event;
                CheckResult r = stepBound && int(s) != m_step && c < m_results[s].size() ? m_results[s][c] : evaluateCheck(check, lesson, *stack, context);
                if (!r.passed && !freshSession && c < m_results[s].size() && m_results[s][c].passed)
                    r = m_results[s][c];
                results.push_back(std::move(r));
            }
            m_results[s] = std::move(results);
        }
        // The first time the current step's checks are all met: a picture for the handout, once
        // the window has painted the new state.
        m_stepPictures.resize(lesson.steps.size());
        const auto &current = m_results[size_t(m_step)];
        const bool met = !current.empty() && std::all_of(current.begin(), current.end(), [](const CheckResult &r) { return r.passed; });
        if (met && m_stepPictures[size_t(m_step)].isNull()) {
            const int step = m_step, lessonIndex = m_lessonIndex;
            QTimer::singleShot(150, this, [this, step, lessonIndex] {
                if (lessonIndex == m_lessonIndex && size_t(step) < m_stepPictures.size() && m_stepPictures[size_t(step)].isNull())
                    m_stepPictures[size_t(step)] = window()->grab().toImage().scaledToWidth(1000, Qt::SmoothTransformation);
            });
        }
    }
    render();
}

// A check in the window's language; the backend's detail (what was found, in English) is the tooltip.
QString LessonPane::checkText(const LessonCheck &check) const
{
    const QString layer = check.layer == u"upper" ? tr("the upper dir") : check.layer;
    const QString type = check.type.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(check.type);
    switch (check.kind) {
    case LessonCheck::Kind::LayerHas:
        return tr("%1 has %2%3").arg(layer, check.path, type);
    case LessonCheck::Kind::LayerLacks:
        return tr("%1 has no %2").arg(layer, check.path);
    case LessonCheck::Kind::MergedHas:
        return tr("the merged view shows %1%2").arg(check.path, type);
    case LessonCheck::Kind::MergedLacks:
        return tr("the merged view has no %1").arg(check.path);
    case LessonCheck::Kind::MergedContent:
        return tr("%1 reads \"%2\" in the merged view").arg(check.path, check.value.trimmed());
    case LessonCheck::Kind::ChangeIs: {
        const auto kind = changeKindFromName(check.value.toStdString());
        return tr("%1 in %2 is %3").arg(check.path, layer, kind ? ChangeStyle::label(*kind) : check.value);
    }
    case LessonCheck::Kind::Event:
        return tr("the kernel reported %1 for %2").arg(EventTimelineModel::eventText(check.value), check.path);
    default:
        return {};
    }
}

QString LessonPane::lessonHtml(bool handout) const
{
    const QString lang = language();
    const Lesson &lesson = m_lessons[size_t(m_lessonIndex)];
    QString html;
    html += QStringLiteral("<h2>%1. %2</h2><p>%3</p>").arg(lesson.number).arg(lesson.title.in(lang).toHtmlEscaped(), lesson.summary.in(lang).toHtmlEscaped());
    // Step by step: the steps so far, the current one last (a presenter reveals one at a time).
    for (int s = 0; s <= m_step; ++s) {
        const LessonStep &step = lesson.steps[size_t(s)];
        const bool current = s == m_step;
        html += QStringLiteral("<h3 style='%1'>%2</h3>").arg(current ? QString() : QStringLiteral("color:gray"), tr("Step %1 of %2").arg(s + 1).arg(lesson.steps.size()));
        html += QStringLiteral("<p>%1</p>").arg(step.text.in(lang).toHtmlEscaped());
        if (step.action)
            html += QStringLiteral("<p><code>%1 %2 %3</code></p>").arg(step.action->op.toHtmlEscaped(), step.action->path.toHtmlEscaped(), step.action->argument.toHtmlEscaped());
        if (!step.expect.in(lang).isEmpty())
            html += QStringLiteral("<p><i>%1</i> %2</p>").arg(tr("Look for:"), step.expect.in(lang).toHtmlEscaped());
        html += QStringLiteral("<ul>");
        for (size_t c = 0; c < step.checks.size(); ++c) {
            const bool known = size_t(s) < m_results.size() && c < m_results[size_t(s)].size();
            const bool passed = known && m_results[size_t(s)][c].passed;
            QString text = checkText(step.checks[c]);
            if (text.isEmpty()) // a check kind without words here: the backend's own
                text = known ? m_results[size_t(s)][c].detail : QString();
            html += QStringLiteral("<li><span style='color:%1;font-weight:bold'>%2</span> %3%4</li>")
                        .arg(passed ? QStringLiteral("#1a7f37") : QStringLiteral("#8a8a8a"), passed ? QStringLiteral("✓") : QStringLiteral("○"), text.toHtmlEscaped(),
                             known ? (passed || lang.startsWith(u"ko") ? QString() : QStringLiteral(" <span style='color:#8a8a8a'>— %1</span>").arg(m_results[size_t(s)][c].detail.toHtmlEscaped()))
                                   : QStringLiteral(" <span style='color:#8a8a8a'>%1</span>").arg(tr("(mount to check)")));
        }
        html += QStringLiteral("</ul>");
        // The handout shows the window as each step's checks were first all met.
        if (handout && size_t(s) < m_stepPictures.size() && !m_stepPictures[size_t(s)].isNull()) {
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            m_stepPictures[size_t(s)].save(&buffer, "PNG");
            html += QStringLiteral("<p><img style='max-width:100%' src='data:image/png;base64,%1'></p>").arg(QString::fromLatin1(png.toBase64()));
        }
    }
    return html;
}

void LessonPane::render()
{
    const QString lang = language();
    QString html;
    if (!m_loadError.isEmpty())
        html += QStringLiteral("<p style='color:#b00'>%1</p>").arg(m_loadError.toHtmlEscaped());
    const bool live = m_session->isLive();
    if (m_lessonIndex < 0) {
        html += tr("<p>Pick a lesson and press <b>Start</b>: Strata creates its layers, opens them and mounts them live.</p>");
        m_text->setHtml(html);
        m_showMe->setEnabled(false);
        m_previous->setEnabled(false);
        m_next->setEnabled(false);
        m_export->setEnabled(false);
        return;
    }
    html += lessonHtml(false);
    const Lesson &lesson = m_lessons[size_t(m_lessonIndex)];
    m_text->setHtml(html);
    // The current step is the last one shown: scrolled into view once the text is laid out.
    QTimer::singleShot(0, m_text, [text = m_text] {
        text->moveCursor(QTextCursor::End);
        text->ensureCursorVisible();
    });
    const LessonStep &step = lesson.steps[size_t(m_step)];
    m_showMe->setEnabled(live && step.action.has_value());
    m_previous->setEnabled(m_step > 0);
    m_next->setEnabled(size_t(m_step) + 1 < lesson.steps.size());
    m_export->setEnabled(true);
}

bool LessonPane::exportTranscript(const QString &fileName, QWidget *window, QString *error) const
{
    QString html = QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Strata</title>"
                                  "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:2px 8px;text-align:left}"
                                  "table{border-collapse:collapse}tr:nth-child(even){background:#f2f2f2}</style></head><body>");
    if (m_lessonIndex >= 0)
        html += lessonHtml(true);
    // The event timeline, as the playground shows it.
    EventTimelineModel timeline(m_session);
    if (!m_session->events().empty()) {
        html += QStringLiteral("<h3>%1</h3><table><tr>").arg(tr("What the kernel did"));
        for (int c = 0; c < timeline.columnCount(); ++c)
            html += QStringLiteral("<th>%1</th>").arg(timeline.headerData(c, Qt::Horizontal).toString().toHtmlEscaped());
        html += QStringLiteral("</tr>");
        for (size_t r = 0; r < m_session->events().size(); ++r) {
            const LiveEvent &e = m_session->events()[r];
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4 → %5</td><td>%6</td><td>%7</td><td>%8</td></tr>")
                        .arg(QLocale().toString(double(e.msSinceMount) / 1000.0, 'f', 2), EventTimelineModel::eventText(e.kind).toHtmlEscaped(), e.path.toHtmlEscaped(),
                             e.before, e.after, e.upperPath.toHtmlEscaped(), e.comm.toHtmlEscaped(), e.bytes >= 0 ? QLocale().formattedDataSize(e.bytes) : QString());
        }
        html += QStringLiteral("</table>");
    }
    if (window) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        window->grab().save(&buffer, "PNG");
        html += QStringLiteral("<h3>%1</h3><img style='max-width:100%' src='data:image/png;base64,%2'>").arg(tr("The window"), QString::fromLatin1(png.toBase64()));
    }
    html += QStringLiteral("</body></html>");
    QFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(html.toUtf8()) < 0) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LessonPane::retranslateUi()
{
    const QString lang = language();
    const int current = m_choice->currentIndex();
    m_choice->clear();
    for (const Lesson &lesson : m_lessons)
        m_choice->addItem(QStringLiteral("%1. %2").arg(lesson.number).arg(lesson.title.in(lang)));
    m_choice->setCurrentIndex(current >= 0 ? current : 0);
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Creates the lesson's layers, opens them and mounts them live"));
    m_showMe->setText(tr("Show Me"));
    m_showMe->setToolTip(tr("Does this step's action in the merged dir"));
    m_previous->setText(tr("Previous"));
    m_next->setText(tr("Next Step"));
    m_export->setText(tr("Export Transcript…"));
    m_export->setToolTip(tr("An HTML handout: the steps with their checks, the event timeline and a picture of the window"));
    render();
}

void LessonPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace strata
