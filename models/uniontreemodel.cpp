// SPDX-License-Identifier: GPL-3.0-or-later
#include "uniontreemodel.h"

#include "layerlistmodel.h"
#include "provenance.h"
#include "snapshotdiff.h"
#include "roles.h"

#include <QFile>
#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace strata {

UnionTreeModel::UnionTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void UnionTreeModel::setStack(std::shared_ptr<const OverlayStack> stack)
{
    // Another stack: "as of" a layer of the previous one means nothing here.
    const bool hadAsOf = m_asOfLayer >= 0;
    beginResetModel();
    m_stack = std::move(stack);
    m_asOf.reset();
    m_asOfLayer = -1;
    ++m_asOfGeneration;
    endResetModel();
    if (hadAsOf)
        Q_EMIT asOfApplied(-1);
}

void UnionTreeModel::setAsOfLayer(int layer)
{
    if (!m_stack || layer < 0 || size_t(layer) + 1 >= m_stack->layers.size() || layer < m_stack->config.firstRegularLayer())
        layer = -1; // the topmost layer is the whole stack; data-only layers have no tree of their own
    if (layer == m_asOfLayer && (layer < 0 || m_asOf))
        return;
    m_asOfLayer = layer;
    startAsOf();
}

void UnionTreeModel::startAsOf()
{
    const quint64 generation = ++m_asOfGeneration;
    if (m_asOfLayer < 0 || !m_stack) {
        applyAsOf(nullptr);
        return;
    }
    const std::shared_ptr<const OverlayStack> stack = m_stack;
    const size_t layer = size_t(m_asOfLayer);
    auto compute = [stack, layer]() -> std::shared_ptr<const AsOfView> {
        auto view = AsOfView::compute(*stack, layer);
        return view ? std::make_shared<const AsOfView>(std::move(view).value()) : nullptr;
    };
    if (stack->unionTree.nodes.size() < m_asyncThreshold) {
        applyAsOf(compute());
        return;
    }
    auto *watcher = new QFutureWatcher<std::shared_ptr<const AsOfView>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, stack] {
        watcher->deleteLater();
        if (generation == m_asOfGeneration && m_stack == stack) // else superseded
            applyAsOf(watcher->future().result());
    });
    watcher->setFuture(QtConcurrent::run(compute));
}

void UnionTreeModel::applyAsOf(std::shared_ptr<const AsOfView> view)
{
    if (!m_stack) {
        m_asOf = std::move(view);
        return;
    }
    // Rows stay where they are; the merged column's data and what a filter keeps change.
    Q_EMIT layoutAboutToBeChanged();
    m_asOf = std::move(view);
    Q_EMIT snapshotSwapped(false);
    Q_EMIT layoutChanged();
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    Q_EMIT asOfApplied(m_asOf ? int(m_asOf->layer) : -1);
}

void UnionTreeModel::applySnapshot(std::shared_ptr<const OverlayStack> stack)
{
    if (!m_stack || !stack || stack->layers.size() != m_stack->layers.size()) {
        setStack(std::move(stack));
        return;
    }
    if (stack == m_stack)
        return;
    // With an as-of view the merged column changes everywhere: always the layout change below.
    if (m_asOfLayer < 0 && sameShape(*m_stack, *stack)) {
        // The common live case (writes, chmod, copy-ups): no row moves, so no layout change and no
        // relayout of every expanded row in the views; dataChanged for the rows that differ.
        std::vector<std::pair<uint32_t, uint32_t>> changed; // runs of sibling rows, first..last
        const auto &nodes = stack->unionTree.nodes;
        for (UnionId dir = 0; dir < nodes.size() && changed.size() <= maxChangedRuns; ++dir) {
            const uint32_t first = nodes[dir].firstChild, end = first + nodes[dir].childCount;
            for (uint32_t c = first; c < end;) {
                if (sameRow(*m_stack, *stack, c)) {
                    ++c;
                    continue;
                }
                uint32_t last = c;
                while (last + 1 < end && !sameRow(*m_stack, *stack, last + 1))
                    ++last;
                changed.emplace_back(c, last);
                c = last + 1;
            }
        }
        if (changed.size() <= maxChangedRuns) {
            m_stack = std::move(stack);
            Q_EMIT snapshotSwapped(true);
            const int lastColumn = columnCount() - 1;
            for (const auto &[first, last] : changed)
                Q_EMIT dataChanged(indexOfNode(first, 0), indexOfNode(last, lastColumn));
            Q_EMIT headerDataChanged(Qt::Horizontal, 0, lastColumn);
            return;
        }
        // Changes all over (a MergedView load completed into a Full one): thousands of dataChanged
        // would make a sort/filter proxy build a mapping for every directory they touch. One layout
        // change instead; node ids are the same, so persistent indexes stay as they are.
        Q_EMIT layoutAboutToBeChanged();
        m_stack = std::move(stack);
        Q_EMIT snapshotSwapped(false);
        Q_EMIT layoutChanged();
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        return;
    }
    Q_EMIT layoutAboutToBeChanged();
    // The as-of view belongs to the old snapshot: the new one shows without it, then with a fresh
    // one (at once on small stacks, which are most live sessions).
    m_asOf.reset();
    ++m_asOfGeneration;
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    {
        SnapshotNodeMapper mapper(*m_stack, *stack);
        m_stack = stack; // indexOfNode() below reads the new tree
        for (const QModelIndex &index : from) {
            const UnionId node = mapper.map(nodeOf(index));
            to.append(node == noUnion ? QModelIndex() : indexOfNode(node, index.column()));
        }
    }
    changePersistentIndexList(from, to);
    Q_EMIT snapshotSwapped(false);
    Q_EMIT layoutChanged();
    // Layer sizes in the headers may have changed.
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    if (m_asOfLayer >= 0)
        startAsOf();
}

