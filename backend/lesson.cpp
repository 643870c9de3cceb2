// SPDX-License-Identifier: GPL-3.0-or-later
#include "lesson.h"

#include "contentreader.h"
#include "dockerstorage.h"
#include "overlayconfig.h"
#include "overlayrules.h"
#include "overlaystack.h"
#include "source.h"
#include "subtreesize.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
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

const std::array<std::pair<const char *, LessonCheck::Kind>, 17> checkKinds{{
    {"layer-has", LessonCheck::Kind::LayerHas},
    {"layer-lacks", LessonCheck::Kind::LayerLacks},
    {"merged-has", LessonCheck::Kind::MergedHas},
    {"merged-lacks", LessonCheck::Kind::MergedLacks},
    {"merged-content", LessonCheck::Kind::MergedContent},
    {"change-is", LessonCheck::Kind::ChangeIs},
    {"event", LessonCheck::Kind::Event},
    {"action-fails", LessonCheck::Kind::ActionFails},
    {"kept-open-reads", LessonCheck::Kind::KeptOpenReads},
    {"mount-option", LessonCheck::Kind::MountOption},
    {"merged-same-inode", LessonCheck::Kind::MergedSameInode},
    {"merged-other-inode", LessonCheck::Kind::MergedOtherInode},
    {"bytes-at-least", LessonCheck::Kind::BytesAtLeast},
    {"bytes-at-most", LessonCheck::Kind::BytesAtMost},
    {"run-output", LessonCheck::Kind::RunOutput},
    {"docker-layerdb", LessonCheck::Kind::DockerLayerdb},
}};

const std::array<std::pair<const char *, LessonEntry::Type>, 6> entryTypes{{
    {"file", LessonEntry::Type::File},
    {"dir", LessonEntry::Type::Dir},
    {"symlink", LessonEntry::Type::Symlink},
    {"whiteout", LessonEntry::Type::Whiteout},
    {"opaque-dir", LessonEntry::Type::OpaqueDir},
    {"hardlink", LessonEntry::Type::Hardlink},
}};

const QStringList actionOps{QStringLiteral("create"), QStringLiteral("write"),  QStringLiteral("append"), QStringLiteral("truncate"), QStringLiteral("chmod"),
                            QStringLiteral("chown"),  QStringLiteral("touch"),  QStringLiteral("rename"), QStringLiteral("unlink"),   QStringLiteral("rmdir"),
                            QStringLiteral("mkdir"),  QStringLiteral("symlink"), QStringLiteral("link"),  QStringLiteral("setxattr"), QStringLiteral("keep-open"),
                            QStringLiteral("remount"), QStringLiteral("run")};
// Operations that act on the merged tree below a path as well (chmod -R).
const QStringList recursiveOps{QStringLiteral("chmod"), QStringLiteral("chown"), QStringLiteral("touch")};
const QStringList dockerLayerdbValues{QStringLiteral("diff"), QStringLiteral("parent"), QStringLiteral("cache-id"), QStringLiteral("link"), QStringLiteral("lower")};
const QStringList stateTypes{QStringLiteral("file"),       QStringLiteral("dir"),      QStringLiteral("symlink"), QStringLiteral("whiteout"),
                             QStringLiteral("opaque-dir"), QStringLiteral("redirect"), QStringLiteral("metacopy")};

// "4096" → (4096, ""); "0.9 image1" → (0.9, "image1"): a fraction of a layer's bytes below the same path.
std::optional<std::pair<double, QString>> byteLimit(const QString &value)
{
    const QStringList words = value.split(u' ', Qt::SkipEmptyParts);
    bool ok = false;
    const double number = words.value(0).toDouble(&ok);
    if (!ok || number < 0 || words.size() > 2)
        return std::nullopt;
    return std::pair{number, words.value(1)};
}

