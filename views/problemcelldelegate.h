// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "layercelldelegate.h"

namespace strata {

// The layer cells, plus a warning glyph on a cell whose entry could not be read completely (an
// unreadable directory would otherwise look empty), with the reason first in its tooltip.
class ProblemCellDelegate : public LayerCellDelegate
{
    Q_OBJECT
public:
    using LayerCellDelegate::LayerCellDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index) override;
    // The cell's tooltip: the problem (if any), then what LayerCellDelegate says about the cell.
    static QString tooltipFor(const QModelIndex &index);
    static QString glyph() { return QStringLiteral("⚠"); }
};

} // namespace strata
