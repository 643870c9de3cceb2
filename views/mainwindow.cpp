// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "changefilterproxy.h"
#include "asofbar.h"
#include "changenavigator.h"
#include "detailspane.h"
#include "demostack.h"
#include "errorpage.h"
#include "errortext.h"
#include "filepane.h"
#include "filterbar.h"
#include "problemcelldelegate.h"
#include "treecolumns.h"
#include "problemsdialog.h"
#include "layerlistmodel.h"
#include "wastedialog.h"
#include "legendwidget.h"
#include "listingexporter.h"
#include "opendialog.h"
#include "pathactions.h"
#include "lessonpane.h"
#include "livesession.h"
#include "playgroundactions.h"
#include "playgroundpanel.h"
#include "recentsources.h"
#include "roles.h"
#include "stackloader.h"
#include "translations.h"
#include "uniontreemodel.h"
#include "welcomepage.h"
#include "lesson.h"
#include "strata/version.h"

#include <QAction>
#include <QApplication>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QTimer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <unistd.h>

namespace strata {

namespace {
constexpr int maxAutoExpandedRows = 5000;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_loader(new StackLoader(this))
    , m_model(new UnionTreeModel(this))
    , m_proxy(new ChangeFilterProxy(this))
    , m_layerModel(new LayerListModel(this))
    , m_tree(new QTreeView(this))
    , m_layers(new QTableView(this))
    , m_details(new DetailsPane(this))
    , m_file(new FilePane(this))
    , m_vertical(new QSplitter(Qt::Vertical, this))
    , m_bottom(new QSplitter(Qt::Horizontal, this))
    , m_pages(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_errorPage(new ErrorPage(this))
    , m_toolbar(addToolBar(QString()))
    , m_filterBar(new FilterBar(m_proxy, this))
    , m_asOfBar(new AsOfBar(this))
    , m_columns(new TreeColumns(m_tree, this))
    , m_delegate(new ProblemCellDelegate(m_tree))
    , m_navigator(new ChangeNavigator(m_tree, this))
    , m_pathActions(new PathActions(m_tree, this))
    , m_recent(new RecentSources(this))
    , m_exporter(new ListingExporter(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(this))
    , m_problemsButton(new QPushButton(this))
    , m_status(new QLabel(this))
{
    setAcceptDrops(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SizeRole);
    m_tree->setModel(m_proxy);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_tree->header()->setSortIndicatorShown(false);

    m_layers->setModel(m_layerModel);
    m_layers->verticalHeader()->hide();
    m_layers->verticalHeader()->setDefaultSectionSize(m_layers->fontMetrics().height() + 8);
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setSectionResizeMode(LayerListModel::PathColumn, QHeaderView::Stretch);
    m_layers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layers->setSelectionMode(QAbstractItemView::SingleSelection);

    createPlayground();
    createActions();
    createMenus();
    m_toolbar->setObjectName(QStringLiteral("mainToolbar"));
    m_toolbar->setMovable(false);
    m_toolbar->addAction(m_openAction);
    m_toolbar->addAction(m_playgroundAction);
    m_toolbar->addAction(m_lessonAction);
    m_toolbar->addSeparator();
    m_filterBar->addActionAfterOnlyChanges(m_navigator->action());
    m_toolbar->addWidget(m_filterBar);

    connect(m_filterBar, &FilterBar::matchesShouldExpand, this, &MainWindow::expandMatches);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showCurrent);
    connect(m_layers, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        // One click on a layer: the tree as it stood after it, with what it changed (dive's view).
        if (index.isValid() && m_stack)
            showAsOf(int(m_layerModel->layerAt(index.row())));
    });
    connect(m_layers->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        // Keyboard navigation in the table does the same as a click.
        if (current.isValid() && m_stack && QApplication::mouseButtons() == Qt::NoButton)
            showAsOf(int(m_layerModel->layerAt(current.row())));
    });
    connect(m_filterBar, &FilterBar::layerFilterChanged, this, [this](int layer) {
        // The table's highlight follows the filter, whichever way it was set or reset — unless the
        // tree is shown as of a layer: then that layer stays highlighted.
        if (m_model->asOfLayer() < 0)
            highlightLayerRow(layer);
    });
    connect(m_model, &UnionTreeModel::asOfApplied, this, [this](int layer) {
        m_asOfBar->setLayer(layer >= 0 && m_stack ? LayerListModel::label(*m_stack, size_t(layer)) : QString());
        highlightLayerRow(layer >= 0 ? layer : m_filterBar->layerFilter());
        m_tree->viewport()->update();
        showCurrent();
    });
    connect(m_asOfBar, &AsOfBar::wholeStackRequested, this, [this] { showAsOf(-1); });
    // The layer table picks which layer columns the tree shows (30+ layers: a few wide, the rest strips).
    m_layers->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_layers, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_layers->indexAt(at);
        QMenu *menu = m_columns->createMenu(index.isValid() ? int(m_layerModel->layerAt(index.row())) : -1);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_layers->viewport()->mapToGlobal(at));
    });
    connect(m_recent, &RecentSources::sourceChosen, this, &MainWindow::openSource);
    connect(m_welcome, &WelcomePage::openRequested, this, [this] { openDialog(); });
    connect(m_welcome, &WelcomePage::demoRequested, this, &MainWindow::openDemoStack);
    connect(m_welcome, &WelcomePage::recentChosen, this, &MainWindow::openSource);
    connect(m_errorPage, &ErrorPage::openRequested, this, [this] { openDialog(); });
    connect(m_errorPage, &ErrorPage::retryRequested, this, [this] { openSource(m_loader->source()); });
    connect(m_exporter, &ListingExporter::finished, this, [this](const QString &fileName, const QString &problem) {
        if (problem.isEmpty()) {
            m_transientStatus = tr("Exported to %1.").arg(fileName);
            updateStatus();
        } else {
            QMessageBox::warning(this, tr("Export"), problem);
        }
    });

    m_bottom->addWidget(m_details);
    m_bottom->addWidget(m_file);
    m_bottom->setStretchFactor(0, 1);
    m_bottom->setStretchFactor(1, 1);
    auto *treeBox = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treeBox);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->setSpacing(2);
    treeLayout->addWidget(m_asOfBar);
    treeLayout->addWidget(m_tree, 1);
    m_vertical->addWidget(treeBox);
    m_vertical->addWidget(m_bottom);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 2);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_layers); // as tall as its rows (see updateLayerTableHeight)
    // Before a stack is open, and when it cannot be, the tree's place says so and what to do.
    m_pages->addWidget(m_vertical);
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_errorPage);
    layout->addWidget(m_pages, 1);
    layout->addWidget(new LegendWidget(central));
    setCentralWidget(central);

    m_progress->setMaximumWidth(200);
    m_progress->hide();
    m_cancelButton->hide();
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelLoading);
    statusBar()->addWidget(m_status, 1);
    m_problemsButton->setFlat(true);
    m_problemsButton->hide();
    connect(m_problemsButton, &QPushButton::clicked, this, &MainWindow::showProblems);
    statusBar()->addPermanentWidget(m_problemsButton);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    wireLoader();
    m_welcome->setRecentSources(m_recent->sources());
    showPage(m_welcome);
    resize(1400, 860);
    retranslateUi();
    restoreSettings();
}

