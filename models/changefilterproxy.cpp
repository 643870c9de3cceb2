// SPDX-License-Identifier: GPL-3.0-or-later
#include "changefilterproxy.h"

#include "changekind.h"
#include "entrytype.h"
#include "roles.h"

namespace strata {

ChangeFilterProxy::ChangeFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(false);
}

void ChangeFilterProxy::setOnlyChanges(bool only)
{
    m_onlyChanges = only;
    invalidateRowsFilter();
}

void ChangeFilterProxy::setLayerFilter(int layer)
{
    m_layer = layer;
    invalidateRowsFilter();
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
    invalidateRowsFilter();
}

void ChangeFilterProxy::setTypeFilter(int entryType)
{
    m_type = entryType;
    invalidateRowsFilter();
}

void ChangeFilterProxy::setMinimumSize(quint64 bytes)
{
    m_minimumSize = bytes;
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
    const QAbstractItemModel *model = sourceModel();
    const int columns = model->columnCount(sourceParent);
    if (m_hasPattern) {
        const QString name = model->index(sourceRow, columns - 1, sourceParent).data(PathRole).toString().section(u'/', -1);
        if (!m_pattern.match(name).hasMatch())
            return false;
    }
    if (m_type >= 0 || m_minimumSize > 0) {
        // Type and size are those of the topmost version (the merged one, else the top layer's).
        QModelIndex shown = model->index(sourceRow, columns - 1, sourceParent);
        for (int c = columns - 1; c >= 0 && !shown.data(PresentRole).toBool(); --c)
            shown = model->index(sourceRow, c, sourceParent);
        const int type = shown.data(EntryTypeRole).toInt();
        if (m_type >= 0 && type != m_type)
            return false;
        if (m_minimumSize > 0 && (type != int(EntryType::File) || shown.data(SizeRole).toULongLong() < m_minimumSize))
            return false;
    }
    if (!m_onlyChanges && m_layer < 0)
        return true;
    auto changed = [&](int column) {
        const auto kind = ChangeKind(model->index(sourceRow, column, sourceParent).data(ChangeKindRole).toInt());
        return kind != ChangeKind::Absent && kind != ChangeKind::Unchanged;
    };
    if (m_layer >= 0)
        return m_layer < columns - 1 && changed(m_layer);
    for (int c = 0; c < columns - 1; ++c) {
        if (changed(c) && c > 0)
            return true; // a change in layer 0 is just the base image: not interesting on its own
    }
    return false;
}

} // namespace strata