// The errno names a lesson may expect of an action: what overlayfs answers in its odd corners.
const std::array<std::pair<const char *, int>, 10> errnoNames{{
    {"EXDEV", EXDEV}, {"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOENT", ENOENT}, {"EEXIST", EEXIST},
    {"ENOTEMPTY", ENOTEMPTY}, {"EROFS", EROFS}, {"ELOOP", ELOOP}, {"EOPNOTSUPP", EOPNOTSUPP}, {"EINVAL", EINVAL},
}};

int errnoFromName(const QString &name)
{
    const auto it = std::find_if(errnoNames.begin(), errnoNames.end(), [&](const auto &e) { return name == QLatin1StringView(e.first); });
    return it == errnoNames.end() ? 0 : it->second;
}

QString errnoName(int error)
{
    const auto it = std::find_if(errnoNames.begin(), errnoNames.end(), [&](const auto &e) { return e.second == error; });
    return it == errnoNames.end() ? QStringLiteral("errno %1").arg(error) : QLatin1StringView(it->first).toString();
}

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
    r.onlyKeys(root, {"id", "title", "summary", "lowers", "source", "upper", "options", "needs_root", "steps"}, QStringLiteral("lesson"));
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
    lesson.source = r.string(root, QStringLiteral("source"), QStringLiteral("lesson"), false);
    const QJsonArray lowers = root.value(QStringLiteral("lowers")).toArray();
    if (lowers.isEmpty() == lesson.source.isEmpty())
        r.fail(QStringLiteral("lesson.lowers"), QStringLiteral("needs at least one layer, or a \"source\" instead"));
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
            r.onlyKeys(e, {"path", "type", "content", "target", "mode", "size"}, at);
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
            if (e.contains(QStringLiteral("size"))) {
                entry.size = e.value(QStringLiteral("size")).toInteger(-1);
                if (entry.type != LessonEntry::Type::File || entry.size < 0 || entry.size > (int64_t(64) << 20))
                    r.fail(at + QStringLiteral(".size"), QStringLiteral("a file's size: bytes from 0 to 64 MiB"));
            }
            if (entry.type == LessonEntry::Type::Hardlink
                && std::none_of(layer.entries.begin(), layer.entries.end(), [&](const LessonEntry &o) { return o.path == entry.target && o.type == LessonEntry::Type::File; }))
                r.fail(at + QStringLiteral(".target"), QStringLiteral("a hardlink names a file listed before it in the same layer"));
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
            const QString at = where + QStringLiteral(".action");
            r.onlyKeys(a, {"op", "path", "argument", "recursive", "fresh", "argv", "network"}, at);
            LessonAction action;
            action.op = r.string(a, QStringLiteral("op"), at);
            const bool onAPath = action.op != u"remount" && action.op != u"run";
            action.path = r.string(a, QStringLiteral("path"), at, onAPath);
            action.argument = r.string(a, QStringLiteral("argument"), at, false);
            action.recursive = a.value(QStringLiteral("recursive")).toBool(false);
            action.fresh = a.value(QStringLiteral("fresh")).toBool(false);
            action.network = a.value(QStringLiteral("network")).toBool(false);
            for (const QJsonValue &word : a.value(QStringLiteral("argv")).toArray())
                action.argv << word.toString();
            if (!actionOps.contains(action.op))
                r.fail(at + QStringLiteral(".op"), QStringLiteral("unknown operation \"%1\"").arg(action.op));
            if (onAPath && !validPath(action.path))
                r.fail(at + QStringLiteral(".path"), QStringLiteral("must start with / and contain no .."));
            if (action.recursive && !recursiveOps.contains(action.op))
                r.fail(at + QStringLiteral(".recursive"), QStringLiteral("only chmod, chown and touch act recursively"));
            if (action.fresh && action.op != u"remount")
                r.fail(at + QStringLiteral(".fresh"), QStringLiteral("only remount starts afresh"));
            if ((action.op == u"run") != !action.argv.isEmpty() || action.argv.contains(QString()))
                r.fail(at + QStringLiteral(".argv"), QStringLiteral("run needs argv, a list of non-empty strings; other operations take none"));
            if (action.network && action.op != u"run")
                r.fail(at + QStringLiteral(".network"), QStringLiteral("only run has a network"));
            step.action = std::move(action);
        }
        const QJsonArray checks = o.value(QStringLiteral("checks")).toArray();
        for (qsizetype j = 0; j < checks.size(); ++j) {
            const QString at = QStringLiteral("%1.checks[%2]").arg(where).arg(j);
            const QJsonObject c = checks.at(j).toObject();
            r.onlyKeys(c, {"kind", "layer", "path", "type", "value", "process"}, at);
            LessonCheck check;
            const QString kind = r.string(c, QStringLiteral("kind"), at);
            const auto known = std::find_if(checkKinds.begin(), checkKinds.end(), [&](const auto &k) { return kind == QLatin1StringView(k.first); });
            if (known == checkKinds.end())
                r.fail(at + QStringLiteral(".kind"), QStringLiteral("unknown check \"%1\"").arg(kind));
            else
                check.kind = known->second;
            using K = LessonCheck::Kind;
            const bool pathless = check.kind == K::ActionFails || check.kind == K::RunOutput || check.kind == K::DockerLayerdb || check.kind == K::MountOption;
            check.layer = r.string(c, QStringLiteral("layer"), at, false);
            check.path = r.string(c, QStringLiteral("path"), at, !pathless);
            check.type = r.string(c, QStringLiteral("type"), at, false);
            check.value = r.string(c, QStringLiteral("value"), at, false);
            check.process = r.string(c, QStringLiteral("process"), at, false);
            if (!check.process.isEmpty() && check.kind != K::Event)
                r.fail(at + QStringLiteral(".process"), QStringLiteral("only an event check names a process"));
            const bool needsValue = check.kind == K::ActionFails || check.kind == K::KeptOpenReads || check.kind == K::MergedSameInode || check.kind == K::MergedOtherInode
                || check.kind == K::BytesAtLeast || check.kind == K::BytesAtMost || check.kind == K::RunOutput || check.kind == K::DockerLayerdb
                || check.kind == K::MountOption;
            if (needsValue && check.value.isEmpty())
                r.fail(at + QStringLiteral(".value"), QStringLiteral("missing"));
            if ((check.kind == K::MergedSameInode || check.kind == K::MergedOtherInode) && !validPath(check.value))
                r.fail(at + QStringLiteral(".value"), QStringLiteral("the other path: must start with / and contain no .."));
            if ((check.kind == K::BytesAtLeast || check.kind == K::BytesAtMost || check.kind == K::DockerLayerdb) && check.layer.isEmpty())
                r.fail(at + QStringLiteral(".layer"), QStringLiteral("missing"));
            if (check.kind == K::DockerLayerdb && !dockerLayerdbValues.contains(check.value))
                r.fail(at + QStringLiteral(".value"), QStringLiteral("one of %1").arg(dockerLayerdbValues.join(QStringLiteral(", "))));
            if ((check.kind == K::BytesAtLeast || check.kind == K::BytesAtMost) && !byteLimit(check.value))
                r.fail(at + QStringLiteral(".value"), QStringLiteral("bytes (\"4096\") or a fraction of a layer (\"0.9 image1\")"));
            if (check.kind == K::ActionFails && errnoFromName(check.value) == 0)
                r.fail(at + QStringLiteral(".value"), QStringLiteral("an errno name such as EXDEV"));
            if (!pathless && !validPath(check.path))
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

QString shortHash(const QString &id)
{
    return (id.startsWith(QStringLiteral("sha256:")) ? id.mid(7) : id).left(12) + QStringLiteral("…");
}

// Docker's own files for image layer N (docs/lessons.md's docker-layerdb), read through DockerStorage.
CheckResult evaluateDockerLayerdb(const LessonCheck &check, const OverlayStack &stack, const LessonContext &context)
{
    if (context.dockerRoot.isEmpty())
        return {false, QStringLiteral("the lesson has no docker-storage source")};
    bool ok = false;
    const int n = check.layer.startsWith(QStringLiteral("lower ")) ? check.layer.mid(6).toInt(&ok) : -1;
    auto records = DockerStorage(context.dockerRoot).layerRecords(context.dockerImage);
    if (!records)
        return {false, records.error().message()};
    if (!ok || n < 0 || size_t(n) >= records->size() || size_t(n) >= stack.config.layers.size())
        return {false, QStringLiteral("the image has %1 layers, no \"%2\"").arg(records->size()).arg(check.layer)};
    const DockerStorage::LayerRecord &r = (*records)[size_t(n)];
    const QString db = QStringLiteral("layerdb/sha256/%1").arg(shortHash(r.chainId));
    if (check.value == u"diff")
        return {!r.diffId.isEmpty(), QStringLiteral("%1/diff is %2: the image's diff id %3").arg(db, shortHash(r.diffId)).arg(n)};
    if (check.value == u"parent") {
        if (n == 0)
            return {r.parent.isEmpty(), r.parent.isEmpty() ? QStringLiteral("%1 has no parent file: the bottom layer").arg(db) : QStringLiteral("%1 names a parent").arg(db)};
        const bool holds = r.parent == QStringLiteral("sha256:") + (*records)[size_t(n) - 1].chainId;
        return {holds, QStringLiteral("%1/parent is %2, the chain id of the layer below").arg(db, shortHash(r.parent))};
    }
    const QString layerDir = QFileInfo(stack.config.layers[size_t(n)].path).canonicalFilePath();
    if (check.value == u"cache-id") {
        const bool holds = !r.cacheId.isEmpty() && QFileInfo(r.diffDir).canonicalFilePath() == layerDir;
        return {holds, QStringLiteral("%1/cache-id is %2: overlay2/%2/diff is %3 of the stack").arg(db, shortHash(r.cacheId), check.layer)};
    }
    if (check.value == u"link") {
        const QString linkPath = context.dockerRoot + QStringLiteral("/overlay2/l/") + r.link;
        const bool holds = !r.link.isEmpty() && QFileInfo(linkPath).isSymLink() && QFileInfo(linkPath).canonicalFilePath() == layerDir;
        return {holds, QStringLiteral("overlay2/l/%1 → ../%2/diff (%3)").arg(r.link, shortHash(r.cacheId), check.layer)};
    }
    // lower: the short links of every layer below, topmost first, as Docker passes them to mount.
    QStringList expected;
    for (int below = n - 1; below >= 0; --below)
        expected << QStringLiteral("l/") + (*records)[size_t(below)].link;
    const bool holds = r.lower == expected.join(u':');
    return {holds, n == 0 ? QStringLiteral("overlay2/%1/lower: %2").arg(shortHash(r.cacheId), r.lower.isEmpty() ? QStringLiteral("none, the bottom layer") : r.lower)
                          : QStringLiteral("overlay2/%1/lower lists %2 layers below: %3").arg(shortHash(r.cacheId)).arg(r.lower.count(u':') + 1).arg(r.lower.left(60))};
}

} // namespace

CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const std::vector<ObservedEvent> *events)
{
    LessonContext context;
    context.events = events;
    return evaluateCheck(check, lesson, stack, context);
}

bool isStateCheck(const LessonCheck &check)
{
    using K = LessonCheck::Kind;
    return check.kind != K::Event && check.kind != K::ActionFails && check.kind != K::RunOutput;
}

CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const LessonContext &context)
{
    const std::vector<ObservedEvent> *events = context.events;
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
        // "/#index" stands for any entry of the work dir's index (named by a file handle).
        const auto relative = [](const QString &p) { return p.startsWith(u'/') ? p.mid(1) : p; };
        const QString wanted = relative(check.path);
        const auto samePath = [&](const QString &p) { return wanted == u"#index" ? p.startsWith(QStringLiteral("#index/")) : relative(p) == wanted; };
        const auto match = std::find_if(events->begin(), events->end(), [&](const ObservedEvent &e) {
            return e.kind == check.value && samePath(e.path) && (check.process.isEmpty() || e.process == check.process);
        });
        const bool seen = match != events->end();
        const QString by = check.process.isEmpty() ? QString() : QStringLiteral(" by %1").arg(check.process);
        return {seen, seen ? QStringLiteral("the kernel did %1 for %2%3").arg(check.value, seen && wanted == u"#index" ? match->path : check.path, by)
                           : QStringLiteral("no %1 event for %2%3 yet").arg(check.value, check.path, by)};
    }
    case LessonCheck::Kind::ActionFails: {
        const int wanted = errnoFromName(check.value);
        if (!context.actionErrno)
            return {false, QStringLiteral("the step's action has not been done")};
        if (*context.actionErrno == 0)
            return {false, QStringLiteral("the action succeeded; %1 was expected").arg(check.value)};
        return {*context.actionErrno == wanted, QStringLiteral("the action failed with %1").arg(errnoName(*context.actionErrno))};
    }
    case LessonCheck::Kind::KeptOpenReads: {
        if (!context.readKeptOpen)
            return {false, QStringLiteral("reading a kept-open file needs a live session (Mount)")};
        auto data = context.readKeptOpen(check.path);
        if (!data)
            return {false, QStringLiteral("the fd kept open on %1: %2").arg(check.path, data.error().message())};
        const bool same = data->startsWith(check.value.toUtf8());
        // Whether a read-only fd follows a copy-up depends on the kernel (since 4.19 it does): say which one answered.
        struct utsname kernel{};
        const QString release = ::uname(&kernel) == 0 ? QStringLiteral(" (Linux %1)").arg(QString::fromLatin1(kernel.release)) : QString();
        return {same, QStringLiteral("the fd opened read-only on %1 earlier reads \"%2\"…%3").arg(check.path, QString::fromUtf8(data->left(80)).section(u'\n', 0, 0), release)};
    }
    case LessonCheck::Kind::MergedSameInode:
    case LessonCheck::Kind::MergedOtherInode: {
        if (!context.statMerged)
            return {false, QStringLiteral("comparing inodes needs the kernel's merged view (Mount)")};
        auto a = context.statMerged(check.path);
        auto b = context.statMerged(check.value);
        if (!a || !b)
            return {false, (a ? b.error() : a.error()).message()};
        const qint64 inoA = a->value(QStringLiteral("ino")).toInteger(), inoB = b->value(QStringLiteral("ino")).toInteger();
        const bool same = inoA == inoB;
        const QString detail = same ? QStringLiteral("%1 and %2 are one inode (%3)").arg(check.path, check.value).arg(inoA)
                                    : QStringLiteral("%1 is inode %2, %3 inode %4").arg(check.path).arg(inoA).arg(check.value).arg(inoB);
        return {same == (check.kind == LessonCheck::Kind::MergedSameInode), detail};
    }
    case LessonCheck::Kind::BytesAtLeast:
    case LessonCheck::Kind::BytesAtMost: {
        const auto limit = byteLimit(check.value);
        const auto l = layerOf(check.layer, lesson, stack);
        if (!limit || !l)
            return {false, QStringLiteral("the stack has no layer \"%1\"").arg(check.layer)};
        const auto bytesBelow = [&](size_t layer) -> uint64_t {
            const EntryId id = stack.layers[layer].find(path);
            return id == noEntry || layer >= stack.sizes.layers.size() ? 0 : stack.sizes.layerTotal(layer, id);
        };
        double bound = limit->first;
        QString boundText = QString::number(uint64_t(bound));
        if (!limit->second.isEmpty()) {
            const auto of = layerOf(limit->second, lesson, stack);
            if (!of)
                return {false, QStringLiteral("the stack has no layer \"%1\"").arg(limit->second)};
            bound = limit->first * double(bytesBelow(*of));
            boundText = QStringLiteral("%1 × %2's %3").arg(limit->first).arg(limit->second).arg(bytesBelow(*of));
        }
        const uint64_t bytes = bytesBelow(*l);
        const bool atLeast = check.kind == LessonCheck::Kind::BytesAtLeast;
        const bool holds = atLeast ? double(bytes) >= bound : double(bytes) <= bound;
        return {holds, QStringLiteral("%1 holds %2 bytes below %3 (%4 %5)").arg(check.layer).arg(bytes).arg(check.path, atLeast ? QStringLiteral("≥") : QStringLiteral("≤"), boundText)};
    }
    case LessonCheck::Kind::MountOption: {
        if (context.mountOptions.isEmpty())
            return {false, QStringLiteral("mount options need a live mount (Mount)")};
        const bool has = context.mountOptions.contains(check.value);
        return {has, has ? QStringLiteral("the overlay is mounted with %1").arg(check.value) : QStringLiteral("the overlay is mounted without %1").arg(check.value)};
    }
    case LessonCheck::Kind::RunOutput: {
        const bool printed = context.runOutput.contains(check.value);
        return {printed, printed ? QStringLiteral("the command printed \"%1\"").arg(check.value)
                                 : QStringLiteral("the command did not print \"%1\" (it printed %2 bytes)").arg(check.value).arg(context.runOutput.toUtf8().size())};
    }
    case LessonCheck::Kind::DockerLayerdb:
        return evaluateDockerLayerdb(check, stack, context);
    }
    return {};
}

