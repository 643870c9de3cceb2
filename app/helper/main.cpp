// SPDX-License-Identifier: GPL-3.0-or-later
// strata-helper: the privileged side (mounts in its own namespace, file operations, run). This first
// version only reports what the running kernel and environment allow.
#include "logging.h"
#include "strata/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("strata-helper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Strata's helper: mounts overlay stacks in a private mount namespace."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption verbose(QStringLiteral("verbose"), QStringLiteral("Log debug messages to stderr."));
    const QCommandLineOption selfTest(QStringLiteral("self-test"), QStringLiteral("Check that overlayfs is available, print the result."));
    parser.addOptions({verbose, selfTest});
    parser.process(app);
    strata::initLogging(QStringLiteral("strata-helper"), parser.isSet(verbose));
    if (parser.isSet(selfTest)) {
        QFile filesystems(QStringLiteral("/proc/filesystems"));
        const bool overlay = filesystems.open(QIODevice::ReadOnly) && filesystems.readAll().contains("\toverlay\n");
        std::printf("overlayfs: %s\n", overlay ? "available" : "missing");
        return overlay ? 0 : 1;
    }
    std::fprintf(stderr, "strata-helper: nothing to do; see --help\n");
    return 2;
}
