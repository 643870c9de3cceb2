// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomepage.h"

#include "recentsources.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata {

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_intro(new QLabel(this))
    , m_open(new QPushButton(this))
    , m_demo(new QPushButton(this))
    , m_recentTitle(new QLabel(this))
    , m_recent(new QListWidget(this))
    , m_drop(new QLabel(this))
{
    setObjectName(QStringLiteral("welcomePage"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_title->setFont(big);
    m_intro->setWordWrap(true);
    m_drop->setWordWrap(true);
    m_drop->setFrameShape(QFrame::StyledPanel);
    m_drop->setAlignment(Qt::AlignCenter);
    m_drop->setMinimumHeight(60);
    m_recent->setMaximumHeight(m_recent->fontMetrics().height() * 8);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_demo);
    buttons->addStretch();
    // A readable column in the middle of the window, whatever its width.
    auto *column = new QVBoxLayout;
    column->addWidget(m_title);
    column->addWidget(m_intro);
    column->addLayout(buttons);
    column->addSpacing(12);
    column->addWidget(m_recentTitle);
    column->addWidget(m_recent);
    column->addSpacing(12);
    column->addWidget(m_drop);
    auto *centered = new QWidget(this);
    centered->setLayout(column);
    centered->setMaximumWidth(640);
    // Stretch on every side rather than an alignment flag: wrapped labels then get the height
    // their text needs at the column's width.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(centered, 4);
    row->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    connect(m_open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { Q_EMIT recentChosen(item->data(Qt::UserRole).toString()); });
    retranslateUi();
}

void WelcomePage::setRecentSources(const QStringList &sources)
{
    m_sources = sources;
    m_recent->clear();
    for (const QString &source : sources) {
        auto *item = new QListWidgetItem(RecentSources::label(source), m_recent);
        item->setToolTip(source);
        item->setData(Qt::UserRole, source);
    }
    m_recentTitle->setVisible(!sources.isEmpty());
    m_recent->setVisible(!sources.isEmpty());
}

void WelcomePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void WelcomePage::retranslateUi()
{
    m_title->setText(tr("No stack is open"));
    m_intro->setText(tr("Strata lays the layers of an OverlayFS stack side by side with the merged view the kernel would show. "
                        "Choose the lower layers, the upper dir and the options, or paste a mount line or docker inspect's GraphDriver."));
    m_open->setText(tr("Open…"));
    m_demo->setText(tr("Open the Demo Stack"));
    m_demo->setToolTip(tr("Two lower layers and an upper dir with a changed file and a whiteout, made fresh in a temporary directory"));
    m_recentTitle->setText(tr("Recent stacks (double-click to open):"));
    m_drop->setText(tr("Or drop layer folders here: the topmost first."));
    setRecentSources(m_sources); // the labels are translated too
}

} // namespace strata
