// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace strata {

// The stacks opened last (QSettings "recentSources", newest first, at most maxCount) and the
// "Open Recent" menu that lists them.
class RecentSources : public QObject
{
    Q_OBJECT
public:
    static constexpr int maxCount = 10;

    explicit RecentSources(QObject *parent = nullptr);
    QStringList sources() const;
    // Moves (or adds) `source` to the front and updates the menu.
    void add(const QString &source);
    // The menu lives as long as this object; the owner inserts it where it wants.
    QMenu *menu() const { return m_menu; }
    void retranslateUi();
    // A short name for a SOURCE, for menus and lists: the top and bottom layer directories and the
    // layer count ("upper over image1 · 3 layers"); the full text belongs in a tooltip.
    static QString label(const QString &source);

Q_SIGNALS:
    void sourceChosen(const QString &source);

private:
    void updateMenu();
    QMenu *m_menu;
};

} // namespace strata
