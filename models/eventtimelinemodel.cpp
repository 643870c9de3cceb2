// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventtimelinemodel.h"

#include "livesession.h"
#include "roles.h"

#include <QLocale>

namespace strata {

EventTimelineModel::EventTimelineModel(LiveSession *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    connect(session, &LiveSession::eventsAdded, this, [this](int first, int count) {
        if (count <= 0 || first != m_rows)
            return;
        beginInsertRows({}, first, first + count - 1);
        m_rows = first + count;
        endInsertRows();
    });
    // Mounting afresh and Reset start a new timeline.
    connect(session, &LiveSession::stateChanged, this, [this](LiveSession::State) {
        if (int(m_session->events().size()) < m_rows) {
            beginResetModel();
            m_rows = int(m_session->events().size());
            endResetModel();
        }
    });
}

QString EventTimelineModel::eventText(const QString &kind)
{
    if (kind == u"data-copy-up")
        return tr("data copy-up");
    if (kind == u"metadata-copy-up")
        return tr("metadata-only copy-up");
    if (kind == u"new-entry")
        return tr("new entry");
    if (kind == u"whiteout")
        return tr("whiteout");
    if (kind == u"opaque-dir")
        return tr("opaque dir");
    if (kind == u"redirect")
        return tr("redirect");
    if (kind == u"origin")
        return tr("origin xattr");
    if (kind == u"impure")
        return tr("impure xattr");
    if (kind == u"index-entry")
        return tr("index entry");
    if (kind == u"modified")
        return tr("modified");
    if (kind == u"removed")
        return tr("removed");
    if (kind == u"index-entry-changed")
        return tr("index entry changed");
    if (kind == u"index-entry-removed")
        return tr("index entry removed");
    return kind;
}

QString EventTimelineModel::eventExplanation(const QString &kind)
{
    if (kind == u"data-copy-up")
        return tr("The kernel copied the whole file from a lower layer into the upper dir before changing it.");
    if (kind == u"metadata-copy-up")
        return tr("metacopy=on: only the metadata was copied up; reads still get the data from below until a write.");
    if (kind == u"new-entry")
        return tr("A new entry in the upper dir that no lower layer has.");
    if (kind == u"whiteout")
        return tr("A whiteout (a 0/0 character device) now hides the lower entry.");
    if (kind == u"opaque-dir")
        return tr("The directory became opaque: nothing below it shows through any more.");
    if (kind == u"redirect")
        return tr("redirect_dir: the renamed directory records where its lower content lives.");
    if (kind == u"index-entry")
        return tr("index=on: the kernel recorded the copied-up inode in workdir/index, so hardlinks stay linked.");
    return {};
}

int EventTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventTimelineModel::kindLabel(const QString &name) const
{
    const auto kind = changeKindFromName(name.toStdString());
    if (!kind || name == u"absent")
        return tr("absent");
    return m_kindLabel ? m_kindLabel(*kind) : name;
}

QVariant EventTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || size_t(index.row()) >= m_session->events().size())
        return {};
    const LiveEvent &e = m_session->events()[size_t(index.row())];
    if (role == PathRole)
        return e.path;
    if (role == Qt::ToolTipRole)
        return eventExplanation(e.kind);
    if (role == Qt::TextAlignmentRole && (index.column() == BytesColumn || index.column() == TimeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return QLocale().toString(double(e.msSinceMount) / 1000.0, 'f', 2);
    case EventColumn:
        return eventText(e.kind);
    case PathColumn:
        return e.path;
    case StateColumn:
        return e.before == e.after ? kindLabel(e.after) : QStringLiteral("%1 → %2").arg(kindLabel(e.before), kindLabel(e.after));
    case UpperPathColumn:
        return e.upperPath;
    case ProcessColumn:
        return e.pid > 0 ? QStringLiteral("%1 (%2)").arg(e.comm).arg(e.pid) : QString();
    case BytesColumn:
        return e.bytes >= 0 ? QLocale().formattedDataSize(e.bytes) : QString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant EventTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time (s)");
    case EventColumn:
        return tr("Event");
    case PathColumn:
        return tr("Path");
    case StateColumn:
        return tr("Before → after");
    case UpperPathColumn:
        return tr("In the upper dir");
    case ProcessColumn:
        return tr("Process");
    case BytesColumn:
        return tr("Bytes copied");
    case ColumnCount:
        break;
    }
    return {};
}

void EventTimelineModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

} // namespace strata
