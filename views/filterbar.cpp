// SPDX-License-Identifier: GPL-3.0-or-later
#include "filterbar.h"

#include "changefilterproxy.h"
#include "layerlistmodel.h"
#include "overlaystack.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLineEdit>
#include <QRegularExpression>
#include <QTimer>
#include <QToolButton>

#include <cmath>

namespace strata {

std::optional<quint64> parseSize(const QString &text)
{
    if (text.trimmed().isEmpty())
        return 0;
    static const QRegularExpression size(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:([kmgt])i?)?b?\\s*$"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = size.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QString unit = match.captured(2).toUpper();
    const double factor = unit.isEmpty() ? 1.0 : std::pow(1024.0, double(QStringLiteral("KMGT").indexOf(unit) + 1));
    const double bytes = match.captured(1).toDouble() * factor;
    if (bytes >= 1.8e19)
        return std::nullopt; // beyond 64 bits
    return quint64(bytes);
}

FilterBar::FilterBar(ChangeFilterProxy *proxy, QWidget *parent)
    : QWidget(parent)
    , m_proxy(proxy)
    , m_onlyChanges(new QCheckBox(this))
    , m_layerFilter(new QComboBox(this))
    , m_typeFilter(new QComboBox(this))
    , m_minSize(new QLineEdit(this))
    , m_search(new QLineEdit(this))
    , m_searchDelay(new QTimer(this))
    , m_matches(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_onlyChanges);
    layout->addWidget(m_layerFilter);
    layout->addWidget(m_typeFilter);
    m_minSize->setMaximumWidth(110);
    m_minSize->setClearButtonEnabled(true);
    layout->addWidget(m_minSize);
    layout->addSpacing(12);
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_search->setMaximumWidth(320);
    layout->addWidget(m_search);
    layout->addWidget(m_matches);
    layout->addStretch(1); // compact controls, as in a plain toolbar

    connect(m_onlyChanges, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setOnlyChanges(on);
        if (!on && m_layerFilter->currentIndex() > 0)
            m_layerFilter->setCurrentIndex(0); // one layer's changes are changes: both go together
        if (on)
            Q_EMIT matchesShouldExpand();
    });
    connect(m_layerFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int layer = m_layerFilter->currentData().isValid() ? m_layerFilter->currentData().toInt() : -1;
        m_proxy->setLayerFilter(layer);
        if (layer >= 0 && !m_onlyChanges->isChecked())
            m_onlyChanges->setChecked(true);
        if (m_layerFilter->currentIndex() > 0)
            Q_EMIT matchesShouldExpand();
        Q_EMIT layerFilterChanged(layer);
    });
    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, [this] { m_proxy->setTypeFilter(m_typeFilter->currentData().toInt()); });
    connect(m_minSize, &QLineEdit::editingFinished, this, &FilterBar::applyMinimumSize);
    connect(m_proxy, &ChangeFilterProxy::filterApplied, this, &FilterBar::updateMatches);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &FilterBar::updateMatches);
    connect(m_minSize, &QLineEdit::textChanged, this, [this] {
        // Say at once that the text is not a size; filter when editing ends.
        const bool rejected = !parseSize(m_minSize->text());
        if (rejected != m_minSizeRejected) {
            m_minSizeRejected = rejected;
            m_minSize->setStyleSheet(rejected ? QStringLiteral("QLineEdit { border: 2px solid #d62728; }") : QString());
            retranslateUi();
        }
    });
    // Filtering a big tree runs on every row: wait until typing pauses.
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(searchDelayMs);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, [this] {
        const QString text = m_search->text();
        const bool glob = text.contains(u'*') || text.contains(u'?');
        m_proxy->setNamePattern(text, glob ? ChangeFilterProxy::PatternSyntax::Wildcard : ChangeFilterProxy::PatternSyntax::Substring);
        if (!text.isEmpty())
            Q_EMIT matchesShouldExpand();
    });
    retranslateUi();
}

void FilterBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FilterBar::retranslateUi()
{
    m_onlyChanges->setText(tr("Only changes"));
    m_search->setPlaceholderText(tr("Search names (Ctrl+F)"));
    m_minSize->setPlaceholderText(tr("min size"));
    m_minSize->setToolTip(m_minSizeRejected ? tr("Not a size: write a number with an optional unit, e.g. 300, 100k, 10M, 1.5 GiB")
                                            : tr("Only files at least this large, e.g. 100k, 10M, 1.5 GiB"));
    const int type = m_typeFilter->currentIndex();
    const QSignalBlocker blocker(m_typeFilter);
    m_typeFilter->clear();
    m_typeFilter->addItem(tr("All types"), -1);
    m_typeFilter->addItem(tr("Files"), int(EntryType::File));
    m_typeFilter->addItem(tr("Directories"), int(EntryType::Dir));
    m_typeFilter->addItem(tr("Symlinks"), int(EntryType::Symlink));
    m_typeFilter->addItem(tr("Devices and whiteouts"), int(EntryType::Char));
    m_typeFilter->setCurrentIndex(std::max(type, 0));
    updateLayerChoices();
    updateMatches();
}

QString FilterBar::matchText() const
{
    return m_matches->text();
}

void FilterBar::updateMatches()
{
    // How many paths the filters let through — and plainly when none does, so an empty tree is
    // not mistaken for an empty stack.
    const int count = m_proxy->matchCount();
    if (count < 0)
        m_matches->clear();
    else if (count == 0)
        m_matches->setText(tr("Nothing matches the filters."));
    else
        m_matches->setText(count == 1 ? tr("1 match") : tr("%1 matches").arg(QLocale().toString(count)));
    m_matches->setVisible(count >= 0);
}

void FilterBar::applyMinimumSize()
{
    // Junk keeps the last valid filter; the red frame and the tooltip say why nothing changed.
    if (const auto bytes = parseSize(m_minSize->text()))
        m_proxy->setMinimumSize(*bytes);
}

void FilterBar::setStack(const OverlayStack *stack)
{
    m_stack = stack;
    updateLayerChoices();
}

void FilterBar::updateLayerChoices()
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

int FilterBar::layerFilter() const
{
    return m_layerFilter->currentData().isValid() ? m_layerFilter->currentData().toInt() : -1;
}

void FilterBar::selectLayer(int layer)
{
    const int index = layer < 0 ? 0 : m_layerFilter->findData(layer);
    if (index >= 0)
        m_layerFilter->setCurrentIndex(index);
}

void FilterBar::addActionAfterOnlyChanges(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    static_cast<QHBoxLayout *>(layout())->insertWidget(1, button);
}

void FilterBar::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

bool FilterBar::onlyChanges() const
{
    return m_onlyChanges->isChecked();
}

void FilterBar::setOnlyChanges(bool on)
{
    m_onlyChanges->setChecked(on);
}

} // namespace strata
