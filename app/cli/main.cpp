// SPDX-License-Identifier: GPL-3.0-or-later
// strata-cli: the engine for scripts. Commands: ls, layers, diff, cat, explain, waste, check, images, mounts, demo;
// mount, verify, run and session go through strata-helper.
#include "bytesize.h"
#include "contentreader.h"
#include "demostack.h"
#include "helpersource.h"
#include "jsonwriter.h"
#include "lesson.h"
#include "helpercommands.h"
#include "logging.h"
#include "ocilayout.h"
#include "overlaystack.h"
#include "reports.h"
#include "storagereports.h"
#include "strata/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QLocale>

#include <QFile>

#include <cerrno>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>
#include <unistd.h>

using namespace strata;

namespace {

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "strata-cli: %s\n", qUtf8Printable(message));
    return code;
}

void writeLine(const std::string &line)
{
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
}

void writeProblem(const std::string &line)
{
    std::fprintf(stderr, "strata-cli: warning: %s\n", line.c_str());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("strata-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    static char stdoutBuffer[1 << 16];
    std::setvbuf(stdout, stdoutBuffer, _IOFBF, sizeof stdoutBuffer);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Explore OverlayFS stacks and container layers from scripts.\n\n"
        "Commands:\n"
        "  ls [--json] [--hash] [--layer N] SOURCE   the merged tree (or layer N), in tree order\n"
        "  layers [--json] SOURCE                    per-layer entries, bytes, changes, wasted bytes\n"
        "  diff [--json] [--layer N] SOURCE          what each layer changes relative to the layers below\n"
        "  cat [--layer N] SOURCE PATH               the bytes PATH holds in the merged view (or layer N)\n"
        "  explain SOURCE PATH                       every version of PATH, top-down: which one the merged view shows and why\n"
        "  waste [--json] SOURCE                     hidden and duplicated files, largest first, with why; totals and efficiency\n"
        "  check [--max-wasted BYTES] [--min-efficiency RATIO] [--json] SOURCE\n"
        "                                            for CI: exit 0 within the limits, 1 when one is exceeded, 2 on usage errors\n"
        "  images [--json] [docker-storage:ROOT | containers-storage:ROOT]\n"
        "                                            images and containers in Docker's or podman/buildah's storage, with their SOURCE\n"
        "  mounts [--json]                           overlay mounts on this machine, with their SOURCE\n"
        "  demo DIR                                  create the walkthrough's demo stack in DIR, print its SOURCE\n"
        "  lesson list [--json]                      the bundled lessons, numbered\n"
        "  lesson run [--json] [--data-root DIR] N|FILE   run a lesson through strata-helper: each step's action, its checks; 1 when one fails\n"
        "  mount [--wait] [--option OPT]... SOURCE   mount through strata-helper in its private namespace, print where\n"
        "                                            (gone when strata-cli exits; --wait keeps it until stdin closes)\n"
        "  verify SOURCE                             mount, compare the engine's merged view with the kernel's, list mismatches\n"
        "  run SOURCE [--upper DIR] -- CMD ARGS...   run CMD in the merged root (new mount, PID and UTS namespaces, empty env)\n"
        "  session SOURCE --script FILE [--upper DIR]\n"
        "                                            file operations from FILE (\"OP PATH key=value...\"), each with its events\n"
        "                                            and the resulting change kinds\n"
        "  (mount, verify, run, session: --helper auto|direct|rootless|pkexec; without --upper a temporary upper)\n\n"
        "SOURCE: overlay:OPTIONS        OPTIONS exactly as given to mount -t overlay -o\n"
        "                               (lowerdir=top:...:bottom[::data...],upperdir=...,workdir=...,redirect_dir=...,metacopy=...,userxattr)\n"
        "        oci:PATH[:REF]         an OCI image layout; REF a ref name or digest (--platform os/arch for a multi-platform index)\n"
        "        docker-archive:PATH[:NAME:TAG]\n"
        "                               docker save output, read in place\n"
        "        docker-storage:[ROOT:]IMAGE|CONTAINER\n"
        "                               Docker's overlay2 storage (ROOT /var/lib/docker): IMAGE as name[:tag] or id (12+ digits),\n"
        "                               CONTAINER as name or id; a container shows its image, init layer and upper\n"
        "        containers-storage:[ROOT:]IMAGE|CONTAINER\n"
        "                               podman/buildah storage, overlay driver (ROOT /var/lib/containers/storage)\n"
        "        mount:PATH             the overlay mounted at PATH now (its mount point, not a path inside)\n"
        "        ROOT starts with / or . and ends at the first ':'"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Write JSON Lines (one object per line)."));
    const QCommandLineOption hashOption(QStringLiteral("hash"), QStringLiteral("Add the sha256 of each regular file's merged content."));
    const QCommandLineOption layerOption(QStringLiteral("layer"), QStringLiteral("Use layer N's own entries (0 = lowest)."), QStringLiteral("N"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"), QStringLiteral("Log debug messages to stderr."));
    const QCommandLineOption timingsOption(QStringLiteral("timings"), QStringLiteral("Print scan and merge times to stderr (for scripts/bench)."));
    const QCommandLineOption maxWastedOption(QStringLiteral("max-wasted"), QStringLiteral("check: most wasted bytes allowed (e.g. 10M, 1.5GiB)."), QStringLiteral("BYTES"));
    const QCommandLineOption minEfficiencyOption(QStringLiteral("min-efficiency"), QStringLiteral("check: least efficiency allowed, 0 to 1 (e.g. 0.95)."),
                                                 QStringLiteral("RATIO"));
    const QCommandLineOption helperOption(QStringLiteral("helper"), QStringLiteral("How to start strata-helper: auto, direct, rootless, pkexec."), QStringLiteral("MODE"));
    const QCommandLineOption upperOption(QStringLiteral("upper"), QStringLiteral("run, session: the upper dir (its work dir is DIR.work)."), QStringLiteral("DIR"));
    const QCommandLineOption scriptOption(QStringLiteral("script"), QStringLiteral("session: the file of operations."), QStringLiteral("FILE"));
    const QCommandLineOption mountOptionOption(QStringLiteral("option"), QStringLiteral("mount options for the helper (redirect_dir=on, metacopy=on, index=on, ...)."),
                                               QStringLiteral("OPT"));
    const QCommandLineOption platformOption(QStringLiteral("platform"), QStringLiteral("oci: a multi-platform image's platform, os/arch[/variant] (default: this host's)."),
                                            QStringLiteral("PLATFORM"));
    const QCommandLineOption waitOption(QStringLiteral("wait"), QStringLiteral("mount: keep the mount until stdin closes."));
    const QCommandLineOption dataRootOption(QStringLiteral("data-root"), QStringLiteral("lesson run: the Docker data root a lesson's image is in (else $STRATA_LESSON_DATA_ROOT)."),
                                            QStringLiteral("DIR"));
    parser.addOptions({jsonOption, hashOption, layerOption, verboseOption, timingsOption, maxWastedOption, minEfficiencyOption, helperOption, upperOption,
                       scriptOption, mountOptionOption, waitOption, platformOption, dataRootOption});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("ls, layers, diff, cat, explain, waste, check, images, mounts, demo, lesson, mount, verify, run or session"));
    parser.addPositionalArgument(QStringLiteral("args"), QStringLiteral("SOURCE [PATH]"), QStringLiteral("[args...]"));
    parser.process(app);
    if (parser.isSet(platformOption))
        setImagePlatform(parser.value(platformOption));
    initLogging(QStringLiteral("strata-cli"), parser.isSet(verboseOption));

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return fail(QStringLiteral("no command given; see --help"), 2);
    const QString command = args.first();
    const QStringList rest = args.mid(1);

    if (command == u"demo") {
        if (rest.size() != 1)
            return fail(QStringLiteral("usage: strata-cli demo DIR"), 2);
        auto source = createDemoStack(QDir(rest.first()).absolutePath());
        if (!source)
            return fail(source.error().message());
        writeLine(source->toStdString());
        return 0;
    }

    if (command == u"lesson") {
        // lesson list: one numbered line per bundled lesson (its title in the locale's language).
        if (rest.value(0) == u"run" && rest.size() == 2) {
            const cli::HelperCommandOptions options{parser.value(helperOption), {}, {}, parser.values(mountOptionOption), false, parser.value(dataRootOption)};
            return cli::runLesson(rest.at(1), options, parser.isSet(jsonOption), writeLine);
        }
        if (rest.value(0) != u"list" || rest.size() != 1)
            return fail(QStringLiteral("usage: strata-cli lesson list | lesson run N|FILE"), 2);
        auto lessons = loadLessons();
        if (!lessons)
            return fail(lessons.error().message());
        const QString language = QLocale().name();
        for (const Lesson &lesson : *lessons) {
            if (parser.isSet(jsonOption)) {
                JsonObject o;
                o.field("number", lesson.number).field("id", lesson.id.toStdString()).field("title", lesson.title.in(language).toStdString());
                o.field("steps", int(lesson.steps.size())).field("needs_root", lesson.needsRoot);
                writeLine(o.finish());
            } else {
                writeLine(QStringLiteral("%1. %2").arg(lesson.number, 2).arg(lesson.title.in(language)).toStdString());
            }
        }
        return 0;
    }

    if (command == u"mount" || command == u"verify" || command == u"run" || command == u"session") {
        cli::HelperCommandOptions options{parser.value(helperOption), parser.value(upperOption), parser.value(scriptOption), parser.values(mountOptionOption),
                                          parser.isSet(waitOption)};
        const int rc = cli::runHelperCommand(command, rest, options, writeLine);
        std::fflush(stdout);
        return rc;
    }

    if (command == u"images" || command == u"mounts") {
        const bool images = command == u"images";
        if (rest.size() > (images ? 1 : 0))
            return fail(images ? QStringLiteral("usage: strata-cli images [--json] [docker-storage:ROOT | containers-storage:ROOT]")
                               : QStringLiteral("usage: strata-cli mounts [--json]"),
                        2);
        auto written = images ? writeStoredImages(rest.value(0), QDir::currentPath(), parser.isSet(jsonOption), writeLine, writeProblem)
                              : writeOverlayMounts(parser.isSet(jsonOption), writeLine);
        if (!written)
            return fail(written.error().message());
        return 0;
    }

    const bool takesPath = command == u"cat" || command == u"explain";
    const int expectedArgs = takesPath ? 2 : 1;
    const bool isCheck = command == u"check";
    if (command != u"ls" && command != u"layers" && command != u"diff" && command != u"cat" && command != u"explain" && command != u"waste" && !isCheck)
        return fail(QStringLiteral("unknown command '%1'; see --help").arg(command), 2);
    if (rest.size() != expectedArgs)
        return fail(command == u"cat"       ? QStringLiteral("usage: strata-cli cat [--layer N] SOURCE PATH")
                        : command == u"explain" ? QStringLiteral("usage: strata-cli explain [--json] SOURCE PATH")
                        : isCheck           ? QStringLiteral("usage: strata-cli check [--max-wasted BYTES] [--min-efficiency RATIO] [--json] SOURCE")
                                                : QStringLiteral("usage: strata-cli %1 SOURCE").arg(command),
                    2);
    if (!isCheck && (parser.isSet(maxWastedOption) || parser.isSet(minEfficiencyOption)))
        return fail(QStringLiteral("--max-wasted and --min-efficiency belong to the check command"), 2);
    CheckLimits limits;
    if (parser.isSet(maxWastedOption)) {
        limits.maxWastedBytes = parseByteSize(parser.value(maxWastedOption).toStdString());
        if (!limits.maxWastedBytes)
            return fail(QStringLiteral("--max-wasted '%1': not a byte count (examples: 500000, 10M, 1.5GiB)").arg(parser.value(maxWastedOption)), 2);
    }
    if (parser.isSet(minEfficiencyOption)) {
        bool ok = false;
        const double ratio = parser.value(minEfficiencyOption).toDouble(&ok);
        if (!ok || !(ratio >= 0.0 && ratio <= 1.0))
            return fail(QStringLiteral("--min-efficiency '%1': not a ratio from 0 to 1 (example: 0.95)").arg(parser.value(minEfficiencyOption)), 2);
        limits.minEfficiency = ratio;
    }

    // ls and cat of the merged view need only what the merged view reaches; the rest needs everything.
    const bool mergedOnly = (command == u"ls" || command == u"cat") && !parser.isSet(layerOption);
    // Root-only storage (docker-storage:, containers-storage:) is read through strata-helper when
    // the user cannot read it: pkexec by default (--helper chooses), layer dirs passed as fds.
    HelperClient::Options helperOptions;
    if (parser.isSet(helperOption)) {
        const auto mode = helperModeFromName(parser.value(helperOption));
        if (!mode)
            return fail(QStringLiteral("--helper is auto, direct, rootless or pkexec, not '%1'").arg(parser.value(helperOption)), 2);
        helperOptions.mode = *mode;
    }
    auto source = openSourceForUser(rest.first(), QDir::currentPath(), helperOptions);
    auto stack = source ? OverlayStack::load(**source, nullptr, mergedOnly ? OverlayStack::LoadDepth::MergedView : OverlayStack::LoadDepth::Full)
                        : Expected<OverlayStack>(source.error());
    if (!stack)
        return fail(stack.error().message(), isCheck ? 2 : 1); // check: 1 means "a limit is exceeded", nothing else
    for (const LayerIndex &layer : stack->layers) {
        for (const Error &problem : layer.problems)
            writeProblem(problem.message().toStdString());
    }
    if (parser.isSet(timingsOption)) {
        size_t entries = 0;
        for (const LayerIndex &l : stack->layers)
            entries += l.entries.size();
        std::fprintf(stderr, "timings: scan_ms=%.1f merge_ms=%.1f entries=%zu merged=%zu\n", stack->scanNanoseconds / 1e6, stack->mergeNanoseconds / 1e6, entries,
                     stack->merged.nodes.size());
        // Phase by phase ("union tree" → phase_union_tree_ms), for scripts/bench's breakdown.
        std::string phases = "phases:";
        for (const OverlayStack::PhaseTime &phase : stack->phases) {
            std::string key = phase.name;
            for (char &c : key)
                c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
            phases += " phase_" + key + "_ms=" + std::to_string(phase.nanoseconds / 1e6);
        }
        std::fprintf(stderr, "%s\n", phases.c_str());
    }
    spdlog::debug("scanned {} layers in {:.1f} ms, merged in {:.1f} ms", stack->layers.size(), stack->scanNanoseconds / 1e6, stack->mergeNanoseconds / 1e6);

    int layer = -1;
    if (parser.isSet(layerOption)) {
        bool ok = false;
        layer = parser.value(layerOption).toInt(&ok);
        if (!ok || layer < 0 || size_t(layer) >= stack->layers.size())
            return fail(QStringLiteral("--layer %1: the stack has layers 0 to %2").arg(parser.value(layerOption)).arg(stack->layers.size() - 1), 2);
    }

    if (command == u"ls") {
        // Into a pipe or a file: a few large writes, not one per 4 KiB (a terminal stays line-buffered).
        if (!isatty(fileno(stdout)))
            std::setvbuf(stdout, nullptr, _IOFBF, size_t(1) << 20);
        ListingOptions options;
        options.json = parser.isSet(jsonOption);
        options.hash = parser.isSet(hashOption);
        options.layer = layer;
        const auto started = std::chrono::steady_clock::now();
        writeListing(*stack, options, writeLine, writeProblem);
        std::fflush(stdout);
        if (parser.isSet(timingsOption))
            std::fprintf(stderr, "output: phase_output_ms=%.1f\n", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    } else if (command == u"layers") {
        writeLayers(*stack, parser.isSet(jsonOption), writeLine);
    } else if (command == u"explain") {
        if (!writeExplanation(*stack, QFile::encodeName(rest.at(1)).toStdString(), parser.isSet(jsonOption), writeLine))
            return fail(QStringLiteral("%1: no layer has this path").arg(rest.at(1)));
    } else if (command == u"waste") {
        writeWaste(*stack, parser.isSet(jsonOption), writeLine);
    } else if (isCheck) {
        const bool passed = writeCheck(*stack, limits, parser.isSet(jsonOption), writeLine);
        if (std::fflush(stdout) != 0)
            return fail(QStringLiteral("cannot write the output: %1").arg(QString::fromLocal8Bit(std::strerror(errno))), 2);
        return passed ? 0 : 1;
    } else if (command == u"diff") {
        writeDiff(*stack, layer, parser.isSet(jsonOption), writeLine);
    } else if (command == u"cat") {
        const QByteArray path = QFile::encodeName(rest.at(1));
        LayerRef data;
        if (layer >= 0) {
            data = {uint16_t(layer), stack->layers[size_t(layer)].find(path.toStdString())};
        } else {
            const MergedId id = stack->findMerged(path.toStdString());
            if (id != noMerged) {
                const MergedNode &node = stack->merged.nodes[id];
                if (node.lookupErrno)
                    return fail(QStringLiteral("%1: listed in the merged view but the kernel's lookup fails (%2)")
                                    .arg(rest.at(1), node.lookupErrno == ENOENT ? QStringLiteral("whiteout: No such file or directory")
                                                                                 : QString::fromLocal8Bit(std::strerror(node.lookupErrno))));
                data = node.data;
            }
        }
        if (!data.valid())
            return fail(QStringLiteral("%1: no such path in %2").arg(rest.at(1), layer >= 0 ? stack->layerLabel(size_t(layer)) : QStringLiteral("the merged view")));
        ContentReader reader;
        auto result = reader.read(stack->layers[data.layer], data.entry, [](const char *bytes, size_t size) {
            return std::fwrite(bytes, 1, size, stdout) == size;
        });
        if (!result)
            return fail(result.error().message());
    }
    if (std::fflush(stdout) != 0)
        return fail(QStringLiteral("cannot write the output: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    return 0;
}
