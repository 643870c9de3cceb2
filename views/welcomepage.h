// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace strata {

// What the window shows before any stack is open: how to start (Open…, the demo stack, a recent
// stack, a folder dropped on the window).
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);
    // SOURCE strings, newest first; each is listed under a short label (RecentSources::label).
    void setRecentSources(const QStringList &sources);

    QPushButton *openButton() const { return m_open; }
    QPushButton *demoButton() const { return m_demo; }
    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void openRequested();
    void demoRequested();
    void recentChosen(const QString &source);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    QLabel *m_title;
    QLabel *m_intro;
    QPushButton *m_open;
    QPushButton *m_demo;
    QLabel *m_recentTitle;
    QListWidget *m_recent;
    QLabel *m_drop;
    QStringList m_sources;
};

} // namespace strata
