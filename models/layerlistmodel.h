// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QAbstractTableModel>

#include <memory>

namespace strata {

// The layers of a stack, top first (as mount lists them), with their statistics.
class LayerListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LayerColumn, PathColumn, EntriesColumn, BytesColumn, AddedColumn, ModifiedColumn, DeletedColumn, WastedColumn, DuplicatedColumn, CopiedUpColumn, EfficiencyColumn,
                  BlobColumn, // image layers: digest, stored (compressed) and tar size
                  ColumnCount };
    // Whether any layer is an image blob (else the view may hide BlobColumn).
    bool hasBlobs() const;

    explicit LayerListModel(QObject *parent = nullptr);
    void setStack(std::shared_ptr<const OverlayStack> stack);
    // A newer snapshot of the same stack: dataChanged when the layer count is the same (selection
    // and current row stay), else a reset.
    void applySnapshot(std::shared_ptr<const OverlayStack> stack);
    // The language changed: headers, labels, tooltips and number formats follow.
    void retranslate();
    size_t layerAt(int row) const;
    // "lower 0", "upper", "data 0", translated: the one place layers get their user-facing names.
    static QString label(const OverlayStack &stack, size_t layer);
    // "87.5%": one format for every efficiency figure (one decimal, the locale's separator).
    static QString percent(double ratio);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const OverlayStack> m_stack;
};

} // namespace strata
