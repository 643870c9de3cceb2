// SPDX-License-Identifier: GPL-3.0-or-later
#include "lesson.h"

#include "contentreader.h"
#include "overlayconfig.h"
#include "overlayrules.h"
#include "overlaystack.h"
#include "source.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <array>

namespace strata {

namespace {

constexpr qint64 maxLessonBytes = 1 << 20; // a lesson is text: a bigger file is not one

// Reads JSON fields with a path for messages ("steps[1].checks[0].kind").
class Reader
{
public:
    Reader(QString fileName)
        : m_file(std::move(fileName))
    {
    }
    std::optional<Error> problem() const { return m_problem; }
    void fail(const QString &where, const QString &what)
    {
        if (!m_problem)
            m_problem = makeError(ErrorCode::Corrupt, QStringLiteral("%1: %2: %3").arg(m_file, where, what), m_file);
    }
    QString string(const QJsonObject &o, const QString &key, const QString &where, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() && !required)
            return {};
        if (!v.isString()) {
            fail(where + u'.' + key, v.isUndefined() ? QStringLiteral("missing") : QStringLiteral("must be a string"));
            return {};
        }
        return v.toString();
    }
    LocalizedText text(const QJsonObject &o, const QString &key, const QString &where, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() && !required)
            return {};
        if (!v.isObject()) {
            fail(where + u'.' + key, QStringLiteral("must be an object with \"en\" and \"ko\" texts"));
            return {};
        }
        LocalizedText t{string(v.toObject(), QStringLiteral("en"), where + u'.' + key), string(v.toObject(), QStringLiteral("ko"), where + u'.' + key)};
        return t;
    }
    // Only known keys: a typo must not silently drop a check.
    void onlyKeys(const QJsonObject &o, std::initializer_list<const char *> keys, const QString &where)
    {
        for (const QString &key : o.keys()) {
            if (std::none_of(keys.begin(), keys.end(), [&](const char *k) { return key == QLatin1StringView(k); }))
                fail(where, QStringLiteral("unknown field \"%1\"").arg(key));
        }
    }

private:
    QString m_file;
    std::optional<Error> m_problem;
};

const std::array<std::pair<const char *, LessonCheck::Kind>, 7> checkKinds{{
    {"layer-has", LessonCheck::Kind::LayerHas},
    {"layer-lacks", LessonCheck::Kind::LayerLacks},
    {"merged-has", LessonCheck::Kind::MergedHas},
    {"merged-lacks", LessonCheck::Kind::MergedLacks},
    {"merged-content", LessonCheck::Kind::MergedContent},
    {"change-is", LessonCheck::Kind::ChangeIs},
    {"event", LessonCheck::Kind::Event},
}};

const std::array<std::pair<const char *, LessonEntry::Type>, 5> entryTypes{{
    {"file", LessonEntry::Type::File},
    {"dir", LessonEntry::Type::Dir},
    {"symlink", LessonEntry::Type::Symlink},
    {"whiteout", LessonEntry::Type::Whiteout},
    {"opaque-dir", LessonEntry::Type::OpaqueDir},
}};

const QStringList actionOps{QStringLiteral("create"), QStringLiteral("write"),  QStringLiteral("append"), QStringLiteral("truncate"), QStringLiteral("chmod"),
                            QStringLiteral("chown"),  QStringLiteral("touch"),  QStringLiteral("rename"), QStringLiteral("unlink"),   QStringLiteral("rmdir"),
                            QStringLiteral("mkdir"),  QStringLiteral("symlink"), QStringLiteral("link"),  QStringLiteral("setxattr"), QStringLiteral("keep-open")};
const QStringList stateTypes{QStringLiteral("file"),       QStringLiteral("dir"),      QStringLiteral("symlink"), QStringLiteral("whiteout"),
                             QStringLiteral("opaque-dir"), QStringLiteral("redirect"), QStringLiteral("metacopy")};

bool validPath(const QString &path)
{
    return path.startsWith(u'/') && !path.split(u'/').contains(QStringLiteral(".."));
}

} // namespace

