// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QTimer;

namespace strata {

class ChangeFilterProxy;
struct OverlayStack;

// "10k", "2M", "1.5G", "300" (bytes; a trailing B is allowed): the minimum-size filter's input.
// 0 when empty, unreadable or not positive.
quint64 parseSize(const QString &text);

// The filter controls over a ChangeFilterProxy: only changes, changes of one layer, entry type,
// minimum size, and the name search (debounced: filtering a big tree runs over every row).
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(ChangeFilterProxy *proxy, QWidget *parent = nullptr);

    // Fills the layer choices from the stack (nullptr: none), keeping the chosen layer if it exists.
    void setStack(const OverlayStack *stack);
    // Shows the changes of `layer` (-1: of any layer), as picking a layer in the layer table does.
    void selectLayer(int layer);
    void focusSearch();
    bool onlyChanges() const;
    void setOnlyChanges(bool on);
    // A tool button for `action` right after "Only changes" (the toolbar's "Next change").
    void addActionAfterOnlyChanges(QAction *action);

    QLineEdit *searchField() const { return m_search; }
    QLineEdit *minimumSizeField() const { return m_minSize; }
    QComboBox *layerChoice() const { return m_layerFilter; }
    QComboBox *typeChoice() const { return m_typeFilter; }
    static constexpr int searchDelayMs = 250;

Q_SIGNALS:
    // A filter narrowed the tree: expanding shows where the matches are.
    void matchesShouldExpand();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateLayerChoices();

    ChangeFilterProxy *m_proxy;
    const OverlayStack *m_stack = nullptr;
    QCheckBox *m_onlyChanges;
    QComboBox *m_layerFilter;
    QComboBox *m_typeFilter;
    QLineEdit *m_minSize;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
};

} // namespace strata
