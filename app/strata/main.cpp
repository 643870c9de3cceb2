// SPDX-License-Identifier: GPL-3.0-or-later
// strata: the explorer window. `strata [SOURCE]`, `strata --screenshot FILE SOURCE`.
#include "logging.h"
#include "changefilterproxy.h"
#include "demostack.h"
#include "filepane.h"
#include "uniontreemodel.h"
#include "lessonpane.h"
#include "livesession.h"
#include "mainwindow.h"
#include "playgroundactions.h"
#include "ocilayout.h"
#include "translations.h"
#include "strata/version.h"

#include <QApplication>
#include <QDialog>
#include <QCoreApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QLocale>
#include <QStyleFactory>
#include <QSettings>
#include <QTreeView>

#include <cstdio>
#include <functional>

namespace {
// Batch modes (--screenshot, --benchmark): a stack that cannot be loaded ends the program with 1.
void quitOnLoadFailure(strata::MainWindow &window, QApplication &app, int &status)
{
    QObject::connect(&window, &strata::MainWindow::loadFailed, &app, [&app, &status](const QString &message) {
        std::fprintf(stderr, "strata: %s\n", qUtf8Printable(message));
        status = 1;
        app.quit();
    });
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (!done() && waited.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

int lessonIndex(strata::MainWindow &window, const QString &number)
{
    const auto &lessons = window.lessonPane()->lessons();
    for (size_t i = 0; i < lessons.size(); ++i) {
        if (QString::number(lessons[i].number) == number)
            return int(i);
    }
    return -1;
}

// --playground/--lesson with --screenshot: mount (a lesson mounts itself), do the first
// `showMeSteps` steps of the lesson and the --do operations, wait until the kernel's events are in.
bool liveExperiment(strata::MainWindow &window, bool mount, const QStringList &operations, int showMeSteps)
{
    strata::LiveSession *live = window.liveSession();
    if (mount)
        window.mountLive();
    if (!waitUntil([live] { return live->state() == strata::LiveSession::State::Live; }, 60000)) {
        std::fprintf(stderr, "strata: the stack could not be mounted live (%s)\n", qUtf8Printable(window.statusText()));
        return false;
    }
    size_t done = 0;
    QObject::connect(live, &strata::LiveSession::operationDone, live, [&done] { ++done; });
    auto settle = [&] {
        waitUntil([&] { return done >= live->operations().size(); }, 20000);
        waitUntil([] { return false; }, 300); // the snapshot after the last operation
    };
    for (int step = 0; step < showMeSteps; ++step) {
        window.lessonPane()->setCurrentStep(step);
        window.lessonPane()->showMe();
        settle();
    }
    for (const QString &operation : operations) {
        const QStringList words = operation.split(u' ');
        if (words.size() < 2 || !window.playgroundActions()->perform(words[0], words[1], words.mid(2).join(u' '))) {
            std::fprintf(stderr, "strata: --do '%s' is not OP PATH [ARG]\n", qUtf8Printable(operation));
            return false;
        }
        settle();
    }
    return true;
}

// The command line, described once: parsed without a display for --help/--version, then for real.
struct Options {
    QCommandLineOption screenshot{QStringLiteral("screenshot"), QCoreApplication::translate("main", "Render the window into a PNG file and exit."),
                                  QStringLiteral("FILE")};
    QCommandLineOption select{QStringLiteral("select"), QCoreApplication::translate("main", "Select this path after loading."), QStringLiteral("PATH")};
    QCommandLineOption language{QStringLiteral("language"), QCoreApplication::translate("main", "User interface language (en, ko)."), QStringLiteral("LANG")};
    QCommandLineOption tab{QStringLiteral("file-tab"), QCoreApplication::translate("main", "Show this tab of the file pane: content, diff or hex."),
                           QStringLiteral("TAB")};
    QCommandLineOption benchmark{QStringLiteral("benchmark"),
                                 QCoreApplication::translate("main", "Measure first paint and the expansion of PATH, print JSON and exit (scripts/bench)."),
                                 QStringLiteral("PATH")};
    QCommandLineOption dark{QStringLiteral("dark"), QCoreApplication::translate("main", "Use a dark palette.")};
    QCommandLineOption size{QStringLiteral("size"), QCoreApplication::translate("main", "Window size for --screenshot, e.g. 900x600."), QStringLiteral("WxH")};
    QCommandLineOption verbose{QStringLiteral("verbose"), QCoreApplication::translate("main", "Log debug messages to stderr.")};
    QCommandLineOption asOf{QStringLiteral("as-of"), QCoreApplication::translate("main", "Show the tree as it stood after this layer (0 = the bottom one)."),
                            QStringLiteral("LAYER")};
    QCommandLineOption dialog{QStringLiteral("dialog"), QCoreApplication::translate("main", "With --screenshot: render this dialog instead of the window (waste)."),
                              QStringLiteral("NAME")};
    QCommandLineOption platform{QStringLiteral("platform"), QCoreApplication::translate("main", "oci: the platform of a multi-platform image, os/arch[/variant]."),
                                QStringLiteral("PLATFORM")};
    QCommandLineOption sortBySize{QStringLiteral("sort-by-size"), QCoreApplication::translate("main", "Sort the tree largest first.")};
    QCommandLineOption playground{QStringLiteral("playground"), QCoreApplication::translate("main", "Mount the stack live once it is loaded (the playground).")};
    QCommandLineOption perform{QStringLiteral("do"), QCoreApplication::translate("main", "With --playground or --lesson: do this operation, e.g. \"append /etc/motd text\" (repeatable)."),
                               QStringLiteral("OP PATH [ARG]")};
    QCommandLineOption lesson{QStringLiteral("lesson"), QCoreApplication::translate("main", "Start lesson N (strata-cli lesson list)."), QStringLiteral("N")};
    QCommandLineOption lessonSteps{QStringLiteral("show-me"), QCoreApplication::translate("main", "With --lesson: do the first K steps' actions (\"Show me\")."), QStringLiteral("K")};
    QCommandLineOption presenter{QStringLiteral("presenter"), QCoreApplication::translate("main", "Presenter mode: larger fonts.")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(QCoreApplication::translate("main", "Explore OverlayFS stacks and container image layers."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({screenshot, select, language, dark, tab, benchmark, verbose, size, asOf, sortBySize, dialog, platform, playground, perform, lesson, lessonSteps, presenter});
        parser.addPositionalArgument(QStringLiteral("source"), QCoreApplication::translate("main", "overlay:OPTIONS (mount -t overlay -o OPTIONS)"));
    }
};

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("strata"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
}

// argv without the options QApplication takes for itself (-platform offscreen, -style Fusion, …),
// which a parser of Strata's own options would call unknown.
QStringList argumentsWithoutQtOptions(int argc, char **argv)
{
    static const QStringList withValue{QStringLiteral("platform"), QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
                                       QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"), QStringLiteral("qwindowtitle"),
                                       QStringLiteral("qwindowicon"), QStringLiteral("style"), QStringLiteral("stylesheet"),
                                       QStringLiteral("session"), QStringLiteral("display"), QStringLiteral("geometry"), QStringLiteral("title"),
                                       QStringLiteral("name"), QStringLiteral("qmljsdebugger")};
    static const QStringList flags{QStringLiteral("reverse"), QStringLiteral("widgetcount"), QStringLiteral("nograb"), QStringLiteral("dograb")};
    QStringList args;
    for (int i = 0; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        QString name = arg.startsWith(QStringLiteral("--")) ? arg.mid(2) : arg.startsWith(u'-') ? arg.mid(1) : QString();
        const bool joined = name.contains(u'=');
        name = name.section(u'=', 0, 0);
        if (i > 0 && withValue.contains(name)) {
            if (!joined)
                ++i; // and its value
            continue;
        }
        if (i > 0 && flags.contains(name))
            continue;
        args << arg;
    }
    return args;
}
}

int main(int argc, char **argv)
{
    QElapsedTimer sinceStart; // --benchmark: "the window shows the merged tree" counts from here
    sinceStart.start();
    {
        // --help, --version and bad options print and exit without a QApplication: it would abort
        // where there is no display.
        const Options options;
        QCommandLineParser early;
        options.addTo(early);
        const bool parsed = early.parse(argumentsWithoutQtOptions(argc, argv));
        if (!parsed || early.isSet(QStringLiteral("help")) || early.isSet(QStringLiteral("help-all")) || early.isSet(QStringLiteral("version"))) {
            QCoreApplication core(argc, argv);
            setApplicationNames();
            QCommandLineParser parser;
            options.addTo(parser);
            parser.process(core); // prints and exits
            return 0;
        }
        // A screenshot needs no display: render offscreen unless the user chose a platform.
        if (early.isSet(options.screenshot) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("Strata"));
    QApplication::setDesktopFileName(QStringLiteral(STRATA_APP_ID));

    const Options options;
    const auto &[screenshot, select, language, tab, benchmark, dark, size, verbose, asOf, dialog, platform, sortBySize, playground, perform, lesson, lessonSteps,
                 presenter] = options;
    QCommandLineParser parser;
    options.addTo(parser);
    parser.process(app);
    strata::initLogging(QStringLiteral("strata"), parser.isSet(verbose));
    if (parser.isSet(platform))
        strata::setImagePlatform(parser.value(platform));

    // The language: --language, else the one chosen in the menu last time, else the system's.
    QApplication::setOrganizationName(QStringLiteral("strata"));
    strata::applyLanguage(parser.isSet(language) ? parser.value(language) : QSettings().value(QStringLiteral("language")).toString());

    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (parser.isSet(dark)) {
        QPalette p;
        p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
        p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Button, QColor(0x33, 0x35, 0x3a));
        p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        p.setColor(QPalette::ToolTipBase, QColor(0x33, 0x35, 0x3a));
        p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
        QApplication::setPalette(p);
    }

    strata::MainWindow window;
    const QStringList args = parser.positionalArguments();
    if (parser.isSet(screenshot)) {
        // Without a SOURCE: the walkthrough's demo stack, made fresh in a temporary directory.
        QTemporaryDir demoDir;
        QString source = args.value(0);
        if (source.isEmpty()) {
            auto demo = strata::createDemoStack(demoDir.path());
            if (!demo) {
                std::fprintf(stderr, "strata: %s\n", qUtf8Printable(demo.error().message()));
                return 1;
            }
            source = *demo;
        }
        int status = 0;
        quitOnLoadFailure(window, app, status);
        // The picture shows the complete stack: layer statistics and every cell's change kind.
        QObject::connect(&window, &strata::MainWindow::statisticsLoaded, &app, [&] {
            if (parser.isSet(playground) || parser.isSet(lesson)) {
                // The picture shows the playground mid-experiment: mounted, the operations done.
                if (!liveExperiment(window, parser.isSet(playground), parser.values(perform), parser.value(lessonSteps).toInt())) {
                    status = 1;
                    app.quit();
                    return;
                }
            }
            if (parser.isSet(asOf)) {
                window.showAsOf(parser.value(asOf).toInt());
                QElapsedTimer waited;
                waited.start();
                while (window.unionModel()->asOfLayer() >= 0 && !window.unionModel()->asOfView() && waited.elapsed() < 60000)
                    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            }
            if (parser.isSet(sortBySize))
                window.setSortBySize(true);
            window.treeView()->expandAll();
            window.selectPath(parser.isSet(select) ? parser.value(select) : QStringLiteral("/b.txt"));
            if (parser.isSet(tab))
                window.filePane()->setCurrentIndex(QStringList{QStringLiteral("content"), QStringLiteral("diff"), QStringLiteral("hex")}.indexOf(parser.value(tab)));
            const QStringList wh = parser.value(size).split(u'x');
            window.resize(wh.size() == 2 ? wh[0].toInt() : 1400, wh.size() == 2 ? wh[1].toInt() : 860);
            window.show();
            QApplication::processEvents();
            QWidget *shown = &window;
            if (parser.value(dialog) == u"waste") {
                shown = window.showWasteDialog();
                shown->resize(wh.size() == 2 ? wh[0].toInt() : 1100, wh.size() == 2 ? wh[1].toInt() * 3 / 4 : 600);
                QApplication::processEvents();
            }
            if (!shown->grab().save(parser.value(screenshot), "PNG")) {
                std::fprintf(stderr, "strata: cannot write %s\n", qUtf8Printable(parser.value(screenshot)));
                status = 1;
            }
            app.quit();
        });
        if (parser.isSet(presenter))
            window.setPresenterMode(true);
        if (parser.isSet(lesson)) {
            const int index = lessonIndex(window, parser.value(lesson));
            if (index < 0) {
                std::fprintf(stderr, "strata: there is no lesson %s\n", qUtf8Printable(parser.value(lesson)));
                return 1;
            }
            window.startLesson(index);
        } else {
            window.openSource(source);
        }
        app.exec();
        return status;
    }
    if (parser.isSet(benchmark)) {
        if (args.size() != 1)
            return 2;
        QElapsedTimer clock;
        clock.start();
        int status = 0;
        quitOnLoadFailure(window, app, status);
        qint64 loadedAt = 0, paintedAt = 0, shownAt = 0;
        QObject::connect(&window, &strata::MainWindow::loaded, &app, [&] {
            // The merged tree (MergedView load) is on screen; statistics complete in the background.
            loadedAt = clock.elapsed();
            window.show();
            window.treeView()->viewport()->repaint(); // the first paint of the tree, synchronously
            paintedAt = clock.elapsed();
            shownAt = sinceStart.elapsed();
        });
        QObject::connect(&window, &strata::MainWindow::statisticsLoaded, &app, [&] {
            const qint64 statsAt = sinceStart.elapsed();
            // The views re-lay out the rows they keep expanded (the completed stack came as a
            // snapshot update that keeps expansion): measured apart from the expand below.
            QElapsedTimer relayout;
            relayout.start();
            window.treeView()->viewport()->repaint();
            QCoreApplication::processEvents();
            const qint64 relayoutMs = relayout.elapsed();
            const QModelIndex dir = window.filterProxy()->mapFromSource(window.unionModel()->indexOfPath(parser.value(benchmark)));
            QElapsedTimer expand;
            expand.start();
            window.treeView()->expand(dir);
            window.treeView()->viewport()->repaint();
            const qint64 expandMs = expand.elapsed();
            const int expandedRows = window.filterProxy()->rowCount(dir);
            // The filter decides a big tree off the GUI thread: measure until it is applied, and
            // how long the GUI thread itself was busy.
            QElapsedTimer filter;
            filter.start();
            QEventLoop wait;
            bool applied = false; // a small tree is filtered on the spot: the signal comes before exec()
            QObject::connect(window.filterProxy(), &strata::ChangeFilterProxy::filterApplied, &wait, [&] {
                applied = true;
                wait.quit();
            });
            window.filterProxy()->setOnlyChanges(true);
            const qint64 filterBlockedMs = filter.elapsed();
            if (!applied)
                wait.exec();
            window.treeView()->viewport()->repaint();
            const qint64 filterMs = filter.elapsed();
            std::printf("{\"load_ms\":%lld,\"first_paint_after_scan_ms\":%lld,\"merged_tree_shown_ms\":%lld,\"stats_complete_ms\":%lld,"
                        "\"stats_relayout_ms\":%lld,\"expand_ms\":%lld,\"expanded_rows\":%d,\"only_changes_filter_ms\":%lld,\"only_changes_gui_blocked_ms\":%lld}\n",
                        static_cast<long long>(loadedAt), static_cast<long long>(paintedAt - loadedAt), static_cast<long long>(shownAt),
                        static_cast<long long>(statsAt), static_cast<long long>(relayoutMs), static_cast<long long>(expandMs), expandedRows, static_cast<long long>(filterMs),
                        static_cast<long long>(filterBlockedMs));
            app.quit();
        });
        window.openSource(args.first());
        app.exec();
        return status;
    }
    window.show();
    if (!args.isEmpty()) {
        if (parser.isSet(select))
            QObject::connect(&window, &strata::MainWindow::loaded, &window, [&] { window.selectPath(parser.value(select)); });
        window.openSource(args.first());
    }
    return app.exec();
}
