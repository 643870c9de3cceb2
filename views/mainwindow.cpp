// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "changefilterproxy.h"
#include "detailspane.h"
#include "filepane.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "legendwidget.h"
#include "opendialog.h"
#include "reports.h"
#include "roles.h"
#include "translations.h"
#include "uniontreemodel.h"
#include "strata/version.h"

#include <QAction>
#include <QActionGroup>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <cmath>
#include <numeric>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

namespace {
constexpr int maxRecentSources = 10;

// "10k", "2M", "1.5G" or plain bytes; 0 when empty or unreadable.
quint64 parseSize(const QString &text)
{
    QString t = text.trimmed().toUpper();
    if (t.endsWith(u'B'))
        t.chop(1);
    double factor = 1;
    if (!t.isEmpty() && QStringLiteral("KMGT").contains(t.back())) {
        factor = std::pow(1024.0, double(QStringLiteral("KMGT").indexOf(t.back()) + 1));
        t.chop(1);
    }
    bool ok = false;
    const double value = t.toDouble(&ok);
    return ok && value > 0 ? quint64(value * factor) : 0;
}
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_model(new UnionTreeModel(this))
    , m_proxy(new ChangeFilterProxy(this))
    , m_layerModel(new LayerListModel(this))
    , m_tree(new QTreeView(this))
    , m_layers(new QTableView(this))
    , m_details(new DetailsPane(this))
    , m_file(new FilePane(this))
    , m_vertical(new QSplitter(Qt::Vertical, this))
    , m_bottom(new QSplitter(Qt::Horizontal, this))
    , m_toolbar(addToolBar(QString()))
    , m_search(new QLineEdit(this))
    , m_onlyChanges(new QCheckBox(this))
    , m_layerFilter(new QComboBox(this))
    , m_typeFilter(new QComboBox(this))
    , m_minSize(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(this))
    , m_status(new QLabel(this))
{
    setAcceptDrops(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SizeRole);
    m_tree->setModel(m_proxy);
    m_tree->setItemDelegate(new LayerCellDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_tree->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_tree->header()->setSortIndicatorShown(false);

    m_layers->setModel(m_layerModel);
    m_layers->verticalHeader()->hide();
    m_layers->verticalHeader()->setDefaultSectionSize(m_layers->fontMetrics().height() + 8);
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setSectionResizeMode(LayerListModel::PathColumn, QHeaderView::Stretch);
    m_layers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layers->setSelectionMode(QAbstractItemView::SingleSelection);

    m_toolbar->setObjectName(QStringLiteral("mainToolbar"));
    m_toolbar->setMovable(false);
    createActions();
    m_toolbar->addAction(m_openAction);
    m_toolbar->addSeparator();
    m_toolbar->addWidget(m_onlyChanges);
    m_toolbar->addAction(m_nextAction);
    m_toolbar->addWidget(m_layerFilter);
    m_toolbar->addWidget(m_typeFilter);
    m_minSize->setMaximumWidth(110);
    m_minSize->setClearButtonEnabled(true);
    m_toolbar->addWidget(m_minSize);
    m_toolbar->addSeparator();
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(320);
    m_toolbar->addWidget(m_search);

    connect(m_onlyChanges, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setOnlyChanges(on);
        if (on)
            expandMatches();
    });
    connect(m_layerFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setLayerFilter(m_layerFilter->currentData().isValid() ? m_layerFilter->currentData().toInt() : -1);
        if (m_layerFilter->currentIndex() > 0)
            expandMatches();
    });
    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, [this] { m_proxy->setTypeFilter(m_typeFilter->currentData().toInt()); });
    connect(m_minSize, &QLineEdit::editingFinished, this, &MainWindow::applySizeThreshold);
    // Filtering a big tree runs on every row: wait until typing pauses.
    auto *searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, [this] {
        const QString text = m_search->text();
        const bool glob = text.contains(u'*') || text.contains(u'?');
        m_proxy->setNamePattern(text, glob ? ChangeFilterProxy::PatternSyntax::Wildcard : ChangeFilterProxy::PatternSyntax::Substring);
        if (!text.isEmpty())
            expandMatches();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showCurrent);
    connect(m_layers->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        // Picking a layer in the table shows what that layer changed.
        if (!current.isValid() || !m_stack)
            return;
        const int layer = int(m_layerModel->layerAt(current.row()));
        const int index = m_layerFilter->findData(layer);
        if (index >= 0)
            m_layerFilter->setCurrentIndex(index);
    });

    m_bottom->addWidget(m_details);
    m_bottom->addWidget(m_file);
    m_bottom->setStretchFactor(0, 1);
    m_bottom->setStretchFactor(1, 1);
    m_vertical->addWidget(m_tree);
    m_vertical->addWidget(m_bottom);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 2);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_layers); // as tall as its rows (see retranslateUi)
    layout->addWidget(m_vertical, 1);
    layout->addWidget(new LegendWidget(central));
    setCentralWidget(central);

    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancelButton->hide();
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelLoading);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    resize(1400, 860);
    retranslateUi();
    restoreSettings();
}

