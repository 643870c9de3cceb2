// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace strata {

// Paints one cell of the layer columns: a tinted background and a glyph per change kind, the name
// indented to the row's depth in every column so each layer reads as its own tree; tooltips explain
// the cell in plain words.
class LayerCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit LayerCellDelegate(QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index) override;
    static QString tooltipFor(const QModelIndex &index);
};

} // namespace strata
