// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpercommands.h"

#include "changekind.h"
#include "fileoprequest.h"
#include "helperclient.h"
#include "helpermode.h"
#include "lesson.h"
#include "lessonrunner.h"
#include "mountplan.h"
#include "overlaystack.h"
#include "source.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::cli {

namespace {

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "strata-cli: %s\n", qUtf8Printable(message));
    return code;
}

std::string compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject one(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{key, value}};
}

Expected<MountPlan> prepare(const QString &sourceArg, const HelperCommandOptions &options, bool wantsUpper)
{
    return planMount(sourceArg, QDir::currentPath(), wantsUpper ? UpperChoice::Fresh : UpperChoice::AsSource, options.upper);
}

// `plan` given: auto mode is decided by what mounting it needs (helperModeFor: pkexec when rootless
// mode cannot give it); without one, direct as root and rootless otherwise.
Expected<std::unique_ptr<HelperClient>> startHelper(const HelperCommandOptions &options, const MountPlan *plan = nullptr)
{
    HelperClient::Options o;
    if (!options.helperMode.isEmpty()) {
        auto mode = helperModeFromName(options.helperMode);
        if (!mode)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("--helper is auto, direct, rootless or pkexec, not '%1'").arg(options.helperMode));
        o.mode = *mode;
    }
    if (plan) {
        auto choice = helperModeFor(*plan, options.mountOptions, o.mode);
        if (!choice)
            return choice.error();
        o.mode = choice->mode;
    }
    auto client = std::make_unique<HelperClient>(o);
    if (auto e = client->start())
        return *e;
    return client;
}

// --option values go into the source (withOptions: the kernel's implications, so metacopy=on
// brings redirect_dir=on); the helper then gets no separate options.
Expected<QString> mountVia(HelperClient &client, const QString &source, QJsonObject *result = nullptr)
{
    auto mounted = client.call(QStringLiteral("mount"), QJsonObject{{QStringLiteral("source"), source}, {QStringLiteral("options"), QJsonArray()}});
    if (!mounted)
        return mounted.error();
    if (result)
        *result = *mounted;
    return mounted->value(QStringLiteral("mount")).toString();
}