MainWindow::~MainWindow()
{
    cancelLoading();
}

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, [this] { openDialog(); });
    m_exportJsonAction = new QAction(this);
    m_exportCsvAction = new QAction(this);
    m_exportShotAction = new QAction(this);
    auto exportTo = [this](const QString &filter, const QString &suffix) {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export"), QDir::homePath() + QStringLiteral("/strata-merged.") + suffix, filter);
        if (name.isEmpty())
            return;
        exportListingInBackground(name);
    };
    connect(m_exportJsonAction, &QAction::triggered, this, [this, exportTo] { exportTo(tr("JSON Lines (*.jsonl *.json)"), QStringLiteral("jsonl")); });
    connect(m_exportCsvAction, &QAction::triggered, this, [this, exportTo] { exportTo(tr("CSV (*.csv)"), QStringLiteral("csv")); });
    connect(m_exportShotAction, &QAction::triggered, this, [this] {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export"), QDir::homePath() + QStringLiteral("/strata.png"), tr("PNG image (*.png)"));
        if (!name.isEmpty() && !grab().save(name, "PNG"))
            QMessageBox::warning(this, tr("Export"), tr("Cannot write %1").arg(name));
    });
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_nextAction = new QAction(this);
    m_nextAction->setShortcut(Qt::Key_F8);
    connect(m_nextAction, &QAction::triggered, this, &MainWindow::nextChange);
    m_sortSizeAction = new QAction(this);
    m_sortSizeAction->setCheckable(true);
    connect(m_sortSizeAction, &QAction::toggled, this, &MainWindow::setSortBySize);
    m_expandAction = new QAction(this);
    connect(m_expandAction, &QAction::triggered, m_tree, &QTreeView::expandAll);
    m_collapseAction = new QAction(this);
    connect(m_collapseAction, &QAction::triggered, m_tree, &QTreeView::collapseAll);
    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Strata"),
                           tr("<h3>Strata %1</h3><p>Explore OverlayFS stacks and container image layers: every layer side by side with the merged "
                              "view, as the kernel computes it.</p>")
                               .arg(QStringLiteral(STRATA_VERSION)));
    });
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, qOverload<>(&QWidget::setFocus));
    addAction(find);

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportJsonAction);
    m_fileMenu->addAction(m_exportCsvAction);
    m_fileMenu->addAction(m_exportShotAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_nextAction);
    m_viewMenu->addAction(m_sortSizeAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_expandAction);
    m_viewMenu->addAction(m_collapseAction);
    m_languageMenu = menuBar()->addMenu(QString());
    auto *languages = new QActionGroup(this);
    for (const QString &code : availableLanguages()) {
        auto *action = m_languageMenu->addAction(QLocale(code).nativeLanguageName());
        action->setCheckable(true);
        action->setData(code);
        languages->addAction(action);
        m_languageActions << action;
        connect(action, &QAction::triggered, this, [code] {
            applyLanguage(code);
            QSettings().setValue(QStringLiteral("language"), code);
        });
    }
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::retranslateUi()
{
    setWindowTitle(m_source); // Qt appends " — Strata", the application's display name
    m_toolbar->setWindowTitle(tr("Main"));
    m_tree->setAccessibleName(tr("Layers side by side"));
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("Open…"));
    m_exportJsonAction->setText(tr("Export Merged Listing as JSON…"));
    m_exportCsvAction->setText(tr("Export Merged Listing as CSV…"));
    m_exportShotAction->setText(tr("Export Screenshot…"));
    m_quitAction->setText(tr("Quit"));
    m_nextAction->setText(tr("Next change"));
    m_nextAction->setToolTip(tr("Select the next changed path (F8)"));
    m_sortSizeAction->setText(tr("Sort by Size"));
    m_expandAction->setText(tr("Expand All"));
    m_collapseAction->setText(tr("Collapse All"));
    m_aboutAction->setText(tr("About Strata"));
    m_onlyChanges->setText(tr("Only changes"));
    m_search->setPlaceholderText(tr("Search names (Ctrl+F)"));
    m_minSize->setPlaceholderText(tr("min size"));
    m_minSize->setToolTip(tr("Only files at least this large, e.g. 100k, 5M"));
    m_cancelButton->setText(tr("Cancel"));
    const int type = m_typeFilter->currentIndex();
    const QSignalBlocker blocker(m_typeFilter);
    m_typeFilter->clear();
    m_typeFilter->addItem(tr("All types"), -1);
    m_typeFilter->addItem(tr("Files"), int(EntryType::File));
    m_typeFilter->addItem(tr("Directories"), int(EntryType::Dir));
    m_typeFilter->addItem(tr("Symlinks"), int(EntryType::Symlink));
    m_typeFilter->addItem(tr("Devices and whiteouts"), int(EntryType::Char));
    m_typeFilter->setCurrentIndex(std::max(type, 0));
    updateLayerFilterChoices();
    updateRecentMenu();
    for (QAction *a : std::as_const(m_languageActions))
        a->setChecked(a->data().toString() == currentLanguage());
    if (m_stack) {
        size_t entries = 0;
        for (const LayerIndex &l : m_stack->layers)
            entries += l.entries.size() - 1;
        m_status->setText(tr("%n layer(s) · %1 entries · %2 merged paths · scanned in %3 ms", nullptr, int(m_stack->layers.size()))
                              .arg(QLocale().toString(qulonglong(entries)))
                              .arg(QLocale().toString(qulonglong(m_stack->merged.nodes.size() - 1)))
                              .arg(double(m_stack->scanNanoseconds + m_stack->mergeNanoseconds) / 1e6, 0, 'f', 1));
    }
    m_model->retranslate(); // headers follow the language; rows, expansion and selection stay
    m_layerModel->retranslate();
    // The layer table is as tall as its rows (up to eight; it scrolls beyond).
    const int rows = std::max(1, std::min(m_layerModel->rowCount(), 8));
    m_layers->setFixedHeight(m_layers->horizontalHeader()->sizeHint().height() + rows * m_layers->verticalHeader()->defaultSectionSize() + 2 * m_layers->frameWidth() + 2);
    showCurrent();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_vertical->restoreState(settings.value(QStringLiteral("window/vertical")).toByteArray());
    m_bottom->restoreState(settings.value(QStringLiteral("window/bottom")).toByteArray());
    m_onlyChanges->setChecked(settings.value(QStringLiteral("view/onlyChanges"), false).toBool());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/vertical"), m_vertical->saveState());
    settings.setValue(QStringLiteral("window/bottom"), m_bottom->saveState());
    settings.setValue(QStringLiteral("view/onlyChanges"), m_onlyChanges->isChecked());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList dirs;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir())
            dirs << url.toLocalFile();
    }
    if (!dirs.isEmpty()) {
        event->acceptProposedAction();
        openDialog(dirs);
    }
}

