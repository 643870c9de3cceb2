// SPDX-License-Identifier: GPL-3.0-or-later
#include "changefilterproxy.h"

#include "provenance.h"
#include "roles.h"
#include "uniontreemodel.h"

#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace strata {

ChangeFilterProxy::ChangeFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // m_visible already includes descendants: no recursive filtering walk inside Qt.
    setRecursiveFilteringEnabled(false);
}

void ChangeFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    if (m_union)
        disconnect(m_union, nullptr, this, nullptr);
    m_union = qobject_cast<UnionTreeModel *>(model);
    if (m_union) {
        connect(m_union, &QAbstractItemModel::modelReset, this, &ChangeFilterProxy::recompute);
        // Before layoutChanged, which makes the proxy re-map through filterAcceptsRow().
        connect(m_union, &UnionTreeModel::snapshotSwapped, this, &ChangeFilterProxy::snapshotSwapped);
    }
    recompute();
    QSortFilterProxyModel::setSourceModel(model);
}

bool ChangeFilterProxy::isFiltering() const
{
    return m_criteria.active();
}

void ChangeFilterProxy::setOnlyChanges(bool only)
{
    m_criteria.onlyChanges = only;
    recompute();
}

void ChangeFilterProxy::setLayerFilter(int layer)
{
    m_criteria.layer = layer;
    recompute();
}

void ChangeFilterProxy::setNamePattern(const QString &pattern, PatternSyntax syntax)
{
    m_criteria.hasPattern = !pattern.isEmpty();
    QRegularExpression &regex = m_criteria.pattern;
    switch (syntax) {
    case PatternSyntax::Substring:
        regex = QRegularExpression(QRegularExpression::escape(pattern), QRegularExpression::CaseInsensitiveOption);
        break;
    case PatternSyntax::Wildcard:
        regex = QRegularExpression::fromWildcard(pattern, Qt::CaseInsensitive, QRegularExpression::UnanchoredWildcardConversion);
        break;
    case PatternSyntax::RegularExpression:
        regex = QRegularExpression(pattern);
        break;
    }
    recompute();
}

void ChangeFilterProxy::setTypeFilter(int entryType)
{
    m_criteria.type = entryType;
    recompute();
}

void ChangeFilterProxy::setMinimumSize(quint64 bytes)
{
    m_criteria.minimumSize = bytes;
    recompute();
}

bool ChangeFilterProxy::acceptsNode(const Criteria &c, const OverlayStack &stack, UnionId node)
{
    const UnionTree &tree = stack.unionTree;
    // As of layer N, the stack is layers 0..N.
    const size_t layers = c.asOf ? c.asOf->layer + 1 : tree.layerCount();
    if (c.asOf) {
        bool present = false;
        for (size_t l = 0; l < layers && !present; ++l)
            present = tree.cell(node, l) != noEntry;
        if (!present)
            return false;
    }
    if (c.hasPattern) {
        const std::string_view name = stack.name(tree.nodes[node].name);
        if (!c.pattern.match(QFile::decodeName(QByteArray(name.data(), qsizetype(name.size())))).hasMatch())
            return false;
    }
    if (c.type >= 0 || c.minimumSize > 0) {
        LayerRef shown;
        if (!c.asOf) {
            shown = topmostVersion(stack, node);
        } else if (const MergedId m = c.asOf->mergedOf(node); m != noMerged) {
            shown = c.asOf->merged.nodes[m].meta;
        } else {
            for (size_t l = layers; l-- > 0 && !shown.valid();) {
                if (tree.cell(node, l) != noEntry)
                    shown = {uint16_t(l), tree.cell(node, l)};
            }
        }
        if (!shown.valid())
            return false;
        const Entry &e = stack.entry(shown);
        if (c.type >= 0 && int(e.type) != c.type)
            return false;
        if (c.minimumSize > 0 && (e.type != EntryType::File || e.size < c.minimumSize))
            return false;
    }
    if (!c.onlyChanges && c.layer < 0)
        return true;
    if (c.layer >= 0)
        return size_t(c.layer) < layers && isChange(tree.kind(node, size_t(c.layer)));
    return changedAboveBase(stack, node, layers);
}

