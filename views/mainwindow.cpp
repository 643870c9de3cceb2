// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "changefilterproxy.h"
#include "detailspane.h"
#include "filepane.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "legendwidget.h"
#include "roles.h"
#include "uniontreemodel.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_model(new UnionTreeModel(this))
    , m_proxy(new ChangeFilterProxy(this))
    , m_layerModel(new LayerListModel(this))
    , m_tree(new QTreeView(this))
    , m_layers(new QTableView(this))
    , m_details(new DetailsPane(this))
    , m_file(new FilePane(this))
    , m_search(new QLineEdit(this))
    , m_onlyChanges(new QCheckBox(tr("Only changes"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Strata"));
    m_proxy->setSourceModel(m_model);
    m_tree->setModel(m_proxy);
    m_tree->setItemDelegate(new LayerCellDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(false);
    m_tree->setAllColumnsShowFocus(false);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_tree->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_tree->setAccessibleName(tr("Layers side by side"));

    m_layers->setModel(m_layerModel);
    m_layers->verticalHeader()->hide();
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setSectionResizeMode(LayerListModel::PathColumn, QHeaderView::Stretch);
    m_layers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layers->setMaximumHeight(160);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    QAction *open = toolbar->addAction(tr("Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    toolbar->addSeparator();
    toolbar->addWidget(m_onlyChanges);
    QAction *next = toolbar->addAction(tr("Next change"), this, &MainWindow::nextChange);
    next->setShortcut(Qt::Key_F8);
    next->setToolTip(tr("Select the next changed path (F8)"));
    toolbar->addSeparator();
    m_search->setPlaceholderText(tr("Search names (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(320);
    toolbar->addWidget(m_search);
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, qOverload<>(&QWidget::setFocus));
    addAction(find);

    connect(m_onlyChanges, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setOnlyChanges(on);
        m_tree->expandAll();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        const bool glob = text.contains(u'*') || text.contains(u'?');
        m_proxy->setNamePattern(text, glob ? ChangeFilterProxy::PatternSyntax::Wildcard : ChangeFilterProxy::PatternSyntax::Substring);
        if (!text.isEmpty())
            m_tree->expandAll();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showCurrent);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_details);
    bottom->addWidget(m_file);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(m_layers);
    vertical->addWidget(m_tree);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 0);
    vertical->setStretchFactor(1, 3);
    vertical->setStretchFactor(2, 2);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(vertical);
    layout->addWidget(new LegendWidget(central));
    setCentralWidget(central);

    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    resize(1400, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::openSource(const QString &source)
{
    m_status->setText(tr("Scanning %1…").arg(source));
    m_progress->show();
    auto *watcher = new QFutureWatcher<Expected<OverlayStack>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, source] {
        watcher->deleteLater();
        m_progress->hide();
        auto result = watcher->result();
        if (!result) {
            m_status->setText(result.error().message);
            Q_EMIT loadFailed(result.error().message);
            return;
        }
        setStack(std::make_shared<const OverlayStack>(std::move(result).value()), source);
        Q_EMIT loaded();
    });
    const QString cwd = QDir::currentPath();
    watcher->setFuture(QtConcurrent::run([source, cwd] { return OverlayStack::open(source, cwd); }));
}

void MainWindow::setStack(std::shared_ptr<const OverlayStack> stack, const QString &source)
{
    m_stack = std::move(stack);
    m_model->setStack(m_stack);
    m_layerModel->setStack(m_stack);
    m_tree->expandToDepth(0);
    size_t entries = 0;
    for (const LayerIndex &l : m_stack->layers)
        entries += l.entries.size() - 1;
    m_status->setText(tr("%n layer(s) · %1 entries · %2 merged paths · scanned in %3 ms", nullptr, int(m_stack->layers.size()))
                          .arg(QLocale().toString(qulonglong(entries)))
                          .arg(QLocale().toString(qulonglong(m_stack->merged.nodes.size() - 1)))
                          .arg(double(m_stack->scanNanoseconds + m_stack->mergeNanoseconds) / 1e6, 0, 'f', 1));
    setWindowTitle(tr("Strata — %1").arg(source));
}

QModelIndex MainWindow::sourceIndex(const QModelIndex &proxyIndex) const
{
    return m_proxy->mapToSource(proxyIndex);
}

bool MainWindow::selectPath(const QString &path)
{
    const QModelIndex source = m_model->indexOfPath(path);
    const QModelIndex proxy = m_proxy->mapFromSource(source);
    if (!proxy.isValid())
        return false;
    for (QModelIndex p = proxy.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->setCurrentIndex(proxy);
    m_tree->scrollTo(proxy);
    return true;
}

void MainWindow::showCurrent()
{
    const QModelIndex current = sourceIndex(m_tree->currentIndex());
    if (!current.isValid() || !m_stack)
        return;
    const UnionId node = m_model->nodeOf(current);
    m_details->showPath(m_stack.get(), node);
    m_file->showPath(m_stack.get(), node);
}

void MainWindow::nextChange()
{
    // Depth-first from the current row to the next row whose merged cell is not unchanged.
    QModelIndex index = m_tree->currentIndex().siblingAtColumn(0);
    auto nextIndex = [this](QModelIndex i) -> QModelIndex {
        if (m_proxy->rowCount(i) > 0)
            return m_proxy->index(0, 0, i);
        while (i.isValid()) {
            const QModelIndex sibling = i.sibling(i.row() + 1, 0);
            if (sibling.isValid())
                return sibling;
            i = i.parent();
        }
        return {};
    };
    for (index = index.isValid() ? nextIndex(index) : m_proxy->index(0, 0); index.isValid(); index = nextIndex(index)) {
        bool changed = false;
        for (int c = 1; c < m_proxy->columnCount() - 1 && !changed; ++c) {
            const auto kind = ChangeKind(index.siblingAtColumn(c).data(ChangeKindRole).toInt());
            changed = kind != ChangeKind::Absent && kind != ChangeKind::Unchanged;
        }
        if (changed) {
            m_tree->setCurrentIndex(index);
            m_tree->scrollTo(index);
            return;
        }
    }
}

void MainWindow::openDialog()
{
    bool ok = false;
    const QString options = QInputDialog::getText(this, tr("Open overlay stack"),
                                                  tr("Mount options as mount or findmnt show them\n(lowerdir=top:…:bottom,upperdir=…,workdir=…):"), QLineEdit::Normal,
                                                  QString(), &ok);
    if (!ok || options.trimmed().isEmpty())
        return;
    const QString trimmed = options.trimmed();
    openSource(trimmed.startsWith(QStringLiteral("overlay:")) ? trimmed : QStringLiteral("overlay:") + trimmed);
}

} // namespace strata
