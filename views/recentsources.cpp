// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentsources.h"

#include "overlayconfig.h"
#include "source.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace strata {

namespace {
const QString settingsKey = QStringLiteral("recentSources");

// A layer directory's name; storage dirs (Docker's overlay2 "diff", containerd's "fs") are named by
// their parent, shortened: a cache-id is recognisable by its first characters.
QString layerName(const QString &path)
{
    const QFileInfo info(path);
    QString name = info.fileName();
    if (name == QLatin1String("diff") || name == QLatin1String("fs")) {
        name = QFileInfo(info.path()).fileName();
        if (name.size() > 12)
            name = name.left(12) + u'…';
    }
    return name.isEmpty() ? path : name;
}
}

QString RecentSources::label(const QString &source)
{
    auto address = parseSourceAddress(source);
    if (address && address->kind == SourceKind::Overlay) {
        auto config = OverlayConfig::parse(address->argument, QStringLiteral("/"), OverlayDefaults{});
        if (config && !config->layers.empty()) {
            const int count = int(config->layers.size());
            if (count == 1)
                return layerName(config->layers.front().path);
            return tr("%1 over %2 · %3 layers").arg(layerName(config->layers.back().path), layerName(config->layers.front().path)).arg(count);
        }
    }
    // Not an overlay stack Strata can read: the start of the text, elided.
    return source.size() > 60 ? source.left(59) + u'…' : source;
}

RecentSources::RecentSources(QObject *parent)
    : QObject(parent)
    , m_menu(new QMenu)
{
    m_menu->setToolTipsVisible(true); // the full SOURCE of each short label
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
    for (const QString &source : recent) {
        QAction *action = m_menu->addAction(label(source), this, [this, source] { Q_EMIT sourceChosen(source); });
        action->setToolTip(source);
    }
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace strata