Expected<QString> createLessonStack(const Lesson &lesson, const QString &dir)
{
    return createLessonSource(lesson, dir, QString());
}

std::optional<std::pair<QString, QString>> dockerStorageOf(const Lesson &lesson, const QString &dataRoot)
{
    static const QString prefix = QStringLiteral("docker-storage:{data-root}:");
    if (!lesson.source.startsWith(prefix) || dataRoot.isEmpty())
        return std::nullopt;
    return std::pair{dataRoot, lesson.source.mid(prefix.size())};
}

namespace {

// A lesson's `source` resolved into lowerdir=… (topmost first); its own upper, if any, is a lower too.
Expected<QStringList> sourceLowers(const Lesson &lesson, const QString &dataRoot)
{
    QString spec = lesson.source;
    if (spec.contains(QStringLiteral("{data-root}"))) {
        if (dataRoot.isEmpty())
            return makeError(ErrorCode::InvalidOption,
                             QStringLiteral("lesson %1 opens an image in a Docker data root: give it (strata-cli lesson run %2 --data-root DIR, or STRATA_LESSON_DATA_ROOT)").arg(lesson.id).arg(lesson.number));
        spec.replace(QStringLiteral("{data-root}"), QDir(dataRoot).absolutePath());
    }
    auto source = openSource(spec, QDir::currentPath());
    if (!source)
        return source.error();
    QStringList lowerdirs;
    for (const LayerSpec &layer : (*source)->config().layers)
        lowerdirs.prepend(escapeOverlayPath(layer.path));
    return lowerdirs;
}

} // namespace

Expected<QString> createLessonSource(const Lesson &lesson, const QString &dir, const QString &dataRoot, bool withOptions)
{
    const bool root = ::geteuid() == 0;
    QStringList lowerdirs; // topmost first
    if (!lesson.source.isEmpty()) {
        auto lowers = sourceLowers(lesson, dataRoot);
        if (!lowers)
            return lowers.error();
        lowerdirs = *lowers;
    }
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
                QByteArray content = e.content;
                if (e.size >= 0) {
                    content = e.content.isEmpty() ? QByteArray(qsizetype(e.size), '\0') : e.content.repeated(qsizetype(e.size / e.content.size() + 1));
                    content.truncate(qsizetype(e.size));
                }
                if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
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
            case LessonEntry::Type::Hardlink:
                rc = ::link(QFile::encodeName(base + e.target).constData(), native.constData());
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
    if (withOptions && !lesson.options.isEmpty())
        options += u',' + lesson.options;
    return overlaySource(options);
}

} // namespace strata
