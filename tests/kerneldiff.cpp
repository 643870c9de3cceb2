// SPDX-License-Identifier: GPL-3.0-or-later
// Differential test against the kernel: random layer stacks are mounted, changed through the mount
// by random file operations (so the kernel itself writes the upper dir), remounted and walked; the
// engine's merged view must equal the kernel's for every path. Feature sets: plain, redirect_dir,
// redirect_dir+metacopy+index, and userxattr as an unprivileged user in a user namespace.
//
// STRATA_DIFF_SEED=N reproduces a run; STRATA_DIFF_CASES=N sets the cases per feature set
// (STRATA_DIFF_FIRST=N starts at case N)
// (default 250; scripts/test-long uses thousands).
#include "asofview.h"
#include "contentreader.h"
#include "overlaystack.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <random>
#include <sched.h>
#include <string>
#include <poll.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <grp.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

using namespace strata;

namespace {

constexpr uid_t unprivilegedId = 61234;

const std::vector<std::string> namePool = {"a", "b", "c", "d", "etc", "usr", "x y", "ü", "q\"t", "nl\nx", std::string("\xff\xfe", 2), "deep"};

struct Rng {
    std::mt19937_64 engine;
    explicit Rng(uint64_t seed)
        : engine(seed)
    {
    }
    int upTo(int n) { return int(engine() % uint64_t(n)); }
    bool chance(int percent) { return upTo(100) < percent; }
    const std::string &name() { return namePool[size_t(upTo(int(namePool.size())))]; }
};

std::string randomContent(Rng &rng)
{
    static const int sizes[] = {0, 1, 7, 100, 5000};
    std::string s(size_t(sizes[rng.upTo(5)]), '\0');
    for (char &c : s)
        c = char('a' + rng.upTo(26));
    return s;
}

void writeAll(const std::string &path, const std::string &content, mode_t mode)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, mode);
    if (fd < 0)
        return;
    ssize_t ignored = ::write(fd, content.data(), content.size());
    (void)ignored;
    ::fchmod(fd, mode);
    ::close(fd);
}

struct Features {
    const char *name;
    const char *options; // beyond lowerdir/upperdir/workdir
    bool userxattr;
};

// Fills `dir` with a random tree: files, dirs, symlinks, fifos, hand-made whiteouts and opaque dirs.
void generateTree(Rng &rng, const std::string &dir, int depth, bool allowWhiteouts, const char *xattrPrefix)
{
    const int count = 1 + rng.upTo(depth == 0 ? 7 : 4);
    for (int i = 0; i < count; ++i) {
        const std::string path = dir + "/" + rng.name();
        struct stat st{};
        if (::lstat(path.c_str(), &st) == 0)
            continue;
        const int kind = rng.upTo(100);
        if (kind < 35) {
            static const mode_t modes[] = {0644, 0600, 0755, 04755, 0444};
            writeAll(path, randomContent(rng), modes[rng.upTo(5)]);
        } else if (kind < 65 && depth < 3) {
            ::mkdir(path.c_str(), rng.chance(85) ? 0755 : 0700);
            if (rng.chance(12))
                ::setxattr(path.c_str(), (std::string(xattrPrefix) + "opaque").c_str(), "y", 1, 0);
            generateTree(rng, path, depth + 1, allowWhiteouts, xattrPrefix);
        } else if (kind < 75) {
            const std::string target = rng.chance(50) ? rng.name() : "../" + rng.name();
            ssize_t ignored = ::symlink(target.c_str(), path.c_str());
            (void)ignored;
        } else if (kind < 80) {
            ::mkfifo(path.c_str(), 0644);
        } else if (kind < 95 && allowWhiteouts) {
            ::mknod(path.c_str(), S_IFCHR | 0, makedev(0, 0));
        } else {
            writeAll(path, "", 0644);
        }
    }
}

