// SPDX-License-Identifier: GPL-3.0-or-later
#include "detailspane.h"

#include "changestyle.h"
#include "layerlistmodel.h"
#include "provenance.h"
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
    // Qt's default also breaks inside a word that does not fit ("whiteou t"): words stay whole, a
    // table wider than the pane scrolls.
    // A size and its unit, a glyph and its state, stay on one line too (non-breaking spaces).
    setWordWrapMode(QTextOption::WordWrap);
    setMinimumWidth(fontMetrics().averageCharWidth() * 36);
}

QString DetailsPane::roleText(const OverlayStack &stack, const Provenance &provenance, const Version &version)
{
    auto label = [&](LayerRef ref) { return ref.valid() ? LayerListModel::label(stack, ref.layer) : tr("a layer above"); };
    switch (version.role) {
    case VersionRole::Provides:
        if (provenance.data.valid() && !(provenance.data == version.ref))
            return tr("provides the metadata; the data comes from %1").arg(label(provenance.data));
        return tr("provides what the merged view shows");
    case VersionRole::ProvidesData:
        return tr("provides the data (metacopy above)");
    case VersionRole::MergedBelow:
        return tr("merged into the directory above: its entries show through");
    case VersionRole::Hidden:
        return tr("hidden by %1").arg(label(version.hiddenBy));
    case VersionRole::Whiteout:
        return version.covers.valid() ? tr("whiteout: hides %1's version").arg(label(version.covers)) : tr("whiteout with nothing below to hide");
    case VersionRole::Unreachable:
        return tr("cut off by an opaque directory, a whiteout or a non-directory above");
    case VersionRole::Phantom:
        return tr("listed by the directory, but the lookup fails (phantom)");
    }
    return {};
}

QString DetailsPane::reasonText(const OverlayStack &stack, const Version &version)
{
    const QString below = version.covers.valid() ? LayerListModel::label(stack, version.covers.layer) : QString();
    switch (version.change.reason) {
    case ChangeReason::None:
        return below.isEmpty() ? QString() : tr("same as %1").arg(below);
    case ChangeReason::NothingBelow:
        return tr("nothing below it");
    case ChangeReason::HidesBelow:
        return {}; // the role already says what it hides
    case ChangeReason::TypeDiffers:
        return tr("another type than in %1").arg(below);
    case ChangeReason::ContentDiffers:
        return tr("content differs from %1").arg(below);
    case ChangeReason::TargetDiffers:
        return tr("symlink target differs from %1").arg(below);
    case ChangeReason::DeviceDiffers:
        return tr("device number differs from %1").arg(below);
    case ChangeReason::Metacopy:
        return tr("metadata copied up, data still in %1 (metacopy)").arg(below.isEmpty() ? tr("a lower layer") : below);
    case ChangeReason::ModeDiffers:
        // A metadata-only change of a file with data here is a full copy: say the costly part.
        if (version.change.kind == ChangeKind::MetadataOnly && stack.entry(version.ref).type == EntryType::File)
            return tr("contents identical to %1, only the permissions differ: a full copy").arg(below);
        return tr("permissions differ from %1").arg(below);
    case ChangeReason::OwnerDiffers:
        if (version.change.kind == ChangeKind::MetadataOnly && stack.entry(version.ref).type == EntryType::File)
            return tr("contents identical to %1, only the owner differs: a full copy").arg(below);
        return tr("owner differs from %1").arg(below);
    case ChangeReason::OpaqueDir:
        return tr("opaque: hides the directories below");
    case ChangeReason::RedirectedDir:
        return tr("renamed directory: its lower content lives at another path");
    case ChangeReason::OriginOnly:
        return tr("copied up from %1, otherwise the same").arg(below.isEmpty() ? tr("a lower layer") : below);
    case ChangeReason::MetadataNotRead:
        return tr("metadata not compared yet (statistics are still loading)");
    }
    return {};
}

