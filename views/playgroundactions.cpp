// SPDX-License-Identifier: GPL-3.0-or-later
#include "playgroundactions.h"

#include "changestyle.h"
#include "contentreader.h"
#include "fileoprequest.h"
#include "lesson.h"
#include "livesession.h"
#include "overlaystack.h"
#include "treewalk.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace strata {

namespace {

// The editor keeps a file in one piece only up to this size; bigger files are for append/truncate.
constexpr qint64 maxEditBytes = 1 << 20;
// One write request stays well under the protocol's 64 KiB line cap.
constexpr qsizetype writeChunk = 24 * 1024;

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

QString joinPath(const QString &dir, const QString &name)
{
    return dir.endsWith(u'/') ? QString(dir + name) : QString(dir + u'/' + name);
}

// The merged entries at and below `path`, parents first (what rm -rf and chmod -R visit), each
// with whether it is a directory; empty when the merged view has no `path`. Phantoms are left out:
// a lookup of them fails.
std::vector<std::pair<QString, bool>> mergedSubtree(const OverlayStack &s, const QString &path)
{
    std::vector<std::pair<QString, bool>> out;
    const MergedId start = s.findMerged(path.toStdString());
    if (start == noMerged)
        return out;
    const std::string parent = start == 0 || parentOf(path) == u"/" ? std::string() : parentOf(path).toStdString();
    const auto childrenOf = [&](uint32_t m) { return std::pair{s.merged.nodes[m].firstChild, s.merged.nodes[m].childCount}; };
    const auto nameOf = [&](uint32_t m) { return s.name(s.merged.nodes[m].name); };
    treewalk::preOrder(childrenOf, nameOf, [&](uint32_t m, std::string_view at) {
        if (s.merged.nodes[m].lookupErrno != 0)
            return false;
        const bool dir = s.entry(s.merged.nodes[m].meta).type == EntryType::Dir;
        out.emplace_back(QString::fromUtf8(at.data(), qsizetype(at.size())), dir);
        return dir;
    }, start, parent);
    return out;
}

} // namespace

