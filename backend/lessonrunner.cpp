// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessonrunner.h"

#include "fileoprequest.h"
#include "overlaystack.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>

#include <algorithm>
#include <sys/stat.h>

namespace strata {

namespace {

QJsonObject mountArg(const QString &mount)
{
    return QJsonObject{{QStringLiteral("mount"), mount}};
}

// The kernel leaves work/work mode 000 (owned by the user in rootless mode): make `dir` removable.
void makeRemovable(const QString &dir)
{
    ::chmod(QFile::encodeName(dir).constData(), 0700);
    QDirIterator dirs(dir, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (dirs.hasNext())
        ::chmod(QFile::encodeName(dirs.next()).constData(), 0700);
}

// Empties `dir` but keeps it (an upper or work dir the next mount uses).
bool emptyDirectory(const QString &dir)
{
    makeRemovable(dir);
    const QDir d(dir);
    for (const QFileInfo &entry : d.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        const bool removed = entry.isDir() && !entry.isSymLink() ? QDir(entry.filePath()).removeRecursively() : QFile::remove(entry.filePath());
        if (!removed)
            return false;
    }
    return true;
}

} // namespace

LessonRunner::LessonRunner(Lesson lesson, Options options)
    : m_lesson(std::move(lesson))
    , m_options(std::move(options))
{
}

LessonRunner::~LessonRunner()
{
    stop();
}

void LessonRunner::stop()
{
    if (m_client)
        m_client->stop(); // unmounts: the kernel's work dir can go now
    m_client.reset();
    m_keptOpen.clear();
    if (m_dir) {
        makeRemovable(m_dir->path());
        m_dir.reset();
    }
}

std::optional<Error> LessonRunner::start()
{
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return makeError(ErrorCode::Io, QStringLiteral("cannot create a temporary directory"));
    auto base = createLessonSource(m_lesson, m_dir->path(), m_options.dataRoot, false);
    if (!base)
        return base.error();
    m_baseSource = *base;
    m_client = std::make_unique<HelperClient>(m_options.helper);
    if (auto e = m_client->start())
        return e;
    return mount(m_lesson.options);
}

std::optional<Error> LessonRunner::mount(const QString &extraOptions)
{
    m_source = extraOptions.isEmpty() ? m_baseSource : m_baseSource + u',' + extraOptions;
    auto mounted = m_client->call(QStringLiteral("mount"), QJsonObject{{QStringLiteral("source"), m_source}, {QStringLiteral("options"), QJsonArray::fromStringList(m_options.mountOptions)}});
    if (!mounted)
        return mounted.error();
    m_mount = mounted->value(QStringLiteral("mount")).toString();
    if (auto watch = m_client->call(QStringLiteral("watch"), mountArg(m_mount)); !watch)
        return watch.error();
    return std::nullopt;
}

std::optional<Error> LessonRunner::collectEvents()
{
    if (auto synced = m_client->call(QStringLiteral("sync"), mountArg(m_mount)); !synced)
        return synced.error();
    while (!m_client->pendingEvents().empty()) {
        const helper::Message m = m_client->pendingEvents().front();
        m_client->pendingEvents().pop_front();
        if (m.event != u"change")
            continue;
        m_events.push_back({m.result.value(QStringLiteral("kind")).toString(), m.result.value(QStringLiteral("path")).toString(),
                            m.result.value(QStringLiteral("comm")).toString()});
    }
    return std::nullopt;
}

Expected<LessonRunner::Outcome> LessonRunner::perform(size_t s)
{
    if (!m_client || s >= m_lesson.steps.size())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("no step %1 in a running lesson").arg(s + 1));
    m_last = Outcome{};
    m_actedStep = s;
    const LessonStep &step = m_lesson.steps[s];
    if (!step.action)
        return m_last;
    const LessonAction &action = *step.action;
    Expected<Outcome> done = action.op == u"remount" ? remount(action) : action.op == u"run" ? run(action) : fileOperation(action);
    if (!done)
        return done.error();
    m_last = *done;
    m_last.acted = true;
    if (auto e = collectEvents())
        return *e;
    return m_last;
}

Expected<LessonRunner::Outcome> LessonRunner::remount(const LessonAction &action)
{
    Outcome outcome;
    outcome.description = QStringLiteral("remount %1%2").arg(action.argument.isEmpty() ? QStringLiteral("(no options)") : action.argument,
                                                             action.fresh ? QStringLiteral(", empty upper") : QString());
    for (const auto &[path, handle] : m_keptOpen)
        m_client->call(QStringLiteral("close"), QJsonObject{{QStringLiteral("handle"), qint64(handle)}});
    m_keptOpen.clear();
    if (auto unmounted = m_client->call(QStringLiteral("unmount"), mountArg(m_mount)); !unmounted)
        return unmounted.error();
    m_client->pendingEvents().clear();
    if (action.fresh) {
        for (const char *name : {"upper", "work"}) {
            const QString dir = m_dir->filePath(QLatin1StringView(name));
            if (QFileInfo(dir).isDir() && !emptyDirectory(dir))
                return makeError(ErrorCode::Io, QStringLiteral("cannot empty %1").arg(dir), dir);
        }
        m_events.clear(); // a new experiment: what the old upper saw does not count
    }
    if (auto e = mount(action.argument))
        outcome.error = *e; // the kernel refused the options: the lesson's checks say what follows
    return outcome;
}

Expected<LessonRunner::Outcome> LessonRunner::run(const LessonAction &action)
{
    Outcome outcome;
    outcome.description = QStringLiteral("run %1").arg(action.argv.join(u' ').left(60));
    QJsonObject args{{QStringLiteral("mount"), m_mount},
                     {QStringLiteral("argv"), QJsonArray::fromStringList(action.argv)},
                     {QStringLiteral("env"), QJsonArray{QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")}}};
    if (action.network)
        args.insert(QStringLiteral("network"), true);
    QByteArray out, err;
    auto ran = m_client->call(QStringLiteral("run"), args,
                              [&](const helper::Message &m) {
                                  if (m.event == u"stdout" || m.event == u"stderr")
                                      (m.event == u"stdout" ? out : err) += m.result.value(QStringLiteral("data")).toString().toUtf8();
                              },
                              m_options.runTimeoutMs);
    outcome.output = QString::fromUtf8(out);
    outcome.errorOutput = QString::fromUtf8(err);
    if (!ran) {
        if (!m_client->running())
            return ran.error();
        outcome.error = ran.error();
    } else if (ran->contains(QStringLiteral("signal")) || ran->value(QStringLiteral("exit")).toInt() != 0) {
        outcome.error = makeError(ErrorCode::Io, ran->contains(QStringLiteral("signal")) ? QStringLiteral("the command was killed by signal %1").arg(ran->value(QStringLiteral("signal")).toInt())
                                                                                         : QStringLiteral("the command exited with %1").arg(ran->value(QStringLiteral("exit")).toInt()));
    }
    return outcome;
}

Expected<LessonRunner::Outcome> LessonRunner::fileOperation(const LessonAction &action)
{
    Outcome outcome;
    // chmod -R and friends: the path and every path below it in the merged view, parents first.
    QStringList paths{action.path};
    if (action.recursive) {
        auto stack = OverlayStack::open(m_source, QStringLiteral("/"), nullptr, OverlayStack::LoadDepth::MergedView);
        if (!stack)
            return stack.error();
        const QString prefix = action.path == u"/" ? action.path : action.path + u'/';
        for (MergedId id = 1; id < stack->merged.nodes.size(); ++id) {
            const QString p = QString::fromStdString(stack->mergedPath(id));
            if (stack->merged.nodes[id].lookupErrno == 0 && p.startsWith(prefix))
                paths << p;
        }
        std::sort(paths.begin() + 1, paths.end());
    }
    outcome.description = QStringLiteral("%1%2 %3").arg(action.op, action.recursive ? QStringLiteral(" -R") : QString(), action.path);
    if (action.recursive)
        outcome.description += QStringLiteral(" (%1 paths)").arg(paths.size());
    for (const QString &path : std::as_const(paths)) {
        LessonAction one = action;
        one.path = path;
        auto request = requestForAction(one);
        if (!request)
            return request.error();
        request->args.insert(QStringLiteral("mount"), m_mount);
        auto done = m_client->call(request->op, request->args);
        if (!done) {
            if (!m_client->running())
                return done.error();
            outcome.error = done.error();
            break;
        }
        if (action.op == u"keep-open") {
            if (const auto kept = m_keptOpen.find(path); kept != m_keptOpen.end())
                m_client->call(QStringLiteral("close"), QJsonObject{{QStringLiteral("handle"), qint64(kept->second)}});
            m_keptOpen[path] = done->value(QStringLiteral("handle")).toInteger();
        }
    }
    return outcome;
}

Expected<QJsonObject> LessonRunner::statMerged(const QString &path)
{
    // open gives the stat of the merged inode, as the kernel reports it (st_ino included).
    auto opened = m_client->call(QStringLiteral("open"), QJsonObject{{QStringLiteral("mount"), m_mount}, {QStringLiteral("path"), path}});
    if (!opened)
        return opened.error();
    m_client->call(QStringLiteral("close"), QJsonObject{{QStringLiteral("handle"), opened->value(QStringLiteral("handle"))}});
    return opened;
}

Expected<QByteArray> LessonRunner::readKeptOpen(const QString &path)
{
    const auto kept = m_keptOpen.find(path);
    if (kept == m_keptOpen.end())
        return makeError(ErrorCode::NotFound, QStringLiteral("no fd is kept open on %1 (a keep-open action opens one)").arg(path), path);
    auto read = m_client->call(QStringLiteral("read-handle"), QJsonObject{{QStringLiteral("handle"), qint64(kept->second)}, {QStringLiteral("size"), qint64(32768)}});
    if (!read)
        return read.error();
    return read->value(QStringLiteral("data")).toString().toUtf8();
}

Expected<std::vector<CheckResult>> LessonRunner::evaluate(size_t s)
{
    if (!m_client || s >= m_lesson.steps.size())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("no step %1 in a running lesson").arg(s + 1));
    auto stack = OverlayStack::open(m_source, QStringLiteral("/"));
    if (!stack)
        return stack.error();
    LessonContext context;
    context.events = &m_events;
    if (m_actedStep == s && m_last.acted) {
        context.actionErrno = m_last.error ? (m_last.error->sysErrno ? m_last.error->sysErrno : -1) : 0;
        context.runOutput = m_last.output;
    }
    // What the mount was asked for and the kernel took (a refused option fails the mount): the
    // lesson's options, the remount's and --option's; not the layer paths.
    for (const QString &option : m_source.mid(int(sizeof("overlay:") - 1)).split(u',') + m_options.mountOptions) {
        if (!option.startsWith(QStringLiteral("lowerdir=")) && !option.startsWith(QStringLiteral("upperdir=")) && !option.startsWith(QStringLiteral("workdir=")))
            context.mountOptions << option;
    }
    if (context.mountOptions.isEmpty())
        context.mountOptions << QStringLiteral("defaults");
    context.statMerged = [this](const QString &path) { return statMerged(path); };
    context.readKeptOpen = [this](const QString &path) { return readKeptOpen(path); };
    if (const auto docker = dockerStorageOf(m_lesson, m_options.dataRoot)) {
        context.dockerRoot = QDir(docker->first).absolutePath();
        context.dockerImage = docker->second;
    }
    std::vector<CheckResult> results;
    for (const LessonCheck &check : m_lesson.steps[s].checks)
        results.push_back(evaluateCheck(check, m_lesson, *stack, context));
    return results;
}

} // namespace strata
