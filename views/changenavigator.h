// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QModelIndex>
#include <QObject>

class QAction;
class QTreeView;

namespace strata {

// "Next change" (F8): walks the tree depth-first from the current row to the next row that a layer
// above the base changes, and selects it.
class ChangeNavigator : public QObject
{
    Q_OBJECT
public:
    explicit ChangeNavigator(QTreeView *tree, QObject *parent = nullptr);
    QAction *action() const { return m_action; }
    // The next changed row after `from` (invalid: from the top) in the tree's model; invalid when none.
    QModelIndex nextChange(const QModelIndex &from) const;
    // Selects the next change; false when there is none below the current row.
    bool goToNext();
    void retranslateUi();

private:
    QTreeView *m_tree;
    QAction *m_action;
};

} // namespace strata
