// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "asofview.h"
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
    // Shows the merged column as the tree stood after `layer` (AsOfView): the layers above it are
    // marked OutsideViewRole and the merged column's data, change kinds and sizes are the as-of
    // view's. -1 (or the topmost layer) shows the whole stack again. Big stacks compute it off the
    // GUI thread; asOfApplied() follows once it is shown, as a layout change (expansion and
    // selection stay). New snapshots keep the layer and recompute the view.
    void setAsOfLayer(int layer);
    int asOfLayer() const { return m_asOfLayer; }
    // The view the merged column shows now; null when it shows the whole stack (or while computing).
    const AsOfView *asOfView() const { return m_asOf.get(); }
    std::shared_ptr<const AsOfView> sharedAsOfView() const { return m_asOf; }
    // Stacks with at least this many rows compute an as-of view off the GUI thread.
    void setAsyncThreshold(size_t rows) { m_asyncThreshold = rows; }
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
    // setAsOfLayer(): the merged column now shows `layer`'s view (-1: the whole stack).
    void asOfApplied(int layer);

private:
    // Past this many runs of changed rows an update is applied as one layout change (see applySnapshot).
    static constexpr size_t maxChangedRuns = 512;
    QVariant cellData(UnionId node, int column, int role) const;
    // The as-of view for m_stack, now (small stacks) or from a worker (then applyAsOf).
    void startAsOf();
    void applyAsOf(std::shared_ptr<const AsOfView> view);
    std::shared_ptr<const OverlayStack> m_stack;
    std::shared_ptr<const AsOfView> m_asOf;
    int m_asOfLayer = -1;
    quint64 m_asOfGeneration = 0;
    size_t m_asyncThreshold = 200'000;
};

} // namespace strata