Expected<Lesson> parseLesson(const QByteArray &json, const QString &fileName)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1: not a JSON object (%2 at byte %3)").arg(fileName, error.errorString()).arg(error.offset), fileName);
    Reader r(fileName);
    const QJsonObject root = doc.object();
    r.onlyKeys(root, {"id", "title", "summary", "lowers", "upper", "options", "needs_root", "steps"}, QStringLiteral("lesson"));
    Lesson lesson;
    static const QRegularExpression numbered(QStringLiteral("^(\\d+)-"));
    if (const auto m = numbered.match(QFileInfo(fileName).fileName()); m.hasMatch())
        lesson.number = m.captured(1).toInt();
    lesson.id = r.string(root, QStringLiteral("id"), QStringLiteral("lesson"));
    lesson.title = r.text(root, QStringLiteral("title"), QStringLiteral("lesson"));
    lesson.summary = r.text(root, QStringLiteral("summary"), QStringLiteral("lesson"));
    lesson.upper = root.value(QStringLiteral("upper")).toBool(true);
    lesson.options = r.string(root, QStringLiteral("options"), QStringLiteral("lesson"), false);
    lesson.needsRoot = root.value(QStringLiteral("needs_root")).toBool(false);
    const QJsonArray lowers = root.value(QStringLiteral("lowers")).toArray();
    if (lowers.isEmpty())
        r.fail(QStringLiteral("lesson.lowers"), QStringLiteral("needs at least one layer"));
    for (qsizetype i = 0; i < lowers.size(); ++i) {
        const QString where = QStringLiteral("lowers[%1]").arg(i);
        const QJsonObject o = lowers.at(i).toObject();
        r.onlyKeys(o, {"name", "entries"}, where);
        LessonLayer layer;
        layer.name = r.string(o, QStringLiteral("name"), where);
        if (layer.name.isEmpty() || layer.name.contains(u'/') || layer.name == u"upper" || layer.name == u"work" || layer.name.startsWith(u'.'))
            r.fail(where + QStringLiteral(".name"), QStringLiteral("must be a plain directory name other than upper and work"));
        const QJsonArray entries = o.value(QStringLiteral("entries")).toArray();
        for (qsizetype j = 0; j < entries.size(); ++j) {
            const QString at = QStringLiteral("%1.entries[%2]").arg(where).arg(j);
            const QJsonObject e = entries.at(j).toObject();
            r.onlyKeys(e, {"path", "type", "content", "target", "mode"}, at);
            LessonEntry entry;
            entry.path = r.string(e, QStringLiteral("path"), at);
            if (!validPath(entry.path))
                r.fail(at + QStringLiteral(".path"), QStringLiteral("must start with / and contain no .."));
            const QString type = r.string(e, QStringLiteral("type"), at, false);
            const auto known = std::find_if(entryTypes.begin(), entryTypes.end(), [&](const auto &t) { return type.isEmpty() ? t.second == LessonEntry::Type::File : type == QLatin1StringView(t.first); });
            if (known == entryTypes.end())
                r.fail(at + QStringLiteral(".type"), QStringLiteral("unknown type \"%1\"").arg(type));
            else
                entry.type = known->second;
            entry.content = r.string(e, QStringLiteral("content"), at, false).toUtf8();
            entry.target = r.string(e, QStringLiteral("target"), at, false);
            const QString mode = r.string(e, QStringLiteral("mode"), at, false);
            bool ok = true;
            entry.mode = mode.isEmpty() ? 0 : mode.toUInt(&ok, 8);
            if (!ok || entry.mode > 07777)
                r.fail(at + QStringLiteral(".mode"), QStringLiteral("must be octal permission bits, e.g. \"644\""));
            layer.entries.push_back(std::move(entry));
        }
        lesson.lowers.push_back(std::move(layer));
    }
    const QJsonArray steps = root.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty())
        r.fail(QStringLiteral("lesson.steps"), QStringLiteral("needs at least one step"));
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString where = QStringLiteral("steps[%1]").arg(i);
        const QJsonObject o = steps.at(i).toObject();
        r.onlyKeys(o, {"text", "action", "expect", "checks"}, where);
        LessonStep step;
        step.text = r.text(o, QStringLiteral("text"), where);
        step.expect = r.text(o, QStringLiteral("expect"), where, false);
        if (o.contains(QStringLiteral("action"))) {
            const QJsonObject a = o.value(QStringLiteral("action")).toObject();
            r.onlyKeys(a, {"op", "path", "argument"}, where + QStringLiteral(".action"));
            LessonAction action{r.string(a, QStringLiteral("op"), where + QStringLiteral(".action")), r.string(a, QStringLiteral("path"), where + QStringLiteral(".action")),
                                r.string(a, QStringLiteral("argument"), where + QStringLiteral(".action"), false)};
            if (!actionOps.contains(action.op))
                r.fail(where + QStringLiteral(".action.op"), QStringLiteral("unknown operation \"%1\"").arg(action.op));
            if (!validPath(action.path))
                r.fail(where + QStringLiteral(".action.path"), QStringLiteral("must start with / and contain no .."));
            step.action = std::move(action);
        }
        const QJsonArray checks = o.value(QStringLiteral("checks")).toArray();
        for (qsizetype j = 0; j < checks.size(); ++j) {
            const QString at = QStringLiteral("%1.checks[%2]").arg(where).arg(j);
            const QJsonObject c = checks.at(j).toObject();
            r.onlyKeys(c, {"kind", "layer", "path", "type", "value"}, at);
            LessonCheck check;
            const QString kind = r.string(c, QStringLiteral("kind"), at);
            const auto known = std::find_if(checkKinds.begin(), checkKinds.end(), [&](const auto &k) { return kind == QLatin1StringView(k.first); });
            if (known == checkKinds.end())
                r.fail(at + QStringLiteral(".kind"), QStringLiteral("unknown check \"%1\"").arg(kind));
            else
                check.kind = known->second;
            check.layer = r.string(c, QStringLiteral("layer"), at, false);
            check.path = r.string(c, QStringLiteral("path"), at);
            check.type = r.string(c, QStringLiteral("type"), at, false);
            check.value = r.string(c, QStringLiteral("value"), at, false);
            if (!validPath(check.path))
                r.fail(at + QStringLiteral(".path"), QStringLiteral("must start with / and contain no .."));
            if (!check.type.isEmpty() && !stateTypes.contains(check.type))
                r.fail(at + QStringLiteral(".type"), QStringLiteral("unknown type \"%1\"").arg(check.type));
            const bool needsLayer = check.kind == LessonCheck::Kind::LayerHas || check.kind == LessonCheck::Kind::LayerLacks || check.kind == LessonCheck::Kind::ChangeIs;
            if (needsLayer && check.layer.isEmpty())
                r.fail(at + QStringLiteral(".layer"), QStringLiteral("missing"));
            if (check.kind == LessonCheck::Kind::ChangeIs && !changeKindFromName(check.value.toStdString()))
                r.fail(at + QStringLiteral(".value"), QStringLiteral("unknown change kind \"%1\"").arg(check.value));
            if ((check.kind == LessonCheck::Kind::Event || check.kind == LessonCheck::Kind::MergedContent) && !c.contains(QStringLiteral("value")))
                r.fail(at + QStringLiteral(".value"), QStringLiteral("missing"));
            step.checks.push_back(std::move(check));
        }
        lesson.steps.push_back(std::move(step));
    }
    if (auto problem = r.problem())
        return *problem;
    return lesson;
}

