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
    header->setMinimumSectionSize(24); // below collapsedWidth()
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    tree->setIndentation(14);
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu *menu = createMenu(m_tree->header()->logicalIndexAt(at));
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_tree->header()->mapToGlobal(at));
    });
    connect(header, &QHeaderView::sectionCountChanged, this, [this] {
        m_collapsed.clear(); // another stack
        m_fittedFor = -1;
        fit();
    });
    // A double click on a layer's header collapses it to a strip, and back.
    connect(header, &QHeaderView::sectionDoubleClicked, this, [this](int column) {
        if (column + 1 < m_tree->header()->count())
            setCollapsed(column, !isCollapsed(column));
    });
    tree->viewport()->installEventFilter(this);
}

void TreeColumns::fit()
{
    QHeaderView *header = m_tree->header();
    const int count = header->count();
    if (count == 0)
        return;
    int shown = 0, strips = 0;
    for (int c = 0; c < count; ++c) {
        if (header->isSectionHidden(c))
            continue;
        if (m_collapsed.contains(c))
            ++strips;
        else
            ++shown;
    }
    if (shown == 0)
        return;
    const int available = m_tree->viewport()->width() - strips * collapsedWidth();
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
        if (m_collapsed.contains(c)) {
            header->resizeSection(c, collapsedWidth());
            continue;
        }
        header->resizeSection(c, first ? each + indent + spare : each);
        first = false;
    }
}

void TreeColumns::setCollapsed(int column, bool collapsed)
{
    if (collapsed)
        m_collapsed.insert(column);
    else
        m_collapsed.remove(column);
    fit();
}

QMenu *TreeColumns::createMenu(int column)
{
    auto *menu = new QMenu(m_tree);
    QAbstractItemModel *model = m_tree->model();
    QHeaderView *header = m_tree->header();
    const int last = header->count() - 1; // the merged column
    if (column >= 0 && column < last) {
        const QString name = model->headerData(column, Qt::Horizontal).toString().section(u':', 0, 0);
        QAction *collapse = menu->addAction(isCollapsed(column) ? tr("Widen %1").arg(name) : tr("Collapse %1 to a Strip").arg(name));
        connect(collapse, &QAction::triggered, this, [this, column] { setCollapsed(column, !isCollapsed(column)); });
        menu->addAction(tr("Only %1 and the Merged View").arg(name), this, [this, column, last] {
            for (int c = 0; c < last; ++c)
                m_tree->header()->setSectionHidden(c, c != column);
            fit();
        });
        menu->addSeparator();
    }
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
        m_collapsed.clear();
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