MainWindow::~MainWindow()
{
    m_loader->cancel();
}

void MainWindow::createPlayground()
{
    m_live = new LiveSession(this);
    m_playActions = new PlaygroundActions(m_live, this, [this] { return m_pathActions->currentPath(); }, this);
    m_playground = new PlaygroundPanel(m_live, m_playActions, this);
    m_playgroundDock = new QDockWidget(this);
    m_playgroundDock->setObjectName(QStringLiteral("playgroundDock"));
    m_playgroundDock->setWidget(m_playground);
    m_playgroundDock->hide();
    addDockWidget(Qt::BottomDockWidgetArea, m_playgroundDock);
    m_playgroundAction = m_playgroundDock->toggleViewAction();
    m_lessonPane = new LessonPane(m_live, m_playActions, this);
    m_lessonDock = new QDockWidget(this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessonPane);
    m_lessonDock->hide();
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    m_lessonAction = m_lessonDock->toggleViewAction();
    connect(m_lessonPane, &LessonPane::startRequested, this, &MainWindow::startLesson);
    m_presenterAction = new QAction(this);
    m_presenterAction->setCheckable(true);
    connect(m_presenterAction, &QAction::toggled, this, &MainWindow::setPresenterMode);
    connect(this, &MainWindow::statisticsLoaded, this, [this] {
        if (m_pendingLesson < 0)
            return;
        const Lesson &lesson = m_lessonPane->lessons()[size_t(m_pendingLesson)];
        LiveSession::Settings settings;
        settings.source = m_source;
        settings.baseDir = QDir::currentPath();
        settings.upperChoice = UpperChoice::AsSource; // the lesson's own (fresh) upper dir
        settings.mode = lesson.needsRoot ? (::geteuid() == 0 ? HelperMode::Direct : HelperMode::Pkexec) : HelperMode::Auto;
        settings.options = lesson.options.split(u',', Qt::SkipEmptyParts);
        m_playground->setChosenOptions(settings.options);
        m_sourceBeforeLive = m_source;
        m_lessonPane->setLesson(m_pendingLesson);
        m_pendingLesson = -1;
        showPlayground();
        m_live->mount(settings);
    });
    m_flashTimer = new QTimer(this);
    m_flashTimer->setSingleShot(true);
    m_flashTimer->setInterval(1500);
    connect(m_flashTimer, &QTimer::timeout, this, [this] {
        m_delegate->setFlashedPaths({});
        m_tree->viewport()->update();
    });
    connect(m_pathActions, &PathActions::menuCreated, this, [this](QMenu *menu, const QModelIndex &) {
        if (m_live->isLive()) {
            menu->addSeparator();
            m_playActions->addTo(menu);
        }
    });
    connect(m_playground, &PlaygroundPanel::mountRequested, this, &MainWindow::mountLive);
    connect(m_playground, &PlaygroundPanel::unmountRequested, this, &MainWindow::unmountLive);
    connect(m_playground, &PlaygroundPanel::pathActivated, this, &MainWindow::selectPath);
    connect(m_live, &LiveSession::mounted, this, &MainWindow::showLiveStack);
    connect(m_live, &LiveSession::snapshotChanged, this, &MainWindow::showLiveStack);
    connect(m_live, &LiveSession::eventsAdded, this, [this](int first, int count) {
        QStringList paths;
        for (int i = first; i < first + count; ++i)
            paths << m_live->events()[size_t(i)].path;
        flashPaths(paths);
    });
    connect(m_live, &LiveSession::unmounted, this, [this] {
        if (!m_sourceBeforeLive.isEmpty())
            openSource(m_sourceBeforeLive);
    });
    connect(m_live, &LiveSession::failed, this, [this](const Error &error) {
        m_transientStatus = errorText(error);
        updateStatus();
    });
}