PlaygroundActions::PlaygroundActions(LiveSession *session, QWidget *dialogParent, std::function<QString()> currentPath, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_dialogParent(dialogParent)
    , m_currentPath(std::move(currentPath))
{
    const char *ops[] = {"edit", "append", "truncate", "chmod", "chown", "touch", "rename", "delete", "mkdir", "create", "symlink", "link", "setxattr", "removexattr", "keep-open"};
    for (const char *op : ops) {
        auto *action = new QAction(this);
        action->setData(QString::fromLatin1(op));
        connect(action, &QAction::triggered, this, [this, op = QString::fromLatin1(op)] { ask(op); });
        m_actions << action;
    }
    m_edit = m_actions.first();
    m_delete = m_actions[7];
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(session, &LiveSession::stateChanged, this, &PlaygroundActions::updateEnabled);
    updateEnabled();
    retranslateUi();
}

void PlaygroundActions::retranslateUi()
{
    const QString texts[] = {tr("Edit…"),        tr("Append…"),      tr("Truncate…"),     tr("Change Mode…"),       tr("Change Owner…"),
                             tr("Touch"),        tr("Rename…"),      tr("Delete"),        tr("New Directory…"),     tr("New File…"),
                             tr("New Symlink…"), tr("New Hardlink…"), tr("Set Xattr…"), tr("Remove Xattr…"), tr("Keep Open Read-Only")};
    for (qsizetype i = 0; i < m_actions.size(); ++i)
        m_actions[i]->setText(texts[i]);
    m_actions[14]->setToolTip(tr("Opens the file read-only and keeps it open: since Linux 4.19 a kept reader sees the data another writer copies up"));
}

void PlaygroundActions::updateEnabled()
{
    const bool live = m_session->state() == LiveSession::State::Live;
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(live);
}

void PlaygroundActions::addTo(QMenu *menu)
{
    QMenu *sub = menu->addMenu(tr("Playground"));
    for (qsizetype i = 0; i < m_actions.size(); ++i) {
        if (i == 5 || i == 8 || i == 12 || i == 14)
            sub->addSeparator();
        sub->addAction(m_actions[i]);
    }
    sub->setEnabled(m_session->isLive());
}

QList<QAction *> PlaygroundActions::toolbarActions() const
{
    return {m_actions[0], m_actions[3], m_actions[6], m_actions[7], m_actions[8], m_actions[9]};
}

std::shared_ptr<const OverlayStack> PlaygroundActions::stack() const
{
    return m_session->stack();
}

bool PlaygroundActions::perform(const QString &op, const QString &path, const QString &argument)
{
    if (op == u"delete") {
        // A directory goes the way `rm -rf` goes: its merged contents first, deepest first.
        auto s = stack();
        const auto entries = s ? mergedSubtree(*s, path) : std::vector<std::pair<QString, bool>>();
        for (auto it = entries.rbegin(); it != entries.rend(); ++it)
            m_session->perform(FileOpRequest{it->second ? QStringLiteral("rmdir") : QStringLiteral("unlink"), QJsonObject{{QStringLiteral("path"), it->first}}});
        return !entries.empty();
    }
    auto request = requestForAction(LessonAction{op, path, argument});
    if (!request)
        return false;
    m_session->perform(*request);
    return true;
}

bool PlaygroundActions::performAction(const LessonAction &action)
{
    if (action.op == u"remount") {
        m_session->remount(action.argument.split(u',', Qt::SkipEmptyParts), action.fresh);
        return true;
    }
    if (action.op == u"run") {
        m_session->runCommand(action.argv, action.network);
        return !action.argv.isEmpty();
    }
    if (!action.recursive)
        return perform(action.op, action.path, action.argument);
    // chmod -R and friends: the path, then everything below it in the merged view.
    auto s = stack();
    const auto entries = s ? mergedSubtree(*s, action.path) : std::vector<std::pair<QString, bool>>();
    for (const auto &entry : entries) {
        if (!perform(action.op, entry.first, action.argument))
            return false;
    }
    return !entries.empty();
}

QString PlaygroundActions::newPathIn(const QString &title, const QString &label)
{
    // New entries go into the current directory (or next to the current file).
    const QString current = m_currentPath();
    auto s = stack();
    const MergedId id = s ? s->findMerged(current.toStdString()) : noMerged;
    const bool isDir = id != noMerged && s->entry(s->merged.nodes[id].meta).type == EntryType::Dir;
    const QString dir = current.isEmpty() ? QStringLiteral("/") : isDir ? current : parentOf(current);
    bool ok = false;
    const QString name = QInputDialog::getText(m_dialogParent, title, label.arg(dir), QLineEdit::Normal, QString(), &ok);
    if (!ok || name.isEmpty())
        return {};
    return name.startsWith(u'/') ? name : joinPath(dir, name);
}

void PlaygroundActions::ask(const QString &op)
{
    const QString path = m_currentPath();
    QWidget *parent = m_dialogParent;
    bool ok = false;
    if (op == u"edit") {
        edit(path);
    } else if (op == u"append") {
        const QString text = QInputDialog::getMultiLineText(parent, tr("Append"), tr("Text to append to %1:").arg(path), QString(), &ok);
        if (ok)
            perform(op, path, text);
    } else if (op == u"truncate") {
        auto s = stack();
        const MergedId id = s ? s->findMerged(path.toStdString()) : noMerged;
        const int size = id == noMerged ? 0 : int(std::min<uint64_t>(s->entry(s->merged.nodes[id].meta).size, INT_MAX));
        const int to = QInputDialog::getInt(parent, tr("Truncate"), tr("New size of %1 in bytes:").arg(path), size / 2, 0, INT_MAX, 1, &ok);
        if (ok)
            perform(op, path, QString::number(to));
    } else if (op == u"chmod") {
        const QString mode = QInputDialog::getText(parent, tr("Change Mode"), tr("Octal mode for %1 (e.g. 600):").arg(path), QLineEdit::Normal, QStringLiteral("600"), &ok);
        if (ok && !perform(op, path, mode))
            QMessageBox::warning(parent, tr("Change Mode"), tr("'%1' is not an octal mode.").arg(mode));
    } else if (op == u"chown") {
        const QString owner = QInputDialog::getText(parent, tr("Change Owner"), tr("Owner of %1 as uid:gid:").arg(path), QLineEdit::Normal, QStringLiteral("1000:1000"), &ok);
        if (ok && !perform(op, path, owner))
            QMessageBox::warning(parent, tr("Change Owner"), tr("'%1' is not uid:gid.").arg(owner));
    } else if (op == u"rename") {
        const QString to = QInputDialog::getText(parent, tr("Rename"), tr("New path for %1:").arg(path), QLineEdit::Normal, path, &ok);
        if (ok && !to.isEmpty() && to != path)
            perform(op, path, to);
    } else if (op == u"delete") {
        if (QMessageBox::question(parent, tr("Delete"), tr("Delete %1 in the merged dir (directories with everything in them, as rm -rf does)?").arg(path)) == QMessageBox::Yes)
            perform(op, path);
    } else if (op == u"mkdir") {
        const QString target = newPathIn(tr("New Directory"), tr("Name of the new directory in %1:"));
        if (!target.isEmpty())
            perform(op, target, QStringLiteral("755"));
    } else if (op == u"create") {
        const QString target = newPathIn(tr("New File"), tr("Name of the new file in %1:"));
        if (!target.isEmpty())
            perform(op, target, QString());
    } else if (op == u"symlink") {
        const QString target = newPathIn(tr("New Symlink"), tr("Name of the new symlink in %1:"));
        if (target.isEmpty())
            return;
        const QString to = QInputDialog::getText(parent, tr("New Symlink"), tr("Where %1 points to:").arg(target), QLineEdit::Normal, path, &ok);
        if (ok && !to.isEmpty())
            perform(op, target, to);
    } else if (op == u"link") {
        const QString to = QInputDialog::getText(parent, tr("New Hardlink"), tr("A new name for %1:").arg(path), QLineEdit::Normal, path + QStringLiteral(".link"), &ok);
        if (ok && !to.isEmpty())
            perform(op, path, to);
    } else if (op == u"setxattr") {
        const QString nv = QInputDialog::getText(parent, tr("Set Xattr"), tr("name=value for %1:").arg(path), QLineEdit::Normal, QStringLiteral("user.note=hello"), &ok);
        if (ok && nv.contains(u'='))
            perform(op, path, nv);
    } else if (op == u"removexattr") {
        const QString name = QInputDialog::getText(parent, tr("Remove Xattr"), tr("Name of the xattr to remove from %1:").arg(path), QLineEdit::Normal, QStringLiteral("user.note"), &ok);
        if (ok && !name.isEmpty())
            perform(op, path, name);
    } else if (op == u"keep-open") {
        perform(op, path);
    }
}

void PlaygroundActions::edit(const QString &path)
{
    QWidget *parent = m_dialogParent;
    auto s = stack();
    const MergedId id = s ? s->findMerged(path.toStdString()) : noMerged;
    if (id == noMerged || s->entry(s->merged.nodes[id].meta).type != EntryType::File) {
        QMessageBox::information(parent, tr("Edit"), tr("Only regular files can be edited."));
        return;
    }
    if (s->entry(s->merged.nodes[id].meta).size > uint64_t(maxEditBytes)) {
        QMessageBox::information(parent, tr("Edit"), tr("%1 is too big to edit here; use Append or Truncate.").arg(path));
        return;
    }
    ContentReader reader;
    const LayerRef data = s->merged.nodes[id].data;
    auto bytes = reader.head(s->layers[data.layer], data.entry, maxEditBytes);
    if (!bytes) {
        QMessageBox::warning(parent, tr("Edit"), bytes.error().message());
        return;
    }
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Edit %1").arg(path));
    auto *layout = new QVBoxLayout(&dialog);
    auto *note = new QLabel(tr("Saving writes the file in the merged dir: the kernel copies it up first if a lower layer holds it."), &dialog);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *text = new QPlainTextEdit(&dialog);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setPlainText(QString::fromUtf8(*bytes));
    layout->addWidget(text, 1);
    KSyntaxHighlighting::Repository repository;
    auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(text->document());
    highlighter->setTheme(repository.defaultTheme(ChangeStyle::isDark(dialog.palette()) ? KSyntaxHighlighting::Repository::DarkTheme : KSyntaxHighlighting::Repository::LightTheme));
    highlighter->setDefinition(repository.definitionForFileName(path));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(720, 520);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString edited = text->toPlainText();
    const QByteArray out = edited.toUtf8();
    if (out == *bytes)
        return;
    // Written in pieces at their offsets (never splitting a character), then cut to the new length.
    qint64 offset = 0;
    for (qsizetype at = 0; at < edited.size();) {
        qsizetype length = std::min<qsizetype>(writeChunk / 4, edited.size() - at);
        if (at + length < edited.size() && edited[at + length - 1].isHighSurrogate())
            --length;
        const QString piece = edited.mid(at, length);
        m_session->perform(FileOpRequest{QStringLiteral("write"), QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("data"), piece}, {QStringLiteral("offset"), offset}}});
        offset += piece.toUtf8().size();
        at += length;
    }
    if (out.size() < bytes->size() || out.isEmpty())
        m_session->perform(FileOpRequest{QStringLiteral("truncate"), QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("size"), qint64(out.size())}}});
}

} // namespace strata