Expected<std::vector<Lesson>> loadLessons(const QString &dir)
{
    const QDir lessons(dir);
    if (!lessons.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("no lessons in %1").arg(dir), dir);
    std::vector<Lesson> out;
    for (const QString &name : lessons.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile file(lessons.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, file.errorString(), file.fileName());
        if (file.size() > maxLessonBytes)
            return makeError(ErrorCode::LimitExceeded, QStringLiteral("%1 is larger than a lesson can be (1 MiB)").arg(file.fileName()), file.fileName());
        auto lesson = parseLesson(file.readAll(), file.fileName());
        if (!lesson)
            return lesson.error();
        out.push_back(std::move(lesson).value());
    }
    std::stable_sort(out.begin(), out.end(), [](const Lesson &a, const Lesson &b) { return a.number < b.number; });
    return out;
}

namespace {

// "upper", "lower 2", "data 0", or a lesson layer's name → the stack's layer index.
std::optional<size_t> layerOf(const QString &name, const Lesson &lesson, const OverlayStack &stack)
{
    for (size_t l = 0; l < stack.layers.size(); ++l) {
        if (stack.layerLabel(l) == name)
            return l;
    }
    for (size_t l = 0; l < lesson.lowers.size() && l < stack.layers.size(); ++l) {
        if (lesson.lowers[l].name == name)
            return l;
    }
    return std::nullopt;
}

bool hasType(const Entry &e, const LayerIndex &layer, EntryId id, const QString &type)
{
    if (type.isEmpty())
        return true;
    if (type == u"whiteout")
        return rules::isWhiteout(e);
    if (type == u"opaque-dir")
        return rules::isOpaqueDir(e);
    if (type == u"redirect")
        return e.has(FlagRedirect) && !layer.extra(id).redirect.empty();
    if (type == u"metacopy")
        return rules::isMetacopy(e);
    if (type == u"file")
        return e.type == EntryType::File && !rules::isWhiteout(e);
    if (type == u"dir")
        return e.type == EntryType::Dir;
    if (type == u"symlink")
        return e.type == EntryType::Symlink;
    return false;
}

QString typeWord(const QString &type)
{
    return type.isEmpty() ? QString() : type + u' ';
}

} // namespace

CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const std::vector<ObservedEvent> *events)
{
    const std::string path = check.path.toStdString();
    switch (check.kind) {
    case LessonCheck::Kind::LayerHas:
    case LessonCheck::Kind::LayerLacks:
    case LessonCheck::Kind::ChangeIs: {
        const auto l = layerOf(check.layer, lesson, stack);
        if (!l)
            return {false, QStringLiteral("the stack has no layer \"%1\"").arg(check.layer)};
        const LayerIndex &layer = stack.layers[*l];
        const EntryId id = layer.find(path);
        if (check.kind == LessonCheck::Kind::LayerLacks)
            return {id == noEntry, id == noEntry ? QStringLiteral("%1 has no %2").arg(check.layer, check.path) : QStringLiteral("%1 still has %2").arg(check.layer, check.path)};
        if (id == noEntry)
            return {false, QStringLiteral("%1 has no %2").arg(check.layer, check.path)};
        if (check.kind == LessonCheck::Kind::LayerHas) {
            const bool typed = hasType(layer.entries[id], layer, id, check.type);
            return {typed, typed ? QStringLiteral("%1 has the %2%3").arg(check.layer, typeWord(check.type), check.path)
                                 : QStringLiteral("%1 has %2, but not as a %3").arg(check.layer, check.path, check.type)};
        }
        const UnionId row = stack.findUnion(path);
        const ChangeKind kind = row == noUnion ? ChangeKind::Absent : stack.unionTree.kind(row, *l);
        const auto expected = changeKindFromName(check.value.toStdString());
        const QString found = QString::fromLatin1(changeKindName(kind).data());
        return {expected && kind == *expected, QStringLiteral("%1 in %2 is %3").arg(check.path, check.layer, found)};
    }
    case LessonCheck::Kind::MergedHas:
    case LessonCheck::Kind::MergedLacks:
    case LessonCheck::Kind::MergedContent: {
        const MergedId m = stack.findMerged(path);
        const bool shown = m != noMerged && stack.merged.nodes[m].lookupErrno == 0;
        if (check.kind == LessonCheck::Kind::MergedLacks)
            return {!shown, shown ? QStringLiteral("the merged view still shows %1").arg(check.path) : QStringLiteral("the merged view has no %1").arg(check.path)};
        if (!shown)
            return {false, QStringLiteral("the merged view has no %1").arg(check.path)};
        const MergedNode &node = stack.merged.nodes[m];
        if (check.kind == LessonCheck::Kind::MergedHas) {
            const bool typed = hasType(stack.entry(node.meta), stack.layers[node.meta.layer], node.meta.entry, check.type);
            return {typed, typed ? QStringLiteral("the merged view shows %1").arg(check.path) : QStringLiteral("the merged view shows %1, not as a %2").arg(check.path, check.type)};
        }
        ContentReader reader;
        auto content = reader.head(stack.layers[node.data.layer], node.data.entry, 1 << 20);
        if (!content)
            return {false, QStringLiteral("%1 cannot be read: %2").arg(check.path, content.error().message())};
        const bool same = *content == check.value.toUtf8();
        return {same, same ? QStringLiteral("%1 reads as expected").arg(check.path) : QStringLiteral("%1 reads \"%2\"").arg(check.path, QString::fromUtf8(content->left(80)))};
    }
    case LessonCheck::Kind::Event: {
        if (!events)
            return {false, QStringLiteral("an event check needs a live session (Mount)")};
        // The helper names paths relative to the upper dir ("etc/motd"); lessons write "/etc/motd".
        const auto relative = [](const QString &p) { return p.startsWith(u'/') ? p.mid(1) : p; };
        const bool seen = std::any_of(events->begin(), events->end(),
                                      [&](const ObservedEvent &e) { return e.kind == check.value && relative(e.path) == relative(check.path); });
        return {seen, seen ? QStringLiteral("the kernel did %1 for %2").arg(check.value, check.path) : QStringLiteral("no %1 event for %2 yet").arg(check.value, check.path)};
    }
    }
    return {};
}

