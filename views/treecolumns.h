// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>

class QTreeView;
class QMenu;

namespace strata {

// Keeps the side-by-side columns readable however many layers there are: every column at least
// minimumColumnWidth() wide (the tree scrolls sideways beyond that), the first one wider by the
// indentation of a few levels so the tree's indentation does not squeeze it, and any layer column
// can be hidden from the header's context menu (the merged column always stays).
class TreeColumns : public QObject
{
    Q_OBJECT
public:
    explicit TreeColumns(QTreeView *tree, QObject *parent = nullptr);

    // Spreads the columns over the tree's width again (after a new stack, or a resize).
    void fit();
    static int minimumColumnWidth() { return 150; }
    // A collapsed column: a strip wide enough for the change glyphs (with 30+ layers, the layers
    // of interest stay wide and the rest still show where they change something).
    static int collapsedWidth() { return 30; }
    void setCollapsed(int column, bool collapsed);
    bool isCollapsed(int column) const { return m_collapsed.contains(column); }
    // The header's context menu for `column` (-1: none in particular), as a right click shows it.
    QMenu *createMenu(int column = -1);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QTreeView *m_tree;
    QSet<int> m_collapsed;
    int m_fittedFor = -1; // the viewport width the columns were last fitted to
};

} // namespace strata
