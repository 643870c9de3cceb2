// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace strata {

// Filters the union tree: only changed paths, only what one layer changed, a name pattern
// (substring, glob or regex). Ancestors of matches stay visible (recursive filtering).
class ChangeFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class PatternSyntax { Substring, Wildcard, RegularExpression };

    explicit ChangeFilterProxy(QObject *parent = nullptr);
    void setOnlyChanges(bool only);
    void setLayerFilter(int layer); // -1: any layer
    void setNamePattern(const QString &pattern, PatternSyntax syntax = PatternSyntax::Substring);
    void setTypeFilter(int entryType); // int(EntryType) of the merged entry, -1: any
    void setMinimumSize(quint64 bytes); // regular files at least this large (0: no threshold)
    bool onlyChanges() const { return m_onlyChanges; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_onlyChanges = false;
    int m_layer = -1;
    QRegularExpression m_pattern;
    bool m_hasPattern = false;
    int m_type = -1;
    quint64 m_minimumSize = 0;
};

} // namespace strata