std::vector<uint8_t> ChangeFilterProxy::visibleNodes(const Criteria &criteria, const OverlayStack &stack)
{
    const UnionTree &tree = stack.unionTree;
    std::vector<uint8_t> visible(tree.nodes.size(), 0);
    // Children always come after their parent in the arena: one backward pass carries each match
    // up to its ancestors.
    // 2 marks a match itself, 1 an ancestor kept for it (matchCount() counts the 2s).
    for (UnionId n = UnionId(tree.nodes.size()); n-- > 1;) {
        if (acceptsNode(criteria, stack, n))
            visible[n] = 2;
        if (visible[n])
            visible[tree.nodes[n].parent] = std::max<uint8_t>(visible[tree.nodes[n].parent], 1);
    }
    return visible;
}

int ChangeFilterProxy::matchCount() const
{
    if (!isFiltering())
        return -1;
    return int(std::count(m_visible.begin(), m_visible.end(), uint8_t(2)));
}

void ChangeFilterProxy::recompute()
{
    const quint64 generation = ++m_generation;
    std::shared_ptr<const OverlayStack> stack = m_union ? m_union->sharedStack() : nullptr;
    m_criteria.asOf = m_union ? m_union->sharedAsOfView() : nullptr;
    if (!stack || !m_criteria.active()) {
        m_visible.clear();
        invalidateRowsFilter();
        Q_EMIT filterApplied();
        return;
    }
    // Small trees are decided on the spot; big ones off the GUI thread, then applied at once.
    if (stack->unionTree.nodes.size() < m_asyncThreshold) {
        m_visible = visibleNodes(m_criteria, *stack);
        invalidateRowsFilter();
        Q_EMIT filterApplied();
        return;
    }
    auto *watcher = new QFutureWatcher<std::vector<uint8_t>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, stack] {
        watcher->deleteLater();
        if (generation != m_generation || !m_union)
            return; // superseded by a newer filter or a reset
        if (m_union->stack() == stack.get()) {
            m_visible = watcher->future().takeResult();
            invalidateRowsFilter();
        } // else a snapshot update came meanwhile and decided the rows with these criteria
        Q_EMIT filterApplied();
    });
    watcher->setFuture(QtConcurrent::run([criteria = m_criteria, stack] { return visibleNodes(criteria, *stack); }));
}

void ChangeFilterProxy::snapshotSwapped(bool sameRows)
{
    // Decide the rows for the new snapshot now, synchronously. A filter computation still running
    // for the old snapshot is not applied; its filterApplied() still comes (see recompute()).
    const std::shared_ptr<const OverlayStack> stack = m_union->sharedStack();
    m_criteria.asOf = m_union->sharedAsOfView();
    std::vector<uint8_t> visible;
    if (stack && m_criteria.active())
        visible = visibleNodes(m_criteria, *stack);
    if (!sameRows) {
        // Inside the source's layout change: the base class re-maps at layoutChanged.
        m_visible = std::move(visible);
        return;
    }
    // Rows stay: the source's dataChanged() re-filters the rows that changed, but an unchanged
    // ancestor of one may have to appear or go, so re-filter what is mapped when anything flipped.
    if (visible != m_visible) {
        m_visible = std::move(visible);
        invalidateRowsFilter();
    }
}

bool ChangeFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Sizes: directories by their recursive totals; absent entries sort as size 0.
    if (sortRole() == SizeRole || sortRole() == TotalSizeRole) {
        const QVariant l = left.data(TotalSizeRole), r = right.data(TotalSizeRole);
        if (l.isValid() || r.isValid())
            return l.toULongLong() < r.toULongLong();
        return left.data(SizeRole).toULongLong() < right.data(SizeRole).toULongLong();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

bool ChangeFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_visible.empty() || !m_union)
        return true;
    const UnionId parent = m_union->nodeOf(sourceParent);
    const UnionId node = m_union->stack()->unionTree.nodes[parent].firstChild + UnionId(sourceRow);
    return node < m_visible.size() && m_visible[node];
}

} // namespace strata
