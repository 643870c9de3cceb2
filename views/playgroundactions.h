// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QAction;
class QMenu;
class QWidget;

namespace strata {

class LiveSession;
struct LessonAction;
struct OverlayStack;

// The playground's file operations on a row of the tree — edit, append, truncate, chmod, chown,
// touch, rename, delete, new directory/file, symlink, hardlink, set/remove xattr, keep open
// read-only — each asking for what it needs and sent to the live session as the helper's request.
// The tree's context menu and the panel's toolbar show the same actions.
class PlaygroundActions : public QObject
{
    Q_OBJECT
public:
    // `currentPath` gives the path ("/etc/motd") the actions act on.
    PlaygroundActions(LiveSession *session, QWidget *dialogParent, std::function<QString()> currentPath, QObject *parent = nullptr);

    // The operations as a submenu (for the tree's context menu); enabled while the session is live.
    void addTo(QMenu *menu);
    QList<QAction *> toolbarActions() const;
    // Does `op` on `path` without asking (tests, lessons' "show me"): an action of the lesson format
    // (op, path, argument), e.g. ("chmod", "/big", "600"). False when it is not a valid action.
    bool perform(const QString &op, const QString &path, const QString &argument = {});
    // A lesson's action as "Show me" does it: file operations (recursive ones over the merged
    // tree, parents first, as chmod -R does), a remount with other options, a command run.
    bool performAction(const LessonAction &action);
    // The editor: the file's text, written back with write + truncate.
    void edit(const QString &path);
    void retranslateUi();

private:
    void ask(const QString &op);
    void updateEnabled();
    QString newPathIn(const QString &title, const QString &label);
    std::shared_ptr<const OverlayStack> stack() const;

    LiveSession *m_session;
    QWidget *m_dialogParent;
    std::function<QString()> m_currentPath;
    QList<QAction *> m_actions; // in menu order; data() is the op
    QAction *m_edit;
    QAction *m_delete;
};

} // namespace strata
