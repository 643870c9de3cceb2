// SPDX-License-Identifier: GPL-3.0-or-later
#include "layercelldelegate.h"

#include "changestyle.h"
#include "detailspane.h"
#include "layerlistmodel.h"
#include "provenance.h"
#include "uniontreemodel.h"
#include "entrytype.h"
#include "roles.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QCoreApplication>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>
#include <QTreeView>

namespace strata {

LayerCellDelegate::LayerCellDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize LayerCellDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 6));
    return size;
}

void LayerCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QModelRoleData roles[] = {QModelRoleData(Qt::DisplayRole), QModelRoleData(ChangeKindRole), QModelRoleData(PresentRole), QModelRoleData(EntryTypeRole),
                              QModelRoleData(DepthRole), QModelRoleData(TotalSizeRole), QModelRoleData(OutsideViewRole), QModelRoleData(ProblemRole)};
    index.model()->multiData(index, roles);
    const QString name = roles[0].data().toString();
    const auto kind = ChangeKind(roles[1].data().toInt());
    const bool present = roles[2].data().toBool();
    const auto type = EntryType(roles[3].data().toInt());
    const int depth = roles[4].data().toInt();
    const QVariant total = roles[5].data();
    const bool outside = roles[6].data().toBool();
    const bool problem = !roles[7].data().toString().isEmpty();

    painter->save();
    const QPalette &palette = option.palette;
    if (outside) {
        // Above the layer the tree is shown as of: there, but not part of what is shown.
        painter->fillRect(option.rect, palette.color(QPalette::Window));
        painter->setOpacity(0.35);
    }
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, palette.brush(QPalette::Highlight));
    if (!m_flashed.isEmpty() && m_flashed.contains(index.data(PathRole).toString())) {
        QColor flash(255, 200, 0);
        flash.setAlpha(ChangeStyle::isDark(palette) ? 110 : 90);
        painter->fillRect(option.rect, flash);
    }
    const QColor accent = ChangeStyle::color(kind, palette);
    if (present && kind != ChangeKind::Unchanged && kind != ChangeKind::Absent) {
        QColor tint = accent;
        tint.setAlpha(ChangeStyle::isDark(palette) ? 70 : 45);
        painter->fillRect(option.rect.adjusted(0, 1, 0, -1), tint);
    }
    if (!present) {
        painter->restore();
        return;
    }
    QRect r = option.rect.adjusted(4, 0, -4, 0);
    if (index.column() > 0) {
        const auto *tree = qobject_cast<const QTreeView *>(option.widget);
        r.setLeft(r.left() + depth * (tree ? tree->indentation() : 16) / 2);
    }
    const QFontMetrics fm(option.font);
    const int glyphWidth = fm.horizontalAdvance(QStringLiteral("◐")) + 4;
    QFont glyphFont = option.font;
    glyphFont.setBold(true);
    painter->setFont(glyphFont);
    painter->setPen(kind == ChangeKind::Unchanged ? palette.color(QPalette::PlaceholderText) : accent);
    painter->drawText(QRect(r.left(), r.top(), glyphWidth, r.height()), Qt::AlignCenter, ChangeStyle::glyph(kind));
    QFont font = option.font;
    const bool whiteout = kind == ChangeKind::Deleted || kind == ChangeKind::OrphanWhiteout || kind == ChangeKind::Phantom;
    font.setStrikeOut(whiteout);
    font.setItalic(type == EntryType::Symlink);
    font.setBold(type == EntryType::Dir);
    painter->setFont(font);
    painter->setPen((option.state & QStyle::State_Selected) ? palette.color(QPalette::HighlightedText)
                                                            : (whiteout ? palette.color(QPalette::PlaceholderText) : palette.color(QPalette::Text)));
    const QString shown = type == EntryType::Dir ? name + QLatin1Char('/') : name;
    QRect textRect = r.adjusted(glyphWidth + 2, 0, 0, 0);
    if (problem) // ProblemCellDelegate puts its mark at the right end
        textRect.setRight(textRect.right() - fm.horizontalAdvance(QStringLiteral("⚠ ")));
    const bool sized = type == EntryType::File || type == EntryType::Dir;
    if (m_showSizes && sized && total.isValid()) {
        // The size after the name when both fit: the name comes first, the size is extra.
        const QString size = shortSize(total.toULongLong());
        const int sizeWidth = QFontMetrics(option.font).horizontalAdvance(size) + 8;
        // (a few pixels spare: elidedText measures a little wider than horizontalAdvance)
        if (textRect.width() >= QFontMetrics(font).horizontalAdvance(shown) + sizeWidth + 6) {
            QRect sizeRect = textRect;
            sizeRect.setLeft(textRect.right() - sizeWidth);
            textRect.setRight(sizeRect.left());
            QFont sizeFont = option.font;
            sizeFont.setPointSizeF(option.font.pointSizeF() * 0.9);
            painter->save();
            painter->setFont(sizeFont);
            painter->setPen((option.state & QStyle::State_Selected) ? palette.color(QPalette::HighlightedText) : palette.color(QPalette::PlaceholderText));
            painter->drawText(sizeRect, Qt::AlignVCenter | Qt::AlignRight, size);
            painter->restore();
        }
    }
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, QFontMetrics(font).elidedText(shown, Qt::ElideMiddle, textRect.width()));
    painter->restore();
}

