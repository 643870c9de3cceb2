// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QModelIndex>
#include <QObject>

class QAction;
class QTreeView;

namespace strata {

// "Next change" (F8) and "Previous change" (Shift+F8): walk the tree depth-first from the current
// row to the next (previous) row that a layer above the base changes, and select it.
class ChangeNavigator : public QObject
{
    Q_OBJECT
public:
    explicit ChangeNavigator(QTreeView *tree, QObject *parent = nullptr);
    QAction *action() const { return m_action; }
    QAction *previousAction() const { return m_previousAction; }
    // The next changed row after `from` (invalid: from the top) in the tree's model; invalid when none.
    QModelIndex nextChange(const QModelIndex &from) const;
    // The changed row before `from` (invalid: from the bottom); invalid when none.
    QModelIndex previousChange(const QModelIndex &from) const;
    // Selects the next change; false when there is none below the current row.
    bool goToNext();
    bool goToPrevious();
    void retranslateUi();

private:
    QTreeView *m_tree;
    bool isChange(const QModelIndex &index) const;
    bool select(const QModelIndex &index);
    QAction *m_action;
    QAction *m_previousAction;
};

} // namespace strata