void chownTree(const std::string &dir, uid_t id)
{
    ::lchown(dir.c_str(), id, id);
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return;
    while (dirent *e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        const std::string path = dir + "/" + name;
        struct stat st{};
        if (::lstat(path.c_str(), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            chownTree(path, id);
        else
            ::lchown(path.c_str(), id, id);
    }
    ::closedir(d);
}

void removeTree(const std::string &path)
{
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        ::chmod(path.c_str(), 0700);
        if (DIR *d = ::opendir(path.c_str())) {
            std::vector<std::string> names;
            while (dirent *e = ::readdir(d)) {
                if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, ".."))
                    names.emplace_back(e->d_name);
            }
            ::closedir(d);
            for (const auto &n : names)
                removeTree(path + "/" + n);
        }
        ::rmdir(path.c_str());
    } else {
        ::unlink(path.c_str());
    }
}

std::vector<std::string> listPaths(const std::string &root)
{
    std::vector<std::string> out;
    std::vector<std::string> pending{""};
    while (!pending.empty()) {
        const std::string rel = pending.back();
        pending.pop_back();
        DIR *d = ::opendir((root + rel).c_str());
        if (!d)
            continue;
        while (dirent *e = ::readdir(d)) {
            if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
                continue;
            const std::string path = rel + "/" + e->d_name;
            struct stat st{};
            if (::lstat((root + path).c_str(), &st) != 0)
                continue;
            out.push_back(path);
            if (S_ISDIR(st.st_mode))
                pending.push_back(path);
        }
        ::closedir(d);
    }
    return out;
}

// A lower regular file that only a chmod touches (after the random operations): the kernel copies
// it up as metacopy with metacopy=on, else as a full copy whose bytes equal the lower's.
constexpr const char *chmodProbe = "/chmod-probe";

// Random file operations through the mounted overlay: the kernel writes the upper dir.
void randomOperations(Rng &rng, const std::string &merged, bool userxattr)
{
    const int count = 8 + rng.upTo(18);
    for (int i = 0; i < count; ++i) {
        std::vector<std::string> paths = listPaths(merged);
        std::erase(paths, std::string(chmodProbe)); // left for the deterministic chmod below

        const std::string pick = paths.empty() ? "/" + rng.name() : paths[size_t(rng.upTo(int(paths.size())))];
        const std::string target = merged + pick;
        const std::string parent = target.substr(0, target.rfind('/'));
        const std::string fresh = (rng.chance(50) ? parent : merged) + "/" + rng.name();
        switch (rng.upTo(15)) {
        case 0: { // append: copy-up with new content
            const int fd = ::open(target.c_str(), O_WRONLY | O_APPEND | O_NONBLOCK);
            if (fd >= 0) {
                ssize_t ignored = ::write(fd, "more\n", 5);
                (void)ignored;
                ::close(fd);
            }
            break;
        }
        case 1:
            ::truncate(target.c_str(), rng.upTo(3));
            break;
        case 2:
            writeAll(fresh, randomContent(rng), 0644);
            break;
        case 3:
            ::unlink(target.c_str());
            break;
        case 4:
            removeTree(target);
            break;
        case 5:
            if (::mkdir(fresh.c_str(), 0755) == 0 && rng.chance(50))
                writeAll(fresh + "/" + rng.name(), randomContent(rng), 0600);
            break;
        case 6:
        case 7:
            ::rename(target.c_str(), fresh.c_str()); // directories: redirect, or EXDEV without
            break;
        case 8:
            ::chmod(target.c_str(), rng.chance(50) ? 0600 : 0755); // metacopy copy-up when enabled
            break;
        case 9:
            if (!userxattr)
                ::lchown(target.c_str(), 1000 + rng.upTo(3), 1000);
            break;
        case 10: {
            ssize_t ignored = ::symlink(rng.name().c_str(), fresh.c_str());
            (void)ignored;
            break;
        }
        case 11:
            ::link(target.c_str(), fresh.c_str());
            break;
        case 12:
            ::lsetxattr(target.c_str(), "user.strata-test", "v", 1, 0);
            break;
        case 13: {
            const timespec times[2] = {{1000000, 0}, {2000000, 0}};
            ::utimensat(AT_FDCWD, target.c_str(), times, AT_SYMLINK_NOFOLLOW);
            break;
        }
        case 14:
            ::mkfifo(fresh.c_str(), 0600);
            break;
        }
    }
}

