// SPDX-License-Identifier: GPL-3.0-or-later
#include "playgroundpanel.h"

#include "changestyle.h"
#include "copyupcost.h"
#include "errortext.h"
#include "eventtimelinemodel.h"
#include "flowlayout.h"
#include "livesession.h"
#include "playgroundactions.h"
#include "roles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <unistd.h>

namespace strata {

PlaygroundPanel::PlaygroundPanel(LiveSession *session, PlaygroundActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_actions(actions)
    , m_timelineModel(new EventTimelineModel(session, this))
    , m_mount(new QPushButton(this))
    , m_mode(new QComboBox(this))
    , m_modeLabel(new QLabel(this))
    , m_status(new QLabel(this))
    , m_limits(new QLabel(this))
    , m_reset(new QPushButton(this))
    , m_record(new QPushButton(this))
    , m_toolbar(new QToolBar(this))
    , m_cost(new QLabel(this))
    , m_timeline(new QTableView(this))
    , m_command(new QLineEdit(this))
    , m_network(new QCheckBox(this))
    , m_run(new QPushButton(this))
    , m_kill(new QPushButton(this))
    , m_console(new QPlainTextEdit(this))
{
    m_timelineModel->setChangeKindLabel([](ChangeKind kind) { return ChangeStyle::label(kind); });
    m_mode->addItem(QString(), int(HelperMode::Auto));
    m_mode->addItem(QString(), int(HelperMode::Rootless));
    m_mode->addItem(QString(), int(HelperMode::Pkexec));
    m_mode->addItem(QString(), int(HelperMode::Direct));

    // Flowing rows: at 1024 pixels or in Korean the switches wrap instead of widening the window.
    auto *top = new FlowLayout;
    top->addWidget(m_mount);
    top->addWidget(m_modeLabel);
    top->addWidget(m_mode);
    for (const char *option : {"redirect_dir=on", "metacopy=on", "index=on", "xino=on"}) {
        auto *box = new QCheckBox(QString::fromLatin1(option), this);
        box->setObjectName(QString::fromLatin1(option));
        connect(box, &QCheckBox::toggled, this, [this, box](bool on) {
            // The kernel's rule: metacopy=on needs redirect_dir=on (it refuses the pair otherwise).
            if (box->objectName() == u"metacopy=on" && on)
                setOptionChecked(QStringLiteral("redirect_dir=on"), true);
            if (box->objectName() == u"redirect_dir=on" && !on)
                setOptionChecked(QStringLiteral("metacopy=on"), false);
            // The options are part of the experiment: a live stack is mounted again with them.
            if (m_session->isLive())
                m_session->remount(chosenOptions());
        });
        m_options << box;
        top->addWidget(box);
    }
    top->addWidget(m_reset);
    top->addWidget(m_record);

    m_limits->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolbar->addActions(actions->toolbarActions());
    auto *costRow = new FlowLayout;
    costRow->addWidget(m_toolbar);
    costRow->addWidget(m_cost);

    m_timeline->setModel(m_timelineModel);
    m_timeline->verticalHeader()->hide();
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_timeline->horizontalHeader()->setSectionResizeMode(EventTimelineModel::UpperPathColumn, QHeaderView::Stretch);
    m_timeline->verticalHeader()->setDefaultSectionSize(m_timeline->fontMetrics().height() + 6);
    connect(m_timeline, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        const QString path = index.data(PathRole).toString();
        if (path.startsWith(u'/'))
            Q_EMIT pathActivated(path);
    });
    connect(m_timelineModel, &QAbstractItemModel::rowsInserted, m_timeline, [this] { m_timeline->scrollToBottom(); });

    auto *consoleBox = new QWidget(this);
    auto *consoleLayout = new QVBoxLayout(consoleBox);
    consoleLayout->setContentsMargins(0, 0, 0, 0);
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(m_network);
    commandRow->addWidget(m_run);
    commandRow->addWidget(m_kill);
    consoleLayout->addLayout(commandRow);
    m_console->setReadOnly(true);
    m_console->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_console->setMaximumBlockCount(5000);
    consoleLayout->addWidget(m_console, 1);
    connect(m_command, &QLineEdit::returnPressed, this, &PlaygroundPanel::runCommand);
    connect(m_run, &QPushButton::clicked, this, &PlaygroundPanel::runCommand);
    connect(m_kill, &QPushButton::clicked, m_session, &LiveSession::killCommand);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_timeline);
    split->addWidget(consoleBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_limits);
    layout->addLayout(costRow);
    layout->addWidget(split, 1);

