// SPDX-License-Identifier: GPL-3.0-or-later
#include "errorpage.h"

#include "errortext.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace strata {

ErrorPage::ErrorPage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_message(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_sourceLabel(new QLabel(this))
    , m_open(new QPushButton(this))
    , m_retry(new QPushButton(this))
{
    setObjectName(QStringLiteral("errorPage"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_title->setFont(big);
    for (QLabel *l : {m_message, m_hint, m_sourceLabel}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse); // paths and details go into bug reports
    }
    m_sourceLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_retry);
    buttons->addStretch();
    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_message);
    text->addWidget(m_hint);
    text->addWidget(m_sourceLabel);
    text->addSpacing(8);
    text->addLayout(buttons);
    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addLayout(text, 1);
    auto *centered = new QWidget(this);
    centered->setLayout(row);
    centered->setMaximumWidth(720);
    // Stretch on every side rather than an alignment flag: wrapped labels then get the height
    // their text needs at the column's width.
    auto *middle = new QHBoxLayout;
    middle->addStretch(1);
    middle->addWidget(centered, 4);
    middle->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(middle);
    outer->addStretch(2);

    connect(m_open, &QPushButton::clicked, this, &ErrorPage::openRequested);
    connect(m_retry, &QPushButton::clicked, this, &ErrorPage::retryRequested);
    retranslateUi();
}

void ErrorPage::setError(const Error &error, const QString &source)
{
    m_error = error;
    m_source = source;
    retranslateUi();
}

QString ErrorPage::message() const
{
    return m_message->text();
}

void ErrorPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString ErrorPage::hint() const
{
    return m_hint->text();
}

void ErrorPage::retranslateUi()
{
    m_title->setText(tr("This stack could not be opened"));
    m_message->setText(errorText(m_error));
    switch (m_error.code) {
    case ErrorCode::NotFound:
    case ErrorCode::NotADirectory:
        m_hint->setText(tr("Check the layer directories in Open…, or retry once they exist."));
        break;
    case ErrorCode::Permission:
        if (m_source.startsWith(QStringLiteral("docker-storage:")) || m_source.startsWith(QStringLiteral("containers-storage:")))
            m_hint->setText(tr("Container storage (/var/lib/docker, /var/lib/containers) is readable by root only: run Strata as root, then retry."));
        else
            m_hint->setText(tr("Strata reads every layer directory: run it as a user who may read them (the owner, or root), then retry."));
        break;
    case ErrorCode::InvalidSource:
    case ErrorCode::InvalidOption:
        m_hint->setText(tr("Correct the directories or options in Open…"));
        break;
    default:
        m_hint->setText(tr("Retry, or open another stack."));
    }
    m_sourceLabel->setText(m_source);
    m_sourceLabel->setVisible(!m_source.isEmpty());
    m_open->setText(tr("Open…"));
    m_retry->setText(tr("Retry"));
}

} // namespace strata