[[noreturn]] void childFail(int pipeFd, const char *what)
{
    char msg[512];
    const int n = std::snprintf(msg, sizeof msg, "error: %s: %s\n", what, std::strerror(errno));
    ssize_t ignored = ::write(pipeFd, msg, size_t(n));
    (void)ignored;
    _exit(1);
}

// Child: own namespaces, mount, operate, remount; tells the parent, waits, unmounts.
// `asOfOptions`: the lower layers alone, mounted read-only at `asOf` once the random operations
// are done — the merged view "as of" the topmost lower, which AsOfView computes.
[[noreturn]] void runChild(const Features &f, const std::string &options, const std::string &merged, const std::string &asOfOptions, const std::string &asOf,
                           uint64_t seed, int toParent, int fromParent)
{
    if (f.userxattr) {
        if (::setgroups(0, nullptr) != 0 || ::setresgid(unprivilegedId, unprivilegedId, unprivilegedId) != 0
            || ::setresuid(unprivilegedId, unprivilegedId, unprivilegedId) != 0)
            childFail(toParent, "dropping privileges");
        ::prctl(PR_SET_DUMPABLE, 1); // else /proc/self/uid_map stays root's after the uid change
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            childFail(toParent, "unshare(user+mount)");
        auto writeFile = [&](const char *path, const std::string &text) {
            const int fd = ::open(path, O_WRONLY);
            if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size()))
                childFail(toParent, path);
            ::close(fd);
        };
        writeFile("/proc/self/uid_map", "0 " + std::to_string(unprivilegedId) + " 1\n");
        writeFile("/proc/self/setgroups", "deny");
        writeFile("/proc/self/gid_map", "0 " + std::to_string(unprivilegedId) + " 1\n");
    } else if (::unshare(CLONE_NEWNS) != 0) {
        childFail(toParent, "unshare(mount)");
    }
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (::mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) != 0)
        childFail(toParent, ("mount -o " + options).c_str());
    Rng rng(seed);
    randomOperations(rng, merged, f.userxattr);
    struct stat probe{};
    if (::stat((merged + chmodProbe).c_str(), &probe) == 0)
        ::chmod((merged + chmodProbe).c_str(), (probe.st_mode & 07777) == 0600 ? 0640 : 0600);
    ::sync();
    if (::umount(merged.c_str()) != 0)
        childFail(toParent, "umount");
    if (::mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) != 0)
        childFail(toParent, ("remount -o " + options).c_str());
    if (!asOfOptions.empty() && ::mount("overlay", asOf.c_str(), "overlay", MS_RDONLY, asOfOptions.c_str()) != 0)
        childFail(toParent, ("mount -o ro," + asOfOptions).c_str());
    ssize_t ignored = ::write(toParent, "ready\n", 6);
    char c;
    ignored = ::read(fromParent, &c, 1);
    (void)ignored;
    ::umount2(merged.c_str(), MNT_DETACH);
    ::umount2(asOf.c_str(), MNT_DETACH);
    _exit(0);
}

std::string hashFd(int fd)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        hash.addData(QByteArrayView(buf, n));
    return n < 0 ? std::string("read-error:") + std::strerror(errno) : hash.result().toHex().toStdString();
}

const char *errnoName(int e)
{
    return e == ENOENT ? "ENOENT" : e == EPERM ? "EPERM" : e == EIO ? "EIO" : "errno";
}

std::string describe(const char *type, uint32_t mode, uint32_t uid, uint32_t gid, const std::string &size, const std::string &target, const std::string &hash)
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %04o %u:%u", type, mode & 07777, uid, gid);
    return std::string(buf) + " size=" + size + " target=" + target + " sha=" + hash;
}

