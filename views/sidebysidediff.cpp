// SPDX-License-Identifier: GPL-3.0-or-later
#include "sidebysidediff.h"

#include "changestyle.h"
#include "linediff.h"
#include "textfeeder.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QElapsedTimer>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

// What the background job hands to the GUI thread: both sides' text with filler lines, and the rows
// to colour.
struct DiffLayout {
    struct Row {
        int row;
        bool left, right; // that side has a line (else: a filler)
        WordSpan words; // Changed rows: the changed span, empty otherwise
    };
    QString left, right;
    std::vector<Row> changed;
};

namespace {
std::shared_ptr<const DiffLayout> layoutDiff(const QString &leftText, const QString &rightText, const std::atomic<bool> &cancel)
{
    const QStringList a = leftText.split(u'\n');
    const QStringList b = rightText.split(u'\n');
    const std::vector<DiffRow> rows = diffLines(a, b);
    auto layout = std::make_shared<DiffLayout>();
    QStringList leftLines, rightLines;
    leftLines.reserve(qsizetype(rows.size()));
    rightLines.reserve(qsizetype(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
        if ((i & 4095) == 0 && cancel.load(std::memory_order_relaxed))
            return nullptr;
        const DiffRow &r = rows[i];
        leftLines << (r.left >= 0 ? a[r.left] : QString());
        rightLines << (r.right >= 0 ? b[r.right] : QString());
        if (r.kind == DiffRow::Equal)
            continue;
        DiffLayout::Row row{int(i), r.left >= 0, r.right >= 0, {}};
        if (r.kind == DiffRow::Changed)
            row.words = changedWords(a[r.left], b[r.right]);
        layout->changed.push_back(row);
    }
    layout->left = leftLines.join(u'\n');
    layout->right = rightLines.join(u'\n');
    return layout;
}
}

SideBySideDiff::SideBySideDiff(KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_left(new QPlainTextEdit(this))
    , m_right(new QPlainTextEdit(this))
    , m_leftFeeder(new TextFeeder(m_left))
    , m_rightFeeder(new TextFeeder(m_right))
    , m_leftHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_left->document()))
    , m_rightHighlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_right->document()))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QPlainTextEdit *view : {m_left, m_right}) {
        view->setReadOnly(true);
        view->setUndoRedoEnabled(false);
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

SideBySideDiff::~SideBySideDiff()
{
    if (m_cancel)
        m_cancel->store(true);
}

void SideBySideDiff::clear()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    m_leftFeeder->stop();
    m_rightFeeder->stop();
    m_leftText.clear();
    m_rightText.clear();
    m_layout.reset();
    m_left->clear();
    m_right->clear();
    m_changedRows = 0;
    m_busy = false;
}

void SideBySideDiff::setTexts(const QString &left, const QString &right, const QString &fileName)
{
    clear();
    m_leftText = left;
    m_rightText = right;
    m_fileName = fileName;
    // Syntax colour runs on the GUI thread: only for texts small enough to stay responsive.
    const bool small = left.size() + right.size() <= 512 * 1024;
    const auto definition = small ? m_repository->definitionForFileName(fileName) : KSyntaxHighlighting::Definition();
    m_leftHighlighter->setDefinition(definition);
    m_rightHighlighter->setDefinition(definition);
    startDiff();
}

void SideBySideDiff::startDiff()
{
    const quint64 generation = ++m_generation;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    m_busy = true;
    m_left->setPlainText(tr("Loading…"));
    m_right->clear();
    QtConcurrent::run([left = m_leftText, right = m_rightText, cancel] { return layoutDiff(left, right, *cancel); })
        .then(this, [this, generation](std::shared_ptr<const DiffLayout> layout) {
            if (generation != m_generation || !layout)
                return; // a newer text superseded this one
            showLayout(std::move(layout));
        });
}

void SideBySideDiff::showLayout(std::shared_ptr<const DiffLayout> layout)
{
    m_layout = std::move(layout);
    m_changedRows = int(m_layout->changed.size());
    const quint64 generation = m_generation;
    auto painted = std::make_shared<int>(0);
    auto sideDone = [this, generation, painted] {
        if (++*painted == 2 && generation == m_generation)
            paintRows(generation, 0);
    };
    m_leftFeeder->feed(m_layout->left, sideDone);
    m_rightFeeder->feed(m_layout->right, sideDone);
}

void SideBySideDiff::paintRows(quint64 generation, size_t from)
{
    if (generation != m_generation || !m_layout)
        return;
    const QColor removed = ChangeStyle::color(ChangeKind::Deleted, palette());
    const QColor added = ChangeStyle::color(ChangeKind::Added, palette());
    const QColor filler = palette().color(QPalette::Window);
    auto withAlpha = [](QColor c, int alpha) {
        c.setAlpha(alpha);
        return c;
    };
    auto paint = [](const QTextBlock &block, const QColor &color) {
        QTextCursor cursor(block);
        QTextBlockFormat format = block.blockFormat();
        format.setBackground(color);
        cursor.setBlockFormat(format);
    };
    auto word = [](const QTextBlock &block, qsizetype start, qsizetype end, const QColor &color) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.cursor.setPosition(block.position() + int(start));
        selection.cursor.setPosition(block.position() + int(end), QTextCursor::KeepAnchor);
        selection.format.setBackground(color);
        return selection;
    };
    // Block formats in time slices too: a big diff has thousands of changed rows.
    QElapsedTimer clock;
    clock.start();
    QList<QTextEdit::ExtraSelection> leftWords = from == 0 ? QList<QTextEdit::ExtraSelection>() : m_left->extraSelections();
    QList<QTextEdit::ExtraSelection> rightWords = from == 0 ? QList<QTextEdit::ExtraSelection>() : m_right->extraSelections();
    size_t i = from;
    for (; i < m_layout->changed.size() && clock.elapsed() < TextFeeder::sliceMilliseconds; ++i) {
        const DiffLayout::Row &r = m_layout->changed[i];
        const QTextBlock lb = m_left->document()->findBlockByNumber(r.row);
        const QTextBlock rb = m_right->document()->findBlockByNumber(r.row);
        paint(lb, r.left ? withAlpha(removed, 45) : filler);
        paint(rb, r.right ? withAlpha(added, 45) : filler);
        if (r.words.leftEnd > r.words.leftStart)
            leftWords << word(lb, r.words.leftStart, r.words.leftEnd, withAlpha(removed, 110));
        if (r.words.rightEnd > r.words.rightStart)
            rightWords << word(rb, r.words.rightStart, r.words.rightEnd, withAlpha(added, 110));
    }
    m_left->setExtraSelections(leftWords);
    m_right->setExtraSelections(rightWords);
    if (i < m_layout->changed.size()) {
        QTimer::singleShot(0, this, [this, generation, i] { paintRows(generation, i); });
        return;
    }
    m_busy = false;
    Q_EMIT rendered();
}

void SideBySideDiff::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        if (m_layout && !m_busy) {
            m_busy = true;
            paintRows(m_generation, 0);
        }
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

} // namespace strata
