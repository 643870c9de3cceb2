// SPDX-License-Identifier: GPL-3.0-or-later
// strata-helper for real: mounts in its private namespace (never in ours), file operations resolved
// inside the merged root, typed events equal to the difference of full upper-dir scans, run in
// fresh namespaces, verify, and hostile requests. Every helper started here is stopped by pid.
#include "helperclient.h"
#include "helpersource.h"
#include "overlayconfig.h"
#include "overlaystack.h"
#include "storageopener.h"
#include "testutil.h"
#include "treedescription.h"
#include "upperscan.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <csignal>
#include <functional>
#include <map>
#include <sched.h>
#include <spawn.h>
#include <sys/mount.h>
#include <fcntl.h>
#include <grp.h>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace strata;

namespace {

QString helperPath()
{
    return qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-helper");
}

HelperClient::Options options(HelperMode mode = HelperMode::Direct, int timeoutMs = 10000)
{
    return HelperClient::Options{helperPath(), mode, timeoutMs};
}

// Overlay mounts whose source or options name `needle`, as this process's namespace sees them.
int overlayMountsMentioning(const QString &needle, const QString &mountinfo = QStringLiteral("/proc/self/mountinfo"))
{
    QFile f(mountinfo);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    int count = 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.contains(" - overlay ") && (needle.isEmpty() || line.contains(QFile::encodeName(needle))))
            ++count;
    }
    return count;
}

QJsonObject args(std::initializer_list<std::pair<QString, QJsonValue>> list)
{
    QJsonObject o;
    for (const auto &[k, v] : list)
        o.insert(k, v);
    return o;
}

QString errorText(const Error &e)
{
    return e.message();
}

// A stack of two lower layers with an upper and work dir, all in one temp dir.
struct Stack {
    LayerBuilder low1, low2, upper, work;
    Stack()
    {
        low1.file(QStringLiteral("a"), "lower one a");
        low1.file(QStringLiteral("dir/f"), "in dir");
        low1.file(QStringLiteral("dir/g"), "in dir g");
        low1.file(QStringLiteral("meta"), "metadata only", 0644);
        low1.file(QStringLiteral("hard"), "hard");
        QVERIFY(::link(low1.path(QStringLiteral("hard")).c_str(), low1.path(QStringLiteral("hardalias")).c_str()) == 0); // index=on indexes lower hardlinks
        low2.file(QStringLiteral("b"), "lower two b");
        low2.file(QStringLiteral("dir/h"), "from two");
        low2.dir(QStringLiteral("empty"));
        low2.symlink(QStringLiteral("abs"), "/etc");
        low2.symlink(QStringLiteral("magic"), "/proc/self/environ");
    }
    QString source(const QString &extra = {}) const
    {
        QString s = QStringLiteral("overlay:lowerdir=%1:%2,upperdir=%3,workdir=%4")
                        .arg(escapeOverlayPath(low2.root()), escapeOverlayPath(low1.root()), escapeOverlayPath(upper.root()), escapeOverlayPath(work.root()));
        if (!extra.isEmpty())
            s += u',' + extra;
        return s;
    }
    std::vector<QString> lowersTopDown() const { return {low2.root(), low1.root()}; }
    UpperSnapshot scan(const char *prefix = "trusted.overlay.") const
    {
        return scanUpper(upper.root().toStdString(), work.root().toStdString(), prefix);
    }
    LowerLookup lower() const
    {
        return [this](const std::string &p) {
            const std::vector<QString> l = lowersTopDown();
            for (size_t i = 0; i < l.size(); ++i) {
                struct stat st{};
                if (::lstat((l[i].toStdString() + "/" + p).c_str(), &st) == 0)
                    return int(l.size() - 1 - i); // stack index: lowers bottom → top 0, 1
            }
            return -1;
        };
    }
};

