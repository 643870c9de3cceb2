// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerlistmodel.h"

#include <QLocale>

namespace strata {

LayerListModel::LayerListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LayerListModel::setStack(std::shared_ptr<const OverlayStack> stack)
{
    beginResetModel();
    m_stack = std::move(stack);
    endResetModel();
}

void LayerListModel::applySnapshot(std::shared_ptr<const OverlayStack> stack)
{
    if (!m_stack || !stack || stack->layers.size() != m_stack->layers.size()) {
        setStack(std::move(stack));
        return;
    }
    m_stack = std::move(stack);
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void LayerListModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole, Qt::ToolTipRole});
}

size_t LayerListModel::layerAt(int row) const
{
    return m_stack->layers.size() - 1 - size_t(row);
}

QString LayerListModel::label(const OverlayStack &stack, size_t layer)
{
    switch (stack.config.layers[layer].role) {
    case LayerRole::Upper:
        return tr("upper");
    case LayerRole::DataOnly:
        return tr("data %1").arg(layer);
    case LayerRole::Lower:
        break;
    }
    return tr("lower %1").arg(layer);
}

int LayerListModel::rowCount(const QModelIndex &parent) const
{
    return m_stack && !parent.isValid() ? int(m_stack->layers.size()) : 0;
}

int LayerListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerListModel::data(const QModelIndex &index, int role) const
{
    if (!m_stack || !index.isValid())
        return {};
    const size_t layer = layerAt(index.row());
    const LayerSpec &spec = m_stack->config.layers[layer];
    const bool hasStats = m_stack->stats.size() == m_stack->layers.size(); // LoadDepth::MergedView counts nothing per layer
    if (!hasStats && index.column() >= EntriesColumn)
        return {};
    if (role == Qt::TextAlignmentRole && index.column() >= EntriesColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    // An image layer shows what made it (its history's created_by); the full story is in the tooltip.
    const bool showsCreatedBy = index.column() == PathColumn && !spec.createdBy.isEmpty();
    if (role == Qt::ToolTipRole) {
        if (index.column() < EntriesColumn && (showsCreatedBy || !spec.label.isEmpty())) {
            QStringList lines{spec.path};
            for (const QString &more : {spec.label, spec.digest, spec.createdBy}) {
                if (!more.isEmpty())
                    lines << more;
            }
            return lines.join(u'\n');
        }
        return headerData(index.column(), Qt::Horizontal, Qt::ToolTipRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    if (index.column() < EntriesColumn)
        return index.column() == LayerColumn ? label(*m_stack, layer)
            : showsCreatedBy                  ? spec.createdBy.simplified()
            : spec.label.isEmpty()            ? spec.path
                                              : spec.label + QStringLiteral(" — ") + spec.path;
    const LayerStats &s = m_stack->stats[layer];
    switch (index.column()) {
    case EntriesColumn:
        return locale.toString(qulonglong(s.entries));
    case BytesColumn:
        return locale.formattedDataSize(qint64(s.bytes));
    case AddedColumn:
        return locale.toString(qulonglong(s.added));
    case ModifiedColumn:
        return locale.toString(qulonglong(s.modified));
    case DeletedColumn:
        return locale.toString(qulonglong(s.deleted));
    case WastedColumn:
        return locale.formattedDataSize(qint64(s.wastedBytes));
    case DuplicatedColumn:
        return locale.formattedDataSize(qint64(s.duplicatedBytes));
    case CopiedUpColumn:
        return locale.formattedDataSize(qint64(s.copiedUpBytes));
    case EfficiencyColumn:
        return percent(s.bytes == 0 ? 1.0 : double(s.bytes - s.wastedBytes) / double(s.bytes));
    }
    return {};
}

QString LayerListModel::percent(double ratio)
{
    return tr("%1%").arg(QLocale().toString(100.0 * ratio, 'f', 1));
}

QVariant LayerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case WastedColumn:
            return tr("Bytes of this layer's files that the merged view cannot reach (hidden by a layer above). Each hidden copy counts once.");
        case DuplicatedColumn:
            return tr("Bytes this layer duplicates from below: its regular files that replace a regular file of a lower layer. The cost of its copy-ups and rewrites, charged to the layer that caused it.");
        case CopiedUpColumn:
            return tr("Of the duplicated bytes, those whose content is identical to the file they replace: full copies made for a chmod, chown or an unchanged write (metadata-only, copied up).");
        case EfficiencyColumn:
            return tr("Share of this layer's bytes that the merged view still reaches: (size − wasted) ÷ size. 100% when nothing of it is hidden.");
        }
        return {};
    }
    switch (section) {
    case LayerColumn:
        return tr("Layer");
    case PathColumn:
        return tr("Directory");
    case EntriesColumn:
        return tr("Entries");
    case BytesColumn:
        return tr("Size");
    case AddedColumn:
        return tr("Added");
    case ModifiedColumn:
        return tr("Modified");
    case DeletedColumn:
        return tr("Deleted");
    case WastedColumn:
        return tr("Wasted");
    case DuplicatedColumn:
        return tr("Duplicated");
    case CopiedUpColumn:
        return tr("Copied up");
    case EfficiencyColumn:
        return tr("Efficiency");
    }
    return {};
}

} // namespace strata
