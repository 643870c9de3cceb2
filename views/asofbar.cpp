// SPDX-License-Identifier: GPL-3.0-or-later
#include "asofbar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace strata {

AsOfBar::AsOfBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_wholeStack(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    m_text->setForegroundRole(QPalette::ToolTipText);
    m_text->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 4, 3);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_wholeStack);
    connect(m_wholeStack, &QPushButton::clicked, this, &AsOfBar::wholeStackRequested);
    hide();
    retranslateUi();
}

void AsOfBar::setLayer(const QString &label)
{
    m_layer = label;
    setVisible(!label.isEmpty());
    retranslateUi();
}

QString AsOfBar::text() const
{
    return m_text->text();
}

void AsOfBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QFrame::changeEvent(event);
}

void AsOfBar::retranslateUi()
{
    m_text->setText(tr("Shown as of %1: the merged column is the tree as it stood after %1; the layers above it are dimmed and their paths hidden.").arg(m_layer));
    m_wholeStack->setText(tr("Show the Whole Stack"));
}

} // namespace strata
