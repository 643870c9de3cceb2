// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;

namespace strata {

class ChangeFilterProxy;
struct OverlayStack;

// The minimum-size filter's input: "300" (bytes), "10k", "10M", "1.5 GiB", "2 MB" — units are
// binary (K = 1024), "i" and "B" optional, case and spaces free. 0 when empty; nullopt for anything
// else ("nginx.conf"), which the field shows as an error instead of ignoring.
std::optional<quint64> parseSize(const QString &text);

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
    // The layer whose changes are shown, -1 for any.
    int layerFilter() const;
    void focusSearch();
    // The minimum-size field holds something that is not a size (shown with a red frame).
    bool minimumSizeRejected() const { return m_minSizeRejected; }
    bool onlyChanges() const;
    void setOnlyChanges(bool on);
    // A tool button for `action` right after "Only changes" (the toolbar's "Next change").
    void addActionAfterOnlyChanges(QAction *action);

    QLineEdit *searchField() const { return m_search; }
    QLineEdit *minimumSizeField() const { return m_minSize; }
    QComboBox *layerChoice() const { return m_layerFilter; }
    QComboBox *typeChoice() const { return m_typeFilter; }
    // "3 matches", "Nothing matches"; empty while no filter is on.
    QString matchText() const;
    static constexpr int searchDelayMs = 250;

Q_SIGNALS:
    // A filter narrowed the tree: expanding shows where the matches are.
    void matchesShouldExpand();
    // The layer whose changes are shown (-1: any), however it was chosen.
    void layerFilterChanged(int layer);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateLayerChoices();
    void applyMinimumSize();
    void updateMatches();

    ChangeFilterProxy *m_proxy;
    const OverlayStack *m_stack = nullptr;
    QCheckBox *m_onlyChanges;
    QComboBox *m_layerFilter;
    QComboBox *m_typeFilter;
    QLineEdit *m_minSize;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QLabel *m_matches;
    bool m_minSizeRejected = false;
};

} // namespace strata
