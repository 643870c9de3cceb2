// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QModelIndex>
#include <QObject>

class QAction;
class QMenu;
class QTreeView;

namespace strata {

struct OverlayStack;

// What one can do with a row of the tree: copy its full path (also Ctrl+C, which would otherwise
// copy only the name), copy the SOURCE, open the directory holding it in a layer with the file
// manager, and show it in the layer column that provides it. The tree's context menu lists them.
class PathActions : public QObject
{
    Q_OBJECT
public:
    explicit PathActions(QTreeView *tree, QObject *parent = nullptr);
    void setStack(const OverlayStack *stack, const QString &source);
    // The menu for the row at `index` (any column of the tree's model); the column picks the layer.
    QMenu *menuFor(const QModelIndex &index, QWidget *parent);
    // The path of the current row, or empty.
    QString currentPath() const;
    // The directory that holds the row's entry in `layer` (the providing layer when -1).
    QString containingDirectory(const QModelIndex &index, int layer = -1) const;
    void copyPath();
    void retranslateUi();

    QAction *copyPathAction() const { return m_copyPath; }

Q_SIGNALS:
    // menuFor() built `menu` for `index`: others add their actions (the playground's operations).
    void menuCreated(QMenu *menu, const QModelIndex &index);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int layerFor(const QModelIndex &index) const;
    QTreeView *m_tree;
    const OverlayStack *m_stack = nullptr;
    QString m_source;
    QModelIndex m_menuIndex; // the row the menu was opened on
    QAction *m_copyPath;
    QAction *m_copySource;
    QAction *m_openFolder;
    QAction *m_showInLayer;
};

} // namespace strata