void MainWindow::startLesson(int index)
{
    if (index < 0 || size_t(index) >= m_lessonPane->lessons().size())
        return;
    m_sourceBeforeLive.clear(); // a running session ends without reopening what it came from
    if (m_live->isLive())
        m_live->unmount();
    m_lessonDock->show();
    m_lessonDir = std::make_unique<QTemporaryDir>();
    // The lesson's own options are the live mount's (a remount step replaces them).
    auto source = createLessonSource(m_lessonPane->lessons()[size_t(index)], m_lessonDir->path(), LessonPane::lessonDataRoot(), /*withOptions=*/false);
    if (!source) {
        m_errorPage->setError(source.error(), QString());
        showPage(m_errorPage);
        return;
    }
    m_pendingLesson = index;
    openSource(*source);
}

void MainWindow::setPresenterMode(bool on)
{
    if (m_presenterAction->isChecked() != on)
        m_presenterAction->setChecked(on);
    QFont font = QApplication::font();
    if (m_normalFontSize == 0)
        m_normalFontSize = font.pointSize() > 0 ? font.pointSize() : 10;
    font.setPointSize(on ? m_normalFontSize * 3 / 2 : m_normalFontSize);
    QApplication::setFont(font);
}

void MainWindow::showPlayground(bool show)
{
    const bool first = show && !m_playgroundDock->isVisible();
    m_playgroundDock->setVisible(show);
    // The tree stays the larger part: the panel starts at a third of the window's height.
    if (first)
        resizeDocks({m_playgroundDock}, {std::max(220, height() / 3)}, Qt::Vertical);
}