void UnionTreeModel::retranslate()
{
    if (columnCount() > 0)
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

QModelIndex UnionTreeModel::indexOfNode(UnionId node, int column) const
{
    if (!m_stack || node == 0 || node >= m_stack->unionTree.nodes.size() || column < 0 || column >= columnCount())
        return {};
    const UnionId parent = m_stack->unionTree.nodes[node].parent;
    return createIndex(int(node - m_stack->unionTree.nodes[parent].firstChild), column, quintptr(node));
}

int UnionTreeModel::mergedColumn() const
{
    return m_stack ? int(m_stack->layers.size()) : 0;
}

UnionId UnionTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? UnionId(index.internalId()) : 0;
}

QModelIndex UnionTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_stack || row < 0 || column < 0 || column >= columnCount())
        return {};
    const UnionNode &p = m_stack->unionTree.nodes[nodeOf(parent)];
    if (uint32_t(row) >= p.childCount)
        return {};
    return createIndex(row, column, quintptr(p.firstChild + uint32_t(row)));
}

QModelIndex UnionTreeModel::parent(const QModelIndex &child) const
{
    if (!m_stack || !child.isValid())
        return {};
    const UnionId parentId = m_stack->unionTree.nodes[nodeOf(child)].parent;
    if (parentId == 0 || parentId == noUnion)
        return {};
    // Children are contiguous: the row is the offset in the grandparent's block (O(1)).
    const UnionId grandParent = m_stack->unionTree.nodes[parentId].parent;
    const int row = int(parentId - m_stack->unionTree.nodes[grandParent].firstChild);
    return createIndex(row, 0, quintptr(parentId));
}

int UnionTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_stack || (parent.isValid() && parent.column() != 0))
        return 0;
    return int(m_stack->unionTree.nodes[nodeOf(parent)].childCount);
}

int UnionTreeModel::columnCount(const QModelIndex &) const
{
    return m_stack ? int(m_stack->layers.size()) + 1 : 0;
}

bool UnionTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QModelIndex UnionTreeModel::indexOfPath(const QString &path, int column) const
{
    if (!m_stack)
        return {};
    UnionId node = 0;
    for (const QString &component : path.split(u'/', Qt::SkipEmptyParts)) {
        const QByteArray wanted = QFile::encodeName(component);
        node = m_stack->unionChild(node, std::string_view(wanted.constData(), size_t(wanted.size())));
        if (node == noUnion)
            return {};
    }
    return indexOfNode(node, column);
}

