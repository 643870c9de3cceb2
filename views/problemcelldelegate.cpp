// SPDX-License-Identifier: GPL-3.0-or-later
#include "problemcelldelegate.h"

#include "roles.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace strata {

void ProblemCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    LayerCellDelegate::paint(painter, option, index);
    if (index.data(ProblemRole).toString().isEmpty())
        return;
    // At the cell's right end, in the text colour: a mark, not another change colour.
    painter->save();
    painter->setPen(option.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect box = option.rect.adjusted(0, 0, -4, 0);
    painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter, glyph());
    painter->restore();
}

QString ProblemCellDelegate::tooltipFor(const QModelIndex &index)
{
    const QString problem = index.data(ProblemRole).toString();
    const QString cell = LayerCellDelegate::tooltipFor(index);
    if (problem.isEmpty())
        return cell;
    const QString head = tr("%1 Could not be read completely: %2. What it holds may be missing here.").arg(glyph(), problem);
    return cell.isEmpty() ? head : head + QStringLiteral("\n\n") + cell;
}

bool ProblemCellDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid() && !index.data(ProblemRole).toString().isEmpty()) {
        QToolTip::showText(event->globalPos(), tooltipFor(index), view);
        return true;
    }
    return LayerCellDelegate::helpEvent(event, view, option, index);
}

} // namespace strata
