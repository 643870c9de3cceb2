// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QTreeView;
class QCheckBox;

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

    // Loads SOURCE off the GUI thread; loaded() or loadFailed() follows.
    void openSource(const QString &source);
    void setStack(std::shared_ptr<const OverlayStack> stack, const QString &source);
    bool selectPath(const QString &path);
    QTreeView *treeView() const { return m_tree; }
    UnionTreeModel *unionModel() const { return m_model; }
    ChangeFilterProxy *filterProxy() const { return m_proxy; }
    DetailsPane *detailsPane() const { return m_details; }

Q_SIGNALS:
    void loaded();
    void loadFailed(const QString &message);

private:
    void showCurrent();
    void nextChange();
    void openDialog();
    QModelIndex sourceIndex(const QModelIndex &proxyIndex) const;

    std::shared_ptr<const OverlayStack> m_stack;
    UnionTreeModel *m_model;
    ChangeFilterProxy *m_proxy;
    LayerListModel *m_layerModel;
    QTreeView *m_tree;
    QTableView *m_layers;
    DetailsPane *m_details;
    FilePane *m_file;
    QLineEdit *m_search;
    QCheckBox *m_onlyChanges;
    QProgressBar *m_progress;
    QLabel *m_status;
};

} // namespace strata
