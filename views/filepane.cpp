// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepane.h"

#include "changestyle.h"
#include "layerlistmodel.h"
#include "contentreader.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QTextEdit>
#include <QCoreApplication>

namespace strata {

namespace {

bool looksBinary(const QByteArray &data)
{
    return data.left(8192).contains('\0');
}

QString hexDump(const QByteArray &data)
{
    QString out;
    const qsizetype limit = std::min<qsizetype>(data.size(), 64 * 1024);
    for (qsizetype off = 0; off < limit; off += 16) {
        out += QStringLiteral("%1  ").arg(off, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = off; i < off + 16; ++i) {
            if (i < limit) {
                const auto b = static_cast<unsigned char>(data[i]);
                out += QStringLiteral("%1 ").arg(b, 2, 16, QLatin1Char('0'));
                ascii += (b >= 0x20 && b < 0x7F) ? QChar(char16_t(b)) : QChar(u'.');
            } else {
                out += QStringLiteral("   ");
            }
        }
        out += QStringLiteral(" ") + ascii + QLatin1Char('\n');
    }
    return out;
}

// A line diff (LCS) rendered as HTML rows with the diff colour as background.
QString lineDiffHtml(const QStringList &a, const QStringList &b, const QPalette &palette)
{
    const qsizetype n = a.size(), m = b.size();
    if (n * m > 4'000'000)
        return QCoreApplication::translate("FilePane", "Too large to compare line by line.");
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[size_t(i)][size_t(j)] = a[i] == b[j] ? lcs[size_t(i + 1)][size_t(j + 1)] + 1 : std::max(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
    QColor removed = ChangeStyle::color(ChangeKind::Deleted, palette), added = ChangeStyle::color(ChangeKind::Added, palette);
    removed.setAlpha(60);
    added.setAlpha(60);
    auto rgba = [](const QColor &c) { return QStringLiteral("rgba(%1,%2,%3,%4)").arg(c.red()).arg(c.green()).arg(c.blue()).arg(c.alphaF()); };
    QString html = QStringLiteral("<pre style='margin:0'>");
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            html += QStringLiteral("  ") + a[i].toHtmlEscaped() + QLatin1Char('\n');
            ++i, ++j;
        } else if (j < m && (i == n || lcs[size_t(i)][size_t(j + 1)] >= lcs[size_t(i + 1)][size_t(j)])) {
            html += QStringLiteral("<span style='background:%1'>+ %2</span>\n").arg(rgba(added), b[j].toHtmlEscaped());
            ++j;
        } else {
            html += QStringLiteral("<span style='background:%1'>- %2</span>\n").arg(rgba(removed), a[i].toHtmlEscaped());
            ++i;
        }
    }
    return html + QStringLiteral("</pre>");
}

} // namespace

FilePane::FilePane(QWidget *parent)
    : QTabWidget(parent)
    , m_content(new QPlainTextEdit(this))
    , m_diff(new QTextEdit(this))
    , m_hex(new QPlainTextEdit(this))
    , m_repository(new KSyntaxHighlighting::Repository)
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_content->document()))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QWidget *w : {static_cast<QWidget *>(m_content), static_cast<QWidget *>(m_diff), static_cast<QWidget *>(m_hex)})
        w->setFont(fixed);
    m_content->setReadOnly(true);
    m_diff->setReadOnly(true);
    m_hex->setReadOnly(true);
    m_content->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    addTab(m_content, tr("Content"));
    addTab(m_diff, tr("Diff"));
    addTab(m_hex, tr("Hex"));
    applyTheme();
}

FilePane::~FilePane()
{
    delete m_highlighter;
    delete m_repository;
}

void FilePane::applyTheme()
{
    const bool dark = ChangeStyle::isDark(palette());
    m_highlighter->setTheme(m_repository->defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme : KSyntaxHighlighting::Repository::LightTheme));
    m_highlighter->rehighlight();
}

void FilePane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QTabWidget::changeEvent(event);
}

void FilePane::showPath(const OverlayStack *stack, UnionId node)
{
    m_content->clear();
    m_diff->clear();
    m_hex->clear();
    if (!stack)
        return;
    const UnionNode &n = stack->unionTree.nodes[node];
    // Show what a read of the merged path returns; for hidden paths, the topmost layer's version.
    LayerRef shown;
    if (n.merged != noMerged && stack->merged.nodes[n.merged].lookupErrno == 0)
        shown = stack->merged.nodes[n.merged].data;
    else {
        for (size_t l = stack->layers.size(); l-- > 0 && !shown.valid();) {
            if (stack->unionTree.cell(node, l) != noEntry)
                shown = {uint16_t(l), stack->unionTree.cell(node, l)};
        }
    }
    if (!shown.valid() || stack->entry(shown).type != EntryType::File) {
        m_content->setPlainText(tr("(not a regular file)"));
        return;
    }
    ContentReader reader;
    auto data = reader.head(stack->layers[shown.layer], shown.entry, sizeCap);
    if (!data) {
        m_content->setPlainText(data.error().message);
        return;
    }
    const bool truncated = stack->entry(shown).size > uint64_t(sizeCap);
    const QString name = QFile::decodeName(QByteArray::fromStdString(std::string(stack->name(n.name))));
    if (looksBinary(*data)) {
        m_content->setPlainText(tr("(binary data: see the Hex tab)"));
        m_highlighter->setDefinition({});
    } else {
        m_highlighter->setDefinition(m_repository->definitionForFileName(name));
        m_content->setPlainText(QString::fromUtf8(*data) + (truncated ? tr("\n… cut at %1 MiB").arg(sizeCap / (1024 * 1024)) : QString()));
    }
    m_hex->setPlainText(hexDump(*data));
    // Diff against the nearest lower version that this one hides.
    for (size_t l = shown.layer; l-- > 0;) {
        const EntryId e = stack->unionTree.cell(node, l);
        if (e == noEntry)
            continue;
        if (stack->layers[l].entries[e].type != EntryType::File)
            break;
        auto below = reader.head(stack->layers[l], e, sizeCap);
        if (below)
            m_diff->setHtml(tr("<p>%1 ↔ %2</p>").arg(LayerListModel::label(*stack, l), LayerListModel::label(*stack, shown.layer))
                            + lineDiffHtml(QString::fromUtf8(*below).split(u'\n'), QString::fromUtf8(*data).split(u'\n'), palette()));
        return;
    }
    m_diff->setPlainText(tr("No lower version to compare with."));
}

} // namespace strata
