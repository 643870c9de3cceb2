// SPDX-License-Identifier: GPL-3.0-or-later
#include "wastedialog.h"

#include "layerlistmodel.h"
#include "wastereport.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

namespace {
// Sorts by the number under the text (bytes), not by the formatted size.
class SizeItem : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int c = treeWidget() ? treeWidget()->sortColumn() : 0;
        if (c == 0) {
            const quint64 a = data(0, Qt::UserRole).toULongLong(), b = other.data(0, Qt::UserRole).toULongLong();
            // Equal sizes: reversed path order, so that largest-first lists them by path, as the report does.
            return a != b ? a < b : text(4) > other.text(4);
        }
        return QTreeWidgetItem::operator<(other);
    }
};
} // namespace

WasteDialog::WasteDialog(QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_list(new QTreeWidget(this))
{
    setWindowTitle(tr("What Wastes Space"));
    resize(800, 500);
    m_summary->setWordWrap(true);
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Size"), tr("Why"), tr("Stored in"), tr("Hidden by"), tr("Path")});
    m_list->setSortingEnabled(true);
    m_list->header()->setStretchLastSection(true);
    // Size, reason and layers as wide as their texts; the path takes the rest.
    for (int c = 0; c < 4; ++c)
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
}

QString WasteDialog::reasonText(WasteReason reason)
{
    switch (reason) {
    case WasteReason::Overwritten:
        return tr("overwritten by another version");
    case WasteReason::Deleted:
        return tr("deleted by a whiteout");
    case WasteReason::OpaqueDir:
        return tr("hidden by an opaque directory");
    case WasteReason::CopiedUp:
        return tr("copied up by a metadata change (contents identical)");
    case WasteReason::Unreachable:
        return tr("not reachable by the kernel's lookup");
    }
    return {};
}

void WasteDialog::setStack(std::shared_ptr<const OverlayStack> stack)
{
    const quint64 generation = ++m_generation;
    m_list->clear();
    if (!stack || stack->stats.size() != stack->layers.size()) {
        m_summary->setText(tr("The statistics are still loading; open this again when they are complete."));
        return;
    }
    m_summary->setText(tr("Computing…"));
    QtConcurrent::run([stack] { return wasteReport(*stack); }).then(this, [this, generation, stack](const WasteReport &report) {
        if (generation != m_generation)
            return; // another stack replaced this one meanwhile
        const QLocale locale;
        m_summary->setText(tr("%1 wasted in %2 files of %3 stored: efficiency %4. Duplicated from lower layers: %5, of which %6 are full copies with identical contents.")
                               .arg(locale.formattedDataSize(qint64(report.wastedBytes)))
                               .arg(report.items.size())
                               .arg(locale.formattedDataSize(qint64(report.totalBytes)), LayerListModel::percent(report.efficiency),
                                    locale.formattedDataSize(qint64(report.duplicatedBytes)), locale.formattedDataSize(qint64(report.copiedUpBytes))));
        QList<QTreeWidgetItem *> items;
        items.reserve(qsizetype(report.items.size()));
        for (const WasteItem &w : report.items) {
            auto *item = new SizeItem;
            item->setText(0, locale.formattedDataSize(qint64(w.bytes)));
            item->setData(0, Qt::UserRole, quint64(w.bytes));
            item->setToolTip(0, tr("%1 bytes").arg(locale.toString(qulonglong(w.bytes))));
            item->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
            item->setText(1, reasonText(w.why));
            item->setText(2, LayerListModel::label(*stack, w.layer));
            item->setText(3, w.byLayer >= 0 ? LayerListModel::label(*stack, size_t(w.byLayer)) : QString());
            item->setText(4, QString::fromUtf8(w.path));
            items << item;
        }
        m_list->addTopLevelItems(items);
        m_list->sortByColumn(0, Qt::DescendingOrder);
        Q_EMIT reportShown();
    });
}

} // namespace strata