void MainWindow::mountLive()
{
    if (m_source.isEmpty() || m_live->isLive())
        return;
    showPlayground();
    m_sourceBeforeLive = m_source;
    LiveSession::Settings settings;
    settings.source = m_source;
    settings.baseDir = QDir::currentPath();
    settings.options = m_playground->chosenOptions();
    settings.mode = m_playground->chosenMode();
    m_live->mount(settings);
}

void MainWindow::unmountLive()
{
    m_live->unmount();
}

void MainWindow::showLiveStack(std::shared_ptr<const OverlayStack> stack)
{
    // The first mount adds the upper column (a model reset); later snapshots, remounts and Reset
    // are updates of the same layers: rows, expansion, selection and scroll position stay.
    const bool sameLayers = m_stack && stack && m_stack->layers.size() == stack->layers.size();
    m_stack = std::move(stack);
    m_model->applySnapshot(m_stack);
    if (sameLayers)
        m_layerModel->applySnapshot(m_stack);
    else
        m_layerModel->setStack(m_stack);
    m_filterBar->setStack(m_stack.get());
    m_pathActions->setStack(m_stack.get(), m_live->mountedSource());
    m_transientStatus.clear();
    if (!sameLayers) {
        m_tree->expandToDepth(0);
        updateLayerTableHeight();
    }
    setWindowTitle(tr("%1 (live)").arg(m_source));
    updateStatus();
    showCurrent();
}

void MainWindow::flashPaths(const QStringList &paths)
{
    QSet<QString> set(paths.begin(), paths.end());
    m_delegate->setFlashedPaths(std::move(set));
    m_tree->viewport()->update();
    m_flashTimer->start();
}

