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
{
    m_action->setShortcut(Qt::Key_F8);
    connect(m_action, &QAction::triggered, this, &ChangeNavigator::goToNext);
    retranslateUi();
}

void ChangeNavigator::retranslateUi()
{
    m_action->setText(tr("Next change"));
    m_action->setToolTip(tr("Select the next changed path (F8)"));
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
    // Columns: layers bottom → top, merged last; the base layer (column 0) only adds.
    for (QModelIndex index = start.isValid() ? nextIndex(start) : model->index(0, 0); index.isValid(); index = nextIndex(index)) {
        for (int c = 1; c < model->columnCount(index.parent()) - 1; ++c) {
            const auto kind = ChangeKind(index.siblingAtColumn(c).data(ChangeKindRole).toInt());
            if (kind != ChangeKind::Absent && kind != ChangeKind::Unchanged)
                return index;
        }
    }
    return {};
}

bool ChangeNavigator::goToNext()
{
    const QModelIndex next = nextChange(m_tree->currentIndex());
    if (!next.isValid())
        return false;
    m_tree->setCurrentIndex(next);
    m_tree->scrollTo(next);
    return true;
}

} // namespace strata