    connect(m_mount, &QPushButton::clicked, this, [this] {
        if (m_session->isLive())
            Q_EMIT unmountRequested();
        else
            Q_EMIT mountRequested();
    });
    connect(m_reset, &QPushButton::clicked, m_session, &LiveSession::reset);
    connect(m_record, &QPushButton::clicked, this, [this] { record(); });
    connect(m_session, &LiveSession::stateChanged, this, &PlaygroundPanel::updateState);
    connect(m_session, &LiveSession::snapshotChanged, this, &PlaygroundPanel::updateCost);
    connect(m_session, &LiveSession::mounted, this, &PlaygroundPanel::updateCost);
    connect(m_session, &LiveSession::operationDone, this, [this](int index) {
        const LiveOperation &op = m_session->operations()[size_t(index)];
        if (op.error)
            m_console->appendPlainText(tr("✗ %1 %2: %3").arg(op.request.op, op.request.args.value(QStringLiteral("path")).toString(), errorText(*op.error)));
        updateCost();
    });
    connect(m_session, &LiveSession::failed, this, [this](const Error &error) { m_console->appendPlainText(tr("✗ %1").arg(errorText(error))); });
    connect(m_session, &LiveSession::commandStarted, this, &PlaygroundPanel::updateState);
    connect(m_session, &LiveSession::commandOutput, this, [this](const QString &text, bool) {
        m_console->moveCursor(QTextCursor::End);
        m_console->insertPlainText(text);
        m_console->verticalScrollBar()->setValue(m_console->verticalScrollBar()->maximum());
    });
    connect(m_session, &LiveSession::commandFinished, this, [this](const QString &how) {
        m_console->appendPlainText(tr("[%1]").arg(how));
        updateState();
    });
    retranslateUi();
}

HelperMode PlaygroundPanel::chosenMode() const
{
    return HelperMode(m_mode->currentData().toInt());
}

QStringList PlaygroundPanel::chosenOptions() const
{
    QStringList options;
    for (QCheckBox *box : m_options) {
        if (box->isChecked())
            options << box->objectName();
    }
    return options;
}

void PlaygroundPanel::setChosenOptions(const QStringList &options)
{
    for (QCheckBox *box : std::as_const(m_options)) {
        const QSignalBlocker blocker(box); // setting, not toggling: no remount
        box->setChecked(options.contains(box->objectName()));
    }
}

void PlaygroundPanel::setOptionChecked(const QString &option, bool on)
{
    for (QCheckBox *box : std::as_const(m_options)) {
        if (box->objectName() == option) {
            const QSignalBlocker blocker(box);
            box->setChecked(on);
        }
    }
}

void PlaygroundPanel::runCommand()
{
    const QStringList argv = QProcess::splitCommand(m_command->text());
    if (argv.isEmpty() || !m_session->isLive() || m_session->commandRunning())
        return;
    m_console->appendPlainText(QStringLiteral("$ ") + m_command->text());
    m_session->runCommand(argv, m_network->isChecked());
}

bool PlaygroundPanel::record(const QString &fileName)
{
    QString name = fileName;
    if (name.isEmpty())
        name = QFileDialog::getSaveFileName(this, tr("Record"), QDir::homePath() + QStringLiteral("/strata-session.txt"), tr("Session scripts (*.txt)"));
    if (name.isEmpty())
        return false;
    QString problem;
    if (!m_session->saveScript(name, &problem)) {
        QMessageBox::warning(this, tr("Record"), problem);
        return false;
    }
    m_console->appendPlainText(tr("Saved %1 operations to %2: replay with strata-cli session SOURCE --script %2").arg(m_session->operations().size()).arg(name));
    return true;
}

