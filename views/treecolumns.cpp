// SPDX-License-Identifier: GPL-3.0-or-later
#include "treecolumns.h"

#include <QEvent>
#include <QHeaderView>
#include <QMenu>
#include <QTreeView>

namespace strata {

namespace {
// Levels of indentation the first column makes room for before its names get short.
constexpr int indentedLevels = 4;
}

TreeColumns::TreeColumns(QTreeView *tree, QObject *parent)
    : QObject(parent)
    , m_tree(tree)
{
    QHeaderView *header = tree->header();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(48);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    tree->setIndentation(14);
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu *menu = createMenu();
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_tree->header()->mapToGlobal(at));
    });
    connect(header, &QHeaderView::sectionCountChanged, this, [this] {
        m_fittedFor = -1;
        fit();
    });
    tree->viewport()->installEventFilter(this);
}

void TreeColumns::fit()
{
    QHeaderView *header = m_tree->header();
    const int count = header->count();
    if (count == 0)
        return;
    int shown = 0;
    for (int c = 0; c < count; ++c)
        shown += !header->isSectionHidden(c);
    if (shown == 0)
        return;
    const int available = m_tree->viewport()->width();
    m_fittedFor = available;
    const int indent = m_tree->indentation() * indentedLevels;
    const int each = std::max(minimumColumnWidth(), (available - indent) / shown);
    // What is left over when every column fits goes to the first shown column, which also holds
    // the tree's indentation.
    const int spare = std::max(0, available - indent - each * shown);
    bool first = true;
    for (int c = 0; c < count; ++c) {
        if (header->isSectionHidden(c))
            continue;
        header->resizeSection(c, first ? each + indent + spare : each);
        first = false;
    }
}

QMenu *TreeColumns::createMenu()
{
    auto *menu = new QMenu(m_tree);
    QAbstractItemModel *model = m_tree->model();
    QHeaderView *header = m_tree->header();
    const int last = header->count() - 1; // the merged column
    for (int c = 0; c < last; ++c) {
        QAction *action = menu->addAction(model->headerData(c, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(c));
        connect(action, &QAction::toggled, this, [this, c](bool on) {
            m_tree->header()->setSectionHidden(c, !on);
            fit();
        });
    }
    menu->addSeparator();
    menu->addAction(tr("Show All Columns"), this, [this] {
        for (int c = 0; c < m_tree->header()->count(); ++c)
            m_tree->header()->setSectionHidden(c, false);
        fit();
    });
    return menu;
}

bool TreeColumns::eventFilter(QObject *watched, QEvent *event)
{
    // The viewport's width changes with the window and the splitter; a horizontal scroll bar
    // appearing changes its height only.
    if (event->type() == QEvent::Resize && watched == m_tree->viewport() && m_tree->viewport()->width() != m_fittedFor)
        fit();
    return QObject::eventFilter(watched, event);
}

} // namespace strata