// The kernel's view: readdir + fstatat through the live mount (as seen in the child's namespace).
std::map<std::string, std::string> kernelView(const std::string &root)
{
    std::map<std::string, std::string> view;
    std::vector<std::string> pending{""};
    while (!pending.empty()) {
        const std::string rel = pending.back();
        pending.pop_back();
        const int dirFd = ::open((root + rel).c_str(), O_RDONLY | O_DIRECTORY);
        if (dirFd < 0) {
            view[rel.empty() ? "/" : rel] += std::string(" opendir-error:") + errnoName(errno);
            continue;
        }
        DIR *d = ::fdopendir(dirFd);
        while (dirent *e = ::readdir(d)) {
            if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
                continue;
            const std::string path = rel + "/" + e->d_name;
            struct stat st{};
            if (::fstatat(dirFd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                view[path] = std::string("error ") + errnoName(errno);
                continue;
            }
            std::string target, hash = "-", size = "-";
            const EntryType type = entryTypeFromMode(st.st_mode);
            if (type == EntryType::Symlink) {
                char buf[4096];
                const ssize_t n = ::readlinkat(dirFd, e->d_name, buf, sizeof buf);
                target.assign(buf, n > 0 ? size_t(n) : 0);
            } else if (type == EntryType::File) {
                size = std::to_string(st.st_size);
                const int fd = ::openat(dirFd, e->d_name, O_RDONLY | O_NOFOLLOW);
                hash = fd < 0 ? std::string("open-error:") + errnoName(errno) : hashFd(fd);
                if (fd >= 0)
                    ::close(fd);
            } else if (type == EntryType::Dir) {
                pending.push_back(path);
            }
            view[path] = describe(std::string(entryTypeName(type)).c_str(), st.st_mode, st.st_uid, st.st_gid, size, target, hash);
        }
        ::closedir(d);
    }
    return view;
}

std::string mergedPathIn(const OverlayStack &stack, const MergedTree &tree, MergedId id)
{
    std::string path;
    for (; id != 0 && id != noMerged; id = tree.nodes[id].parent)
        path.insert(0, "/" + std::string(stack.name(tree.nodes[id].name)));
    return path;
}

// The engine's view of `tree` (the stack's merged view, or an AsOfView's) described like kernelView.
std::map<std::string, std::string> engineView(const OverlayStack &stack, const MergedTree &tree)
{
    std::map<std::string, std::string> view;
    ContentReader reader;
    for (MergedId id = 1; id < tree.nodes.size(); ++id) {
        const MergedNode &n = tree.nodes[id];
        const std::string path = mergedPathIn(stack, tree, id);
        if (n.lookupErrno) {
            view[path] = std::string("error ") + errnoName(n.lookupErrno);
            continue;
        }
        const Entry &e = stack.entry(n.meta);
        std::string target, hash = "-", size = "-";
        if (e.type == EntryType::Symlink)
            target = stack.layers[n.meta.layer].extra(n.meta.entry).symlinkTarget;
        if (e.type == EntryType::File) {
            size = std::to_string(e.size);
            auto digest = reader.sha256Hex(stack.layers[n.data.layer], n.data.entry);
            hash = digest ? digest->toStdString() : "engine-read-error";
        }
        view[path] = describe(std::string(entryTypeName(e.type)).c_str(), e.mode, e.uid, e.gid, size, target, hash);
    }
    return view;
}

std::map<std::string, std::string> engineView(const OverlayStack &stack)
{
    return engineView(stack, stack.merged);
}

// Per directory of a kernelView: the bytes of the regular files below it, added up independently
// of the engine (from the walk's paths and sizes).
std::map<std::string, uint64_t> kernelDirectoryTotals(const std::map<std::string, std::string> &view)
{
    std::map<std::string, uint64_t> totals{{"/", 0}};
    for (const auto &[path, description] : view) {
        if (description.rfind("dir ", 0) == 0)
            totals.try_emplace(path, 0);
    }
    for (const auto &[path, description] : view) {
        if (description.rfind("file ", 0) != 0)
            continue;
        const size_t at = description.find(" size=");
        const uint64_t size = std::stoull(description.substr(at + 6));
        for (size_t slash = path.rfind('/'); slash != std::string::npos; slash = slash == 0 ? std::string::npos : path.rfind('/', slash - 1))
            totals[slash == 0 ? "/" : path.substr(0, slash)] += size;
    }
    return totals;
}

std::string printable(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c >= 0x80 && c < 0xC0)
            out += c; // part of a UTF-8 sequence or a raw byte: keep
        else
            out += char(c);
    }
    return out;
}

} // namespace

class KernelDiffTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QFAIL("the kernel differential test needs root (it mounts overlays and makes user namespaces); run it through scripts/test");
    }

    void compareWithKernel_data()
    {
        QTest::addColumn<int>("featureSet");
        QTest::newRow("plain") << 0;
        QTest::newRow("redirect_dir") << 1;
        QTest::newRow("redirect_metacopy_index") << 2;
        QTest::newRow("userxattr_userns") << 3;
    }

    void compareWithKernel()
    {
        static const Features sets[] = {
            {"plain", "redirect_dir=off,metacopy=off,index=off", false},
            {"redirect_dir", "redirect_dir=on,metacopy=off,index=off", false},
            {"redirect_metacopy_index", "redirect_dir=on,metacopy=on,index=on", false},
            {"userxattr", "userxattr", true},
        };
        QFETCH(int, featureSet);
        const Features &f = sets[featureSet];
        const uint64_t seed = qEnvironmentVariableIsSet("STRATA_DIFF_SEED") ? qEnvironmentVariable("STRATA_DIFF_SEED").toULongLong() : 20261127;
        const int cases = qEnvironmentVariableIsSet("STRATA_DIFF_CASES") ? qEnvironmentVariableIntValue("STRATA_DIFF_CASES") : 250;
        char base[] = "/tmp/strata-kdiff-XXXXXX";
        QVERIFY(::mkdtemp(base));
        ::chmod(base, 0755);
        int mismatches = 0;
        QStringList report;
        // What the cases exercised, so that a generator that stops producing a feature fails too.
        std::map<std::string, int> seen;
        // STRATA_DIFF_FIRST=N starts at case N (to reproduce one case of a long run quickly).
        const int first = qEnvironmentVariableIntValue("STRATA_DIFF_FIRST");
        for (int c = first; c < cases; ++c) {
            const uint64_t caseSeed = seed * 1000003ULL + uint64_t(featureSet) * 7919ULL + uint64_t(c);
            Rng rng(caseSeed);
            const std::string dir = std::string(base) + "/case" + std::to_string(c);
            ::mkdir(dir.c_str(), 0755);
            const int lowerCount = 1 + rng.upTo(3);
            const char *prefix = f.userxattr ? "user.overlay." : "trusted.overlay.";
            std::string lowerdir;
            for (int l = 0; l < lowerCount; ++l) {
                const std::string lower = dir + "/lower" + std::to_string(l);
                ::mkdir(lower.c_str(), 0755);
                generateTree(rng, lower, 0, true, prefix);
                if (l == 0)
                    writeAll(lower + chmodProbe, "probe " + std::to_string(c) + "\n", 0644);
                lowerdir = lower + (lowerdir.empty() ? "" : ":") + lowerdir; // topmost first
            }
            // Every third case runs a second phase: the first phase's upper dir (written by the kernel:
            // copy-ups, whiteouts, opaque dirs, redirects, metacopy) becomes a lower layer of a new mount.
            const int phases = c % 3 == 2 ? 2 : 1;
            bool keep = false; // STRATA_DIFF_KEEP: leave mismatching cases on disk
            for (int phase = 0; phase < phases; ++phase) {
                const std::string suffix = phase == 0 ? "" : std::to_string(phase);
                const std::string upper = dir + "/upper" + suffix, work = dir + "/work" + suffix, merged = dir + "/merged";
                ::mkdir(upper.c_str(), 0755);
                ::mkdir(work.c_str(), 0755);
                ::mkdir(merged.c_str(), 0755);
                const std::string asOfDir = dir + "/as-of";
                ::mkdir(asOfDir.c_str(), 0755);
                // The kernel mounts no single lower layer without an upper: then there is nothing to compare.
                const bool oneLower = lowerdir.find(':') == std::string::npos;
                const std::string asOfOptions = oneLower ? std::string() : "lowerdir=" + lowerdir + "," + f.options;
                if (phase == 0 && rng.chance(40))
                    generateTree(rng, upper, 1, true, prefix);
                if (f.userxattr)
                    chownTree(dir, unprivilegedId);
                const std::string options = "lowerdir=" + lowerdir + ",upperdir=" + upper + ",workdir=" + work + "," + f.options;
                lowerdir = upper + ":" + lowerdir; // the next phase stacks on this one: its upper becomes a lower

                int up[2], down[2];
                QVERIFY(::pipe2(up, O_CLOEXEC) == 0 && ::pipe2(down, O_CLOEXEC) == 0);
                const pid_t pid = ::fork();
                QVERIFY(pid >= 0);
                if (pid == 0) {
                    ::close(up[0]);
                    ::close(down[1]);
                    runChild(f, options, merged, asOfOptions, asOfDir, (caseSeed ^ 0x5eed) + uint64_t(phase), up[1], down[0]);
                }
                ::close(up[1]);
                ::close(down[0]);
                char buf[1024] = {};
                pollfd pfd{up[0], POLLIN, 0};
                if (::poll(&pfd, 1, 60000) != 1)
                    ::kill(pid, SIGKILL); // a child that hangs must not hang the test
                const ssize_t n = ::read(up[0], buf, sizeof buf - 1);
                const std::string status(buf, n > 0 ? size_t(n) : 0);
                std::map<std::string, std::string> kernel, kernelAsOf;
                if (status == "ready\n") {
                    kernel = kernelView("/proc/" + std::to_string(pid) + "/root" + merged);
                    if (!asOfOptions.empty())
                        kernelAsOf = kernelView("/proc/" + std::to_string(pid) + "/root" + asOfDir);
                }
                ssize_t ignored = ::write(down[1], "x", 1);
                (void)ignored;
                ::close(up[0]);
                ::close(down[1]);
                int wstatus = 0;
                ::waitpid(pid, &wstatus, 0);
                QVERIFY2(status == "ready\n", qPrintable(QStringLiteral("case %1 phase %4 (seed %2): %3").arg(c).arg(seed).arg(QString::fromStdString(status)).arg(phase)));

                auto stack = OverlayStack::open(QString::fromStdString("overlay:" + options), QStringLiteral("/"));
                QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
                const auto engine = engineView(*stack);
                // strata-cli ls loads only what the merged view reaches: it must agree just the same.
                auto lazy = OverlayStack::open(QString::fromStdString("overlay:" + options), QStringLiteral("/"), nullptr, OverlayStack::LoadDepth::MergedView);
                QVERIFY(lazy.hasValue());
                if (engineView(*lazy) != engine) {
                    ++mismatches;
                    report << QStringLiteral("[%1 case %2, STRATA_DIFF_SEED=%3] the MergedView load differs from the full load").arg(QLatin1StringView(f.name)).arg(c).arg(seed);
                }
                for (MergedId m = 1; m < lazy->merged.nodes.size(); ++m) {
                    // The change kind of every merged path is exact in both loads.
                    if (lazy->merged.nodes[m].change != stack->merged.nodes[m].change) {
                        ++mismatches;
                        report << QStringLiteral("[%1 case %2] change kind of %3 differs between loads").arg(QLatin1StringView(f.name)).arg(c).arg(QString::fromStdString(stack->mergedPath(m)));
                        break;
                    }
                }
                // The window completes a MergedView load in the background: it must end where a Full load is.
                if (auto completed = OverlayStack::complete(std::move(lazy).value()); !completed || !sameKindsAndStats(*completed, *stack)) {
                    ++mismatches;
                    report << QStringLiteral("[%1 case %2, STRATA_DIFF_SEED=%3] a completed MergedView load differs from the full load: %4")
                                  .arg(QLatin1StringView(f.name))
                                  .arg(c)
                                  .arg(seed)
                                  .arg(completed ? kindsAndStatsDifference(*completed, *stack) : completed.error().message());
                    keep = qEnvironmentVariableIsSet("STRATA_DIFF_KEEP");
                }
                // Directory totals (the size column) against the kernel walk's file sizes.
                for (const auto &[path, bytes] : kernelDirectoryTotals(kernel)) {
                    const MergedId m = path == "/" ? 0 : stack->findMerged(path);
                    const uint64_t engineBytes = m == noMerged ? UINT64_MAX : stack->sizes.merged[m];
                    if (engineBytes != bytes) {
                        ++mismatches;
                        report << QStringLiteral("[%1 case %2] total of %3: kernel %4 bytes, engine %5").arg(QLatin1StringView(f.name)).arg(c)
                                      .arg(QString::fromStdString(printable(path))).arg(bytes).arg(engineBytes);
                        break;
                    }
                    seen["directory totals"] += 1;
                }
                // "As of" the topmost lower: the lowers alone, as the kernel mounts them.
                if (asOfOptions.empty()) {
                } else if (auto asOf = AsOfView::compute(*stack, stack->layers.size() - 2); !asOf) {
                    ++mismatches;
                    report << QStringLiteral("[%1 case %2] as-of view: %3").arg(QLatin1StringView(f.name)).arg(c).arg(asOf.error().message());
                } else if (const auto engineAsOf = engineView(*stack, asOf->merged); engineAsOf != kernelAsOf) {
                    ++mismatches;
                    for (const auto &[path, description] : kernelAsOf) {
                        const auto e = engineAsOf.find(path);
                        if (e == engineAsOf.end() || e->second != description) {
                            report << QStringLiteral("[%1 case %2, STRATA_DIFF_SEED=%3, dir %4] as of the top lower, %5\n    kernel: %6\n    engine: %7")
                                          .arg(QLatin1StringView(f.name)).arg(c).arg(seed)
                                          .arg(QString::fromStdString(dir), QString::fromStdString(printable(path)), QString::fromStdString(printable(description)),
                                               QString::fromStdString(e == engineAsOf.end() ? "(absent)" : printable(e->second)));
                            break;
                        }
                    }
                    if (engineAsOf.size() != kernelAsOf.size())
                        report << QStringLiteral("[%1 case %2] as of the top lower: kernel %3 paths, engine %4").arg(QLatin1StringView(f.name)).arg(c).arg(kernelAsOf.size()).arg(engineAsOf.size());
                    keep = qEnvironmentVariableIsSet("STRATA_DIFF_KEEP");
                } else {
                    seen["as-of views"] += 1;
                }
                const LayerIndex &upperLayer = stack->layers.back();
                for (const Entry &e : upperLayer.entries) {
                    seen["upper whiteouts"] += e.has(FlagWhiteout);
                    seen["upper opaque dirs"] += e.has(FlagOpaque);
                    seen["redirects"] += e.has(FlagRedirect);
                    seen["metacopy"] += e.has(FlagMetacopy);
                    seen["origin"] += e.has(FlagOrigin);
                }
                // The chmod-only copy-up of the probe: metacopy with metacopy=on, else a full copy
                // (metadata-only) holding the same bytes as the version it hides.
                if (const UnionId probe = stack->findUnion(chmodProbe); probe != noUnion) {
                    const size_t upperIndex = stack->layers.size() - 1;
                    const ChangeKind kind = stack->unionTree.kind(probe, upperIndex);
                    const LayerRef below = stack->unionTree.below(stack->layers, probe, upperIndex);
                    const auto hashOf = [&](LayerRef ref) {
                        const int fd = ::open((stack->layers[ref.layer].path.toStdString() + stack->layers[ref.layer].pathOf(ref.entry)).c_str(), O_RDONLY | O_CLOEXEC);
                        std::string h = fd < 0 ? std::string("open-error") : hashFd(fd);
                        if (fd >= 0)
                            ::close(fd);
                        return h;
                    };
                    const bool metacopyOn = featureSet == 2;
                    const ChangeKind expected = metacopyOn ? ChangeKind::Metacopy : ChangeKind::MetadataOnly;
                    const bool sameBytes = below.valid() && kind == ChangeKind::MetadataOnly
                        && hashOf({uint16_t(upperIndex), stack->unionTree.cell(probe, upperIndex)}) == hashOf(below);
                    if (kind != expected || (!metacopyOn && !sameBytes)) {
                        ++mismatches;
                        report << QStringLiteral("[%1 case %2 phase %3] the chmod-only copy-up of %4 is %5 (expected %6%7)")
                                      .arg(QLatin1StringView(f.name))
                                      .arg(c)
                                      .arg(phase)
                                      .arg(QLatin1StringView(chmodProbe), QLatin1StringView(changeKindName(kind)), QLatin1StringView(changeKindName(expected)),
                                           metacopyOn || sameBytes ? QString() : QStringLiteral(", with the lower's bytes"));
                    } else {
                        seen[metacopyOn ? "chmod copy-up as metacopy" : "chmod copy-up as metadata-only full copy"] += 1;
                    }
                }
                for (UnionId u = 1; u < stack->unionTree.nodes.size(); ++u) {
                    // index=on: a lower hardlink that resolves to the upper inode copied up through another name.
                    const MergedId m = stack->unionTree.nodes[u].merged;
                    const LayerRef meta = m == noMerged ? LayerRef{} : stack->merged.nodes[m].meta;
                    seen["index aliases"] += meta.valid() && stack->config.hasUpper() && meta.layer + 1u == stack->layers.size()
                        && stack->unionTree.cell(u, meta.layer) != meta.entry;
                }
                for (const MergedNode &m : stack->merged.nodes) {
                    seen["phantoms"] += m.lookupErrno == ENOENT;
                    seen["merged dirs"] += m.merged;
                }
                if (engine != kernel) {
                    ++mismatches;
                    int shown = 0;
                    std::map<std::string, std::string> all = kernel;
                    all.insert(engine.begin(), engine.end());
                    for (const auto &[path, _] : all) {
                        const auto k = kernel.find(path);
                        const auto e = engine.find(path);
                        const std::string kv = k == kernel.end() ? "(absent)" : k->second;
                        const std::string ev = e == engine.end() ? "(absent)" : e->second;
                        if (kv != ev && shown++ < 6)
                            report << QStringLiteral("[%1 case %2, STRATA_DIFF_SEED=%3, dir %4] %5\n    kernel: %6\n    engine: %7")
                                          .arg(QLatin1StringView(f.name))
                                          .arg(c)
                                          .arg(seed)
                                          .arg(QString::fromStdString(dir), QString::fromStdString(printable(path)), QString::fromStdString(printable(kv)),
                                               QString::fromStdString(printable(ev)));
                    }
                    keep = qEnvironmentVariableIsSet("STRATA_DIFF_KEEP");
                }
            }
            if (!keep)
                removeTree(dir);
        }
        if (!qEnvironmentVariableIsSet("STRATA_DIFF_KEEP"))
            removeTree(base);
        QStringList coverage;
        for (const auto &[what, count] : seen)
            coverage << QStringLiteral("%1=%2").arg(QString::fromStdString(what)).arg(count);
        qInfo("%s: %d cases, %d with mismatches; exercised %s", f.name, cases, mismatches, qPrintable(coverage.join(u' ')));
        std::vector<std::string> required = {"upper whiteouts", "upper opaque dirs", "phantoms", "merged dirs", "directory totals", "as-of views"};
        required.push_back(featureSet == 2 ? "chmod copy-up as metacopy" : "chmod copy-up as metadata-only full copy");
        if (featureSet == 1 || featureSet == 2)
            required.push_back("redirects");
        if (featureSet == 2) {
            required.push_back("metacopy");
            required.push_back("index aliases");
        }
        if (cases - first >= 40) {
            for (const std::string &what : required)
                QVERIFY2(seen[what] > 0, ("the random cases never produced: " + what).c_str());
        }
        QVERIFY2(mismatches == 0, qPrintable(report.mid(0, 30).join(QStringLiteral("\n"))));
    }
};

QTEST_GUILESS_MAIN(KernelDiffTest)
#include "kerneldiff.moc"
