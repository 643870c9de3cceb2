// SPDX-License-Identifier: GPL-3.0-or-later
#include "detailspane.h"

#include "changestyle.h"
#include "layerlistmodel.h"
#include "reports.h"

#include <QFile>
#include <QLocale>

namespace strata {

namespace {
QString decode(std::string_view bytes)
{
    return QFile::decodeName(QByteArray(bytes.data(), qsizetype(bytes.size())));
}
}

QString DetailsPane::typeName(EntryType type)
{
    switch (type) {
    case EntryType::File:
        return tr("file");
    case EntryType::Dir:
        return tr("directory");
    case EntryType::Symlink:
        return tr("symlink");
    case EntryType::Char:
        return tr("character device");
    case EntryType::Block:
        return tr("block device");
    case EntryType::Fifo:
        return tr("fifo");
    case EntryType::Socket:
        return tr("socket");
    case EntryType::Unknown:
        break;
    }
    return tr("unknown");
}

DetailsPane::DetailsPane(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
}

QString DetailsPane::describe(const OverlayStack &stack, UnionId node)
{
    const UnionTree &tree = stack.unionTree;
    const UnionNode &n = tree.nodes[node];
    const QString path = decode(stack.unionPath(node));
    QString html = QStringLiteral("<h3>%1</h3>").arg(path.toHtmlEscaped());
    if (n.merged != noMerged) {
        const MergedNode &m = stack.merged.nodes[n.merged];
        if (m.lookupErrno == ENOENT)
            html += QStringLiteral("<p>%1</p>").arg(ChangeStyle::explanation(ChangeKind::Phantom).toHtmlEscaped());
        else
            html += tr("<p>Merged view: provided by <b>%1</b> (%2).</p>").arg(LayerListModel::label(stack, m.meta.layer), ChangeStyle::label(m.change));
        if (!(m.data == m.meta) && m.lookupErrno == 0)
            html += tr("<p>Metadata from %1, data from %2 (metacopy).</p>").arg(LayerListModel::label(stack, m.meta.layer), LayerListModel::label(stack, m.data.layer));
    } else {
        html += tr("<p>Not in the merged view: hidden by a layer above.</p>");
    }
    html += QStringLiteral("<table cellspacing=0 cellpadding=3><tr><th align=left>%1</th><th align=left>%2</th><th align=left>%3</th><th align=right>%4</th><th>%5</th><th>%6</th><th>%8</th><th align=left>%7</th></tr>")
                .arg(tr("Layer"), tr("State"), tr("Type"), tr("Size"), tr("Mode"), tr("Owner"), tr("Overlay xattrs"), tr("Links"));
    const QLocale locale;
    for (size_t l = stack.layers.size(); l-- > 0;) {
        const EntryId e = tree.cell(node, l);
        if (e == noEntry)
            continue;
        const Entry &entry = stack.layers[l].entries[e];
        const EntryExtra &extra = stack.layers[l].extra(e);
        QStringList xattrs;
        if (entry.has(FlagOpaque))
            xattrs << tr("opaque");
        if (entry.has(FlagOpaqueX))
            xattrs << tr("holds xattr whiteouts");
        if (entry.has(FlagRedirect))
            xattrs << tr("redirect → %1").arg(decode(extra.redirect).toHtmlEscaped());
        if (entry.has(FlagMetacopy))
            xattrs << tr("metacopy");
        if (entry.has(FlagOrigin))
            xattrs << tr("origin (copied up)");
        if (entry.has(FlagImpure))
            xattrs << tr("impure");
        if (entry.has(FlagXattrWhiteout))
            xattrs << tr("xattr whiteout");
        QString type = typeName(entry.type);
        if (entry.has(FlagWhiteout))
            type = tr("whiteout (char 0/0)");
        else if (entry.type == EntryType::Symlink)
            type += QStringLiteral(" → ") + decode(extra.symlinkTarget).toHtmlEscaped();
        const ChangeKind kind = tree.kind(node, l);
        html += QStringLiteral("<tr><td>%1</td><td><span style='color:%2'>%3</span> %4</td><td>%5</td><td align=right>%6</td><td>%7</td><td>%8:%9</td><td align=center>%11</td><td>%10</td></tr>")
                    .arg(LayerListModel::label(stack, l), ChangeStyle::color(kind, QPalette()).name(), ChangeStyle::glyph(kind), ChangeStyle::label(kind), type,
                         entry.type == EntryType::File ? locale.formattedDataSize(qint64(entry.size)) : QString(), QString::fromStdString(octalMode(entry.mode)))
                    .arg(entry.uid)
                    .arg(entry.gid)
                    .arg(xattrs.join(QStringLiteral(", ")))
                    .arg(entry.nlink);
        if (!extra.error.empty())
            html += QStringLiteral("<tr><td></td><td colspan=6 style='color:#c33'>%1</td></tr>").arg(decode(extra.error).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    return html;
}

void DetailsPane::showPath(const OverlayStack *stack, UnionId node)
{
    if (!stack) {
        clear();
        return;
    }
    setHtml(describe(*stack, node));
}

} // namespace strata