// A layer with dash and what it needs, /proc and /tmp: enough of a root for `run`.
void shellLayer(LayerBuilder &root)
{
    for (const char *file : {"/bin/dash", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"}) {
        root.dir(QFileInfo(QString::fromLatin1(file)).path().mid(1));
        QVERIFY(QFile::copy(QString::fromLatin1(file), root.root() + QString::fromLatin1(file)));
        ::chmod((root.root() + QString::fromLatin1(file)).toUtf8().constData(), 0755);
    }
    root.dir(QStringLiteral("proc"));
    root.dir(QStringLiteral("tmp"));
}

std::set<std::pair<std::string, std::string>> kindsOf(const std::vector<UpperEvent> &events)
{
    std::set<std::pair<std::string, std::string>> out;
    for (const UpperEvent &e : events)
        out.emplace(e.kind, e.path);
    return out;
}

QString describe(const std::set<std::pair<std::string, std::string>> &set)
{
    QStringList out;
    for (const auto &[k, p] : set)
        out << QString::fromStdString(k + " " + p);
    return out.join(QStringLiteral(", "));
}

bool polkitTools()
{
    for (const char *tool : {"/usr/bin/pkexec", "/usr/lib/polkit-1/polkitd", "/usr/bin/dbus-daemon", "/usr/bin/setpriv"}) {
        if (!QFile::exists(QString::fromLatin1(tool)))
            return false;
    }
    return true;
}

pid_t spawnDaemon(std::vector<std::string> argv)
{
    std::vector<char *> p;
    for (auto &a : argv)
        p.push_back(a.data());
    p.push_back(nullptr);
    pid_t child = -1;
    return ::posix_spawn(&child, p[0], nullptr, nullptr, p.data(), environ) == 0 ? child : -1;
}

void stopDaemon(pid_t daemon)
{
    if (daemon > 0) {
        ::kill(daemon, SIGTERM);
        ::waitpid(daemon, nullptr, 0);
    }
}

// `fn` in a forked child that dropped to nobody (65534); its return value is the exit code.
int runAsNobody(const std::function<int()> &fn)
{
    const pid_t user = ::fork();
    if (user == 0) {
        ::alarm(90); // a hang ends here, not in the daemons' sandbox
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            _exit(10);
        _exit(fn());
    }
    int status = 0;
    ::waitpid(user, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

// A program's exit code and stdout (and stderr with `withStderr`; posix_spawn: safe in a forked child).
std::pair<int, QByteArray> capture(const QStringList &command, bool withStderr = false)
{
    std::vector<std::string> args;
    for (const QString &a : command)
        args.push_back(QFile::encodeName(a).toStdString());
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return {-1, {}};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (withStderr)
        posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    QByteArray text;
    char buffer[4096];
    for (ssize_t n; rc == 0 && (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, n);
    ::close(out[0]);
    int status = 0;
    if (rc != 0 || ::waitpid(pid, &status, 0) != pid)
        return {-1, text};
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

struct PolkitRun {
    int code = -1;
    QByteArray report;
};

// pkexec for real, in a forked child's mount namespace: a private /run with a system D-Bus and
// polkitd, Strata's action with `helper` as its exec path, and — after grant(true) — a rule
// granting it to `nobody`. `body` runs there; its exit code and report come back. The daemons are
// stopped by pid.
PolkitRun inPolkitSandbox(const QString &helper, const std::function<int(const std::function<void(bool)> &grant, QByteArray &report)> &body)
{
    QFile policyIn(qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/resources/io.github.strata.Strata.policy.in"));
    if (!policyIn.open(QIODevice::ReadOnly))
        return {-1, "cannot read the policy template"};
    const QByteArray policy = policyIn.readAll().replace("@STRATA_HELPER_INSTALL_PATH@", QFile::encodeName(helper));
    const QByteArray rule = "polkit.addRule(function(action, subject) {\n"
                            "    if (action.id == \"io.github.strata.Strata.helper\" && subject.user == \"nobody\")\n"
                            "        return polkit.Result.YES;\n"
                            "});\n";
    const auto [code, report] = runInChild([&](QByteArray &report) {
        auto writeFile = [](const char *path, const QByteArray &content) {
            QFile f(QString::fromLatin1(path));
            return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
        };
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0
            || ::mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0 || ::mkdir("/run/dbus", 0755) != 0
            || ::mount("tmpfs", "/etc/polkit-1/rules.d", "tmpfs", 0, "mode=0755") != 0
            || ::mount("tmpfs", "/usr/share/polkit-1/actions", "tmpfs", 0, "mode=0755") != 0
            || !writeFile("/usr/share/polkit-1/actions/io.github.strata.Strata.policy", policy)) {
            report += "cannot set up the private /run and polkit dirs\n";
            return 1;
        }
        const pid_t dbus = spawnDaemon({"/usr/bin/dbus-daemon", "--system", "--nofork", "--nopidfile"});
        for (int i = 0; i < 200 && !QFile::exists(QStringLiteral("/run/dbus/system_bus_socket")); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        pid_t polkitd = spawnDaemon({"/usr/lib/polkit-1/polkitd", "--no-debug"});
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto grant = [&](bool granted) {
            stopDaemon(polkitd);
            if (granted)
                writeFile("/etc/polkit-1/rules.d/50-strata-test.rules", rule);
            else
                ::unlink("/etc/polkit-1/rules.d/50-strata-test.rules");
            polkitd = spawnDaemon({"/usr/lib/polkit-1/polkitd", "--no-debug"});
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        };
        const int code = body(grant, report);
        stopDaemon(polkitd);
        stopDaemon(dbus);
        return code;
    });
    return {code, report};
}

} // namespace

class HelperTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(helperPath()).isExecutable(), qPrintable(helperPath()));
        if (::geteuid() != 0)
            QSKIP("the helper tests run as root in the toolbox (direct mode, and an unprivileged user for rootless)");
    }

    // The mount exists in the helper's namespace only; the kernel's merged view equals the engine's.
    void mountLivesInHelperNamespaceOnly()
    {
        Stack s;
        HelperClient client(options());
        auto started = client.start();
        QVERIFY2(!started, started ? qPrintable(errorText(*started)) : "");
        QCOMPARE(client.hello().value(QStringLiteral("mode")).toString(), QStringLiteral("direct"));
        auto mounted = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}}));
        QVERIFY2(mounted.hasValue(), mounted ? "" : qPrintable(errorText(mounted.error())));
        QVERIFY(mounted->value(QStringLiteral("api")).toString().startsWith(QStringLiteral("fsconfig")));
        const QString helperMountinfo = QStringLiteral("/proc/%1/mountinfo").arg(client.pid());
        QCOMPARE(overlayMountsMentioning(s.upper.root(), helperMountinfo), 1);
        QCOMPARE(overlayMountsMentioning(s.upper.root()), 0);
        auto verify = client.call(QStringLiteral("verify"), args({{QStringLiteral("mount"), QStringLiteral("m1")}}));
        QVERIFY2(verify.hasValue(), verify ? "" : qPrintable(errorText(verify.error())));
        QCOMPARE(verify->value(QStringLiteral("mismatchCount")).toInt(), 0);
        QVERIFY(verify->value(QStringLiteral("entries")).toInt() >= 9);
        // The kernel's own merged dir, seen through the helper's root.
        QFile a(QStringLiteral("/proc/%1/root%2/a").arg(client.pid()).arg(mounted->value(QStringLiteral("merged")).toString()));
        QVERIFY(a.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), QByteArray("lower one a"));
        a.close();
        auto unmounted = client.call(QStringLiteral("unmount"), args({{QStringLiteral("mount"), QStringLiteral("m1")}}));
        QVERIFY(unmounted.hasValue());
        QCOMPARE(overlayMountsMentioning(s.upper.root(), helperMountinfo), 0);
        client.stop();
        QVERIFY(!client.running());
    }

    // Each file operation: the events the watch reports equal the difference of full scans of the
    // upper dir (and workdir/index) before and after, and the operation's effect is visible.
    void eventsEqualUpperScanDifference_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QJsonObject>("opArgs");
        QTest::addColumn<QStringList>("expectKinds"); // at least these "kind path" appear
        QTest::addColumn<QString>("copiedUpBefore"); // a path appended to before the first scan
        const QString p = QStringLiteral("path");
        auto row = [&](const char *name, const QString &extra, const char *op, QJsonObject a, QStringList kinds, const QString &before = {}) {
            a.insert(QStringLiteral("mount"), QStringLiteral("m1"));
            QTest::newRow(name) << extra << QString::fromLatin1(op) << a << kinds << before;
        };
        row("append copies up", {}, "append", args({{p, QStringLiteral("a")}, {QStringLiteral("data"), QStringLiteral("+")}}), {QStringLiteral("data-copy-up a")});
        row("write", {}, "write", args({{p, QStringLiteral("b")}, {QStringLiteral("data"), QStringLiteral("X")}}), {QStringLiteral("data-copy-up b")});
        row("truncate", {}, "truncate", args({{p, QStringLiteral("dir/f")}, {QStringLiteral("size"), 2}}), {QStringLiteral("data-copy-up dir/f")});
        row("create", {}, "create", args({{p, QStringLiteral("dir/new")}, {QStringLiteral("data"), QStringLiteral("n")}}), {QStringLiteral("new-entry dir/new")});
        row("unlink lower", {}, "unlink", args({{p, QStringLiteral("b")}}), {QStringLiteral("whiteout b")});
        row("rmdir lower", {}, "rmdir", args({{p, QStringLiteral("empty")}}), {QStringLiteral("whiteout empty")});
        row("mkdir over whiteout is opaque", {}, "mkdir", args({{p, QStringLiteral("newdir")}}), {QStringLiteral("opaque-dir newdir")});
        row("symlink", {}, "symlink", args({{p, QStringLiteral("dir/ln")}, {QStringLiteral("target"), QStringLiteral("../a")}}), {QStringLiteral("new-entry dir/ln")});
        row("link", {}, "link", args({{p, QStringLiteral("hard")}, {QStringLiteral("to"), QStringLiteral("hard2")}}), {QStringLiteral("data-copy-up hard")});
        row("chown", {}, "chown", args({{p, QStringLiteral("a")}, {QStringLiteral("uid"), 12}, {QStringLiteral("gid"), 34}}), {QStringLiteral("data-copy-up a")});
        row("utimes", {}, "utimes", args({{p, QStringLiteral("b")}, {QStringLiteral("atime"), 1000000000}, {QStringLiteral("mtime"), 2000000000}}), {QStringLiteral("data-copy-up b")});
        row("setxattr", {}, "setxattr", args({{p, QStringLiteral("a")}, {QStringLiteral("name"), QStringLiteral("user.note")}, {QStringLiteral("value"), QStringLiteral("v")}}), {QStringLiteral("data-copy-up a")});
        row("rename file", {}, "rename", args({{p, QStringLiteral("a")}, {QStringLiteral("to"), QStringLiteral("dir/a2")}}), {QStringLiteral("whiteout a"), QStringLiteral("new-entry dir/a2")});
        // The whiteout left at dir/f has no event of its own: only the rename's event on dir names it.
        row("rename copied-up file out of its dir", {}, "rename", args({{p, QStringLiteral("dir/f")}, {QStringLiteral("to"), QStringLiteral("f2")}}),
            {QStringLiteral("whiteout dir/f"), QStringLiteral("new-entry f2")}, QStringLiteral("dir/f"));
        row("rename dir with redirect_dir", QStringLiteral("redirect_dir=on"), "rename", args({{p, QStringLiteral("dir")}, {QStringLiteral("to"), QStringLiteral("moved")}}),
            {QStringLiteral("whiteout dir"), QStringLiteral("redirect moved")});
        row("chmod with metacopy", QStringLiteral("metacopy=on"), "chmod", args({{p, QStringLiteral("meta")}, {QStringLiteral("mode"), 0600}}), {QStringLiteral("metadata-copy-up meta")});
        row("create with volatile", QStringLiteral("volatile"), "create", args({{p, QStringLiteral("dir/v")}}), {QStringLiteral("new-entry dir/v"), QStringLiteral("data-copy-up dir")});
        row("unlink with xino", QStringLiteral("xino=on"), "unlink", args({{p, QStringLiteral("dir/g")}}), {QStringLiteral("whiteout dir/g")});
        row("link with index", QStringLiteral("index=on,redirect_dir=on"), "link", args({{p, QStringLiteral("hard")}, {QStringLiteral("to"), QStringLiteral("hard2")}}),
            {QStringLiteral("data-copy-up hard")});
    }

    void eventsEqualUpperScanDifference()
    {
        QFETCH(QString, extra);
        QFETCH(QString, op);
        QFETCH(QJsonObject, opArgs);
        QFETCH(QStringList, expectKinds);
        QFETCH(QString, copiedUpBefore);
        Stack s;
        if (op == u"mkdir")
            s.upper.whiteout(QStringLiteral("newdir")); // mkdir over a whiteout makes an opaque dir
        HelperClient client(options());
        QVERIFY(!client.start());
        QStringList mountOptions;
        if (!extra.isEmpty())
            mountOptions = extra.split(u',');
        auto mounted = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}, {QStringLiteral("options"), QJsonArray::fromStringList(mountOptions)}}));
        QVERIFY2(mounted.hasValue(), mounted ? "" : qPrintable(errorText(mounted.error())));
        auto watch = client.call(QStringLiteral("watch"), args({{QStringLiteral("mount"), QStringLiteral("m1")}}));
        QVERIFY2(watch.hasValue(), watch ? "" : qPrintable(errorText(watch.error())));
        const int64_t watchId = watch->value(QStringLiteral("watch")).toInteger();
        if (!copiedUpBefore.isEmpty()) {
            QVERIFY(client.call(QStringLiteral("append"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), copiedUpBefore}, {QStringLiteral("data"), QStringLiteral("+")}})).hasValue());
            QVERIFY(client.call(QStringLiteral("sync"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
            client.pendingEvents().clear();
        }
        const UpperSnapshot before = s.scan();

        auto result = client.call(op, opArgs);
        QVERIFY2(result.hasValue(), result ? "" : qPrintable(errorText(result.error())));
        QVERIFY(client.call(QStringLiteral("sync"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
        const UpperSnapshot after = s.scan();

        std::vector<UpperEvent> reported;
        QString comm;
        for (const auto &m : client.pendingEvents()) {
            QCOMPARE(m.id, watchId);
            QCOMPARE(m.event, QStringLiteral("change"));
            reported.push_back(UpperEvent{m.result.value(QStringLiteral("kind")).toString().toStdString(), m.result.value(QStringLiteral("path")).toString().toStdString(),
                                          m.result.value(QStringLiteral("layer")).toInt(-1)});
            comm = m.result.value(QStringLiteral("comm")).toString();
        }
        const auto expected = kindsOf(diffUpper(before, after, s.lower()));
        const auto got = kindsOf(reported);
        QVERIFY2(!expected.empty(), "the operation changed nothing in the upper dir");
        QVERIFY2(got == expected, qPrintable(QStringLiteral("reported: %1\n   scans: %2").arg(describe(got), describe(expected))));
        for (const QString &k : expectKinds) {
            const QStringList parts = k.split(u' ');
            QVERIFY2(got.contains({parts[0].toStdString(), parts[1].toStdString()}), qPrintable(k + QStringLiteral(" missing from ") + describe(got)));
        }
        if (extra.contains(QStringLiteral("index=on")))
            QVERIFY2(std::any_of(got.begin(), got.end(), [](const auto &e) { return e.first == "index-entry"; }), qPrintable(describe(got)));
        // As root the filesystem mark names the process: here the helper did the operation.
        if (client.hello().value(QStringLiteral("mode")).toString() == u"direct")
            QCOMPARE(comm, QStringLiteral("strata-helper"));
        auto verify = client.call(QStringLiteral("verify"), args({{QStringLiteral("mount"), QStringLiteral("m1")}}));
        QVERIFY(verify.hasValue());
        QVERIFY2(verify->value(QStringLiteral("mismatchCount")).toInt() == 0, QJsonDocument(*verify).toJson().constData());
        client.stop();
    }

    // Without sync: the first event of an operation arrives within 100 ms of its reply.
    void eventsArriveWithin100ms()
    {
        Stack s;
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}})).hasValue());
        QVERIFY(client.call(QStringLiteral("watch"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
        for (const char *path : {"a", "b", "dir/f"}) {
            QVERIFY(client.call(QStringLiteral("unlink"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QString::fromLatin1(path)}})).hasValue());
            QElapsedTimer timer;
            timer.start();
            bool seen = false;
            while (!seen && timer.elapsed() < 100) {
                auto event = client.nextMessage(int(100 - timer.elapsed()));
                if (!event)
                    break;
                seen = event->result.value(QStringLiteral("path")).toString() == QString::fromLatin1(path)
                    && event->result.value(QStringLiteral("kind")).toString() == u"whiteout";
            }
            QVERIFY2(seen, path);
            QVERIFY(client.call(QStringLiteral("sync"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
            client.pendingEvents().clear();
        }
        client.stop();
    }

    // A directory from a lower layer cannot be renamed without redirect_dir: EXDEV with why.
    void lowerDirRenameWithoutRedirectIsExdev()
    {
        Stack s;
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source(QStringLiteral("redirect_dir=off"))}})).hasValue());
        auto renamed = client.call(QStringLiteral("rename"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("dir")}, {QStringLiteral("to"), QStringLiteral("dir2")}}));
        QVERIFY(!renamed.hasValue());
        QCOMPARE(renamed.error().sysErrno, EXDEV);
        QVERIFY(renamed.error().detail.contains(QStringLiteral("redirect_dir")));
        client.stop();
    }

    // open-read-only-and-keep: a reader opened before another writer copies the file up. Since
    // Linux 4.19 overlayfs stacks file operations and switches a read-only fd to the copied-up
    // inode, so on this kernel the kept reader sees the new data (older kernels showed the lower).
    void keptReaderSeesLowerData()
    {
        Stack s;
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}})).hasValue());
        const QJsonObject a = args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("a")}});
        auto opened = client.call(QStringLiteral("open"), a);
        QVERIFY(opened.hasValue());
        QJsonObject w = a;
        w.insert(QStringLiteral("data"), QStringLiteral("NEW"));
        QVERIFY(client.call(QStringLiteral("write"), w).hasValue());
        auto kept = client.call(QStringLiteral("read-handle"), args({{QStringLiteral("handle"), opened->value(QStringLiteral("handle"))}}));
        QVERIFY(kept.hasValue());
        auto fresh = client.call(QStringLiteral("read"), a);
        QVERIFY(fresh.hasValue());
        QCOMPARE(fresh->value(QStringLiteral("data")).toString(), QStringLiteral("NEWer one a"));
        QCOMPARE(kept->value(QStringLiteral("data")).toString(), fresh->value(QStringLiteral("data")).toString());
        QCOMPARE(kept->value(QStringLiteral("ino")), opened->value(QStringLiteral("ino")));
        QVERIFY(client.call(QStringLiteral("close"), args({{QStringLiteral("handle"), opened->value(QStringLiteral("handle"))}})).hasValue());
        client.stop();
    }

    // Paths with .., absolute symlinks and /proc magic links stay inside the merged root.
    void escapesStayInsideRoot()
    {
        Stack s;
        QTemporaryDir outside;
        QVERIFY(outside.isValid());
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}})).hasValue());
        auto op = [&](const QString &name, QJsonObject a) {
            a.insert(QStringLiteral("mount"), QStringLiteral("m1"));
            return client.call(name, a);
        };
        const QString escapeName = QStringLiteral("../../../../../../..") + outside.path() + QStringLiteral("/escaped");
        // `..` climbs no higher than the merged root: the file lands inside it, never outside.
        auto created = op(QStringLiteral("create"), args({{QStringLiteral("path"), escapeName}, {QStringLiteral("data"), QStringLiteral("x")}}));
        QVERIFY(!QFile::exists(outside.path() + QStringLiteral("/escaped")));
        QVERIFY(!created.hasValue() || QFile::exists(s.upper.root() + outside.path() + QStringLiteral("/escaped")));
        // An absolute symlink resolves against the merged root: /etc there does not exist.
        auto viaAbs = op(QStringLiteral("read"), args({{QStringLiteral("path"), QStringLiteral("abs/hostname")}}));
        QVERIFY(!viaAbs.hasValue());
        QCOMPARE(viaAbs.error().sysErrno, ENOENT);
        // A symlink to /proc/self/... never reaches the helper's procfs.
        auto viaMagic = op(QStringLiteral("read"), args({{QStringLiteral("path"), QStringLiteral("magic")}}));
        QVERIFY(!viaMagic.hasValue());
        // Entry operations need a real name; ".." as the last component is refused.
        auto dotdot = op(QStringLiteral("unlink"), args({{QStringLiteral("path"), QStringLiteral("dir/..")}}));
        QVERIFY(!dotdot.hasValue());
        QCOMPARE(dotdot.error().code, ErrorCode::InvalidOption);
        // rename and link targets are contained the same way.
        auto renamed = op(QStringLiteral("rename"), args({{QStringLiteral("path"), QStringLiteral("b")}, {QStringLiteral("to"), QString(QStringLiteral("../../") + outside.path() + QStringLiteral("/stolen"))}}));
        QVERIFY(!QFile::exists(outside.path() + QStringLiteral("/stolen")));
        Q_UNUSED(renamed);
        // A symlink created through the helper pointing out is only a name; writing through it stays inside.
        QVERIFY(op(QStringLiteral("symlink"), args({{QStringLiteral("path"), QStringLiteral("out")}, {QStringLiteral("target"), outside.path()}})).hasValue());
        auto through = op(QStringLiteral("create"), args({{QStringLiteral("path"), QStringLiteral("out/planted")}}));
        QVERIFY(!QFile::exists(outside.path() + QStringLiteral("/planted")));
        Q_UNUSED(through);
        client.stop();
    }

    // Layer names holding , : \ and newlines reach the kernel as one layer each, by either API.
    void layerNamesCannotInjectOptions_data()
    {
        QTest::addColumn<QString>("api");
        QTest::newRow("fsconfig") << QStringLiteral("fsconfig");
        QTest::newRow("legacy") << QStringLiteral("legacy");
    }
    void layerNamesCannotInjectOptions()
    {
        QFETCH(QString, api);
        LayerBuilder base, up, work;
        QTemporaryDir evil;
        const QString odd = base.root() + QStringLiteral("/x,upperdir=") + evil.path() + QStringLiteral(",workdir=") + evil.path() + QStringLiteral(":y\\z\nw");
        QVERIFY(QDir().mkpath(odd));
        QFile f(odd + QStringLiteral("/inside"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("odd layer");
        f.close();
        HelperClient client(options());
        QVERIFY(!client.start());
        const QString source = QStringLiteral("overlay:lowerdir=%1,upperdir=%2,workdir=%3").arg(escapeOverlayPath(odd), up.root(), work.root());
        auto mounted = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), source}, {QStringLiteral("api"), api}}));
        QVERIFY2(mounted.hasValue(), mounted ? "" : qPrintable(errorText(mounted.error())));
        QCOMPARE(mounted->value(QStringLiteral("api")).toString().startsWith(api), true);
        auto read = client.call(QStringLiteral("read"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("inside")}}));
        QVERIFY(read.hasValue());
        QCOMPARE(read->value(QStringLiteral("data")).toString(), QStringLiteral("odd layer"));
        QVERIFY(client.call(QStringLiteral("create"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("w")}})).hasValue());
        QVERIFY(QFile::exists(up.root() + QStringLiteral("/w"))); // the real upper, not the injected one
        QVERIFY(QDir(evil.path()).isEmpty());
        // Extra options come from a fixed list: anything else is refused before the kernel sees it.
        auto injected = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), source}, {QStringLiteral("options"), QJsonArray{QStringLiteral("index=on,upperdir=/")}}}));
        QVERIFY(!injected.hasValue());
        QCOMPARE(injected.error().code, ErrorCode::InvalidOption);
        auto relative = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=rel")}}));
        QVERIFY(!relative.hasValue());
        client.stop();
    }

    // Hostile lines: malformed, oversize, unknown op/field, another version: refused, helper lives on.
    void hostileLinesAreRefused()
    {
        HelperClient client(options());
        QVERIFY(!client.start());
        auto expectRefusal = [&](const QByteArray &line, ErrorCode code) {
            QVERIFY(!client.sendRaw(line));
            auto m = client.nextMessage();
            QVERIFY(m.hasValue());
            QVERIFY(!m->ok);
            QCOMPARE(m->error->code, code);
        };
        expectRefusal("{\"v\":1,\"id\":", ErrorCode::Corrupt);
        expectRefusal(QByteArray(200 * 1024, 'x'), ErrorCode::LimitExceeded);
        expectRefusal("{\"v\":1,\"id\":9,\"op\":\"exec\",\"args\":{\"cmd\":\"sh\"}}", ErrorCode::InvalidOption);
        expectRefusal("{\"v\":1,\"id\":9,\"op\":\"status\",\"args\":{\"all\":true}}", ErrorCode::InvalidOption);
        expectRefusal("{\"v\":7,\"id\":9,\"op\":\"status\"}", ErrorCode::Unsupported);
        QVERIFY(client.call(QStringLiteral("status")).hasValue());
        client.stop();
    }

    // Many requests in flight at once: each answered once, by id, in order.
    void concurrentRequests()
    {
        Stack s;
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}})).hasValue());
        std::vector<int64_t> ids;
        for (int i = 0; i < 60; ++i) {
            auto id = client.send(QStringLiteral("create"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("f%1").arg(i)}}));
            QVERIFY(id.hasValue());
            ids.push_back(*id);
            if (i % 10 == 0) {
                auto sid = client.send(QStringLiteral("status"));
                QVERIFY(sid.hasValue());
                ids.push_back(*sid);
            }
        }
        // Wait in reverse order: replies read early are kept for their caller.
        for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
            auto reply = client.waitReply(*it);
            QVERIFY2(reply.hasValue(), reply ? "" : qPrintable(errorText(reply.error())));
        }
        for (int i = 0; i < 60; ++i)
            QVERIFY(QFile::exists(s.upper.root() + QStringLiteral("/f%1").arg(i)));
        // A second helper on other layers at the same time, independent of the first.
        Stack s2;
        HelperClient second(options());
        QVERIFY(!second.start());
        QVERIFY(second.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s2.source()}})).hasValue());
        QCOMPARE(overlayMountsMentioning(s.upper.root(), QStringLiteral("/proc/%1/mountinfo").arg(second.pid())), 0);
        second.stop();
        client.stop();
    }

    // SIGKILL at any moment of a mount: nothing is left in our mountinfo; a hung helper is noticed
    // by the timeout, a killed one by EOF, and restart() brings a working one.
    void killedOrHungHelper()
    {
        Stack s;
        for (int delayUs : {0, 200, 1000, 5000}) {
            HelperClient client(options());
            QVERIFY(!client.start());
            QVERIFY(client.send(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source(QStringLiteral("index=on,redirect_dir=on"))}})).hasValue());
            std::this_thread::sleep_for(std::chrono::microseconds(delayUs));
            QVERIFY(::kill(client.pid(), SIGKILL) == 0);
            auto reply = client.waitReply(2); // hello was 1
            if (reply.hasValue()) // the mount was done before the signal: the next call finds the helper dead
                reply = client.call(QStringLiteral("status"));
            QVERIFY(!reply.hasValue());
            QVERIFY2(reply.error().detail.contains(QStringLiteral("killed")), qPrintable(errorText(reply.error())));
            QVERIFY(!client.running());
            QCOMPARE(overlayMountsMentioning(s.upper.root()), 0);
            // The killed helper's scratch dir (an empty dir on this side) is removed by the client.
            QVERIFY(!QFileInfo::exists(client.hello().value(QStringLiteral("scratch")).toString()));
        }
        // index=on refuses an upper/work dir another mount still uses (EBUSY): a new helper can
        // take them, so the killed helpers' mounts are really gone, not just out of sight.
        HelperClient next(options());
        QVERIFY(!next.start());
        Expected<QJsonObject> again = makeError(ErrorCode::Io, QStringLiteral("not tried"));
        for (int attempt = 0; attempt < 50 && !again.hasValue(); ++attempt) {
            again = next.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source(QStringLiteral("index=on,redirect_dir=on"))}}));
            if (!again.hasValue())
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        QVERIFY2(again.hasValue(), again ? "" : qPrintable(errorText(again.error())));
        next.stop();
        HelperClient client(options(HelperMode::Direct, 300));
        QVERIFY(!client.start());
        QVERIFY(::kill(client.pid(), SIGSTOP) == 0);
        auto hung = client.call(QStringLiteral("status"));
        QVERIFY(!hung.hasValue());
        QVERIFY2(hung.error().detail.contains(QStringLiteral("did not answer")), qPrintable(errorText(hung.error())));
        QVERIFY(!client.running());
        QVERIFY(!client.restart());
        QVERIFY(client.call(QStringLiteral("status")).hasValue());
        client.stop();
    }

    // An unprivileged invoker (PKEXEC_UID) asking for a root-owned 0700 layer dir, or an upper it
    // cannot write, is refused; its own readable layers mount.
    void unprivilegedInvokerIsRefused()
    {
        LayerBuilder pub, pub2, secret, up, work;
        for (const LayerBuilder *b : {&pub, &pub2, &secret, &up, &work})
            QVERIFY(::chmod(b->root().toUtf8().constData(), 0755) == 0);
        pub.file(QStringLiteral("o"));
        pub.file(QStringLiteral("rootonly"), "root's", 0600);
        shellLayer(pub2);
        secret.file(QStringLiteral("s"));
        QVERIFY(::chmod(secret.root().toUtf8().constData(), 0700) == 0);
        qputenv("PKEXEC_UID", "65534");
        HelperClient client(options());
        const auto started = client.start();
        qunsetenv("PKEXEC_UID");
        QVERIFY(!started);
        QCOMPARE(client.hello().value(QStringLiteral("invokerUid")).toInt(), 65534);
        auto refused = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=%1:%2").arg(pub.root(), secret.root())}}));
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, ErrorCode::Permission);
        QCOMPARE(refused.error().path, secret.root());
        auto upperRefused = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=%1,upperdir=%2,workdir=%3").arg(pub.root(), up.root(), work.root())}}));
        QVERIFY(!upperRefused.hasValue());
        QCOMPARE(upperRefused.error().code, ErrorCode::Permission);
        auto allowed = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=%1:%2").arg(pub.root(), pub2.root())}}));
        QVERIFY2(allowed.hasValue(), allowed ? "" : qPrintable(errorText(allowed.error())));
        // File operations carry the invoker's rights too: a root-only file in a readable layer stays unread.
        const QString m = allowed->value(QStringLiteral("mount")).toString();
        auto readable = client.call(QStringLiteral("read"), args({{QStringLiteral("mount"), m}, {QStringLiteral("path"), QStringLiteral("o")}}));
        QVERIFY2(readable.hasValue(), readable ? "" : qPrintable(errorText(readable.error())));
        auto hidden = client.call(QStringLiteral("read"), args({{QStringLiteral("mount"), m}, {QStringLiteral("path"), QStringLiteral("rootonly")}}));
        QVERIFY(!hidden.hasValue());
        QCOMPARE(hidden.error().code, ErrorCode::Permission);
        // run as that user too: the command cannot read the root-only file either.
        QByteArray out;
        auto ran = client.call(QStringLiteral("run"), args({{QStringLiteral("mount"), m}, {QStringLiteral("argv"), QJsonArray{QStringLiteral("dash"), QStringLiteral("-c"),
                                                               QStringLiteral("while read k v rest; do [ \"$k\" = Uid: ] && echo uid=$v; done < /proc/self/status; read x < /rootonly && echo read=$x")}}}),
                               [&](const helper::Message &msg) { out += msg.result.value(QStringLiteral("data")).toString().toUtf8(); });
        QVERIFY2(ran.hasValue(), ran ? "" : qPrintable(errorText(ran.error())));
        QVERIFY2(out.contains("uid=65534") && !out.contains("read="), out.constData());
        client.stop();
    }

    // run: argv only, a cleared environment, PID 1 in its own namespaces, pivot_root into the
    // merged dir, output streamed, exit status; kill ends it.
    void runInMergedRoot()
    {
        LayerBuilder root, up, work;
        shellLayer(root);
        HelperClient client(options());
        QVERIFY(!client.start());
        QVERIFY(client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), QStringLiteral("overlay:lowerdir=%1,upperdir=%2,workdir=%3").arg(root.root(), up.root(), work.root())}})).hasValue());
        QVERIFY(client.call(QStringLiteral("watch"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
        QByteArray out, err;
        auto collect = [&](const helper::Message &m) {
            if (m.event == u"stdout")
                out += m.result.value(QStringLiteral("data")).toString().toUtf8();
            else if (m.event == u"stderr")
                err += m.result.value(QStringLiteral("data")).toString().toUtf8();
        };
        qputenv("STRATA_TEST_SECRET", "leak");
        const QString script = QStringLiteral("echo pid=$$; read h < /proc/sys/kernel/hostname; echo $h; echo env=$STRATA_TEST_SECRET$FOO; echo oops >&2; echo made > /tmp/made; "
                                               "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; "
                                               "[ -e /proc/1/exe ] && echo proc; exit 3");
        auto ran = client.call(QStringLiteral("run"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("argv"), QJsonArray{QStringLiteral("dash"), QStringLiteral("-c"), script}},
                                                             {QStringLiteral("env"), QJsonArray{QStringLiteral("FOO=bar")}}}),
                               collect);
        qunsetenv("STRATA_TEST_SECRET");
        QVERIFY2(ran.hasValue(), ran ? "" : qPrintable(errorText(ran.error())));
        QCOMPARE(ran->value(QStringLiteral("exit")).toInt(), 3);
        QCOMPARE(out, QByteArray("pid=1\nstrata\nenv=bar\nproc\n"));
        QCOMPARE(err, QByteArray("oops\n"));
        QVERIFY(QFile::exists(up.root() + QStringLiteral("/tmp/made")));
        QVERIFY(client.call(QStringLiteral("sync"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})).hasValue());
        bool sawDash = false;
        for (const auto &m : client.pendingEvents())
            sawDash |= m.result.value(QStringLiteral("path")).toString() == u"tmp/made" && m.result.value(QStringLiteral("comm")).toString() == u"dash";
        QVERIFY2(sawDash, "the new file's event names dash as its cause");

        // kill: a busy loop ends by SIGKILL when asked.
        int64_t runId = 0;
        auto id = client.send(QStringLiteral("run"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("argv"), QJsonArray{QStringLiteral("/bin/dash"), QStringLiteral("-c"), QStringLiteral("while :; do :; done")}}}));
        QVERIFY(id.hasValue());
        auto killed = client.waitReply(*id, [&](const helper::Message &m) {
            if (m.event == u"started") {
                runId = m.result.value(QStringLiteral("run")).toInteger();
                QVERIFY(client.send(QStringLiteral("kill"), args({{QStringLiteral("run"), qint64(runId)}})).hasValue());
            }
        });
        QVERIFY(killed.hasValue());
        QVERIFY(runId > 0);
        QCOMPARE(killed->value(QStringLiteral("signal")).toInt(), SIGKILL);
        // network: a namespace of its own whose only interface is the loopback, and it is up (an
        // IPv6 loopback address exists only on an up interface).
        QByteArray netOut;
        auto net = client.call(QStringLiteral("run"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("network"), true},
                                                            {QStringLiteral("argv"), QJsonArray{QStringLiteral("dash"), QStringLiteral("-c"),
                                                                                                 QStringLiteral("n=0; while read l; do n=$((n+1)); echo \"$l\"; done < /proc/net/dev; echo count=$n; "
                                                                                                                "[ -e /proc/net/if_inet6 ] && while read l; do echo v6 $l; done < /proc/net/if_inet6; true")}}}),
                               [&](const helper::Message &m) { netOut += m.result.value(QStringLiteral("data")).toString().toUtf8(); });
        QVERIFY2(net.hasValue(), net ? "" : qPrintable(errorText(net.error())));
        QVERIFY2(netOut.contains("count=3") && netOut.contains("lo:"), netOut.constData()); // two header lines + lo
        if (QFile::exists(QStringLiteral("/proc/net/if_inet6")))
            QVERIFY2(netOut.contains("v6 ") && netOut.contains(" lo"), netOut.constData());
        auto missing = client.call(QStringLiteral("run"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("argv"), QJsonArray{QStringLiteral("nonexistent")}}}));
        QVERIFY(!missing.hasValue());
        QCOMPARE(missing.error().sysErrno, ENOENT);
        client.stop();
    }

    // Rootless: an unprivileged user's helper maps it to root in a user namespace, mounts with
    // userxattr, watches with inotify, and the mount is in no namespace but the helper's.
    void rootlessAsUnprivilegedUser()
    {
        Stack s;
        for (const LayerBuilder *b : {&s.low1, &s.low2, &s.upper, &s.work})
            QVERIFY(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("65534:65534"), b->root()}) == 0);
        // Whiteout 0/0 devices and trusted xattrs are no part of these layers; user.overlay.* is.
        int pipeFds[2];
        QVERIFY(::pipe(pipeFds) == 0);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(pipeFds[0]);
            QByteArray report;
            auto fail = [&](const QByteArray &why) {
                [[maybe_unused]] ssize_t n = ::write(pipeFds[1], why.constData(), size_t(why.size()));
                _exit(1);
            };
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                fail("cannot drop to nobody");
            HelperClient client(options(HelperMode::Auto));
            if (auto e = client.start())
                fail("start: " + e->message().toUtf8());
            if (client.hello().value(QStringLiteral("mode")).toString() != u"rootless")
                fail("not rootless");
            auto mounted = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), s.source()}}));
            if (!mounted)
                fail("mount: " + mounted.error().message().toUtf8());
            if (!mounted->value(QStringLiteral("options")).toString().contains(QStringLiteral("userxattr")))
                fail("no userxattr");
            auto watch = client.call(QStringLiteral("watch"), args({{QStringLiteral("mount"), QStringLiteral("m1")}}));
            if (!watch || watch->value(QStringLiteral("mechanism")).toString() != u"inotify")
                fail("watch is not inotify");
            const UpperSnapshot before = s.scan("user.overlay.");
            if (!client.call(QStringLiteral("unlink"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("b")}})))
                fail("unlink");
            if (!client.call(QStringLiteral("append"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("dir/f")}, {QStringLiteral("data"), QStringLiteral("+")}})))
                fail("append");
            if (!client.call(QStringLiteral("sync"), args({{QStringLiteral("mount"), QStringLiteral("m1")}})))
                fail("sync");
            const UpperSnapshot after = s.scan("user.overlay.");
            std::vector<UpperEvent> reported;
            for (const auto &m : client.pendingEvents())
                reported.push_back(UpperEvent{m.result.value(QStringLiteral("kind")).toString().toStdString(), m.result.value(QStringLiteral("path")).toString().toStdString(), -1});
            if (kindsOf(reported) != kindsOf(diffUpper(before, after, s.lower())))
                fail("events " + describe(kindsOf(reported)).toUtf8() + " != scans " + describe(kindsOf(diffUpper(before, after, s.lower()))).toUtf8());
            if (!kindsOf(reported).contains({"whiteout", "b"}))
                fail("no whiteout event");
            auto chown = client.call(QStringLiteral("chown"), args({{QStringLiteral("mount"), QStringLiteral("m1")}, {QStringLiteral("path"), QStringLiteral("a")}, {QStringLiteral("uid"), 5}, {QStringLiteral("gid"), 5}}));
            if (chown)
                fail("chown to an unmapped uid worked");
            if (overlayMountsMentioning(s.upper.root()) != 0)
                fail("the mount is visible outside the helper");
            const QString helperInfo = QStringLiteral("/proc/%1/mountinfo").arg(client.pid());
            if (overlayMountsMentioning(s.upper.root(), helperInfo) != 1)
                fail("the helper has no mount");
            client.stop();
            _exit(0);
        }
        ::close(pipeFds[1]);
        QByteArray why;
        char buffer[4096];
        for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
            why.append(buffer, n);
        ::close(pipeFds[0]);
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, why.constData());
        // The whiteout is a user.overlay.whiteout file or a 0/0 device the user namespace may make.
        struct stat st{};
        QVERIFY(::lstat((s.upper.root() + QStringLiteral("/b")).toUtf8().constData(), &st) == 0);
    }

    // pkexec mode for real: a private /run with a system D-Bus and polkitd started here, the Strata
    // action (exec path = this build's helper) and a rule granting it to `nobody`. Without the rule
    // pkexec refuses; with it the helper runs as root for invoker 65534 and refuses that user's
    // unreadable layer. The daemons are stopped by pid; all of it happens in a child's namespace.
    void pkexecModeWithPolkit()
    {
        if (!polkitTools())
            QSKIP("pkexec, polkitd or dbus-daemon is missing");
        LayerBuilder pub, pub2, secret;
        for (const LayerBuilder *b : {&pub, &pub2, &secret})
            QVERIFY(::chmod(b->root().toUtf8().constData(), 0755) == 0);
        pub.file(QStringLiteral("o"));
        pub2.file(QStringLiteral("p"));
        QVERIFY(::chmod(secret.root().toUtf8().constData(), 0700) == 0);
        const QString goodSource = QStringLiteral("overlay:lowerdir=%1:%2").arg(pub.root(), pub2.root());
        const QString badSource = QStringLiteral("overlay:lowerdir=%1:%2").arg(pub.root(), secret.root());
        // As nobody: a helper through pkexec; what it says.
        auto asNobody = [&](bool expectGranted) {
            return runAsNobody([&] {
                HelperClient client(options(HelperMode::Pkexec, 15000));
                if (auto e = client.start())
                    return expectGranted ? 11 : 0;
                if (!expectGranted)
                    return 12;
                if (client.hello().value(QStringLiteral("invokerUid")).toInt() != 65534 || client.hello().value(QStringLiteral("mode")).toString() != u"direct")
                    return 13;
                auto refused = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), badSource}}));
                if (refused || refused.error().code != ErrorCode::Permission)
                    return 14;
                auto mounted = client.call(QStringLiteral("mount"), args({{QStringLiteral("source"), goodSource}}));
                if (!mounted)
                    return 15;
                client.stop();
                return 0;
            });
        };
        const PolkitRun run = inPolkitSandbox(helperPath(), [&](const std::function<void(bool)> &grant, QByteArray &report) {
            const int withoutRule = asNobody(false);
            report += "without the rule: " + QByteArray::number(withoutRule) + '\n';
            grant(true);
            const int withRule = asNobody(true);
            report += "with the rule: " + QByteArray::number(withRule) + '\n';
            return withoutRule == 0 && withRule == 0 ? 0 : 2;
        });
        QVERIFY2(run.code == 0, run.report.constData());
    }

    // Root-only storage for an unprivileged user: a containers-storage root (0700, root's) that
    // nobody cannot open (its layers without trusted.* xattrs: nobody could not read those); through strata-helper under pkexec (chosen explicitly, and by auto mode)
    // its layer dirs come as read-only fds and the merged view equals what root reads directly —
    // in-process and through `strata-cli ls` as nobody. Sources outside storage, a root not owned
    // by root, and a layer dir leading out of the root are refused.
    void rootOnlyStorageForAnUnprivilegedUser()
    {
        if (!polkitTools())
            QSKIP("pkexec, polkitd or dbus-daemon is missing");
        QTemporaryDir top;
        QVERIFY(::chmod(QFile::encodeName(top.path()).constData(), 0755) == 0);
        // Copies nobody can execute; the polkit action names this helper.
        const QString bin = top.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(bin));
        for (const char *name : {"strata-cli", "strata-helper"})
            QVERIFY(QFile::copy(qEnvironmentVariable("STRATA_BIN") + u'/' + QLatin1StringView(name), bin + u'/' + QLatin1StringView(name)));
        const QString helper = bin + QStringLiteral("/strata-helper");
        auto makeStore = [&](const QString &root) {
            auto write = [](const QString &path, const QByteArray &data) {
                QDir().mkpath(QFileInfo(path).path());
                QFile f(path);
                return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
            };
            QVERIFY(write(root + QStringLiteral("/overlay-layers/layers.json"), R"([{"id":"l1"},{"id":"l2","parent":"l1"}])"));
            QVERIFY(write(root + QStringLiteral("/overlay-images/images.json"), "[{\"id\":\"" + QByteArray(64, 'a') + "\",\"names\":[\"localhost/app:1\"],\"layer\":\"l2\"}]"));
            const QString l1 = root + QStringLiteral("/overlay/l1/diff"), l2 = root + QStringLiteral("/overlay/l2/diff");
            QVERIFY(write(l1 + QStringLiteral("/etc/os-release"), "ID=strata\n"));
            QVERIFY(write(l1 + QStringLiteral("/usr/bin/tool"), "#!/bin/sh\necho tool\n"));
            QVERIFY(write(l1 + QStringLiteral("/gone"), "deleted above\n"));
            QVERIFY(write(l1 + QStringLiteral("/old/a"), "a\n"));
            QVERIFY(write(l2 + QStringLiteral("/etc/motd"), "hello from layer two\n"));
            QVERIFY(write(l2 + QStringLiteral("/old/b"), "b\n"));
            QVERIFY(::chmod(QFile::encodeName(l1 + QStringLiteral("/usr/bin/tool")).constData(), 0755) == 0);
            QVERIFY(::chown(QFile::encodeName(l2 + QStringLiteral("/etc/motd")).constData(), 1234, 1234) == 0);
            QVERIFY(::mknod(QFile::encodeName(l2 + QStringLiteral("/gone")).constData(), S_IFCHR | 0600, makedev(0, 0)) == 0);
            // What only root can read (trusted.overlay.*): l2's old/ is opaque, so l1's old/a does
            // not show; l2's moved/ is l1's src/ renamed (a redirect), src/ itself whited out.
            QVERIFY(::setxattr(QFile::encodeName(l2 + QStringLiteral("/old")).constData(), "trusted.overlay.opaque", "y", 1, 0) == 0);
            QVERIFY(write(l1 + QStringLiteral("/src/x"), "x\n"));
            QVERIFY(write(l2 + QStringLiteral("/moved/y"), "y\n"));
            QVERIFY(::setxattr(QFile::encodeName(l2 + QStringLiteral("/moved")).constData(), "trusted.overlay.redirect", "/src", 4, 0) == 0);
            QVERIFY(::mknod(QFile::encodeName(l2 + QStringLiteral("/src")).constData(), S_IFCHR | 0600, makedev(0, 0)) == 0);
        };
        const QString store = top.filePath(QStringLiteral("store"));
        makeStore(store);
        QVERIFY(::chmod(QFile::encodeName(store).constData(), 0700) == 0);
        const QString source = QStringLiteral("containers-storage:%1:app:1").arg(store);
        // A store nobody owns (its metadata is nobody's word), and a root store whose layer leads out.
        const QString usersStore = top.filePath(QStringLiteral("users-store"));
        makeStore(usersStore);
        QVERIFY(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("65534:65534"), usersStore}) == 0);
        const QString evilStore = top.filePath(QStringLiteral("evil-store"));
        makeStore(evilStore);
        QVERIFY(QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), evilStore + QStringLiteral("/overlay/l2")}) == 0);
        QVERIFY(QFile::link(top.filePath(QStringLiteral("store/overlay/l1")), evilStore + QStringLiteral("/overlay/l2")));
        QVERIFY(::chmod(QFile::encodeName(evilStore).constData(), 0700) == 0);

        // Layers of nobody's own, for the auto mode of a mount.
        const QString usersLayers = QStringLiteral("overlay:lowerdir=%1:%2").arg(usersStore + QStringLiteral("/overlay/l2/diff/etc"), usersStore + QStringLiteral("/overlay/l1/diff/etc"));
        // What root reads directly.
        auto rootStack = OverlayStack::open(source, QStringLiteral("/"));
        QVERIFY2(rootStack, rootStack ? "" : qPrintable(rootStack.error().message()));
        const std::vector<std::string> expected = describeMerged(*rootStack);
        QVERIFY(expected.size() >= 7);
        QVERIFY(std::find_if(expected.begin(), expected.end(), [](const std::string &e) { return e.starts_with("/gone "); }) == expected.end());
        std::vector<std::pair<dev_t, ino_t>> layerIds;
        for (const LayerSpec &layer : rootStack->config.layers) {
            struct stat st{};
            QVERIFY(::stat(QFile::encodeName(layer.path).constData(), &st) == 0);
            layerIds.emplace_back(st.st_dev, st.st_ino);
        }
        QCOMPARE(layerIds.size(), size_t(2));
        QProcess rootLs;
        rootLs.start(bin + QStringLiteral("/strata-cli"), {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--hash"), source});
        QVERIFY(rootLs.waitForFinished(60000) && rootLs.exitCode() == 0);
        const QByteArray expectedLs = rootLs.readAllStandardOutput();
        QVERIFY(expectedLs.contains("hello from layer two") == false && expectedLs.contains("/etc/motd"));
        // The opaque dir hides l1's old/a from root; nobody must see the same.
        QVERIFY(expectedLs.contains("\"/old/b\"") && !expectedLs.contains("\"/old/a\""));
        QVERIFY(expectedLs.contains("\"/moved/y\"") && !expectedLs.contains("\"/src\""));
        const bool redirectFollowed = rootStack->config.redirect != RedirectMode::NoFollow && rootStack->config.redirect != RedirectMode::Off;
        QCOMPARE(expectedLs.contains("\"/moved/x\""), redirectFollowed);

        const PolkitRun run = inPolkitSandbox(helper, [&](const std::function<void(bool)> &grant, QByteArray &report) {
            grant(true);
            const int library = runAsNobody([&]() -> int {
                if (openSource(source, QStringLiteral("/")))
                    return 20;
                // (No scan here: QtConcurrent's pool does not survive fork(); strata-cli ls below
                // compares the whole merged view.)
                for (HelperMode mode : {HelperMode::Pkexec, HelperMode::Auto}) {
                    auto opened = openSourceForUser(source, QStringLiteral("/"), HelperClient::Options{helper, mode, 15000});
                    if (!opened) {
                        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message()));
                        return 21;
                    }
                    if ((*opened)->config().toOptionString() != rootStack->config.toOptionString())
                        return 22;
                    for (size_t i = 0; i < layerIds.size(); ++i) {
                        auto handle = (*opened)->openLayer(i);
                        struct stat st{};
                        // The very dir root sees, read-only, and readable through the fd.
                        if (!handle || handle->kind() != LayerHandle::Kind::Directory || ::fstat(handle->directoryFd(), &st) != 0 || st.st_ino != layerIds[i].second
                            || st.st_dev != layerIds[i].first || (::fcntl(handle->directoryFd(), F_GETFL) & O_ACCMODE) != O_RDONLY)
                            return 23;
                    }
                    auto bottom = (*opened)->openLayer(0);
                    const int file = ::openat(bottom->directoryFd(), "etc/os-release", O_RDONLY | O_CLOEXEC);
                    char text[32] = {};
                    if (file < 0 || ::read(file, text, sizeof text - 1) != 10 || std::string_view(text) != "ID=strata\n")
                        return 24;
                    ::close(file);
                    // Writing through the fd is refused (the dir is root's).
                    if (::openat(bottom->directoryFd(), "planted", O_WRONLY | O_CREAT | O_EXCL, 0644) >= 0 || errno != EACCES)
                        return 25;
                }
                // Rootless cannot help: the plain refusal stays.
                if (openSourceForUser(source, QStringLiteral("/"), HelperClient::Options{helper, HelperMode::Rootless, 15000}))
                    return 26;
                HelperClient client(HelperClient::Options{helper, HelperMode::Pkexec, 15000});
                if (client.start())
                    return 27;
                const std::pair<QString, ErrorCode> refusals[] = {
                    {QStringLiteral("overlay:lowerdir=") + store + QStringLiteral("/overlay/l1/diff"), ErrorCode::InvalidSource},
                    {QStringLiteral("containers-storage:%1:app:1").arg(usersStore), ErrorCode::Permission},
                    {QStringLiteral("containers-storage:%1:app:1").arg(evilStore), ErrorCode::Corrupt},
                    {QStringLiteral("containers-storage:relative/store:app:1"), ErrorCode::NotFound},
                };
                int code = 30;
                for (const auto &[request, errorCode] : refusals) {
                    auto refused = client.call(QStringLiteral("open-storage"), args({{QStringLiteral("source"), request}}));
                    if (refused || refused.error().code != errorCode || !client.takeFds(1).empty()) {
                        std::fprintf(stderr, "%s: %s\n", qPrintable(request), refused ? "opened" : qPrintable(refused.error().message()));
                        return code;
                    }
                    ++code;
                }
                client.stop();
                return 0;
            });
            report += "in-process: " + QByteArray::number(library) + '\n';
            // strata-cli ls as nobody: with --helper pkexec, and with auto mode choosing pkexec.
            int cliFailures = 0;
            for (const QStringList &extra : {QStringList{QStringLiteral("--helper"), QStringLiteral("pkexec")}, QStringList{}}) {
                QStringList argv{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"), bin + QStringLiteral("/strata-cli"),
                                 QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--hash")};
                const auto [code, out] = capture(QStringList{QStringLiteral("setpriv")} + argv + extra + QStringList{source});
                if (code != 0 || out != expectedLs) {
                    report += "strata-cli ls " + extra.join(u' ').toUtf8() + ": exit " + QByteArray::number(code) + ", output:\n" + out.left(2000) + '\n';
                    ++cliFailures;
                }
            }
            // Auto mode for a mount: rootless when nothing more is needed, pkexec for index=on.
            for (const auto &[option, mode] : {std::pair{QString(), QByteArray("rootless")}, std::pair{QStringLiteral("index=on"), QByteArray("pkexec")}}) {
                QStringList argv{QStringLiteral("setpriv"), QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                                 bin + QStringLiteral("/strata-cli"), QStringLiteral("mount")};
                if (!option.isEmpty())
                    argv << QStringLiteral("--option") << option;
                const auto [code, out] = capture(argv << usersLayers, true);
                if (code != 0 || !out.contains(QByteArray("\"mode\":\"" + mode + '"'))) {
                    report += "strata-cli mount " + option.toUtf8() + ": exit " + QByteArray::number(code) + ", not " + mode + ": " + out + '\n';
                    ++cliFailures;
                }
            }
            return library == 0 && cliFailures == 0 ? 0 : 2;
        });
        QVERIFY2(run.code == 0, run.report.constData());
    }

    // The scanner takes a layer's supplement (what strata-helper read as root) as if it had listed
    // it: the same rules make an opaque dir and a redirect; an incomplete one is a layer problem.
    void xattrSupplementMerges()
    {
        QTemporaryDir dir;
        auto write = [](const QString &path, const QByteArray &data) {
            QDir().mkpath(QFileInfo(path).path());
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
        };
        const QString lower = dir.filePath(QStringLiteral("lower")), upper = dir.filePath(QStringLiteral("upper"));
        QVERIFY(write(lower + QStringLiteral("/old/a"), "a\n") && write(lower + QStringLiteral("/src/x"), "x\n"));
        QVERIFY(write(upper + QStringLiteral("/old/b"), "b\n") && write(upper + QStringLiteral("/moved/y"), "y\n"));
        QVERIFY(::mknod(QFile::encodeName(upper + QStringLiteral("/src")).constData(), S_IFCHR | 0600, makedev(0, 0)) == 0);
        auto config = OverlayConfig::parse(QStringLiteral("lowerdir=%1:%2,redirect_dir=follow").arg(upper, lower), QStringLiteral("/"), OverlayDefaults{});
        QVERIFY2(config, config ? "" : qPrintable(config.error().message()));
        auto load = [&](std::shared_ptr<const XattrSupplement> supplement) -> Expected<OverlayStack> {
            std::vector<LayerHandle> handles;
            for (const LayerSpec &layer : config->layers) {
                auto handle = LayerHandle::openDirectory(layer.path);
                if (!handle)
                    return handle.error();
                if (layer.path == upper)
                    handle->setXattrSupplement(supplement);
                handles.push_back(*handle);
            }
            return OverlayStack::load(*sourceFromHandles(SourceKind::ContainersStorage, *config, handles));
        };
        auto has = [](const std::vector<std::string> &tree, const char *path) {
            return std::any_of(tree.begin(), tree.end(), [&](const std::string &line) { return line.starts_with(std::string(path) + ' '); });
        };
        auto plain = load(nullptr);
        QVERIFY(plain);
        const auto without = describeMerged(*plain);
        QVERIFY(has(without, "/old/a") && !has(without, "/moved/x"));
        auto supplement = std::make_shared<XattrSupplement>();
        supplement->entries["/old"] = {{"trusted.overlay.opaque", "y"}};
        supplement->entries["/moved"] = {{"trusted.overlay.redirect", "/src"}};
        auto supplied = load(supplement);
        QVERIFY(supplied);
        const auto with = describeMerged(*supplied);
        QVERIFY(!has(with, "/old/a") && has(with, "/old/b") && has(with, "/moved/x") && has(with, "/moved/y") && !has(with, "/src"));
        for (const LayerIndex &layer : supplied->layers)
            QVERIFY(layer.problems.empty());
        // An incomplete supplement says so on its layer.
        auto partial = std::make_shared<XattrSupplement>(*supplement);
        partial->problem = QStringLiteral("the layer has more than 10 entries");
        auto incomplete = load(partial);
        QVERIFY(incomplete);
        QCOMPARE(describeMerged(*incomplete), with);
        const LayerIndex &top = incomplete->layers.back();
        QVERIFY(std::any_of(top.problems.begin(), top.problems.end(), [&](const Error &e) { return e.message().contains(partial->problem); }));
    }

    // The helper's walk, as root: every entry's trusted.overlay.* xattrs, in events under the line
    // cap; each cap that is hit is said, not silent.
    void overlayXattrsWalk()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("layer"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/a/b/c")));
        auto set = [](const QString &path, const char *name, const QByteArray &value) {
            return ::lsetxattr(QFile::encodeName(path).constData(), name, value.constData(), size_t(value.size()), 0) == 0;
        };
        QVERIFY(set(root + QStringLiteral("/a"), "trusted.overlay.opaque", "y"));
        QVERIFY(set(root + QStringLiteral("/a/b/c"), "trusted.overlay.redirect", "/elsewhere"));
        QVERIFY(set(root + QStringLiteral("/a"), "trusted.other", "not overlay's"));
        QVERIFY(::symlink("nowhere", QFile::encodeName(root + QStringLiteral("/link")).constData()) == 0);
        QVERIFY(set(root + QStringLiteral("/link"), "trusted.overlay.origin", QByteArray("\0\1\2binary", 9)));
        for (int i = 0; i < 300; ++i) {
            const QString file = root + QStringLiteral("/a/b/f%1").arg(i);
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.close();
            QVERIFY(set(file, "trusted.overlay.metacopy", QByteArray(300, char(i))));
        }
        const UniqueFd fd(::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        QVERIFY(fd);
        size_t count = 0;
        QString incomplete;
        const auto events = helper::collectOverlayXattrs(fd.get(), 3, helper::XattrWalkLimits{}, &count, &incomplete);
        QVERIFY2(incomplete.isEmpty(), qPrintable(incomplete));
        QCOMPARE(count, size_t(303));
        QVERIFY(events.size() > 1); // 300 × 300 bytes do not fit one line
        std::map<std::string, QJsonArray> seen;
        for (const QJsonObject &event : events) {
            QVERIFY(helper::encodeEvent(1, QStringLiteral("xattrs"), event).size() < helper::maxMessageBytes);
            QCOMPARE(event.value(QStringLiteral("layer")).toInteger(), qint64(3));
            for (const QJsonValue &entry : event.value(QStringLiteral("entries")).toArray())
                seen[QByteArray::fromBase64(entry.toObject().value(QStringLiteral("path")).toString().toLatin1()).toStdString()] =
                    entry.toObject().value(QStringLiteral("xattrs")).toArray();
        }
        QCOMPARE(seen.size(), size_t(303));
        QJsonArray opaque;
        opaque.append(QJsonArray{QStringLiteral("trusted.overlay.opaque"), QStringLiteral("eQ==")});
        QCOMPARE(seen["/a"], opaque); // trusted.other is not overlay's
        auto firstValue = [&](const char *path) { return QByteArray::fromBase64(seen[path].at(0).toArray().at(1).toString().toLatin1()); };
        QCOMPARE(firstValue("/a/b/c"), QByteArray("/elsewhere"));
        QCOMPARE(firstValue("/link"), QByteArray("\0\1\2binary", 9));
        QCOMPARE(firstValue("/a/b/f7"), QByteArray(300, char(7)));
        // Each cap, hit.
        auto capped = [&](helper::XattrWalkLimits limits) {
            size_t n = 0;
            QString why;
            helper::collectOverlayXattrs(fd.get(), 0, limits, &n, &why);
            return why;
        };
        helper::XattrWalkLimits entries, depth, value, found;
        entries.maxEntries = 10;
        depth.maxDepth = 2;
        value.maxValueBytes = 100;
        found.maxXattrEntries = 5;
        QVERIFY2(capped(entries).contains(QStringLiteral("more than 10 entries")), qPrintable(capped(entries)));
        QVERIFY2(capped(depth).contains(QStringLiteral("deeper than 2")), qPrintable(capped(depth)));
        QVERIFY2(capped(value).contains(QStringLiteral("exceeds 100 bytes")), qPrintable(capped(value)));
        QVERIFY2(capped(found).contains(QStringLiteral("more than 5 entries")), qPrintable(capped(found)));
    }

    // strata-cli mount, verify, session and run, each through its own helper.
    void cliCommands()
    {
        const QString cli = qEnvironmentVariable("STRATA_BIN") + QStringLiteral("/strata-cli");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto runCli = [&](const QStringList &arguments, int *rc) -> QString {
            QProcess p;
            p.setStandardInputFile(QProcess::nullDevice());
            p.start(cli, arguments);
            p.waitForFinished(60000);
            *rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
            return QString::fromUtf8(p.readAllStandardOutput()) + QString::fromUtf8(p.readAllStandardError()).prepend(QStringLiteral("\n#stderr: "));
        };
        int rc = 0;
        QProcess demo;
        demo.start(cli, {QStringLiteral("demo"), dir.filePath(QStringLiteral("demo"))});
        QVERIFY(demo.waitForFinished(30000));
        const QString source = QString::fromUtf8(demo.readAllStandardOutput()).trimmed();
        QVERIFY(source.startsWith(QStringLiteral("overlay:")));

        QString out = runCli({QStringLiteral("verify"), source}, &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(out.contains(QStringLiteral("\"mismatches\":0")), qPrintable(out));

        out = runCli({QStringLiteral("mount"), source}, &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(out.contains(QStringLiteral("\"api\":\"fsconfig")), qPrintable(out));
        QCOMPARE(overlayMountsMentioning(dir.path()), 0);

        QFile script(dir.filePath(QStringLiteral("script")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("# copy-ups and whiteouts\nappend /c.txt data=more\nunlink /c.txt\nchmod /missing mode=0600\nmkdir /d mode=0700\n");
        script.close();
        const QString upper = dir.filePath(QStringLiteral("session-upper"));
        out = runCli({QStringLiteral("session"), source, QStringLiteral("--script"), script.fileName(), QStringLiteral("--upper"), upper}, &rc);
        QCOMPARE(rc, 1); // one operation failed (chmod of a missing file)
        QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 4, qPrintable(out));
        auto line = [&](int i) { return QJsonDocument::fromJson(lines[i].toUtf8()).object(); };
        auto hasEvent = [](const QJsonObject &o, const QString &kind, const QString &path) {
            for (const QJsonValue &e : o.value(QStringLiteral("events")).toArray()) {
                if (e[QStringLiteral("kind")].toString() == kind && e[QStringLiteral("path")].toString() == path)
                    return true;
            }
            return false;
        };
        auto change = [](const QJsonObject &o, const QString &path) {
            for (const QJsonValue &c : o.value(QStringLiteral("changes")).toArray()) {
                if (c[QStringLiteral("path")].toString() == path)
                    return c[QStringLiteral("change")].toString();
            }
            return QString();
        };
        QVERIFY2(hasEvent(line(0), QStringLiteral("data-copy-up"), QStringLiteral("c.txt")), qPrintable(lines[0]));
        QCOMPARE(change(line(0), QStringLiteral("c.txt")), QStringLiteral("modified"));
        QVERIFY2(hasEvent(line(1), QStringLiteral("whiteout"), QStringLiteral("c.txt")), qPrintable(lines[1]));
        QCOMPARE(change(line(1), QStringLiteral("c.txt")), QStringLiteral("deleted"));
        QCOMPARE(line(2).value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(line(2).value(QStringLiteral("error")).toObject().value(QStringLiteral("errno")).toInt(), ENOENT);
        QVERIFY(line(2).value(QStringLiteral("events")).toArray().isEmpty());
        QVERIFY2(hasEvent(line(3), QStringLiteral("new-entry"), QStringLiteral("d")), qPrintable(lines[3]));
        QCOMPARE(change(line(3), QStringLiteral("d")), QStringLiteral("added"));
        QVERIFY(QFileInfo(upper + QStringLiteral("/d")).isDir());

        // run: the root here has no shell; a missing command is exit 125 with the helper's reason.
        out = runCli({QStringLiteral("run"), source, QStringLiteral("--"), QStringLiteral("/bin/true")}, &rc);
        QCOMPARE(rc, 125);
        QVERIFY2(out.contains(QStringLiteral("No such file")), qPrintable(out));
        QCOMPARE(overlayMountsMentioning(dir.path()), 0);
    }

    void cleanupTestCase()
    {
        // No helper left a mount in this namespace.
        QCOMPARE(overlayMountsMentioning(QStringLiteral("strata-helper-")), 0);
    }
};

QTEST_GUILESS_MAIN(HelperTest)
#include "test_helper.moc"
