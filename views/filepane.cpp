// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepane.h"

#include "provenance.h"

#include "changestyle.h"
#include "contentreader.h"
#include "errortext.h"
#include "layerlistmodel.h"
#include "sidebysidediff.h"
#include "textfeeder.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace strata {

// One version's bytes as read off the GUI thread, already decoded for the views.
struct FileContent {
    bool regular = false; // false: not a regular file, nothing was read
    std::optional<Error> error;
    bool binary = false;
    bool truncated = false;
    qsizetype bytes = 0;
    QString text; // decoded (empty for binary data)
    QString hex;
};

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

// Reads up to FilePane::sizeCap of `ref`; runs on a worker thread, stops early when cancelled.
FileContent readContent(const OverlayStack &stack, LayerRef ref, bool withHex, const std::atomic<bool> &cancel)
{
    FileContent content;
    if (!ref.valid() || stack.entry(ref).type != EntryType::File)
        return content;
    content.regular = true;
    QByteArray data;
    ContentReader reader;
    auto r = reader.read(stack.layers[ref.layer], ref.entry, [&](const char *bytes, size_t size) {
        if (cancel.load(std::memory_order_relaxed))
            return false;
        data.append(bytes, qsizetype(std::min<qint64>(FilePane::sizeCap - data.size(), qint64(size))));
        return data.size() < FilePane::sizeCap;
    });
    if (cancel.load())
        r = cancelledError();
    if (!r) {
        content.error = r.error();
        return content;
    }
    content.bytes = data.size();
    content.truncated = stack.entry(ref).size > uint64_t(FilePane::sizeCap);
    content.binary = looksBinary(data);
    if (!content.binary)
        content.text = QString::fromUtf8(data);
    if (withHex)
        content.hex = hexDump(data);
    return content;
}

QString nameOf(const OverlayStack &stack, UnionId node)
{
    return QFile::decodeName(QByteArray::fromStdString(std::string(stack.name(stack.unionTree.nodes[node].name))));
}

// What a version's text is in the diff: its decoded bytes, or why there are none.
QString diffText(const FileContent &content)
{
    if (content.error)
        return errorText(*content.error);
    return content.text;
}

} // namespace

FilePane::FilePane(QWidget *parent)
    : QTabWidget(parent)
    , m_repository(new KSyntaxHighlighting::Repository)
    , m_content(new QPlainTextEdit(this))
    , m_diffTab(new QWidget(this))
    , m_contentTab(new QWidget(this))
    , m_contentNote(new QLabel(m_contentTab))
    , m_diff(new SideBySideDiff(m_repository, m_diffTab))
    , m_leftVersion(new QComboBox(m_diffTab))
    , m_rightVersion(new QComboBox(m_diffTab))
    , m_diffNote(new QLabel(m_diffTab))
    , m_hex(new QPlainTextEdit(this))
    , m_contentFeeder(new TextFeeder(m_content))
    , m_hexFeeder(new TextFeeder(m_hex))
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(m_content->document()))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *w : {m_content, m_hex}) {
        w->setFont(fixed);
        w->setReadOnly(true);
        w->setUndoRedoEnabled(false);
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
    auto *contentLayout = new QVBoxLayout(m_contentTab);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    m_contentNote->setWordWrap(true);
    m_contentNote->setContentsMargins(4, 2, 4, 2);
    m_contentNote->hide();
    contentLayout->addWidget(m_contentNote);
    contentLayout->addWidget(m_content, 1);
    addTab(m_contentTab, QString());
    addTab(m_diffTab, QString());
    addTab(m_hex, QString());
    retranslateUi();
    applyTheme();
}

FilePane::~FilePane()
{
    cancelJobs();
    delete m_highlighter;
    delete m_diff; // uses the repository
    delete m_repository;
}

bool FilePane::isLoading() const
{
    return m_contentLoading || m_diffLoading || m_diff->isBusy() || m_contentFeeder->isBusy() || m_hexFeeder->isBusy();
}

void FilePane::cancelJobs()
{
    for (auto *cancel : {&m_contentCancel, &m_diffCancel}) {
        if (*cancel)
            (*cancel)->store(true);
        cancel->reset();
    }
    ++m_contentGeneration;
    ++m_diffGeneration;
    m_contentLoading = m_diffLoading = false;
}

void FilePane::retranslateUi()
{
    setTabText(0, tr("Content"));
    setTabText(1, tr("Diff"));
    setTabText(2, tr("Hex"));
    m_leftVersion->setToolTip(tr("The older version"));
    m_rightVersion->setToolTip(tr("The newer version"));
    updateContentNote();
}

