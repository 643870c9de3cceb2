// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace strata {

namespace {

std::vector<spdlog::sink_ptr> g_sinks;

std::shared_ptr<spdlog::logger> loggerFor(const char *category)
{
    const std::string name = category && *category ? category : "strata";
    if (auto existing = spdlog::get(name))
        return existing;
    auto logger = std::make_shared<spdlog::logger>(name, g_sinks.begin(), g_sinks.end());
    logger->set_level(spdlog::level::trace);
    spdlog::register_logger(logger);
    return logger;
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    spdlog::level::level_enum level = spdlog::level::info;
    switch (type) {
    case QtDebugMsg:
        level = spdlog::level::debug;
        break;
    case QtInfoMsg:
        level = spdlog::level::info;
        break;
    case QtWarningMsg:
        level = spdlog::level::warn;
        break;
    case QtCriticalMsg:
        level = spdlog::level::err;
        break;
    case QtFatalMsg:
        level = spdlog::level::critical;
        break;
    }
    auto logger = loggerFor(context.category);
    logger->log(level, "{}", message.toStdString());
    if (type == QtFatalMsg)
        logger->flush();
}

} // namespace

QString logFilePath(const QString &appName)
{
    QString stateHome = qEnvironmentVariable("XDG_STATE_HOME");
    if (stateHome.isEmpty())
        stateHome = QDir::homePath() + QStringLiteral("/.local/state");
    return stateHome + QStringLiteral("/strata/") + appName + QStringLiteral(".log");
}

void initLogging(const QString &appName, bool verbose)
{
    g_sinks.clear();
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
    console->set_pattern("%^%n: %l: %v%$");
    g_sinks.push_back(console);
    const QString path = logFilePath(appName);
    if (QDir().mkpath(QFileInfo(path).absolutePath())) {
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path.toStdString());
            file->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
            g_sinks.push_back(file);
        } catch (const spdlog::spdlog_ex &) {
            // An unwritable state dir must not stop the program; stderr still works.
        }
    }
    spdlog::drop_all();
    auto main = loggerFor(appName.toStdString().c_str());
    spdlog::set_default_logger(main);
    spdlog::flush_on(spdlog::level::warn);
    qInstallMessageHandler(qtMessageHandler);
}

} // namespace strata