void PlaygroundPanel::updateState()
{
    const LiveSession::State state = m_session->state();
    const bool live = m_session->isLive();
    m_mount->setText(live ? tr("Unmount") : tr("Mount"));
    m_mount->setEnabled(state != LiveSession::State::Mounting);
    m_mode->setEnabled(!live && state != LiveSession::State::Mounting);
    m_reset->setEnabled(state == LiveSession::State::Live);
    m_record->setEnabled(live && !m_session->operations().empty());
    for (QCheckBox *box : std::as_const(m_options))
        box->setEnabled(state != LiveSession::State::Mounting);
    m_run->setEnabled(state == LiveSession::State::Live && !m_session->commandRunning());
    m_kill->setEnabled(m_session->commandRunning());
    m_command->setEnabled(live);
    const HelperMode mode = live ? m_session->mode() : chosenMode();
    switch (state) {
    case LiveSession::State::Off:
        m_status->setText(tr("Not mounted. Mount turns the open stack into a live one: a fresh upper dir over its layers, mounted by strata-helper in its own mount namespace."));
        break;
    case LiveSession::State::Mounting:
        m_status->setText(tr("Mounting…"));
        break;
    case LiveSession::State::Live:
    case LiveSession::State::Busy:
        m_status->setText(tr("Live (%1): upper dir %2%3")
                              .arg(helperModeName(mode), m_session->upperDir(),
                                   m_session->options().isEmpty() ? QString() : tr(" · options %1").arg(m_session->options().join(u','))));
        break;
    }
    m_status->setWordWrap(true);
    const QString limits = LiveSession::limitsText(live ? mode : HelperMode::Rootless);
    m_limits->setText(limits);
    m_limits->setVisible(!limits.isEmpty() && (mode == HelperMode::Rootless || (!live && (mode == HelperMode::Auto && ::geteuid() != 0))));
    // What rootless cannot mount is not offered there.
    for (QCheckBox *box : std::as_const(m_options)) {
        const bool needsRoot = box->objectName() != u"xino=on";
        if (needsRoot && live && mode == HelperMode::Rootless)
            box->setEnabled(false);
    }
}

void PlaygroundPanel::updateCost()
{
    auto stack = m_session->stack();
    if (!stack) {
        m_cost->clear();
        return;
    }
    const CopyUpCost cost = copyUpCost(*stack);
    const QLocale locale;
    QString text = tr("Copy-up cost: %1 in %n file(s) copied up", nullptr, int(cost.copiedFiles)).arg(locale.formattedDataSize(qint64(cost.copiedBytes)));
    text += tr(" · written by you: %1").arg(locale.formattedDataSize(m_session->userBytes()));
    if (cost.metacopyFiles)
        text += tr(" · %n metadata-only", nullptr, int(cost.metacopyFiles));
    m_cost->setText(text);
    m_cost->setToolTip(tr("The bytes the upper dir holds only because the kernel copied whole files up before changing them, next to the bytes your operations wrote."));
}

void PlaygroundPanel::retranslateUi()
{
    m_modeLabel->setText(tr("Helper:"));
    m_mode->setItemText(0, tr("Automatic"));
    m_mode->setItemText(1, tr("Rootless"));
    m_mode->setItemText(2, tr("As root (pkexec)"));
    m_mode->setItemText(3, tr("Direct (already root)"));
    m_reset->setText(tr("Reset"));
    m_reset->setToolTip(tr("Puts the upper dir back as it was when mounted, byte for byte, and mounts again"));
    m_record->setText(tr("Record…"));
    m_record->setToolTip(tr("Saves the operations and their events as a script that strata-cli session replays"));
    m_toolbar->setWindowTitle(tr("Operations"));
    m_command->setPlaceholderText(tr("A command to run in the merged root, e.g. cat /etc/os-release"));
    m_network->setText(tr("Network"));
    m_network->setToolTip(tr("A network namespace of its own with the loopback up"));
    m_run->setText(tr("Run"));
    m_kill->setText(tr("Stop"));
    m_timelineModel->retranslate();
    updateState();
    updateCost();
}

void PlaygroundPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace strata
