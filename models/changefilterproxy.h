// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QRegularExpression>
#include <QSortFilterProxyModel>

#include <vector>

namespace strata {

class UnionTreeModel;

// Filters the union tree: only changed paths, only what one layer changed, a name pattern
// (substring, glob or regex), an entry type, a minimum size. Ancestors of matches stay visible.
// The decision for every row is computed in one pass over the backend's arrays when a filter
// changes (a million rows in milliseconds), so the proxy itself only looks up rows it shows.
class ChangeFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class PatternSyntax { Substring, Wildcard, RegularExpression };

    explicit ChangeFilterProxy(QObject *parent = nullptr);
    void setSourceModel(QAbstractItemModel *model) override;
    void setOnlyChanges(bool only);
    void setLayerFilter(int layer); // -1: any layer
    void setNamePattern(const QString &pattern, PatternSyntax syntax = PatternSyntax::Substring);
    void setTypeFilter(int entryType); // int(EntryType) of the topmost version, -1: any
    void setMinimumSize(quint64 bytes); // regular files at least this large (0: no threshold)
    bool onlyChanges() const { return m_onlyChanges; }
    bool isFiltering() const;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void recompute();
    bool acceptsNode(const OverlayStack &stack, UnionId node) const;
    UnionTreeModel *m_union = nullptr;
    std::vector<uint8_t> m_visible; // per union node: it or a descendant matches
    bool m_onlyChanges = false;
    int m_layer = -1;
    QRegularExpression m_pattern;
    bool m_hasPattern = false;
    int m_type = -1;
    quint64 m_minimumSize = 0;
};

} // namespace strata
