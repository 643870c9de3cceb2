// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowlayout.h"

#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace strata {

FlowLayout::FlowLayout(QWidget *parent)
    : QLayout(parent)
{
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

int FlowLayout::count() const
{
    return int(m_items.size());
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return {};
}

bool FlowLayout::hasHeightForWidth() const
{
    return true;
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items)
        size = size.expandedTo(item->minimumSize());
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // Everything on one line: what the row asks for when there is room.
    int width = 0, height = 0, shown = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        width += item->sizeHint().width() + (shown++ ? gap(Qt::Horizontal) : 0);
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins margins = contentsMargins();
    return {width + margins.left() + margins.right(), height + margins.top() + margins.bottom()};
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::gap(Qt::Orientation orientation) const
{
    if (spacing() >= 0)
        return spacing();
    const QWidget *owner = parentWidget();
    const int styled = owner ? owner->style()->layoutSpacing(QSizePolicy::PushButton, QSizePolicy::PushButton, orientation, nullptr, owner) : -1;
    return styled >= 0 ? styled : 6;
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    int y = area.y();
    QList<QLayoutItem *> line;
    int lineWidth = 0, lineHeight = 0;
    // A finished line's items are centred on its middle, as a box layout would.
    const auto place = [&] {
        int x = area.x();
        for (QLayoutItem *item : std::as_const(line)) {
            const QSize hint = item->sizeHint();
            if (apply)
                item->setGeometry(QRect(QPoint(x, y + (lineHeight - hint.height()) / 2), QSize(std::min(hint.width(), area.width()), hint.height())));
            x += hint.width() + gap(Qt::Horizontal);
        }
    };
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        const int needed = line.isEmpty() ? hint.width() : lineWidth + gap(Qt::Horizontal) + hint.width();
        if (!line.isEmpty() && needed > area.width()) { // no room left on this line
            place();
            y += lineHeight + gap(Qt::Vertical);
            line.clear();
            lineWidth = lineHeight = 0;
        }
        lineWidth = line.isEmpty() ? hint.width() : lineWidth + gap(Qt::Horizontal) + hint.width();
        lineHeight = std::max(lineHeight, hint.height());
        line.append(item);
    }
    place();
    return y + lineHeight - rect.y() + contentsMargins().bottom();
}

} // namespace strata