void MainWindow::openSource(const QString &source)
{
    cancelLoading();
    m_status->setText(tr("Scanning %1…").arg(source));
    m_progress->show();
    m_cancelButton->show();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    auto *watcher = new QFutureWatcher<Expected<OverlayStack>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, source, cancel] {
        watcher->deleteLater();
        if (m_cancel != cancel)
            return; // superseded by a newer load
        m_cancel.reset();
        m_progress->hide();
        m_cancelButton->hide();
        auto result = watcher->future().takeResult(); // moved out: no second copy of a large stack
        if (!result) {
            m_status->setText(result.error().message());
            Q_EMIT loadFailed(result.error().message());
            return;
        }
        setStack(std::make_shared<const OverlayStack>(std::move(result).value()), source);
        Q_EMIT loaded();
    });
    const QString cwd = QDir::currentPath();
    watcher->setFuture(QtConcurrent::run([source, cwd, cancel] { return OverlayStack::open(source, cwd, cancel.get()); }));
}

void MainWindow::cancelLoading()
{
    if (!m_cancel)
        return;
    m_cancel->store(true);
    m_cancel.reset();
    m_progress->hide();
    m_cancelButton->hide();
    m_status->setText(tr("Cancelled."));
}

void MainWindow::setStack(std::shared_ptr<const OverlayStack> stack, const QString &source)
{
    m_stack = std::move(stack);
    m_source = source;
    m_model->setStack(m_stack);
    m_layerModel->setStack(m_stack);
    rememberSource(source);
    retranslateUi();
    if (m_stack)
        m_tree->expandToDepth(0);
}

