// SPDX-License-Identifier: GPL-3.0-or-later
#include "pathactions.h"

#include "overlaystack.h"
#include "roles.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QTreeView>
#include <QUrl>

namespace strata {

PathActions::PathActions(QTreeView *tree, QObject *parent)
    : QObject(parent)
    , m_tree(tree)
    , m_copyPath(new QAction(this))
    , m_copySource(new QAction(this))
    , m_openFolder(new QAction(this))
    , m_showInLayer(new QAction(this))
{
    m_copyPath->setShortcut(QKeySequence::Copy);
    connect(m_copyPath, &QAction::triggered, this, [this] {
        if (m_menuIndex.isValid())
            QGuiApplication::clipboard()->setText(m_menuIndex.data(PathRole).toString());
        else
            copyPath();
    });
    connect(m_copySource, &QAction::triggered, this, [this] { QGuiApplication::clipboard()->setText(m_source); });
    connect(m_openFolder, &QAction::triggered, this, [this] {
        const QString dir = containingDirectory(m_menuIndex, layerFor(m_menuIndex));
        if (!dir.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
    });
    connect(m_showInLayer, &QAction::triggered, this, [this] {
        const int layer = layerFor(m_menuIndex);
        if (layer >= 0) {
            const QModelIndex cell = m_menuIndex.siblingAtColumn(layer);
            m_tree->setCurrentIndex(cell);
            m_tree->scrollTo(cell);
        }
    });
    // QAbstractItemView copies the display text (the name) on Ctrl+C: the tree copies paths.
    m_tree->installEventFilter(this);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_tree->indexAt(pos);
        if (!index.isValid())
            return;
        QMenu *menu = menuFor(index, m_tree);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_tree->viewport()->mapToGlobal(pos));
    });
    retranslateUi();
}

void PathActions::setStack(const OverlayStack *stack, const QString &source)
{
    m_stack = stack;
    m_source = source;
}

void PathActions::retranslateUi()
{
    m_copyPath->setText(tr("Copy Path"));
    m_copySource->setText(tr("Copy SOURCE"));
    m_copySource->setToolTip(tr("The overlay:… text that opens this stack again (strata, strata-cli)"));
    m_openFolder->setText(tr("Open Containing Folder"));
    m_showInLayer->setText(tr("Show in Layer"));
}

int PathActions::layerFor(const QModelIndex &index) const
{
    // A layer's column: that layer, if it has an entry here; the merged column: the provider.
    if (!index.isValid() || !m_stack)
        return -1;
    const int merged = index.model()->columnCount(index.parent()) - 1;
    if (index.column() < merged && index.data(PresentRole).toBool())
        return index.column();
    const QVariant provider = index.siblingAtColumn(merged).data(ProviderLayerRole);
    if (provider.isValid() && provider.toInt() >= 0)
        return provider.toInt();
    // Not in the merged view (deleted): the topmost layer that has it.
    for (int c = merged - 1; c >= 0; --c) {
        if (index.siblingAtColumn(c).data(PresentRole).toBool())
            return c;
    }
    return -1;
}

QString PathActions::containingDirectory(const QModelIndex &index, int layer) const
{
    if (layer < 0)
        layer = layerFor(index);
    if (!m_stack || layer < 0 || size_t(layer) >= m_stack->config.layers.size())
        return {};
    const QString path = index.data(PathRole).toString();
    return QDir::cleanPath(m_stack->config.layers[size_t(layer)].path + u'/' + path.section(u'/', 0, -2));
}

QMenu *PathActions::menuFor(const QModelIndex &index, QWidget *parent)
{
    m_menuIndex = index;
    auto *menu = new QMenu(parent);
    menu->addAction(m_copyPath);
    menu->addAction(m_copySource);
    menu->addSeparator();
    menu->addAction(m_openFolder);
    menu->addAction(m_showInLayer);
    const int layer = layerFor(index);
    m_openFolder->setEnabled(layer >= 0);
    m_showInLayer->setEnabled(layer >= 0);
    m_copySource->setEnabled(!m_source.isEmpty());
    Q_EMIT menuCreated(menu, index);
    connect(menu, &QMenu::aboutToHide, this, [this] {
        // Triggered actions run before the menu hides for good; afterwards Ctrl+C means the current row.
        QMetaObject::invokeMethod(this, [this] { m_menuIndex = QModelIndex(); }, Qt::QueuedConnection);
    });
    return menu;
}

QString PathActions::currentPath() const
{
    return m_tree->currentIndex().data(PathRole).toString();
}

void PathActions::copyPath()
{
    const QString path = currentPath();
    if (!path.isEmpty())
        QGuiApplication::clipboard()->setText(path);
}

bool PathActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree && event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copyPath();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace strata
