// SPDX-License-Identifier: GPL-3.0-or-later
#include "changenavigator.h"

#include "changekind.h"
#include "roles.h"

#include <QAction>
#include <QTreeView>

namespace strata {

ChangeNavigator::ChangeNavigator(QTreeView *tree, QObject *parent)
    : QObject(parent)
    , m_tree(tree)
    , m_action(new QAction(this))
    , m_previousAction(new QAction(this))
{
    m_action->setShortcut(Qt::Key_F8);
    connect(m_action, &QAction::triggered, this, &ChangeNavigator::goToNext);
    m_previousAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F8));
    connect(m_previousAction, &QAction::triggered, this, &ChangeNavigator::goToPrevious);
    retranslateUi();
}

void ChangeNavigator::retranslateUi()
{
    m_action->setText(tr("Next change"));
    m_action->setToolTip(tr("Select the next changed path (F8)"));
    m_previousAction->setText(tr("Previous change"));
    m_previousAction->setToolTip(tr("Select the previous changed path (Shift+F8)"));
}

QModelIndex ChangeNavigator::nextChange(const QModelIndex &from) const
{
    const QAbstractItemModel *model = m_tree->model();
    if (!model)
        return {};
    auto nextIndex = [model](QModelIndex i) -> QModelIndex {
        if (model->rowCount(i) > 0)
            return model->index(0, 0, i);
        while (i.isValid()) {
            const QModelIndex sibling = i.sibling(i.row() + 1, 0);
            if (sibling.isValid())
                return sibling;
            i = i.parent();
        }
        return {};
    };
    const QModelIndex start = from.siblingAtColumn(0);
    for (QModelIndex index = start.isValid() ? nextIndex(start) : model->index(0, 0); index.isValid(); index = nextIndex(index)) {
        if (isChange(index))
            return index;
    }
    return {};
}

QModelIndex ChangeNavigator::previousChange(const QModelIndex &from) const
{
    const QAbstractItemModel *model = m_tree->model();
    if (!model)
        return {};
    // The depth-first order backwards: the previous sibling's last descendant, else the parent.
    auto lastDescendant = [model](QModelIndex i) {
        while (model->rowCount(i) > 0)
            i = model->index(model->rowCount(i) - 1, 0, i);
        return i;
    };
    auto previousIndex = [&](const QModelIndex &i) -> QModelIndex {
        if (i.row() > 0)
            return lastDescendant(i.sibling(i.row() - 1, 0));
        return i.parent();
    };
    const QModelIndex start = from.siblingAtColumn(0);
    const int top = model->rowCount();
    for (QModelIndex index = start.isValid() ? previousIndex(start) : (top > 0 ? lastDescendant(model->index(top - 1, 0)) : QModelIndex()); index.isValid();
         index = previousIndex(index)) {
        if (isChange(index))
            return index;
    }
    return {};
}

bool ChangeNavigator::isChange(const QModelIndex &index) const
{
    // Columns: layers bottom → top, merged last; the base layer (column 0) only adds.
    for (int c = 1; c < index.model()->columnCount(index.parent()) - 1; ++c) {
        const auto kind = ChangeKind(index.siblingAtColumn(c).data(ChangeKindRole).toInt());
        if (kind != ChangeKind::Absent && kind != ChangeKind::Unchanged)
            return true;
    }
    return false;
}

bool ChangeNavigator::select(const QModelIndex &index)
{
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

bool ChangeNavigator::goToNext()
{
    return select(nextChange(m_tree->currentIndex()));
}

bool ChangeNavigator::goToPrevious()
{
    return select(previousChange(m_tree->currentIndex()));
}

} // namespace strata