int session(HelperClient &client, const QString &mountId, const MountPlan &prepared, const HelperCommandOptions &options,
            const std::function<void(const std::string &)> &writeLine)
{
    QFile script(options.script);
    if (!script.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(QStringLiteral("cannot read the script %1").arg(options.script));
    auto watch = client.call(QStringLiteral("watch"), one(QStringLiteral("mount"), mountId));
    if (!watch)
        return fail(watch.error().message());
    int failures = 0;
    int lineNumber = 0;
    while (!script.atEnd()) {
        const QString line = QString::fromUtf8(script.readLine()).trimmed();
        ++lineNumber;
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        auto parsed = parseScriptLine(line);
        if (!parsed)
            return fail(QStringLiteral("%1:%2: %3").arg(options.script).arg(lineNumber).arg(parsed.error().message()), 2);
        QJsonObject out{{QStringLiteral("line"), lineNumber}, {QStringLiteral("op"), parsed->op}, {QStringLiteral("path"), parsed->args.value(QStringLiteral("path"))}};
        parsed->args.insert(QStringLiteral("mount"), mountId);
        auto result = client.call(parsed->op, parsed->args);
        if (!result && result.error().detail.startsWith(QStringLiteral("strata-helper")))
            return fail(result.error().message());
        if (result) {
            out.insert(QStringLiteral("ok"), true);
            if (result->contains(QStringLiteral("data")))
                out.insert(QStringLiteral("data"), result->value(QStringLiteral("data")));
        } else {
            ++failures;
            out.insert(QStringLiteral("ok"), false);
            out.insert(QStringLiteral("error"), helper::errorToJson(result.error()));
        }
        if (auto synced = client.call(QStringLiteral("sync"), one(QStringLiteral("mount"), mountId)); !synced)
            return fail(synced.error().message());
        QJsonArray events;
        QStringList paths;
        while (!client.pendingEvents().empty()) {
            const helper::Message m = client.pendingEvents().front();
            client.pendingEvents().pop_front();
            events.append(m.result);
            const QString p = m.result.value(QStringLiteral("path")).toString();
            if (!p.startsWith(u'#') && !paths.contains(p))
                paths << p;
        }
        out.insert(QStringLiteral("events"), events);
        // What the engine now calls each changed path in the upper layer (the window's cell kinds).
        auto stack = OverlayStack::open(prepared.source, QStringLiteral("/"));
        if (stack) {
            QJsonArray changes;
            const size_t upperLayer = stack->layers.size() - 1;
            for (const QString &p : paths) {
                const UnionId id = stack->findUnion(QString(u'/' + p).toStdString());
                const QString kind = id == noUnion ? QStringLiteral("absent") : QString::fromLatin1(changeKindName(stack->unionTree.kind(id, upperLayer)));
                changes.append(QJsonObject{{QStringLiteral("path"), p}, {QStringLiteral("change"), kind}});
            }
            out.insert(QStringLiteral("changes"), changes);
        } else {
            out.insert(QStringLiteral("changesError"), stack.error().message());
        }
        writeLine(compact(out));
    }
    return failures ? 1 : 0;
}

int run(HelperClient &client, const QString &mountId, const QStringList &argv)
{
    // A cleared environment: only a PATH for the image's own binaries.
    const QJsonArray env{QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")};
    auto result = client.call(QStringLiteral("run"), QJsonObject{{QStringLiteral("mount"), mountId}, {QStringLiteral("argv"), QJsonArray::fromStringList(argv)}, {QStringLiteral("env"), env}},
                              [](const helper::Message &m) {
                                  const QByteArray data = m.result.value(QStringLiteral("data")).toString().toUtf8();
                                  FILE *to = m.event == u"stderr" ? stderr : stdout;
                                  if (m.event == u"stdout" || m.event == u"stderr") {
                                      std::fwrite(data.constData(), 1, size_t(data.size()), to);
                                      std::fflush(to);
                                  }
                              },
                              24 * 3600 * 1000); // a command may run as long as it likes; the helper streams meanwhile
    if (!result)
        return fail(result.error().message(), 125);
    if (result->contains(QStringLiteral("signal")))
        return 128 + result->value(QStringLiteral("signal")).toInt();
    return result->value(QStringLiteral("exit")).toInt();
}

// A lesson's action as a helper request.
} // namespace

int runLesson(const QString &lessonArg, const HelperCommandOptions &options, bool json, const std::function<void(const std::string &)> &writeLine)
{
    // N picks a bundled lesson; anything else is a lesson file.
    Lesson lesson;
    bool isNumber = false;
    const int number = lessonArg.toInt(&isNumber);
    if (isNumber) {
        auto lessons = loadLessons();
        if (!lessons)
            return fail(lessons.error().message());
        const auto it = std::find_if(lessons->begin(), lessons->end(), [&](const Lesson &l) { return l.number == number; });
        if (it == lessons->end())
            return fail(QStringLiteral("there is no lesson %1 (strata-cli lesson list)").arg(number), 2);
        lesson = *it;
    } else {
        QFile file(lessonArg);
        if (!file.open(QIODevice::ReadOnly) || file.size() > (1 << 20))
            return fail(QStringLiteral("cannot read the lesson %1").arg(lessonArg), 2);
        auto parsed = parseLesson(file.readAll(), lessonArg);
        if (!parsed)
            return fail(parsed.error().message(), 2);
        lesson = std::move(parsed).value();
    }
    if (lesson.needsRoot && ::geteuid() != 0)
        return fail(QStringLiteral("lesson %1 needs root (trusted.* xattrs, other owners, mount options rootless overlays refuse): run it as root").arg(lesson.id), 2);
    LessonRunner::Options runOptions;
    if (!options.helperMode.isEmpty()) {
        auto mode = helperModeFromName(options.helperMode);
        if (!mode)
            return fail(QStringLiteral("--helper is auto, direct, rootless or pkexec, not '%1'").arg(options.helperMode), 2);
        runOptions.helper.mode = *mode;
    }
    runOptions.mountOptions = options.mountOptions;
    runOptions.dataRoot = !options.dataRoot.isEmpty() ? options.dataRoot : qEnvironmentVariable("STRATA_LESSON_DATA_ROOT");
    LessonRunner runner(lesson, runOptions);
    if (auto e = runner.start())
        return fail(e->message());

    const QString language = QLocale().name();
    int failed = 0;
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const LessonStep &step = lesson.steps[s];
        auto outcome = runner.perform(s);
        if (!outcome)
            return fail(outcome.error().message());
        auto results = runner.evaluate(s);
        if (!results)
            return fail(results.error().message());
        QJsonObject line{{QStringLiteral("step"), qint64(s + 1)}, {QStringLiteral("text"), step.text.in(language)}};
        if (outcome->acted)
            line.insert(QStringLiteral("action"), outcome->description);
        if (outcome->error)
            line.insert(QStringLiteral("error"), helper::errorToJson(*outcome->error));
        if (!outcome->output.isEmpty() || !outcome->errorOutput.isEmpty()) {
            line.insert(QStringLiteral("stdout"), outcome->output.right(4096));
            line.insert(QStringLiteral("stderr"), outcome->errorOutput.right(4096));
        }
        QJsonArray checks;
        QStringList text;
        for (const CheckResult &result : *results) {
            failed += !result.passed;
            checks.append(QJsonObject{{QStringLiteral("passed"), result.passed}, {QStringLiteral("detail"), result.detail}});
            text << QStringLiteral("    %1 %2").arg(result.passed ? QStringLiteral("✓") : QStringLiteral("✗"), result.detail);
        }
        if (json) {
            line.insert(QStringLiteral("checks"), checks);
            writeLine(compact(line));
        } else {
            writeLine(QStringLiteral("%1. %2%3").arg(s + 1).arg(step.text.in(language), outcome->acted ? QStringLiteral("  [%1]").arg(outcome->description) : QString()).toStdString());
            if (outcome->error)
                writeLine(QStringLiteral("    ! %1").arg(outcome->error->message()).toStdString());
            for (const QString &t : std::as_const(text))
                writeLine(t.toStdString());
        }
    }
    std::fflush(stdout);
    runner.stop();
    return failed ? 1 : 0;
}