namespace {
// The union model under any proxies, with `index` mapped into it.
const UnionTreeModel *unionModelOf(QModelIndex &index)
{
    const QAbstractItemModel *model = index.model();
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model)) {
        index = proxy->mapToSource(index);
        model = proxy->sourceModel();
    }
    return qobject_cast<const UnionTreeModel *>(model);
}
}

QString LayerCellDelegate::shortSize(quint64 bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1);
}

QString LayerCellDelegate::exactSize(quint64 bytes)
{
    return QCoreApplication::translate("LayerCellDelegate", "%1 (%2 bytes)").arg(shortSize(bytes), QLocale().toString(bytes));
}

QString LayerCellDelegate::tooltipFor(const QModelIndex &viewIndex)
{
    QString text = describe(viewIndex);
    const QVariant total = viewIndex.data(TotalSizeRole);
    const auto type = EntryType(viewIndex.data(EntryTypeRole).toInt());
    if (text.isEmpty() || !total.isValid() || (type != EntryType::File && type != EntryType::Dir))
        return text;
    const bool merged = [&] {
        QModelIndex index = viewIndex;
        const UnionTreeModel *model = unionModelOf(index);
        return model && index.column() == model->mergedColumn();
    }();
    const quint64 bytes = total.toULongLong();
    if (type == EntryType::File)
        return text + QLatin1Char('\n') + QCoreApplication::translate("LayerCellDelegate", "Size: %1").arg(exactSize(bytes));
    return text + QLatin1Char('\n')
        + (merged ? QCoreApplication::translate("LayerCellDelegate", "Files below it in the merged view: %1").arg(exactSize(bytes))
                  : QCoreApplication::translate("LayerCellDelegate", "Files below it that this layer stores: %1").arg(exactSize(bytes)));
}

QString LayerCellDelegate::describe(const QModelIndex &viewIndex)
{
    // Layers are named by LayerListModel::label and the facts come from the backend's Provenance:
    // the delegate decides nothing about overlay semantics and parses no (translated) header text.
    QModelIndex index = viewIndex;
    const UnionTreeModel *model = unionModelOf(index);
    if (!model || !model->stack() || !index.isValid())
        return {};
    const OverlayStack &stack = *model->stack();
    const Provenance provenance = provenanceOf(stack, model->nodeOf(index));
    const QString name = index.data(PathRole).toString().section(u'/', -1);
    auto label = [&](LayerRef ref) { return ref.valid() ? LayerListModel::label(stack, ref.layer) : QString(); };
    if (index.column() == model->mergedColumn()) {
        if (!provenance.inMergedView())
            return QCoreApplication::translate("LayerCellDelegate", "%1 is not in the merged view.").arg(name);
        if (provenance.mergedChange == ChangeKind::Phantom)
            return ChangeStyle::explanation(ChangeKind::Phantom);
        return QCoreApplication::translate("LayerCellDelegate", "%1 comes from %2 (%3).").arg(name, label(provenance.meta), ChangeStyle::label(provenance.mergedChange));
    }
    const Version *version = provenance.version(uint16_t(index.column()));
    if (!version)
        return {};
    const QString layer = LayerListModel::label(stack, version->ref.layer);
    const QString below = label(version->covers);
    QString text;
    switch (version->change.kind) {
    case ChangeKind::Absent:
        return {};
    case ChangeKind::Deleted:
        text = QCoreApplication::translate("LayerCellDelegate", "%1 was deleted in %2: the kernel keeps a 0/0 character device named %1 there so the merged view hides %3's %1.")
                   .arg(name, layer, below);
        break;
    case ChangeKind::Modified:
        text = QCoreApplication::translate("LayerCellDelegate", "%1 in %2 has new content; it hides %3's %1.").arg(name, layer, below);
        break;
    case ChangeKind::Added:
        text = QCoreApplication::translate("LayerCellDelegate", "%1 is new in %2.").arg(name, layer);
        break;
    default:
        text = QStringLiteral("%1 — %2: %3").arg(name, ChangeStyle::label(version->change.kind), ChangeStyle::explanation(version->change.kind));
    }
    // What the merged view makes of this version, when that is not the obvious "it shows".
    if (version->role != VersionRole::Provides && version->role != VersionRole::Whiteout)
        text += QLatin1Char('\n') + DetailsPane::roleText(stack, provenance, *version);
    return text;
}

bool LayerCellDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        const QString text = tooltipFor(index);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPos(), text, view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace strata
