// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentsources.h"

#include <QMenu>
#include <QSettings>

namespace strata {

namespace {
const QString settingsKey = QStringLiteral("recentSources");
}

RecentSources::RecentSources(QObject *parent)
    : QObject(parent)
    , m_menu(new QMenu)
{
    connect(this, &QObject::destroyed, m_menu, &QObject::deleteLater);
    retranslateUi();
}

QStringList RecentSources::sources() const
{
    return QSettings().value(settingsKey).toStringList();
}

void RecentSources::add(const QString &source)
{
    QStringList recent = sources();
    recent.removeAll(source);
    recent.prepend(source);
    while (recent.size() > maxCount)
        recent.removeLast();
    QSettings().setValue(settingsKey, recent);
    updateMenu();
}

void RecentSources::retranslateUi()
{
    m_menu->setTitle(tr("Open &Recent"));
    updateMenu();
}

void RecentSources::updateMenu()
{
    m_menu->clear();
    const QStringList recent = sources();
    for (const QString &source : recent)
        m_menu->addAction(source, this, [this, source] { Q_EMIT sourceChosen(source); });
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace strata