void FilePane::updateContentNote()
{
    m_contentNote->setVisible(m_stack && m_hiddenVersionLayer >= 0);
    if (m_stack && m_hiddenVersionLayer >= 0)
        m_contentNote->setText(tr("Not in the merged view: this is the version in %1, which the merged view hides.")
                                   .arg(LayerListModel::label(*m_stack, size_t(m_hiddenVersionLayer))));
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

void FilePane::showPath(std::shared_ptr<const OverlayStack> stack, UnionId node)
{
    cancelJobs();
    m_stack = std::move(stack);
    m_node = node;
    m_hiddenVersionLayer = -1;
    updateContentNote();
    m_contentFeeder->stop();
    m_hexFeeder->stop();
    m_content->clear();
    m_hex->clear();
    m_diff->clear();
    {
        const QSignalBlocker l(m_leftVersion), r(m_rightVersion);
        m_leftVersion->clear();
        m_rightVersion->clear();
    }
    if (!m_stack)
        return;
    const OverlayStack &s = *m_stack;
    // What a read of the merged path returns; for a hidden path, the topmost version with data.
    const Provenance provenance = provenanceOf(s, node);
    const LayerRef shown = provenance.readable();
    // A deleted (or unreachable) path still shows its topmost hidden version: say so.
    const bool readsMerged = provenance.inMergedView() && provenance.lookupErrno == 0;
    m_hiddenVersionLayer = shown.valid() && !readsMerged ? int(shown.layer) : -1;
    updateContentNote();
    if (!shown.valid() || s.entry(shown).type != EntryType::File) {
        m_highlighter->setDefinition({});
        m_content->setPlainText(tr("(not a regular file)"));
        Q_EMIT contentShown();
    } else {
        m_highlighter->setDefinition({});
        m_content->setPlainText(tr("Loading…"));
        m_contentLoading = true;
        const quint64 generation = m_contentGeneration;
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        m_contentCancel = cancel;
        QtConcurrent::run([stack = m_stack, shown, cancel] { return readContent(*stack, shown, true, *cancel); })
            .then(this, [this, generation](const FileContent &content) {
                if (generation != m_contentGeneration)
                    return; // a newer selection superseded this read
                m_contentLoading = false;
                showContent(content);
            });
    }

    // Versions to compare: every layer holding a regular file here (bottom first), and the merged result.
    const QSignalBlocker l(m_leftVersion), r(m_rightVersion);
    for (auto v = provenance.versions.rbegin(); v != provenance.versions.rend(); ++v) {
        if (s.entry(v->ref).type != EntryType::File)
            continue;
        m_leftVersion->addItem(LayerListModel::label(s, v->ref.layer), int(v->ref.layer));
        m_rightVersion->addItem(LayerListModel::label(s, v->ref.layer), int(v->ref.layer));
    }
    if (provenance.inMergedView() && provenance.lookupErrno == 0 && provenance.data.valid() && s.entry(provenance.data).type == EntryType::File) {
        m_leftVersion->addItem(tr("merged"), int(s.layers.size()));
        m_rightVersion->addItem(tr("merged"), int(s.layers.size()));
    }
    // Default: the version the provider hides ↔ what the merged view shows. With "merged" last, the
    // item before it is the provider itself, so the hidden version sits one further up.
    const int count = m_rightVersion->count();
    const bool hasMerged = count > 0 && m_rightVersion->itemData(count - 1).toInt() == int(s.layers.size());
    m_rightVersion->setCurrentIndex(count - 1);
    m_leftVersion->setCurrentIndex(std::max(0, hasMerged && count >= 3 ? count - 3 : count - 2));
    updateDiff();
}

void FilePane::showContent(const FileContent &content)
{
    if (content.error) {
        if (content.error->is(ErrorCode::Cancelled))
            return;
        m_content->setPlainText(errorText(*content.error));
        Q_EMIT contentShown();
        return;
    }
    // contentShown() once both views hold their text (the feeders may take a few turns).
    auto remaining = std::make_shared<int>(content.binary ? 1 : 2);
    auto done = [this, generation = m_contentGeneration, remaining] {
        if (--*remaining == 0 && generation == m_contentGeneration)
            Q_EMIT contentShown();
    };
    if (content.binary) {
        m_highlighter->setDefinition({});
        m_content->setPlainText(tr("(binary data: see the Hex tab)"));
    } else {
        // Highlighting runs on the GUI thread: past a few hundred KiB it would freeze the window.
        m_highlighter->setDefinition(content.bytes <= highlightCap ? m_repository->definitionForFileName(nameOf(*m_stack, m_node))
                                                                   : KSyntaxHighlighting::Definition());
        m_contentFeeder->feed(content.text + (content.truncated ? tr("\n… cut at %1 MiB").arg(sizeCap / (1024 * 1024)) : QString()), done);
    }
    m_hexFeeder->feed(content.hex, done);
}

QString FilePane::identicalContentsNote(const std::vector<MetadataDifference> &differences)
{
    QStringList parts{tr("Contents identical")};
    const MetadataDifference *uid = nullptr, *gid = nullptr;
    for (const MetadataDifference &d : differences) {
        if (d.field == MetadataField::Uid)
            uid = &d;
        else if (d.field == MetadataField::Gid)
            gid = &d;
    }
    const auto time = [](int64_t ns) {
        return QDateTime::fromMSecsSinceEpoch(ns / 1000000).toString(Qt::ISODate);
    };
    for (const MetadataDifference &d : differences) {
        switch (d.field) {
        case MetadataField::Mode:
            parts << tr("mode %1 → %2").arg(d.from, 4, 8, QLatin1Char('0')).arg(d.to, 4, 8, QLatin1Char('0'));
            break;
        case MetadataField::Uid:
        case MetadataField::Gid:
            if (&d == (uid ? uid : gid)) { // owner as uid:gid once; "·" where that half is the same
                const auto half = [](const MetadataDifference *x, bool from) {
                    return x ? QString::number(from ? x->from : x->to) : QStringLiteral("·");
                };
                parts << tr("owner %1 → %2").arg(half(uid, true) + QLatin1Char(':') + half(gid, true), half(uid, false) + QLatin1Char(':') + half(gid, false));
            }
            break;
        case MetadataField::Size:
            parts << tr("size %1 → %2 bytes").arg(d.from).arg(d.to);
            break;
        case MetadataField::Mtime:
            parts << tr("modified %1 → %2").arg(time(d.from), time(d.to));
            break;
        case MetadataField::SymlinkTarget:
            parts << tr("target %1 → %2").arg(QString::fromStdString(d.fromText), QString::fromStdString(d.toText));
            break;
        }
    }
    if (parts.size() == 1)
        parts << tr("no metadata differs");
    return parts.join(QStringLiteral("; "));
}

void FilePane::updateDiff()
{
    const quint64 generation = ++m_diffGeneration;
    if (m_diffCancel)
        m_diffCancel->store(true);
    m_diffCancel.reset();
    m_diffLoading = false;
    if (!m_stack || m_leftVersion->count() == 0) {
        m_diff->clear();
        m_diffNote->setText(tr("No versions of a regular file to compare."));
        m_diffNote->show();
        return;
    }
    const int mergedLayer = int(m_stack->layers.size());
    if (m_leftVersion->count() < 2 || (m_leftVersion->count() == 2 && m_rightVersion->itemData(1).toInt() == mergedLayer)) {
        m_diffNote->setText(tr("Only one version: nothing to compare with."));
        m_diffNote->show();
    } else {
        m_diffNote->hide();
    }
    // The merged entry reads from where its data is (metacopy: a layer below the metadata).
    const Provenance provenance = provenanceOf(*m_stack, m_node);
    auto refOf = [&](int layer) -> LayerRef {
        if (layer == mergedLayer)
            return provenance.data;
        const Version *v = provenance.version(uint16_t(layer));
        return v ? v->ref : LayerRef{};
    };
    const LayerRef left = refOf(m_leftVersion->currentData().toInt());
    const LayerRef right = refOf(m_rightVersion->currentData().toInt());
    // Metadata is the version's own (the merged one: what the merged view shows), data may be below.
    auto metaOf = [&](int layer) -> LayerRef {
        return layer == mergedLayer ? provenance.meta : refOf(layer);
    };
    const LayerRef leftMeta = metaOf(m_leftVersion->currentData().toInt());
    const LayerRef rightMeta = metaOf(m_rightVersion->currentData().toInt());
    std::vector<MetadataDifference> metadata;
    if (leftMeta.valid() && rightMeta.valid())
        metadata = metadataDifferences(m_stack->layers[leftMeta.layer], leftMeta.entry, m_stack->layers[rightMeta.layer], rightMeta.entry);
    const bool distinct = left != right || leftMeta != rightMeta;
    m_diff->clear();
    m_diffLoading = true;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_diffCancel = cancel;
    QtConcurrent::run([stack = m_stack, left, right, cancel] {
        return std::make_pair(diffText(readContent(*stack, left, false, *cancel)), diffText(readContent(*stack, right, false, *cancel)));
    }).then(this, [this, generation, name = nameOf(*m_stack, m_node), metadata, distinct](const std::pair<QString, QString> &texts) {
        if (generation != m_diffGeneration)
            return; // superseded by another selection or another pair of versions
        m_diffLoading = false;
        // Two equal texts side by side say nothing: name what differs instead (a copy-up by chmod).
        if (distinct && texts.first == texts.second) {
            m_diffNote->setText(identicalContentsNote(metadata));
            m_diffNote->show();
        }
        m_diff->setTexts(texts.first, texts.second, name);
    });
}

} // namespace strata
