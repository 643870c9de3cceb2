// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "changekind.h"

#include <QAbstractTableModel>

#include <functional>

namespace strata {

class LiveSession;

// The playground's event timeline: one row per thing the kernel did in the upper dir (a live
// session's events), oldest first: when, what, where, the row's state before → after, the exact
// upper-dir path, the process and the bytes a copy-up wrote. PathRole gives the merged path.
class EventTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, EventColumn, PathColumn, StateColumn, UpperPathColumn, ProcessColumn, BytesColumn, ColumnCount };

    explicit EventTimelineModel(LiveSession *session, QObject *parent = nullptr);
    // How the view names change kinds (the legend's words); the model has no say in that.
    void setChangeKindLabel(std::function<QString(ChangeKind)> label) { m_kindLabel = std::move(label); }
    // The event kinds in the window's words ("data copy-up"), translated.
    static QString eventText(const QString &kind);
    static QString eventExplanation(const QString &kind);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void retranslate();

private:
    QString kindLabel(const QString &name) const;
    LiveSession *m_session;
    int m_rows = 0;
    std::function<QString(ChangeKind)> m_kindLabel;
};

} // namespace strata
