// SPDX-License-Identifier: GPL-3.0-or-later
#include "changefilterproxy.h"

#include "roles.h"
#include "uniontreemodel.h"

#include <QFile>

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
    if (m_union)
        connect(m_union, &QAbstractItemModel::modelReset, this, &ChangeFilterProxy::recompute);
    recompute();
    QSortFilterProxyModel::setSourceModel(model);
}

bool ChangeFilterProxy::isFiltering() const
{
    return m_onlyChanges || m_layer >= 0 || m_hasPattern || m_type >= 0 || m_minimumSize > 0;
}

void ChangeFilterProxy::setOnlyChanges(bool only)
{
    m_onlyChanges = only;
    recompute();
}

void ChangeFilterProxy::setLayerFilter(int layer)
{
    m_layer = layer;
    recompute();
}

void ChangeFilterProxy::setNamePattern(const QString &pattern, PatternSyntax syntax)
{
    m_hasPattern = !pattern.isEmpty();
    switch (syntax) {
    case PatternSyntax::Substring:
        m_pattern = QRegularExpression(QRegularExpression::escape(pattern), QRegularExpression::CaseInsensitiveOption);
        break;
    case PatternSyntax::Wildcard:
        m_pattern = QRegularExpression::fromWildcard(pattern, Qt::CaseInsensitive, QRegularExpression::UnanchoredWildcardConversion);
        break;
    case PatternSyntax::RegularExpression:
        m_pattern = QRegularExpression(pattern);
        break;
    }
    recompute();
}

void ChangeFilterProxy::setTypeFilter(int entryType)
{
    m_type = entryType;
    recompute();
}

void ChangeFilterProxy::setMinimumSize(quint64 bytes)
{
    m_minimumSize = bytes;
    recompute();
}

bool ChangeFilterProxy::acceptsNode(const OverlayStack &stack, UnionId node) const
{
    const UnionTree &tree = stack.unionTree;
    const size_t layers = tree.layerCount();
    if (m_hasPattern) {
        const std::string_view name = stack.name(tree.nodes[node].name);
        if (!m_pattern.match(QFile::decodeName(QByteArray(name.data(), qsizetype(name.size())))).hasMatch())
            return false;
    }
    if (m_type >= 0 || m_minimumSize > 0) {
        // Type and size of the topmost version: the merged one, else the top layer's.
        LayerRef shown;
        const MergedId m = tree.nodes[node].merged;
        if (m != noMerged)
            shown = stack.merged.nodes[m].meta;
        for (size_t l = layers; l-- > 0 && !shown.valid();) {
            if (tree.cell(node, l) != noEntry)
                shown = {uint16_t(l), tree.cell(node, l)};
        }
        if (!shown.valid())
            return false;
        const Entry &e = stack.entry(shown);
        if (m_type >= 0 && int(e.type) != m_type)
            return false;
        if (m_minimumSize > 0 && (e.type != EntryType::File || e.size < m_minimumSize))
            return false;
    }
    if (!m_onlyChanges && m_layer < 0)
        return true;
    auto changed = [&](size_t layer) {
        const ChangeKind kind = tree.kind(node, layer);
        return kind != ChangeKind::Absent && kind != ChangeKind::Unchanged;
    };
    if (m_layer >= 0)
        return size_t(m_layer) < layers && changed(size_t(m_layer));
    for (size_t l = 1; l < layers; ++l) { // a change in layer 0 is just the base image
        if (changed(l))
            return true;
    }
    return false;
}

void ChangeFilterProxy::recompute()
{
    m_visible.clear();
    const OverlayStack *stack = m_union ? m_union->stack() : nullptr;
    if (stack && isFiltering()) {
        const UnionTree &tree = stack->unionTree;
        m_visible.assign(tree.nodes.size(), 0);
        // Children always come after their parent in the arena: one backward pass carries each
        // match up to its ancestors.
        for (UnionId n = UnionId(tree.nodes.size()); n-- > 1;) {
            if (m_visible[n] || acceptsNode(*stack, n)) {
                m_visible[n] = 1;
                m_visible[tree.nodes[n].parent] = 1;
            }
        }
    }
    invalidateRowsFilter();
}

bool ChangeFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (sortRole() == SizeRole) // absent entries sort as size 0
        return left.data(SizeRole).toULongLong() < right.data(SizeRole).toULongLong();
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
