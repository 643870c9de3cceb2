// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QAbstractItemModel>

#include <memory>

namespace strata {

// One row per path of the union of all layers, one column per layer (bottom → top) plus the merged
// view as the last column, so every view of it lines up row for row. Nodes are the backend's union
// tree (index-based, no per-row objects); internalId is the union node id, unique per row.
class UnionTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit UnionTreeModel(QObject *parent = nullptr);

    // Shows `stack` from scratch (a model reset).
    void setStack(std::shared_ptr<const OverlayStack> stack);
    // Shows a newer snapshot of the same stack without a reset. Same rows in the same places (the
    // usual live update: writes, chmod, copy-ups): dataChanged for the rows that differ. Otherwise a
    // layout change that moves every persistent index (expansion, selection, current) to the row of
    // the same path in `stack`, or invalidates it when the path is gone; that costs the persistent
    // indexes × their depth, not the rows. Resets when there is no stack yet or the layer count
    // differs.
    void applySnapshot(std::shared_ptr<const OverlayStack> stack);
    // The language changed: only the headers carry translated text.
    void retranslate();
    const OverlayStack *stack() const { return m_stack.get(); }
    std::shared_ptr<const OverlayStack> sharedStack() const { return m_stack; }
    int mergedColumn() const;
    UnionId nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfPath(const QString &path, int column = 0) const;
    QModelIndex indexOfNode(UnionId node, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    void multiData(const QModelIndex &index, QModelRoleDataSpan roleDataSpan) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    // applySnapshot(): the new stack is in place, before any dataChanged() (`sameRows`) or
    // layoutChanged(). Proxies that keep per-node state recompute it here, before they re-map
    // their rows; inside a layout change (!sameRows) they must not invalidate.
    void snapshotSwapped(bool sameRows);

private:
    // Past this many runs of changed rows an update is applied as one layout change (see applySnapshot).
    static constexpr size_t maxChangedRuns = 512;
    QVariant cellData(UnionId node, int column, int role) const;
    std::shared_ptr<const OverlayStack> m_stack;
};

} // namespace strata
