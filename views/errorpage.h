// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace strata {

// Where the tree would be when a stack could not be loaded: what went wrong (errortext, in the
// user's language), what to do about it, and the buttons to do it (Open…, Retry).
class ErrorPage : public QWidget
{
    Q_OBJECT
public:
    explicit ErrorPage(QWidget *parent = nullptr);
    void setError(const Error &error, const QString &source);
    QString hint() const; // what to do, as shown
    QString message() const;

    QPushButton *openButton() const { return m_open; }
    QPushButton *retryButton() const { return m_retry; }

Q_SIGNALS:
    void openRequested();
    void retryRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    Error m_error;
    QString m_source;
    QLabel *m_title;
    QLabel *m_message;
    QLabel *m_hint;
    QLabel *m_sourceLabel;
    QPushButton *m_open;
    QPushButton *m_retry;
};

} // namespace strata
