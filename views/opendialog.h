// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace strata {

// Assembles a stack: lower directories (add, remove, reorder; topmost first, as mount lists them),
// an optional upper + work dir and the options that change the merged view; or takes pasted text
// (mount options, a mount/findmnt line, docker inspect's GraphDriver). source() is "overlay:…".
class OpenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit OpenDialog(QWidget *parent = nullptr);
    void setLowerDirs(const QStringList &topFirst);
    void setRecentSources(const QStringList &recent);
    // Puts `dir` on top of the lowers (right below the upper dir), as a new image layer goes.
    void addLowerDir(const QString &dir);
    QString source() const; // empty when the input is not usable (error() says why)
    QString error() const { return m_error; }

    // For tests: the widgets a user fills in.
    QListWidget *lowerList() const { return m_lowers; }
    QLineEdit *upperEdit() const { return m_upper; }
    QLineEdit *workEdit() const { return m_work; }
    QLabel *statusLabel() const { return m_status; }
    bool canOpen() const;
    QPlainTextEdit *pasteEdit() const { return m_paste; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    void validate();
    QString assembledOptions() const;
    QString directoryProblem(const QString &options) const;
    QTabWidget *m_tabs;
    QListWidget *m_lowers;
    QLineEdit *m_upper;
    QLineEdit *m_work;
    QComboBox *m_redirect;
    QComboBox *m_metacopy;
    QCheckBox *m_userxattr;
    QPlainTextEdit *m_paste;
    QListWidget *m_recent;
    QLabel *m_status;
    QString m_error;
    QString m_source;
};

} // namespace strata
