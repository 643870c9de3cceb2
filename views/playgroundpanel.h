// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "helperclient.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QToolBar;

namespace strata {

class EventTimelineModel;
class LiveSession;
class PlaygroundActions;

// The live playground's controls: Mount (the helper's mode and what it cannot do), the mount
// options as switches (toggling one remounts over the same upper dir), Reset, Record, the
// operations toolbar, the copy-up cost, the event timeline and a command line whose output goes
// to a console. Mounting itself is the window's (it knows the open SOURCE): mountRequested().
class PlaygroundPanel : public QWidget
{
    Q_OBJECT
public:
    PlaygroundPanel(LiveSession *session, PlaygroundActions *actions, QWidget *parent = nullptr);

    HelperMode chosenMode() const;
    QStringList chosenOptions() const;
    void setChosenOptions(const QStringList &options);
    EventTimelineModel *timeline() const { return m_timelineModel; }
    QTableView *timelineView() const { return m_timeline; }
    QLabel *costLabel() const { return m_cost; }
    QLabel *limitsLabel() const { return m_limits; }
    QPlainTextEdit *console() const { return m_console; }
    QLineEdit *commandLine() const { return m_command; }
    // Saves the session as a `strata-cli session` script (Record), asking where when `fileName` is empty.
    bool record(const QString &fileName = {});
    void retranslateUi();

Q_SIGNALS:
    void mountRequested();
    void unmountRequested();
    void pathActivated(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateState();
    void updateCost();
    void runCommand();
    void setOptionChecked(const QString &option, bool on); // without remounting

    LiveSession *m_session;
    PlaygroundActions *m_actions;
    EventTimelineModel *m_timelineModel;
    QPushButton *m_mount;
    QComboBox *m_mode;
    QLabel *m_modeLabel;
    QLabel *m_status;
    QLabel *m_limits;
    QList<QCheckBox *> m_options; // objectName = the mount option
    QPushButton *m_reset;
    QPushButton *m_record;
    QToolBar *m_toolbar;
    QLabel *m_cost;
    QTableView *m_timeline;
    QLineEdit *m_command;
    QCheckBox *m_network;
    QPushButton *m_run;
    QPushButton *m_kill;
    QPlainTextEdit *m_console;
};

} // namespace strata