void MainWindow::wireLoader()
{
    connect(m_loader, &StackLoader::phaseChanged, this, [this](StackLoader::Phase phase) {
        // Scanning: busy indicator; statistics: determinate (the merged tree is already shown).
        m_progress->setVisible(phase != StackLoader::Phase::Idle);
        m_cancelButton->setVisible(phase != StackLoader::Phase::Idle);
        if (phase == StackLoader::Phase::MergedView)
            m_progress->setRange(0, 0);
        else if (phase == StackLoader::Phase::Statistics)
            m_progress->setRange(0, StackLoader::progressMaximum);
        m_progress->setValue(0);
        updateStatus();
    });
    connect(m_loader, &StackLoader::progress, m_progress, &QProgressBar::setValue);
    connect(m_loader, &StackLoader::mergedViewLoaded, this, [this](std::shared_ptr<const OverlayStack> stack, const QString &source) {
        m_transientStatus.clear();
        setStack(std::move(stack), source);
        Q_EMIT loaded();
    });
    connect(m_loader, &StackLoader::completed, this, [this](std::shared_ptr<const OverlayStack> stack) {
        showCompletedStack(std::move(stack));
        Q_EMIT statisticsLoaded();
    });
    connect(m_loader, &StackLoader::failed, this, [this](const Error &error, const QString &source) {
        // The stack asked for is not there: the page says why, the old stack is gone from view.
        // (When only completing the shown stack failed, its merged tree stays.)
        if (!m_stack || source != m_source) {
            setStack(nullptr, QString());
            m_errorPage->setError(error, source);
            showPage(m_errorPage);
            m_transientStatus.clear(); // the page says it, in the language of the moment
        } else {
            m_transientStatus = errorText(error);
        }
        updateStatus();
        Q_EMIT loadFailed(errorText(error));
    });
    connect(m_loader, &StackLoader::cancelled, this, [this] {
        if (!m_stack)
            showPage(m_welcome);
        m_transientStatus = tr("Cancelled.");
        updateStatus();
    });
}

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, [this] { openDialog(); });
    m_exportJsonAction = new QAction(this);
    m_exportCsvAction = new QAction(this);
    m_exportShotAction = new QAction(this);
    m_exportShownAction = new QAction(this);
    connect(m_exportShownAction, &QAction::triggered, this, [this] {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export"), QDir::homePath() + QStringLiteral("/strata-shown.csv"),
                                                          tr("CSV (*.csv);;JSON Lines (*.jsonl *.json)"));
        if (!name.isEmpty())
            exportShownInBackground(name);
    });
    auto exportTo = [this](const QString &filter, const QString &suffix) {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export"), QDir::homePath() + QStringLiteral("/strata-merged.") + suffix, filter);
        if (!name.isEmpty())
            exportListingInBackground(name);
    };
    connect(m_exportJsonAction, &QAction::triggered, this, [this, exportTo] { exportTo(tr("JSON Lines (*.jsonl *.json)"), QStringLiteral("jsonl")); });
    connect(m_exportCsvAction, &QAction::triggered, this, [this, exportTo] { exportTo(tr("CSV (*.csv)"), QStringLiteral("csv")); });
    connect(m_exportShotAction, &QAction::triggered, this, [this] {
        const QString name = QFileDialog::getSaveFileName(this, tr("Export"), QDir::homePath() + QStringLiteral("/strata.png"), tr("PNG image (*.png)"));
        if (!name.isEmpty())
            m_exporter->exportImage(grab().toImage(), name);
    });
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_sortSizeAction = new QAction(this);
    m_sortSizeAction->setCheckable(true);
    connect(m_sortSizeAction, &QAction::toggled, this, &MainWindow::setSortBySize);
    m_showSizesAction = new QAction(this);
    m_showSizesAction->setCheckable(true);
    m_showSizesAction->setChecked(true);
    connect(m_showSizesAction, &QAction::toggled, this, [this](bool on) {
        m_delegate->setShowSizes(on);
        m_tree->viewport()->update();
    });
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
    connect(find, &QAction::triggered, m_filterBar, &FilterBar::focusSearch);
    addAction(find);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_fileMenu->addMenu(m_recent->menu());
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportJsonAction);
    m_fileMenu->addAction(m_exportCsvAction);
    m_fileMenu->addAction(m_exportShownAction);
    m_fileMenu->addAction(m_exportShotAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_navigator->action());
    m_viewMenu->addAction(m_navigator->previousAction());
    m_viewMenu->addAction(m_sortSizeAction);
    m_viewMenu->addAction(m_showSizesAction);
    m_wasteAction = m_viewMenu->addAction(QString(), this, [this] { showWasteDialog(); });
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_playgroundAction);
    m_viewMenu->addAction(m_lessonAction);
    m_viewMenu->addAction(m_presenterAction);
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
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("Open…"));
    m_exportJsonAction->setText(tr("Export Merged Listing as JSON…"));
    m_exportCsvAction->setText(tr("Export Merged Listing as CSV…"));
    m_exportShotAction->setText(tr("Export Screenshot…"));
    m_exportShownAction->setText(tr("Export What Is Shown…"));
    m_exportShownAction->setToolTip(tr("The rows the tree shows now, with the filters and the as-of view applied, as CSV or JSON Lines"));
    m_showSizesAction->setText(tr("Show Sizes"));
    m_quitAction->setText(tr("Quit"));
    m_sortSizeAction->setText(tr("Sort by Size"));
    m_wasteAction->setText(tr("What Wastes Space…"));
    m_expandAction->setText(tr("Expand All"));
    m_collapseAction->setText(tr("Collapse All"));
    m_aboutAction->setText(tr("About Strata"));
    m_playgroundDock->setWindowTitle(tr("Playground"));
    m_playgroundAction->setText(tr("Playground"));
    m_playgroundAction->setToolTip(tr("Mount the open stack and change files in it: watch the kernel copy up, white out and redirect"));
    m_playActions->retranslateUi();
    m_lessonDock->setWindowTitle(tr("Lessons"));
    m_lessonAction->setText(tr("Lessons"));
    m_lessonAction->setToolTip(tr("Guided lessons: the walkthrough, whiteouts, opaque dirs and more, checked live"));
    m_presenterAction->setText(tr("Presenter Mode"));
    m_presenterAction->setToolTip(tr("Larger fonts for a room"));
    m_cancelButton->setText(tr("Cancel"));
    m_progress->setFormat(tr("statistics %p%"));
    m_recent->retranslateUi();
    m_navigator->retranslateUi();
    m_pathActions->retranslateUi();
    for (QAction *a : std::as_const(m_languageActions))
        a->setChecked(a->data().toString() == currentLanguage());
    updateStatus();
    m_model->retranslate(); // headers follow the language; rows, expansion and selection stay
    m_layerModel->retranslate();
    updateLayerTableHeight();
    showCurrent();
}

