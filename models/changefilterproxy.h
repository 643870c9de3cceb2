// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "asofview.h"
#include "overlaystack.h"

#include <QRegularExpression>
#include <memory>
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
    bool onlyChanges() const { return m_criteria.onlyChanges; }
    bool isFiltering() const;
    // Paths that match the filters themselves (not the ancestors kept for them); -1 when not filtering.
    int matchCount() const;
    // Per union row: non-zero when the filters show it (a match or an ancestor of one); empty when
    // nothing is filtered (every row shows).
    const std::vector<uint8_t> &shownRows() const { return m_visible; }
    // Trees with at least this many rows are filtered off the GUI thread (filterApplied() follows).
    void setAsyncThreshold(size_t rows) { m_asyncThreshold = rows; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

Q_SIGNALS:
    void filterApplied(); // after a change of filter, once the rows are decided (maybe later, off-thread)

private:
    // What decides a row; copied into the worker for big stacks.
    struct Criteria {
        bool onlyChanges = false;
        int layer = -1;
        QRegularExpression pattern;
        bool hasPattern = false;
        int type = -1;
        quint64 minimumSize = 0;
        // The tree shown as of a layer (UnionTreeModel::setAsOfLayer): rows only layers above it
        // hold are hidden, and changes and types count up to that layer.
        std::shared_ptr<const AsOfView> asOf;
        bool active() const { return onlyChanges || layer >= 0 || hasPattern || type >= 0 || minimumSize > 0 || asOf; }
    };
    void recompute();
    void snapshotSwapped(bool sameRows);
    static bool acceptsNode(const Criteria &criteria, const OverlayStack &stack, UnionId node);
    static std::vector<uint8_t> visibleNodes(const Criteria &criteria, const OverlayStack &stack);
    UnionTreeModel *m_union = nullptr;
    std::vector<uint8_t> m_visible; // per union node: it or a descendant matches
    Criteria m_criteria;
    size_t m_asyncThreshold = 200'000;
    quint64 m_generation = 0; // a newer filter change supersedes a running computation
};

} // namespace strata
