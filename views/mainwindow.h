// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QMainWindow>

#include <atomic>
#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;
class QTreeView;
class QToolBar;

namespace strata {

class ChangeFilterProxy;
class DetailsPane;
class FilePane;
class LayerListModel;
class UnionTreeModel;

// The explorer: layers side by side (a column per layer, merged last), details, file view, stats.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads SOURCE off the GUI thread; loaded() or loadFailed() follows. A running load is cancelled.
    void openSource(const QString &source);
    void cancelLoading();
    void setStack(std::shared_ptr<const OverlayStack> stack, const QString &source);
    bool selectPath(const QString &path);
    // Writes the merged listing (JSON Lines or CSV, by the file's suffix).
    bool exportListing(const QString &fileName, QString *error = nullptr) const;
    void exportListingInBackground(const QString &fileName);
    void setSortBySize(bool on);

    QTreeView *treeView() const { return m_tree; }
    UnionTreeModel *unionModel() const { return m_model; }
    ChangeFilterProxy *filterProxy() const { return m_proxy; }
    DetailsPane *detailsPane() const { return m_details; }
    FilePane *filePane() const { return m_file; }
    const OverlayStack *stack() const { return m_stack.get(); }

Q_SIGNALS:
    void loaded();
    void loadFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void retranslateUi();
    void showCurrent();
    void nextChange();
    void openDialog(const QStringList &lowerDirs = {});
    void rememberSource(const QString &source);
    void updateRecentMenu();
    void updateLayerFilterChoices();
    void applySizeThreshold();
    void expandMatches();
    void restoreSettings();
    QModelIndex sourceIndex(const QModelIndex &proxyIndex) const;

    std::shared_ptr<const OverlayStack> m_stack;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_source;
    UnionTreeModel *m_model;
    ChangeFilterProxy *m_proxy;
    LayerListModel *m_layerModel;
    QTreeView *m_tree;
    QTableView *m_layers;
    DetailsPane *m_details;
    FilePane *m_file;
    QSplitter *m_vertical;
    QSplitter *m_bottom;
    QToolBar *m_toolbar;
    QLineEdit *m_search;
    QCheckBox *m_onlyChanges;
    QComboBox *m_layerFilter;
    QComboBox *m_typeFilter;
    QLineEdit *m_minSize;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QLabel *m_status;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_exportJsonAction = nullptr;
    QAction *m_exportCsvAction = nullptr;
    QAction *m_exportShotAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_sortSizeAction = nullptr;
    QAction *m_expandAction = nullptr;
    QAction *m_collapseAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QList<QAction *> m_languageActions;
};

} // namespace strata
