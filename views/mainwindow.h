// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTemporaryDir;
class QTableView;
class QTreeView;
class QToolBar;

namespace strata {

class ChangeFilterProxy;
class ChangeNavigator;
class DetailsPane;
class ErrorPage;
class FilePane;
class FilterBar;
class LayerListModel;
class ListingExporter;
class LessonPane;
class LiveSession;
class PlaygroundActions;
class PlaygroundPanel;
class PathActions;
class RecentSources;
class StackLoader;
class UnionTreeModel;
class WelcomePage;

// The explorer: layers side by side (a column per layer, merged last), details, file view, stats.
// Thin wiring: loading is StackLoader's, filters FilterBar's, F8 ChangeNavigator's, the recent list
// RecentSources', exports ListingExporter's.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads SOURCE off the GUI thread: loaded() once the merged tree is shown, statisticsLoaded()
    // when every layer is complete, loadFailed() instead of either. A running load is cancelled.
    void openSource(const QString &source);
    void cancelLoading();
    // The walkthrough's demo stack, made fresh in a temporary directory that lives as long as the window.
    void openDemoStack();
    void setStack(std::shared_ptr<const OverlayStack> stack, const QString &source);
    bool selectPath(const QString &path);
    // Writes the merged listing (JSON Lines or CSV, by the file's suffix).
    bool exportListing(const QString &fileName, QString *error = nullptr) const;
    void exportListingInBackground(const QString &fileName);
    void setSortBySize(bool on);
    // Shows the tree as of `layer` (-1: the whole stack), as one click in the layer table does.
    void showAsOf(int layer);
    class AsOfBar *asOfBar() const { return m_asOfBar; }
    class TreeColumns *treeColumns() const { return m_columns; }
    QAction *showSizesAction() const { return m_showSizesAction; }
    // Writes what the tree shows (filters and as-of view applied) to `fileName`, off the GUI thread.
    void exportShownInBackground(const QString &fileName);

    QTreeView *treeView() const { return m_tree; }
    UnionTreeModel *unionModel() const { return m_model; }
    ChangeFilterProxy *filterProxy() const { return m_proxy; }
    DetailsPane *detailsPane() const { return m_details; }
    FilePane *filePane() const { return m_file; }
    FilterBar *filterBar() const { return m_filterBar; }
    QTableView *layerTable() const { return m_layers; }
    ChangeNavigator *changeNavigator() const { return m_navigator; }
    PathActions *pathActions() const { return m_pathActions; }
    StackLoader *loader() const { return m_loader; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *problemsButton() const { return m_problemsButton; }
    void showProblems();
    // View ▸ What Wastes Space… (the dialog deletes itself when closed).
    class QDialog *showWasteDialog();
    QString statusText() const;
    // The live playground: Mount makes the open stack live through strata-helper (see LiveSession).
    LiveSession *liveSession() const { return m_live; }
    PlaygroundPanel *playgroundPanel() const { return m_playground; }
    PlaygroundActions *playgroundActions() const { return m_playActions; }
    void showPlayground(bool show = true);
    // Mounts the open stack with the panel's mode and options.
    void mountLive();
    void unmountLive();
    // Training mode: the lesson's layers created fresh, opened, mounted live, the lesson pane shown.
    void startLesson(int index);
    LessonPane *lessonPane() const { return m_lessonPane; }
    // Presenter comforts: every font larger, for a room.
    void setPresenterMode(bool on);
    // The central page: the tree (a stack is open), the welcome page (none yet) or the error page.
    QWidget *currentPage() const;
    WelcomePage *welcomePage() const { return m_welcome; }
    ErrorPage *errorPage() const { return m_errorPage; }
    const OverlayStack *stack() const { return m_stack.get(); }

Q_SIGNALS:
    void loaded();
    void statisticsLoaded();
    void loadFailed(const QString &message);
    void asOfShown(int layer); // showAsOf() asked for it (applied when UnionTreeModel::asOfApplied comes)

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void wireLoader();
    void retranslateUi();
    void updateStatus();
    void updateLayerTableHeight();
    void showCurrent();
    void showCompletedStack(std::shared_ptr<const OverlayStack> stack);
    void openDialog(const QStringList &lowerDirs = {});
    void expandMatches();
    void restoreSettings();
    void showPage(QWidget *page);
    // The layer table's row for `layer` highlighted (-1: none).
    void highlightLayerRow(int layer);
    void createPlayground();
    // A snapshot of the live stack: shown as an update (rows, expansion and selection stay).
    void showLiveStack(std::shared_ptr<const OverlayStack> stack);
    void flashPaths(const QStringList &paths);

    std::shared_ptr<const OverlayStack> m_stack;
    QString m_source;
    StackLoader *m_loader;
    UnionTreeModel *m_model;
    ChangeFilterProxy *m_proxy;
    LayerListModel *m_layerModel;
    QTreeView *m_tree;
    QTableView *m_layers;
    DetailsPane *m_details;
    FilePane *m_file;
    QSplitter *m_vertical;
    QSplitter *m_bottom;
    QStackedWidget *m_pages;
    WelcomePage *m_welcome;
    ErrorPage *m_errorPage;
    std::unique_ptr<QTemporaryDir> m_demoDir;
    QToolBar *m_toolbar;
    FilterBar *m_filterBar;
    class AsOfBar *m_asOfBar;
    class TreeColumns *m_columns;
    class ProblemCellDelegate *m_delegate;
    ChangeNavigator *m_navigator;
    PathActions *m_pathActions;
    RecentSources *m_recent;
    ListingExporter *m_exporter;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QPushButton *m_problemsButton; // "⚠ 2 problems": lists what the scan could not read
    QLabel *m_status;
    LiveSession *m_live = nullptr;
    PlaygroundActions *m_playActions = nullptr;
    PlaygroundPanel *m_playground = nullptr;
    class QDockWidget *m_playgroundDock = nullptr;
    QAction *m_playgroundAction = nullptr;
    class QTimer *m_flashTimer = nullptr;
    QString m_sourceBeforeLive; // what was open before Mount; shown again after Unmount
    LessonPane *m_lessonPane = nullptr;
    class QDockWidget *m_lessonDock = nullptr;
    QAction *m_lessonAction = nullptr;
    QAction *m_presenterAction = nullptr;
    std::unique_ptr<QTemporaryDir> m_lessonDir;
    int m_pendingLesson = -1; // mounted once its stack is loaded
    int m_normalFontSize = 0;
    QString m_transientStatus; // "Scanning …", "Cancelled.", an error: shown instead of the stack summary
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_exportJsonAction = nullptr;
    QAction *m_exportCsvAction = nullptr;
    QAction *m_exportShotAction = nullptr;
    QAction *m_exportShownAction = nullptr; // File ▸ Export What Is Shown…
    QAction *m_showSizesAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_sortSizeAction = nullptr;
    QAction *m_wasteAction = nullptr; // View ▸ What Wastes Space…
    QAction *m_expandAction = nullptr;
    QAction *m_collapseAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QList<QAction *> m_languageActions;
};

} // namespace strata
