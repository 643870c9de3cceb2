// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
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
    // Each cell's size (a directory's recursive total) right-aligned after the name, when it fits.
    void setShowSizes(bool show) { m_showSizes = show; }
    bool showSizes() const { return m_showSizes; }
    // "4.2 MiB" for the cell; "4.2 MiB (4,404,019 bytes)" in tooltips.
    static QString shortSize(quint64 bytes);
    static QString exactSize(quint64 bytes);
    // Rows a live change just touched are painted with a highlight until cleared (the playground
    // flashes them for a moment after each snapshot).
    void setFlashedPaths(QSet<QString> paths) { m_flashed = std::move(paths); }
    const QSet<QString> &flashedPaths() const { return m_flashed; }

private:
    // What the cell is and does (tooltipFor adds its size).
    static QString describe(const QModelIndex &index);
    bool m_showSizes = true;
    QSet<QString> m_flashed;
};

} // namespace strata