void MainWindow::rememberSource(const QString &source)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentSources")).toStringList();
    recent.removeAll(source);
    recent.prepend(source);
    while (recent.size() > maxRecentSources)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentSources"), recent);
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentSources")).toStringList();
    for (const QString &source : recent)
        m_recentMenu->addAction(source, this, [this, source] { openSource(source); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateLayerFilterChoices()
{
    const QSignalBlocker blocker(m_layerFilter);
    const QVariant current = m_layerFilter->currentData();
    m_layerFilter->clear();
    m_layerFilter->addItem(tr("Changes in any layer"));
    if (m_stack) {
        for (size_t l = m_stack->layers.size(); l-- > 0;)
            m_layerFilter->addItem(tr("Changes in %1").arg(LayerListModel::label(*m_stack, l)), int(l));
    }
    const int index = current.isValid() ? m_layerFilter->findData(current) : 0;
    m_layerFilter->setCurrentIndex(std::max(index, 0));
}

void MainWindow::expandMatches()
{
    // Expanding shows where the matches are; past a few thousand rows it would only stall the GUI.
    int rows = 0;
    std::vector<QModelIndex> pending{QModelIndex()};
    while (!pending.empty() && rows <= 5000) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        const int count = m_proxy->rowCount(parent);
        rows += count;
        for (int r = 0; r < count && rows <= 5000; ++r)
            pending.push_back(m_proxy->index(r, 0, parent));
    }
    if (rows <= 5000)
        m_tree->expandAll();
    else
        m_tree->expandToDepth(1);
}

void MainWindow::applySizeThreshold()
{
    m_proxy->setMinimumSize(parseSize(m_minSize->text()));
}

void MainWindow::setSortBySize(bool on)
{
    if (m_sortSizeAction->isChecked() != on)
        m_sortSizeAction->setChecked(on);
    // Largest merged files first; off: the tree order (names, bytewise).
    m_proxy->sort(on ? m_model->mergedColumn() : -1, on ? Qt::DescendingOrder : Qt::AscendingOrder);
}

bool MainWindow::exportListing(const QString &fileName, QString *error) const
{
    const QString problem = m_stack ? writeListingFile(*m_stack, fileName) : tr("Nothing is open.");
    if (error)
        *error = problem;
    return problem.isEmpty();
}

void MainWindow::exportListingInBackground(const QString &fileName)
{
    if (!m_stack)
        return;
    // A million lines take a while: write them off the GUI thread; the stack is shared, immutable.
    m_status->setText(tr("Exporting to %1…").arg(fileName));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, fileName] {
        watcher->deleteLater();
        const QString problem = watcher->result();
        if (problem.isEmpty())
            m_status->setText(tr("Exported the merged listing to %1.").arg(fileName));
        else
            QMessageBox::warning(this, tr("Export"), problem);
    });
    std::shared_ptr<const OverlayStack> stack = m_stack;
    watcher->setFuture(QtConcurrent::run([stack, fileName] { return writeListingFile(*stack, fileName); }));
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
    if (!current.isValid() || !m_stack) {
        m_details->showPath(nullptr, 0);
        m_file->showPath(nullptr, 0);
        return;
    }
    const UnionId node = m_model->nodeOf(current);
    m_details->showPath(m_stack.get(), node);
    m_file->showPath(m_stack.get(), node);
}

void MainWindow::nextChange()
{
    // Depth-first from the current row to the next row that a layer above the base changes.
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
    const QModelIndex start = m_tree->currentIndex().siblingAtColumn(0);
    for (QModelIndex index = start.isValid() ? nextIndex(start) : m_proxy->index(0, 0); index.isValid(); index = nextIndex(index)) {
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

void MainWindow::openDialog(const QStringList &lowerDirs)
{
    OpenDialog dialog(this);
    dialog.setRecentSources(QSettings().value(QStringLiteral("recentSources")).toStringList());
    if (!lowerDirs.isEmpty())
        dialog.setLowerDirs(lowerDirs);
    if (dialog.exec() == QDialog::Accepted && !dialog.source().isEmpty())
        openSource(dialog.source());
}

} // namespace strata
