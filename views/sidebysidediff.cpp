// SPDX-License-Identifier: GPL-3.0-or-later
#include "sidebysidediff.h"

#include "changestyle.h"
#include "linediff.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>

namespace strata {

SideBySideDiff::SideBySideDiff(KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_left(new QPlainTextEdit(this))
    , m_right(new QPlainTextEdit(this))
    , m_leftHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_left->document()))
    , m_rightHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_right->document()))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QPlainTextEdit *view : {m_left, m_right}) {
        view->setReadOnly(true);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        layout->addWidget(view);
    }
    // One scroll position for both sides, with a guard against the echo.
    auto sync = [this](QScrollBar *from, QScrollBar *to) {
        connect(from, &QScrollBar::valueChanged, this, [this, to](int value) {
            if (m_syncing)
                return;
            m_syncing = true;
            to->setValue(value);
            m_syncing = false;
        });
    };
    sync(m_left->verticalScrollBar(), m_right->verticalScrollBar());
    sync(m_right->verticalScrollBar(), m_left->verticalScrollBar());
    sync(m_left->horizontalScrollBar(), m_right->horizontalScrollBar());
    sync(m_right->horizontalScrollBar(), m_left->horizontalScrollBar());
    applyTheme();
}

void SideBySideDiff::clear()
{
    m_leftText.clear();
    m_rightText.clear();
    m_left->clear();
    m_right->clear();
    m_changedRows = 0;
}

void SideBySideDiff::setTexts(const QString &left, const QString &right, const QString &fileName)
{
    m_leftText = left;
    m_rightText = right;
    m_fileName = fileName;
    // Syntax colour on the GUI thread only for texts small enough to stay responsive.
    const bool small = left.size() + right.size() <= 512 * 1024;
    const auto definition = small ? m_repository->definitionForFileName(fileName) : KSyntaxHighlighting::Definition();
    m_leftHighlighter->setDefinition(definition);
    m_rightHighlighter->setDefinition(definition);
    render();
}

void SideBySideDiff::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        render();
    }
    QWidget::changeEvent(event);
}

void SideBySideDiff::applyTheme()
{
    const auto theme = m_repository->defaultTheme(ChangeStyle::isDark(palette()) ? KSyntaxHighlighting::Repository::DarkTheme
                                                                                : KSyntaxHighlighting::Repository::LightTheme);
    m_leftHighlighter->setTheme(theme);
    m_rightHighlighter->setTheme(theme);
}

void SideBySideDiff::render()
{
    const QStringList a = m_leftText.split(u'\n');
    const QStringList b = m_rightText.split(u'\n');
    const std::vector<DiffRow> rows = diffLines(a, b);
    QStringList leftLines, rightLines;
    for (const DiffRow &r : rows) {
        leftLines << (r.left >= 0 ? a[r.left] : QString());
        rightLines << (r.right >= 0 ? b[r.right] : QString());
    }
    m_left->setPlainText(leftLines.join(u'\n'));
    m_right->setPlainText(rightLines.join(u'\n'));

    QColor removed = ChangeStyle::color(ChangeKind::Deleted, palette());
    QColor added = ChangeStyle::color(ChangeKind::Added, palette());
    QColor filler = palette().color(QPalette::Window);
    auto withAlpha = [](QColor c, int alpha) {
        c.setAlpha(alpha);
        return c;
    };
    QList<QTextEdit::ExtraSelection> leftWords, rightWords;
    m_changedRows = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        const DiffRow &r = rows[i];
        if (r.kind == DiffRow::Equal)
            continue;
        ++m_changedRows;
        const QTextBlock lb = m_left->document()->findBlockByNumber(int(i));
        const QTextBlock rb = m_right->document()->findBlockByNumber(int(i));
        auto paint = [](const QTextBlock &block, const QColor &color) {
            QTextCursor cursor(block);
            QTextBlockFormat format = block.blockFormat();
            format.setBackground(color);
            cursor.setBlockFormat(format);
        };
        paint(lb, r.left >= 0 ? withAlpha(removed, 45) : filler);
        paint(rb, r.right >= 0 ? withAlpha(added, 45) : filler);
        if (r.kind == DiffRow::Changed) {
            const WordSpan span = changedWords(a[r.left], b[r.right]);
            auto word = [](const QTextBlock &block, qsizetype start, qsizetype end, const QColor &color) {
                QTextEdit::ExtraSelection selection;
                selection.cursor = QTextCursor(block);
                selection.cursor.setPosition(block.position() + int(start));
                selection.cursor.setPosition(block.position() + int(end), QTextCursor::KeepAnchor);
                selection.format.setBackground(color);
                return selection;
            };
            if (span.leftEnd > span.leftStart)
                leftWords << word(lb, span.leftStart, span.leftEnd, withAlpha(removed, 110));
            if (span.rightEnd > span.rightStart)
                rightWords << word(rb, span.rightStart, span.rightEnd, withAlpha(added, 110));
        }
    }
    m_left->setExtraSelections(leftWords);
    m_right->setExtraSelections(rightWords);
}

} // namespace strata