int runHelperCommand(const QString &command, const QStringList &rest, const HelperCommandOptions &options, const std::function<void(const std::string &)> &writeLine)
{
    const bool isRun = command == u"run";
    const bool isSession = command == u"session";
    if (rest.isEmpty() || (isRun && rest.size() < 2) || (!isRun && rest.size() != 1) || (isSession && options.script.isEmpty())) {
        return fail(isRun       ? QStringLiteral("usage: strata-cli run SOURCE [--upper DIR] -- CMD ARGS...")
                        : isSession ? QStringLiteral("usage: strata-cli session SOURCE --script FILE [--upper DIR]")
                                    : QStringLiteral("usage: strata-cli %1 SOURCE").arg(command),
                    2);
    }
    auto prepared = prepare(rest.first(), options, isRun || isSession);
    if (!prepared)
        return fail(prepared.error().message());
    auto client = startHelper(options, &*prepared);
    if (!client)
        return fail(client.error().message());
    QStringList mountOptions = options.mountOptions;
    if ((*client)->mode() == HelperMode::Rootless && !mountOptions.contains(QStringLiteral("userxattr")))
        mountOptions << QStringLiteral("userxattr");
    auto withMountOptions = withOptions(std::move(prepared).value(), mountOptions);
    if (!withMountOptions)
        return fail(withMountOptions.error().message());
    prepared = std::move(withMountOptions);
    QJsonObject mountResult;
    auto mountId = mountVia(**client, prepared->source, &mountResult);
    if (!mountId)
        return fail(mountId.error().message());

    if (command == u"mount") {
        mountResult.insert(QStringLiteral("helperPid"), qint64((*client)->pid()));
        mountResult.insert(QStringLiteral("mode"), helperModeName((*client)->mode()));
        mountResult.insert(QStringLiteral("path"), QStringLiteral("/proc/%1/root%2").arg((*client)->pid()).arg(mountResult.value(QStringLiteral("merged")).toString()));
        writeLine(compact(mountResult));
        std::fflush(stdout);
        if (options.wait) {
            char buffer[256];
            while (::read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
            }
        }
        return 0;
    }
    if (command == u"verify") {
        auto verified = (*client)->call(QStringLiteral("verify"), one(QStringLiteral("mount"), *mountId), {}, 600 * 1000);
        if (!verified)
            return fail(verified.error().message());
        for (const QJsonValue &m : verified->value(QStringLiteral("mismatches")).toArray())
            writeLine(compact(m.toObject()));
        writeLine(compact(QJsonObject{{QStringLiteral("entries"), verified->value(QStringLiteral("entries"))}, {QStringLiteral("mismatches"), verified->value(QStringLiteral("mismatchCount"))}}));
        return verified->value(QStringLiteral("mismatchCount")).toInt() == 0 ? 0 : 1;
    }
    if (isRun)
        return run(**client, *mountId, rest.mid(1));
    return session(**client, *mountId, *prepared, options, writeLine);
}

} // namespace strata::cli