void MainWindow::updateStatus()
{
    switch (m_loader->phase()) {
    case StackLoader::Phase::MergedView:
        m_status->setText(tr("Scanning %1…").arg(m_loader->source()));
        return;
    case StackLoader::Phase::Statistics:
    case StackLoader::Phase::Idle:
        break;
    }
    const int problems = m_stack ? ProblemsDialog::count(*m_stack) : 0;
    m_problemsButton->setVisible(problems > 0);
    m_problemsButton->setText(ProblemCellDelegate::glyph() + u' ' + (problems == 1 ? tr("1 problem") : tr("%1 problems").arg(QLocale().toString(problems))));
    m_problemsButton->setToolTip(tr("Entries the scan could not read completely: click to list them"));
    if (!m_transientStatus.isEmpty() || !m_stack) {
        m_status->setText(m_transientStatus);
        return;
    }
    size_t entries = 0;
    for (const LayerIndex &l : m_stack->layers)
        entries += l.entries.size() - 1;
    m_status->setText(tr("%n layer(s) · %1 entries · %2 merged paths · scanned in %3 ms", nullptr, int(m_stack->layers.size()))
                          .arg(QLocale().toString(qulonglong(entries)))
                          .arg(QLocale().toString(qulonglong(m_stack->merged.nodes.size() - 1)))
                          .arg(double(m_stack->scanNanoseconds + m_stack->mergeNanoseconds) / 1e6, 0, 'f', 1));
}