QVariant UnionTreeModel::cellData(UnionId node, int column, int role) const
{
    const OverlayStack &s = *m_stack;
    const UnionTree &tree = s.unionTree;
    const UnionNode &n = tree.nodes[node];
    const bool merged = column == mergedColumn();
    LayerRef ref;
    ChangeKind kind = ChangeKind::Absent;
    const MergedNode *mnode = nullptr;
    MergedId mid = noMerged;
    if (merged) {
        // The merged column shows the whole stack's merged view, or the as-of view.
        const MergedTree &tree = m_asOf ? m_asOf->merged : s.merged;
        mid = m_asOf ? m_asOf->mergedOf(node) : n.merged;
        if (mid != noMerged) {
            mnode = &tree.nodes[mid];
            ref = mnode->meta;
            kind = mnode->change;
        }
    } else {
        const EntryId e = tree.cell(node, size_t(column));
        if (e != noEntry) {
            ref = {uint16_t(column), e};
            kind = tree.kind(node, size_t(column));
        }
    }
    const Entry *entry = ref.valid() ? &s.entry(ref) : nullptr;
    switch (role) {
    case Qt::DisplayRole:
        return entry ? QFile::decodeName(QByteArray::fromStdString(std::string(s.name(n.name)))) : QVariant();
    case ChangeKindRole:
        return int(kind);
    case PresentRole:
        return entry != nullptr;
    case EntryTypeRole:
        return entry ? int(entry->type) : -1;
    case ProviderLayerRole:
        return mnode ? QVariant(int(mnode->meta.layer)) : QVariant();
    case LookupErrorRole:
        return mnode ? mnode->lookupErrno : 0;
    case ProblemRole:
        return entry && entry->has(FlagError) ? QVariant(QString::fromStdString(s.layers[ref.layer].extra(ref.entry).error)) : QVariant();
    case SizeRole:
        return entry ? QVariant(qulonglong(entry->size)) : QVariant();
    case TotalSizeRole:
        if (!entry)
            return {};
        if (merged) {
            if (mnode->lookupErrno)
                return {};
            const std::vector<uint64_t> &totals = m_asOf ? m_asOf->sizes : s.sizes.merged;
            return mid < totals.size() ? QVariant(qulonglong(totals[mid])) : QVariant();
        }
        if (size_t(column) >= s.sizes.layers.size()) // LoadDepth::MergedView: layers not counted yet
            return {};
        return qulonglong(s.sizes.layerTotal(size_t(column), ref.entry));
    case OutsideViewRole:
        return m_asOf && !merged && size_t(column) > m_asOf->layer;
    case ModeRole:
        return entry ? QVariant(entry->permissions()) : QVariant();
    case OwnerRole:
        return entry ? QVariant(QStringLiteral("%1:%2").arg(entry->uid).arg(entry->gid)) : QVariant();
    case LinkTargetRole:
        return entry && entry->type == EntryType::Symlink ? QVariant(QFile::decodeName(QByteArray::fromStdString(s.layers[ref.layer].extra(ref.entry).symlinkTarget)))
                                                          : QVariant();
    case PathRole:
        return QFile::decodeName(QByteArray::fromStdString(s.unionPath(node)));
    case HiddenVersionsRole:
        // Provenance describes the whole stack; an as-of view hides fewer versions (not counted).
        return mnode && !m_asOf ? provenanceOf(s, node).hiddenCount() : 0;
    case DepthRole: {
        int depth = 0;
        for (UnionId p = n.parent; p != 0 && p != noUnion; p = tree.nodes[p].parent)
            ++depth;
        return depth;
    }
    default:
        return {};
    }
}

QVariant UnionTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_stack || !index.isValid())
        return {};
    return cellData(nodeOf(index), index.column(), role);
}

void UnionTreeModel::multiData(const QModelIndex &index, QModelRoleDataSpan roleDataSpan) const
{
    for (QModelRoleData &roleData : roleDataSpan)
        roleData.setData(index.isValid() && m_stack ? cellData(nodeOf(index), index.column(), roleData.role()) : QVariant());
}

QVariant UnionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_stack || orientation != Qt::Horizontal || section < 0 || section > mergedColumn())
        return {};
    if (section == mergedColumn()) {
        const QString asOf = m_asOf ? LayerListModel::label(*m_stack, m_asOf->layer) : QString();
        const uint64_t total = m_asOf ? (m_asOf->sizes.empty() ? 0 : m_asOf->sizes.front()) : (m_stack->sizes.merged.empty() ? 0 : m_stack->sizes.merged.front());
        if (role == Qt::DisplayRole)
            return m_asOf ? tr("merged as of %1 (%2)").arg(asOf, QLocale().formattedDataSize(qint64(total)))
                          : tr("merged (%1)").arg(QLocale().formattedDataSize(qint64(total)));
        if (role == Qt::ToolTipRole)
            return m_asOf ? tr("The tree as it stood after %1: the layers up to it mounted as lowers. The layers above are dimmed.").arg(asOf)
                          : tr("What the kernel shows at the mount point");
        return {};
    }
    const LayerSpec &spec = m_stack->config.layers[size_t(section)];
    const QString label = LayerListModel::label(*m_stack, size_t(section));
    if (role == Qt::DisplayRole) {
        // A storage source's own label ("3f2a1c9e0b7d", "init"), else one from the path.
        const QString name = m_stack->layerName(size_t(section));
        if (size_t(section) >= m_stack->stats.size()) // LoadDepth::MergedView: layer sizes were not counted
            return QStringLiteral("%1: %2").arg(label, name);
        return QStringLiteral("%1: %2 (%3)").arg(label, name, QLocale().formattedDataSize(qint64(m_stack->stats[size_t(section)].bytes)));
    }
    if (role == Qt::ToolTipRole) {
        QString tip = QStringLiteral("%1\n%2").arg(label, spec.path);
        if (!spec.createdBy.isEmpty())
            tip += QLatin1Char('\n') + spec.createdBy;
        if (m_asOf && size_t(section) > m_asOf->layer)
            tip += QLatin1Char('\n') + tr("Above the layer the tree is shown as of: not part of the merged column now.");
        return tip;
    }
    return {};
}

QHash<int, QByteArray> UnionTreeModel::roleNames() const
{
    auto names = QAbstractItemModel::roleNames();
    names.insert(ChangeKindRole, "changeKind");
    names.insert(EntryTypeRole, "entryType");
    names.insert(ProviderLayerRole, "providerLayer");
    names.insert(SizeRole, "size");
    names.insert(PathRole, "path");
    return names;
}

} // namespace strata
