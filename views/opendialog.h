// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "machinesources.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace strata {

// Assembles a stack: lower directories (add, remove, reorder; topmost first, as mount lists them),
// an optional upper + work dir and the options that change the merged view; or takes pasted text
// (mount options, a mount/findmnt line, docker inspect's GraphDriver), or picks an image source:
// an OCI layout or docker save archive, or one of the images, containers and overlay mounts found
// on the machine (any SOURCE can be typed there too). source() is the SOURCE string to open.
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
    // The Images tab: where it looks (tests point it elsewhere), what it found, the SOURCE field.
    void setMachineSourceRoots(const MachineSourceRoots &roots) { m_roots = roots; }
    void findMachineSources(); // off the GUI thread; machineSourcesFound() follows
    QTreeWidget *foundList() const { return m_found; }
    QLabel *foundStatus() const { return m_foundStatus; }
    QLineEdit *sourceEdit() const { return m_sourceEdit; }
    static constexpr int imagesTab = 3;

Q_SIGNALS:
    void machineSourcesFound();

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
    QTreeWidget *m_found;
    QLabel *m_foundStatus;
    QLineEdit *m_sourceEdit;
    MachineSourceRoots m_roots;
    bool m_searched = false;
    void showMachineSources(const MachineSources &found);
    QString imageSourceProblem(const QString &source) const;
    QLabel *m_status;
    QString m_error;
    QString m_source;
};

} // namespace strata