Expected<QString> createLessonStack(const Lesson &lesson, const QString &dir)
{
    const bool root = ::geteuid() == 0;
    QStringList lowerdirs; // topmost first
    for (const LessonLayer &layer : lesson.lowers) {
        const QString base = QDir(dir).filePath(layer.name);
        if (!QDir().mkpath(base))
            return makeError(ErrorCode::Io, QStringLiteral("cannot create %1").arg(base), base);
        for (const LessonEntry &e : layer.entries) {
            const QString path = base + e.path;
            const QByteArray native = QFile::encodeName(path);
            if (!QDir().mkpath(QFileInfo(path).path()))
                return makeError(ErrorCode::Io, QStringLiteral("cannot create %1").arg(QFileInfo(path).path()), path);
            int rc = 0;
            switch (e.type) {
            case LessonEntry::Type::File: {
                QFile file(path);
                if (!file.open(QIODevice::WriteOnly) || file.write(e.content) != e.content.size())
                    return makeError(ErrorCode::Io, file.errorString(), path);
                file.close();
                rc = ::chmod(native.constData(), e.mode ? e.mode : 0644);
                break;
            }
            case LessonEntry::Type::Dir:
            case LessonEntry::Type::OpaqueDir:
                rc = QDir().mkpath(path) ? ::chmod(native.constData(), e.mode ? e.mode : 0755) : -1;
                if (rc == 0 && e.type == LessonEntry::Type::OpaqueDir)
                    rc = ::setxattr(native.constData(), root ? "trusted.overlay.opaque" : "user.overlay.opaque", "y", 1, 0);
                break;
            case LessonEntry::Type::Symlink:
                rc = ::symlink(QFile::encodeName(e.target).constData(), native.constData());
                break;
            case LessonEntry::Type::Whiteout:
                // A 0/0 character device needs root; unprivileged overlays read a zero-size file
                // with the user.overlay.whiteout xattr instead (userxattr).
                if (root) {
                    rc = ::mknod(native.constData(), S_IFCHR | 0600, makedev(0, 0));
                } else {
                    QFile file(path);
                    rc = file.open(QIODevice::WriteOnly) ? 0 : -1;
                    file.close();
                    if (rc == 0)
                        rc = ::setxattr(native.constData(), "user.overlay.whiteout", "", 0, 0);
                }
                break;
            }
            if (rc != 0)
                return errorFromErrno(errno, path);
        }
        lowerdirs.prepend(escapeOverlayPath(base));
    }
    QString options = QStringLiteral("lowerdir=") + lowerdirs.join(u':');
    if (lesson.upper) {
        const QString upper = QDir(dir).filePath(QStringLiteral("upper")), work = QDir(dir).filePath(QStringLiteral("work"));
        if (!QDir().mkpath(upper) || !QDir().mkpath(work))
            return makeError(ErrorCode::Io, QStringLiteral("cannot create %1").arg(upper), upper);
        options += QStringLiteral(",upperdir=%1,workdir=%2").arg(escapeOverlayPath(upper), escapeOverlayPath(work));
    }
    if (!root)
        options += QStringLiteral(",userxattr");
    if (!lesson.options.isEmpty())
        options += u',' + lesson.options;
    return overlaySource(options);
}

} // namespace strata
