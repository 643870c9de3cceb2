// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerlistmodel.h"

#include <QLocale>

#include <algorithm>

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
        if (const TarBlob *blob = m_stack->layers[layer].handle.tar(); blob && index.column() == BlobColumn)
            return tr("Blob %1\n%2 bytes stored (%3), %4 bytes of tar")
                .arg(QString::fromStdString(blob->digest.empty() ? blob->name.toStdString() : blob->digest), QLocale().toString(qulonglong(blob->length)),
                     QLatin1StringView(compressionName(blob->compression)), QLocale().toString(qulonglong(m_stack->layers[layer].tarBytes)));
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
    if (index.column() == BlobColumn) {
        const TarBlob *blob = m_stack->layers[layer].handle.tar();
        if (!blob)
            return {};
        const uint64_t tarBytes = m_stack->layers[layer].tarBytes;
        const QString digest = QString::fromStdString(blob->digest.empty() ? std::string("unverified") : blob->digest.substr(0, 7 + 12));
        return tarBytes ? tr("%1 · %2 %3 → %4 tar").arg(digest, locale.formattedDataSize(qint64(blob->length)), QLatin1StringView(compressionName(blob->compression)),
                                                     locale.formattedDataSize(qint64(tarBytes)))
                        : tr("%1 · %2 %3").arg(digest, locale.formattedDataSize(qint64(blob->length)), QLatin1StringView(compressionName(blob->compression)));
    }
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
        case BlobColumn:
            return tr("Image layers: the blob's digest, its stored (compressed) size and the size of the tar it holds.");
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
    case BlobColumn:
        return tr("Blob");
    }
    return {};
}

bool LayerListModel::hasBlobs() const
{
    if (!m_stack)
        return false;
    return std::any_of(m_stack->layers.begin(), m_stack->layers.end(), [](const LayerIndex &l) { return l.handle.tar() != nullptr; });
}

} // namespace strata