QString DetailsPane::describe(const OverlayStack &stack, UnionId node)
{
    const Provenance provenance = provenanceOf(stack, node);
    const QString path = decode(stack.unionPath(node));
    QString html = QStringLiteral("<h3>%1</h3>").arg(path.toHtmlEscaped());
    if (provenance.inMergedView()) {
        if (provenance.lookupErrno == ENOENT)
            html += QStringLiteral("<p>%1</p>").arg(ChangeStyle::explanation(ChangeKind::Phantom).toHtmlEscaped());
        else
            html += tr("<p>Merged view: provided by <b>%1</b> (%2).</p>").arg(LayerListModel::label(stack, provenance.meta.layer), ChangeStyle::label(provenance.mergedChange));
        if (provenance.data.valid() && !(provenance.data == provenance.meta) && provenance.lookupErrno == 0)
            html += tr("<p>Metadata from %1, data from %2 (metacopy).</p>").arg(LayerListModel::label(stack, provenance.meta.layer), LayerListModel::label(stack, provenance.data.layer));
    } else if (!provenance.versions.empty() && provenance.versions.front().role == VersionRole::Whiteout) {
        html += tr("<p>Not in the merged view: deleted by a whiteout in %1.</p>").arg(LayerListModel::label(stack, provenance.versions.front().ref.layer));
    } else {
        html += tr("<p>Not in the merged view: an opaque directory, a whiteout or a non-directory above cuts it off.</p>");
    }
    // Every version top-down, as the kernel's lookup meets them.
    html += QStringLiteral("<table cellspacing=0 cellpadding=3><tr><th align=left>%1</th><th align=left>%2</th><th align=left>%3</th><th align=right>%4</th><th>%5</th><th>%6</th><th>%8</th><th align=left>%7</th></tr>")
                .arg(tr("Layer"), tr("State"), tr("Type"), tr("Size"), tr("Mode"), tr("Owner"), tr("Overlay xattrs"), tr("Links"));
    const QLocale locale;
    for (const Version &version : provenance.versions) {
        const LayerIndex &layer = stack.layers[version.ref.layer];
        const Entry &entry = stack.entry(version.ref);
        const EntryExtra &extra = layer.extra(version.ref.entry);
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
        const ChangeKind kind = version.change.kind;
        QString role = roleText(stack, provenance, version);
        const QString reason = reasonText(stack, version);
        if (!reason.isEmpty())
            role += QStringLiteral("; ") + reason;
        // The version's row, then what it does at this path in words, across the columns.
        // State and type stay on one line each: Korean labels have no spaces, and Qt's table layout
        // then let the next column draw over them.
        html += QStringLiteral("<tr><td>%1</td><td style='white-space:nowrap'><span style='color:%2'>%3</span>&nbsp;%4</td><td style='white-space:nowrap'>%5</td><td align=right style='white-space:nowrap'>%6</td><td>%7</td><td>%8:%9</td><td align=center>%11</td><td>%10</td></tr>"
                               "<tr><td></td><td colspan=7><i>%12</i></td></tr>")
                    .arg(LayerListModel::label(stack, version.ref.layer), ChangeStyle::color(kind, QPalette()).name(), ChangeStyle::glyph(kind), ChangeStyle::label(kind), type,
                         entry.type == EntryType::File ? locale.formattedDataSize(qint64(entry.size)).replace(u' ', QChar::Nbsp) : QString(), QString::fromStdString(octalMode(entry.mode)))
                    .arg(entry.uid)
                    .arg(entry.gid)
                    .arg(xattrs.join(QStringLiteral(", ")))
                    .arg(entry.nlink)
                    .arg(role.toHtmlEscaped());
        if (!extra.error.empty())
            html += QStringLiteral("<tr><td></td><td colspan=7 style='color:#c33'>%1</td></tr>").arg(decode(extra.error).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    return html;
}

void DetailsPane::showPath(const OverlayStack *stack, UnionId node, int asOfLayer)
{
    if (!stack) {
        clear();
        return;
    }
    QString html = describe(*stack, node);
    if (asOfLayer >= 0) {
        const QString note = tr("The tree is shown as of %1; below is every version of this path in the whole stack.").arg(LayerListModel::label(*stack, size_t(asOfLayer)));
        html.insert(html.indexOf(QStringLiteral("</h3>")) + 5, QStringLiteral("<p style='color:gray'>%1</p>").arg(note.toHtmlEscaped()));
    }
    setHtml(html);
}

} // namespace strata
