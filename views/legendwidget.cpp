// SPDX-License-Identifier: GPL-3.0-or-later
#include "legendwidget.h"

#include "changestyle.h"
#include "flowlayout.h"

#include <QEvent>
#include <QLabel>

namespace strata {

LegendWidget::LegendWidget(QWidget *parent)
    : QWidget(parent)
{
    // Wraps onto a second line where the window is narrow (a projector, a longer language).
    auto *flow = new FlowLayout(this);
    flow->setContentsMargins(6, 2, 6, 2);
    flow->setSpacing(10);
    rebuild();
}

void LegendWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LanguageChange)
        rebuild();
    QWidget::changeEvent(event);
}

void LegendWidget::rebuild()
{
    while (QLayoutItem *item = layout()->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto *title = new QLabel(tr("Legend:"), this);
    layout()->addWidget(title);
    static const ChangeKind kinds[] = {ChangeKind::Added,        ChangeKind::Modified, ChangeKind::MetadataOnly, ChangeKind::Metacopy, ChangeKind::ReplacedType,
                                       ChangeKind::Deleted,      ChangeKind::Opaque,   ChangeKind::Redirected,   ChangeKind::CopiedUp,
                                       ChangeKind::OrphanWhiteout, ChangeKind::Phantom};
    for (ChangeKind kind : kinds) {
        auto *label = new QLabel(this);
        label->setText(QStringLiteral("<b style='color:%1'>%2</b>&nbsp;%3").arg(ChangeStyle::color(kind, palette()).name(), ChangeStyle::glyph(kind), ChangeStyle::label(kind)));
        label->setToolTip(ChangeStyle::explanation(kind));
        label->setObjectName(QLatin1StringView(changeKindName(kind).data(), qsizetype(changeKindName(kind).size())));
        layout()->addWidget(label);
    }
}

} // namespace strata