void MainWindow::showProblems()
{
    if (!m_stack)
        return;
    auto *dialog = new ProblemsDialog(*m_stack, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::updateLayerTableHeight()
{
    // The layer table is as tall as its rows (up to eight; it scrolls beyond).
    const int rows = std::max(1, std::min(m_layerModel->rowCount(), 8));
    m_layers->setFixedHeight(m_layers->horizontalHeader()->sizeHint().height() + rows * m_layers->verticalHeader()->defaultSectionSize() + 2 * m_layers->frameWidth() + 2);
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
    m_filterBar->setOnlyChanges(settings.value(QStringLiteral("view/onlyChanges"), false).toBool());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/vertical"), m_vertical->saveState());
    settings.setValue(QStringLiteral("window/bottom"), m_bottom->saveState());
    settings.setValue(QStringLiteral("view/onlyChanges"), m_filterBar->onlyChanges());
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
    m_transientStatus.clear();
    m_loader->open(source, QDir::currentPath());
}

void MainWindow::cancelLoading()
{
    m_loader->cancel();
}

void MainWindow::openDemoStack()
{
    m_demoDir = std::make_unique<QTemporaryDir>();
    auto demo = createDemoStack(m_demoDir->path());
    if (!demo) {
        m_errorPage->setError(demo.error(), QString());
        showPage(m_errorPage);
        return;
    }
    openSource(*demo);
}

QWidget *MainWindow::currentPage() const
{
    return m_pages->currentWidget();
}

void MainWindow::showPage(QWidget *page)
{
    m_pages->setCurrentWidget(page);
    // The layer table and the tree's tools only mean something with a stack.
    m_layers->setVisible(page == m_vertical);
}

void MainWindow::setStack(std::shared_ptr<const OverlayStack> stack, const QString &source)
{
    m_stack = std::move(stack);
    m_source = source;
    m_model->setStack(m_stack);
    m_layerModel->setStack(m_stack);
    m_layers->setColumnHidden(LayerListModel::BlobColumn, !m_layerModel->hasBlobs()); // only image layers have one
    m_filterBar->setStack(m_stack.get());
    m_pathActions->setStack(m_stack.get(), source);
    if (m_stack) {
        m_recent->add(source);
        m_welcome->setRecentSources(m_recent->sources());
        showPage(m_vertical);
    }
    retranslateUi();
    if (m_stack) {
        // Top-level directories open, as a root listing reads best — unless that is a wall of rows
        // (a thousand directories of a generated stack): every expanded row is laid out again when
        // the statistics arrive as a snapshot update.
        int rows = m_proxy->rowCount();
        for (int r = 0; r < m_proxy->rowCount() && rows <= maxAutoExpandedRows; ++r)
            rows += m_proxy->rowCount(m_proxy->index(r, 0));
        if (rows <= maxAutoExpandedRows)
            m_tree->expandToDepth(0);
    }
}

void MainWindow::showAsOf(int layer)
{
    if (!m_stack)
        return;
    if (layer >= 0 && size_t(layer) + 1 < m_stack->layers.size()) {
        // As of a layer below the top: its changes first, the whole tree a click on "Only changes" away.
        m_model->setAsOfLayer(layer);
        m_filterBar->selectLayer(layer);
    } else {
        // The topmost layer is the whole stack.
        m_model->setAsOfLayer(-1);
        m_filterBar->selectLayer(layer);
    }
    Q_EMIT asOfShown(m_model->asOfLayer());
}

QDialog *MainWindow::showWasteDialog()
{
    auto *dialog = new WasteDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStack(m_stack);
    dialog->show();
    return dialog;
}

void MainWindow::highlightLayerRow(int layer)
{
    if (layer < 0) {
        m_layers->selectionModel()->clear();
        return;
    }
    for (int row = 0; row < m_layerModel->rowCount(); ++row) {
        if (int(m_layerModel->layerAt(row)) == layer && m_layers->currentIndex().row() != row) {
            const QSignalBlocker blocker(m_layers->selectionModel()); // a highlight, not a new choice
            m_layers->selectRow(row);
            m_layers->viewport()->update();
        }
    }
}

void MainWindow::exportShownInBackground(const QString &fileName)
{
    m_exporter->exportShown(m_stack, m_model->sharedAsOfView(), m_proxy->shownRows(), fileName);
}

void MainWindow::showCompletedStack(std::shared_ptr<const OverlayStack> stack)
{
    // The same paths with every layer complete: rows, expansion and selection stay in place.
    m_stack = std::move(stack);
    m_model->applySnapshot(m_stack);
    m_layerModel->applySnapshot(m_stack);
    m_filterBar->setStack(m_stack.get());
    m_pathActions->setStack(m_stack.get(), m_source);
    updateLayerTableHeight();
    updateStatus();
    showCurrent();
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

void MainWindow::setSortBySize(bool on)
{
    if (m_sortSizeAction->isChecked() != on)
        m_sortSizeAction->setChecked(on);
    // Largest merged files first; off: the tree order (names, bytewise).
    m_proxy->sort(on ? m_model->mergedColumn() : -1, on ? Qt::DescendingOrder : Qt::AscendingOrder);
}

bool MainWindow::exportListing(const QString &fileName, QString *error) const
{
    const QString problem = m_stack ? ListingExporter::writeListing(*m_stack, fileName) : tr("Nothing is open.");
    if (error)
        *error = problem;
    return problem.isEmpty();
}

void MainWindow::exportListingInBackground(const QString &fileName)
{
    if (!m_stack)
        return;
    m_transientStatus = tr("Exporting to %1…").arg(fileName);
    updateStatus();
    m_exporter->exportListing(m_stack, fileName);
}

bool MainWindow::selectPath(const QString &path)
{
    const QModelIndex proxy = m_proxy->mapFromSource(m_model->indexOfPath(path));
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
    const QModelIndex current = m_proxy->mapToSource(m_tree->currentIndex());
    if (!current.isValid() || !m_stack) {
        m_details->showPath(nullptr, 0);
        m_file->showPath(nullptr, 0);
        return;
    }
    const UnionId node = m_model->nodeOf(current);
    m_details->showPath(m_stack.get(), node, m_model->asOfLayer());
    m_file->showPath(m_stack, node);
}

void MainWindow::openDialog(const QStringList &lowerDirs)
{
    OpenDialog dialog(this);
    dialog.setRecentSources(m_recent->sources());
    if (!lowerDirs.isEmpty())
        dialog.setLowerDirs(lowerDirs);
    if (dialog.exec() == QDialog::Accepted && !dialog.source().isEmpty())
        openSource(dialog.source());
}

} // namespace strata
