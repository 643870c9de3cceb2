// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepane.h"

#include "provenance.h"

#include "changestyle.h"
#include "contentreader.h"
#include "layerlistmodel.h"
#include "sidebysidediff.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

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

} // namespace

FilePane::FilePane(QWidget *parent)
    : QTabWidget(parent)
    , m_repository(new KSyntaxHighlighting::Repository)
    , m_content(new QPlainTextEdit(this))
    , m_diffTab(new QWidget(this))
    , m_diff(new SideBySideDiff(m_repository, m_diffTab))
    , m_leftVersion(new QComboBox(m_diffTab))
    , m_rightVersion(new QComboBox(m_diffTab))
    , m_diffNote(new QLabel(m_diffTab))
    , m_hex(new QPlainTextEdit(this))
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_content->document()))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *w : {m_content, m_hex}) {
        w->setFont(fixed);
        w->setReadOnly(true);
        w->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    auto *diffLayout = new QVBoxLayout(m_diffTab);
    diffLayout->setContentsMargins(2, 2, 2, 2);
    auto *pickers = new QHBoxLayout;
    pickers->addWidget(m_leftVersion, 1);
    pickers->addWidget(new QLabel(QStringLiteral("↔"), m_diffTab));
    pickers->addWidget(m_rightVersion, 1);
    diffLayout->addLayout(pickers);
    diffLayout->addWidget(m_diffNote);
    diffLayout->addWidget(m_diff, 1);
    m_diffNote->hide();
    connect(m_leftVersion, &QComboBox::currentIndexChanged, this, &FilePane::updateDiff);
    connect(m_rightVersion, &QComboBox::currentIndexChanged, this, &FilePane::updateDiff);
    addTab(m_content, QString());
    addTab(m_diffTab, QString());
    addTab(m_hex, QString());
    retranslateUi();
    applyTheme();
}

FilePane::~FilePane()
{
    delete m_highlighter;
    delete m_diff; // uses the repository
    delete m_repository;
}

void FilePane::retranslateUi()
{
    setTabText(0, tr("Content"));
    setTabText(1, tr("Diff"));
    setTabText(2, tr("Hex"));
    m_leftVersion->setToolTip(tr("The older version"));
    m_rightVersion->setToolTip(tr("The newer version"));
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
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        showPath(m_stack, m_node);
    }
    QTabWidget::changeEvent(event);
}

QString FilePane::versionText(int layer) const
{
    LayerRef ref;
    const UnionNode &n = m_stack->unionTree.nodes[m_node];
    if (layer == int(m_stack->layers.size())) {
        if (n.merged != noMerged)
            ref = m_stack->merged.nodes[n.merged].data;
    } else {
        ref = {uint16_t(layer), m_stack->unionTree.cell(m_node, size_t(layer))};
    }
    if (!ref.valid() || m_stack->entry(ref).type != EntryType::File)
        return {};
    ContentReader reader;
    auto data = reader.head(m_stack->layers[ref.layer], ref.entry, sizeCap);
    return data ? QString::fromUtf8(*data) : data.error().message();
}

void FilePane::showPath(const OverlayStack *stack, UnionId node)
{
    m_stack = stack;
    m_node = node;
    m_content->clear();
    m_hex->clear();
    m_diff->clear();
    {
        const QSignalBlocker l(m_leftVersion), r(m_rightVersion);
        m_leftVersion->clear();
        m_rightVersion->clear();
    }
    if (!stack)
        return;
    // What a read of the merged path returns; for a hidden path, the topmost version with data.
    const Provenance provenance = provenanceOf(*stack, node);
    const LayerRef shown = provenance.readable();
    if (!shown.valid() || stack->entry(shown).type != EntryType::File) {
        m_content->setPlainText(tr("(not a regular file)"));
        m_highlighter->setDefinition({});
        return;
    }
    ContentReader reader;
    auto data = reader.head(stack->layers[shown.layer], shown.entry, sizeCap);
    if (!data) {
        m_content->setPlainText(data.error().message());
        return;
    }
    const bool truncated = stack->entry(shown).size > uint64_t(sizeCap);
    const QString name = QFile::decodeName(QByteArray::fromStdString(std::string(stack->name(stack->unionTree.nodes[node].name))));
    if (looksBinary(*data)) {
        m_content->setPlainText(tr("(binary data: see the Hex tab)"));
        m_highlighter->setDefinition({});
    } else {
        // Highlighting runs on the GUI thread: past a few hundred KiB it would freeze the window.
        m_highlighter->setDefinition(data->size() <= highlightCap ? m_repository->definitionForFileName(name) : KSyntaxHighlighting::Definition());
        m_content->setPlainText(QString::fromUtf8(*data) + (truncated ? tr("\n… cut at %1 MiB").arg(sizeCap / (1024 * 1024)) : QString()));
    }
    m_hex->setPlainText(hexDump(*data));

    // Versions to compare: every layer holding a regular file here, and the merged result.
    const QSignalBlocker l(m_leftVersion), r(m_rightVersion);
    for (size_t layer = 0; layer < stack->layers.size(); ++layer) {
        const EntryId e = stack->unionTree.cell(node, layer);
        if (e != noEntry && stack->layers[layer].entries[e].type == EntryType::File) {
            m_leftVersion->addItem(LayerListModel::label(*stack, layer), int(layer));
            m_rightVersion->addItem(LayerListModel::label(*stack, layer), int(layer));
        }
    }
    if (provenance.inMergedView() && provenance.lookupErrno == 0) {
        m_leftVersion->addItem(tr("merged"), int(stack->layers.size()));
        m_rightVersion->addItem(tr("merged"), int(stack->layers.size()));
    }
    // Default: the version the provider hides ↔ what the merged view shows. With "merged" last, the
    // item before it is the provider itself, so the hidden version sits one further up.
    const int count = m_rightVersion->count();
    const bool hasMerged = count > 0 && m_rightVersion->itemData(count - 1).toInt() == int(stack->layers.size());
    m_rightVersion->setCurrentIndex(count - 1);
    m_leftVersion->setCurrentIndex(std::max(0, hasMerged && count >= 3 ? count - 3 : count - 2));
    updateDiff();
}

void FilePane::updateDiff()
{
    if (!m_stack || m_leftVersion->count() == 0) {
        m_diff->clear();
        m_diffNote->setText(tr("No versions of a regular file to compare."));
        m_diffNote->show();
        return;
    }
    if (m_leftVersion->count() < 2 || (m_leftVersion->count() == 2 && m_rightVersion->itemData(1).toInt() == int(m_stack->layers.size()))) {
        m_diffNote->setText(tr("Only one version: nothing to compare with."));
        m_diffNote->show();
    } else {
        m_diffNote->hide();
    }
    const QString name = QFile::decodeName(QByteArray::fromStdString(std::string(m_stack->name(m_stack->unionTree.nodes[m_node].name))));
    m_diff->setTexts(versionText(m_leftVersion->currentData().toInt()), versionText(m_rightVersion->currentData().toInt()), name);
}

} // namespace strata
