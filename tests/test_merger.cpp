// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's rules, one at a time, on hand-made layers (Documentation/filesystems/overlayfs.rst).
#include "contentreader.h"
#include "layerscanner.h"
#include "reports.h"
#include "provenance.h"
#include "sortedruns.h"
#include "testutil.h"

#include <cerrno>
#include <cstring>
#include <random>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/un.h>

using namespace strata;

class MergerTest : public QObject
{
    Q_OBJECT
    Expected<OverlayStack> open(const QString &source) { return OverlayStack::open(source, QStringLiteral("/")); }

private Q_SLOTS:
    void seedWalkthrough()
    {
        LayerBuilder image1, image2, upper;
        image1.file(QStringLiteral("a.txt"));
        image2.file(QStringLiteral("b.txt"), "b");
        image2.file(QStringLiteral("c.txt"));
        upper.file(QStringLiteral("b.txt"), "bb");
        upper.whiteout(QStringLiteral("a.txt"));
        auto stack = open(stackSource({image1.root(), image2.root()}, upper.root()));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), (QStringList{QStringLiteral("/b.txt modified 2"), QStringLiteral("/c.txt added 1")}));
        const UnionId a = 1; // "a.txt" sorts first in the union
        QCOMPARE(stack->unionPath(a), std::string("/a.txt"));
        QCOMPARE(stack->unionTree.kind(a, 0), ChangeKind::Added);
        QCOMPARE(stack->unionTree.kind(a, 2), ChangeKind::Deleted);
        QCOMPARE(stack->unionTree.nodes[a].merged, noMerged);
        QCOMPARE(stack->stats[0].wastedBytes, uint64_t(1)); // a.txt is hidden
        QCOMPARE(stack->stats[1].wastedBytes, uint64_t(1)); // image2's b.txt is hidden
        QCOMPARE(stack->stats[2].deleted, uint64_t(1));
    }

    void completingAMergedViewLoadEqualsAFullLoad()
    {
        LayerBuilder low, mid, up;
        for (int i = 0; i < 40; ++i) {
            low.file(QStringLiteral("d%1/f%2").arg(i % 4).arg(i), QByteArray(i, 'x'));
            if (i % 3 == 0)
                mid.file(QStringLiteral("d%1/f%2").arg(i % 4).arg(i), QByteArray(i + 1, 'y'), 0600);
        }
        low.file(QStringLiteral("gone/deep/file"), "hidden");
        mid.file(QStringLiteral("gone"), "now a file");
        up.whiteout(QStringLiteral("d1/f1"));
        up.file(QStringLiteral("d2/f2"), "changed");
        up.file(QStringLiteral("d3/f3"), "covers mid's f3, which differs from low's: a kind only a Full load knows");
        const QString source = stackSource({low.root(), mid.root()}, up.root());
        auto full = OverlayStack::open(source, QStringLiteral("/"));
        auto lazy = OverlayStack::open(source, QStringLiteral("/"), nullptr, OverlayStack::LoadDepth::MergedView);
        QVERIFY(full.hasValue() && lazy.hasValue());
        QVERIFY(lazy->stats.empty());
        QVERIFY(!sameKindsAndStats(*lazy, *full));
        std::vector<std::pair<size_t, size_t>> progress;
        auto completed = OverlayStack::complete(std::move(lazy).value(), nullptr, [&](size_t done, size_t total) { progress.emplace_back(done, total); });
        QVERIFY(completed.hasValue());
        QVERIFY(sameKindsAndStats(*completed, *full));
        QCOMPARE(completed->depth, OverlayStack::LoadDepth::Full);
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back().first, progress.back().second);

        std::atomic<bool> cancel{true};
        auto again = OverlayStack::open(source, QStringLiteral("/"), nullptr, OverlayStack::LoadDepth::MergedView);
        auto cancelled = OverlayStack::complete(std::move(again).value(), &cancel);
        QVERIFY(!cancelled.hasValue());
        QVERIFY(cancelled.error().is(ErrorCode::Cancelled));
    }

    void provenanceSaysWhyEachVersionShowsOrNot()
    {
        LayerBuilder low, mid, up;
        low.file(QStringLiteral("d/x"), "below an opaque dir");
        low.file(QStringLiteral("f"), "real data");
        mid.dir(QStringLiteral("d"));
        mid.opaque(QStringLiteral("d"));
        mid.file(QStringLiteral("d/y"));
        up.file(QStringLiteral("f"), "");
        ::truncate(up.path(QStringLiteral("f")).c_str(), 9);
        up.xattr(QStringLiteral("f"), "trusted.overlay.metacopy", "");
        auto stack = open(stackSource({low.root(), mid.root()}, up.root(), QStringLiteral("metacopy=on,redirect_dir=on")));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));

        const Provenance f = provenanceOf(*stack, stack->findUnion("/f"));
        QCOMPARE(f.versions.size(), size_t(2));
        QCOMPARE(f.versions[0].role, VersionRole::Provides);
        QCOMPARE(f.versions[0].change.reason, ChangeReason::Metacopy);
        QCOMPARE(f.versions[0].change.kind, ChangeKind::Metacopy);
        QCOMPARE(f.versions[1].role, VersionRole::ProvidesData);
        QCOMPARE(f.readable(), f.versions[1].ref);
        QCOMPARE(f.hiddenCount(), 0);

        const Provenance x = provenanceOf(*stack, stack->findUnion("/d/x"));
        QVERIFY(!x.inMergedView());
        QCOMPARE(x.versions.size(), size_t(1));
        QCOMPARE(x.versions[0].role, VersionRole::Unreachable); // mid's opaque d cuts it off
        QCOMPARE(x.readable(), x.versions[0].ref);

        const Provenance d = provenanceOf(*stack, stack->findUnion("/d"));
        QCOMPARE(d.versions[0].change.kind, ChangeKind::Opaque);
        QCOMPARE(d.versions[0].role, VersionRole::Provides);
        QCOMPARE(d.versions[1].role, VersionRole::Hidden);
        QCOMPARE(d.versions[1].hiddenBy.layer, uint16_t(1));
        QCOMPARE(stack->findUnion("/no/such"), noUnion);

        LayerBuilder a, b;
        a.file(QStringLiteral("shared/one"));
        b.file(QStringLiteral("shared/two"));
        auto plain = open(stackSource({a.root(), b.root()}));
        QVERIFY(plain.hasValue());
        const Provenance shared = provenanceOf(*plain, plain->findUnion("/shared"));
        QCOMPARE(shared.versions[0].role, VersionRole::Provides);
        QCOMPARE(shared.versions[1].role, VersionRole::MergedBelow); // not hidden: /shared/one shows through
        QCOMPARE(shared.hiddenCount(), 0);
    }

    void reloadRescansOnlyTheChangedLayers_data()
    {
        QTest::addColumn<bool>("mergedViewOnly");
        QTest::newRow("full") << false;
        QTest::newRow("merged view") << true;
    }

    void reloadRescansOnlyTheChangedLayers()
    {
        QFETCH(bool, mergedViewOnly);
        const auto depth = mergedViewOnly ? OverlayStack::LoadDepth::MergedView : OverlayStack::LoadDepth::Full;
        LayerBuilder low, up, work;
        low.file(QStringLiteral("etc/nginx.conf"), "worker_processes 1;");
        low.file(QStringLiteral("etc/hosts"));
        low.file(QStringLiteral("bin/sh"));
        const QString source = stackSource({low.root()}, up.root()) + QStringLiteral(",workdir=") + work.root();
        auto before = OverlayStack::open(source, QStringLiteral("/"), nullptr, depth);
        QVERIFY2(before.hasValue(), before.hasValue() ? "" : qPrintable(before.error().message()));
        // What a container does: a copy-up, a delete, a new file. And a change below that a reload
        // of the upper alone must not pick up.
        up.file(QStringLiteral("etc/nginx.conf"), "worker_processes 4;");
        up.whiteout(QStringLiteral("bin/sh"));
        up.file(QStringLiteral("run/nginx.pid"), "42");
        low.file(QStringLiteral("etc/new-below"));
        auto reloaded = OverlayStack::reload(*before, {1});
        QVERIFY(reloaded.hasValue());
        QCOMPARE(reloaded->depth, depth);
        QVERIFY(reloaded->findMerged("/run/nginx.pid") != noMerged);
        QCOMPARE(reloaded->findMerged("/bin/sh"), noMerged);
        QCOMPARE(reloaded->merged.nodes[reloaded->findMerged("/etc/nginx.conf")].meta.layer, uint16_t(1));
        QCOMPARE(reloaded->findMerged("/etc/new-below"), noMerged); // the lower index carried over
        QCOMPARE(reloaded->layers[0].handle.directoryFd(), before->layers[0].handle.directoryFd());

        ::unlink(low.path(QStringLiteral("etc/new-below")).c_str());
        auto fresh = OverlayStack::open(source, QStringLiteral("/"), nullptr, depth);
        QVERIFY(fresh.hasValue());
        QCOMPARE(mergedSummary(*reloaded), mergedSummary(*fresh));
        QVERIFY(sameKindsAndStats(*reloaded, *fresh));
        QVERIFY(!OverlayStack::reload(*before, {7}).hasValue());
    }

    void nonDirectoryHidesEverythingBelow()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("d/inner"));
        up.file(QStringLiteral("d"), "file now");
        auto stack = open(stackSource({low.root(), up.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), QStringList{QStringLiteral("/d replaced-type 1")});
    }

    void directoriesMergeWithTopMetadata()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("d/one"));
        up.file(QStringLiteral("d/two"));
        ::chmod(up.path(QStringLiteral("d")).c_str(), 0700);
        auto stack = open(stackSource({low.root(), up.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), (QStringList{QStringLiteral("/d metadata-only 1"), QStringLiteral("/d/one added 0"), QStringLiteral("/d/two added 1")}));
        QCOMPARE(stack->entry(stack->merged.nodes[1].meta).permissions(), 0700u);
    }

    void opaqueDirectoryHidesLowerContent()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("d/old"));
        up.file(QStringLiteral("d/new"));
        up.opaque(QStringLiteral("d"));
        auto stack = open(stackSource({low.root(), up.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), (QStringList{QStringLiteral("/d opaque 1"), QStringLiteral("/d/new added 1")}));
    }

    void phantomAndOrphanWhiteouts()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("merged/keep"));
        up.whiteout(QStringLiteral("merged/nothing-below")); // orphan in a merged dir: not listed
        up.whiteout(QStringLiteral("only-upper/ghost")); // dir in one layer only: listed, lookup fails
        auto stack = open(stackSource({low.root(), up.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), (QStringList{QStringLiteral("/merged unchanged 1"), QStringLiteral("/merged/keep added 0"),
                                                     QStringLiteral("/only-upper added 1"), QStringLiteral("/only-upper/ghost phantom %1").arg(-ENOENT)}));
        std::vector<std::string> lines;
        writeListing(*stack, ListingOptions{true, false, -1}, [&](const std::string &l) { lines.push_back(l); }, [](const std::string &) {});
        QVERIFY(lines.back().find("\"change\":\"phantom\"") != std::string::npos);
        // The orphan whiteout is flagged as such in its layer.
        const UnionId orphan = stack->unionTree.nodes[stack->unionTree.nodes[0].firstChild].firstChild + 1;
        QCOMPARE(stack->unionPath(orphan), std::string("/merged/nothing-below"));
        QCOMPARE(stack->unionTree.kind(orphan, 1), ChangeKind::OrphanWhiteout);
    }

    void xattrWhiteoutOnlyInsideMarkedDirectory()
    {
        LayerBuilder low, mid, up;
        low.file(QStringLiteral("d/gone"));
        low.file(QStringLiteral("e/stays"));
        mid.file(QStringLiteral("d/gone"), "");
        mid.xattr(QStringLiteral("d/gone"), "trusted.overlay.whiteout", "");
        mid.xattr(QStringLiteral("d"), "trusted.overlay.opaque", "x");
        mid.file(QStringLiteral("e/stays"), "");
        mid.xattr(QStringLiteral("e/stays"), "trusted.overlay.whiteout", ""); // parent not marked: a plain file
        auto stack = open(stackSource({low.root(), mid.root(), up.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), (QStringList{QStringLiteral("/d unchanged 1"), QStringLiteral("/e unchanged 1"), QStringLiteral("/e/stays modified 1")}));
    }

    void redirectsFollowedOnlyWhenEnabled()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("old/content"), "from old");
        low.file(QStringLiteral("a/b/deep"), "deep");
        up.dir(QStringLiteral("new"));
        up.xattr(QStringLiteral("new"), "trusted.overlay.redirect", "old"); // relative: sibling
        up.whiteout(QStringLiteral("old"));
        up.dir(QStringLiteral("x/moved"));
        up.xattr(QStringLiteral("x/moved"), "trusted.overlay.redirect", "/a/b"); // absolute
        auto follow = open(stackSource({low.root()}, up.root(), QStringLiteral("redirect_dir=on")));
        QVERIFY(follow.hasValue());
        QCOMPARE(mergedSummary(*follow), (QStringList{QStringLiteral("/a added 0"), QStringLiteral("/a/b added 0"), QStringLiteral("/a/b/deep added 0"),
                                                      QStringLiteral("/new redirected 1"), QStringLiteral("/new/content added 0"), QStringLiteral("/x added 1"),
                                                      QStringLiteral("/x/moved redirected 1"), QStringLiteral("/x/moved/deep added 0")}));
        // nofollow: the kernel refuses the lookup once a redirected lower entry is found (EPERM).
        auto refuse = open(stackSource({low.root()}, up.root(), QStringLiteral("redirect_dir=nofollow")));
        QVERIFY(refuse.hasValue());
        QVERIFY(mergedSummary(*refuse).contains(QStringLiteral("/new redirected %1").arg(-EPERM)));
    }

    // A chmod/chown copy-up without metacopy is a full copy: same bytes, other metadata. It is
    // "metadata-only", never "metacopy", and the backend lists exactly what differs.
    void chmodCopyUpIsMetadataOnlyNotMetacopy()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("nginx.conf"), "worker_processes 1;\n", 0644);
        up.file(QStringLiteral("nginx.conf"), "worker_processes 1;\n", 0600);
        up.xattr(QStringLiteral("nginx.conf"), "trusted.overlay.origin", "x");
        QVERIFY(::lchown(up.path(QStringLiteral("nginx.conf")).c_str(), 1000, 1000) == 0);
        const timespec times[2] = {{1000, 0}, {2000, 0}};
        for (const LayerBuilder *b : {&low, &up})
            QVERIFY(::utimensat(AT_FDCWD, b->path(QStringLiteral("nginx.conf")).c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
        auto stack = open(stackSource({low.root()}, up.root()));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), QStringList{QStringLiteral("/nginx.conf metadata-only 1")});
        const Provenance p = provenanceOf(*stack, stack->findUnion("/nginx.conf"));
        QCOMPARE(p.versions[0].change.kind, ChangeKind::MetadataOnly);
        QCOMPARE(p.versions[0].change.reason, ChangeReason::ModeDiffers);
        const auto diffs = metadataDifferences(stack->layers[0], p.versions[1].ref.entry, stack->layers[1], p.versions[0].ref.entry);
        QCOMPARE(diffs.size(), size_t(3));
        QCOMPARE(diffs[0].field, MetadataField::Mode);
        QCOMPARE(diffs[0].from, 0644);
        QCOMPARE(diffs[0].to, 0600);
        QCOMPARE(diffs[1].field, MetadataField::Uid);
        QCOMPARE(diffs[1].to, 1000);
        QCOMPARE(diffs[2].field, MetadataField::Gid);
        QCOMPARE(changeKindName(ChangeKind::Metacopy), std::string_view("metacopy"));
        QCOMPARE(changeKindFromName("metacopy"), std::optional(ChangeKind::Metacopy));
        QCOMPARE(int(ChangeKind::CopiedUp), 11); // the values before metacopy stay what they were
    }

    void metacopyTakesDataFromBelow()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("f"), "real data", 0644);
        up.file(QStringLiteral("f"), "", 0600);
        ::truncate(up.path(QStringLiteral("f")).c_str(), 9); // sparse: metadata only
        up.xattr(QStringLiteral("f"), "trusted.overlay.metacopy", "");
        auto stack = open(stackSource({low.root()}, up.root(), QStringLiteral("metacopy=on")));
        QVERIFY(stack.hasValue());
        QCOMPARE(mergedSummary(*stack), QStringList{QStringLiteral("/f metacopy 1")});
        const MergedNode &f = stack->merged.nodes[1];
        QCOMPARE(f.data.layer, uint16_t(0));
        ContentReader reader;
        QCOMPARE(*reader.head(stack->layers[f.data.layer], f.data.entry, 100), QByteArray("real data"));
        auto refused = open(stackSource({low.root()}, up.root(), QStringLiteral("metacopy=off,redirect_dir=off")));
        QVERIFY(refused.hasValue());
        QCOMPARE(mergedSummary(*refused), QStringList{QStringLiteral("/f metacopy %1").arg(-EPERM)});
    }

    void dataOnlyLayersServeAbsoluteRedirects()
    {
        LayerBuilder data, low;
        data.file(QStringLiteral("blobs/abc"), "payload");
        low.file(QStringLiteral("app"), "", 0755);
        ::truncate(low.path(QStringLiteral("app")).c_str(), 7);
        low.xattr(QStringLiteral("app"), "trusted.overlay.metacopy", "");
        low.xattr(QStringLiteral("app"), "trusted.overlay.redirect", "/blobs/abc");
        auto stack = open(QStringLiteral("overlay:lowerdir=%1::%2,metacopy=on").arg(low.root(), data.root()));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        QCOMPARE(stack->config.layers[0].role, LayerRole::DataOnly);
        QCOMPARE(mergedSummary(*stack).size(), 1); // the data layer is not listed
        QCOMPARE(stack->merged.nodes[1].data.layer, uint16_t(0));
    }

    void deepChainsAndOddEntries()
    {
        LayerBuilder low;
        // 4000 levels: longer than PATH_MAX, so only fd-relative walking can scan it.
        int fd = ::open(low.root().toLocal8Bit().constData(), O_DIRECTORY);
        for (int i = 0; i < 4000; ++i) {
            QVERIFY(::mkdirat(fd, "nested_dir", 0755) == 0);
            const int next = ::openat(fd, "nested_dir", O_DIRECTORY);
            ::close(fd);
            fd = next;
        }
        QVERIFY(::openat(fd, "leaf", O_CREAT | O_WRONLY, 0644) >= 0);
        ::close(fd);
        low.symlink(QStringLiteral("loop"), "loop");
        QVERIFY(::mkfifo(low.path(QStringLiteral("fifo")).c_str(), 0644) == 0);
        const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const std::string sockPath = low.path(QStringLiteral("sock"));
        if (sockPath.size() < sizeof addr.sun_path) {
            std::strcpy(addr.sun_path, sockPath.c_str());
            QVERIFY(::bind(sock, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        }
        ::close(sock);
        auto stack = open(stackSource({low.root()}));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        QCOMPARE(stack->merged.nodes.size(), size_t(1 + 4000 + 1 + 3));
        QVERIFY(stack->mergedPath(MergedId(stack->merged.nodes.size() - 1)).size() > 4096);
    }

    void sortedRunsMergeLikeSortingTheirUnion()
    {
        // Names sharing 8-byte prefixes, bytes above 0x7f, empty runs: the side-by-side walk must
        // give what sorting the concatenation (stable, run order for equal names) gives.
        std::mt19937 rng(20261128);
        const std::vector<std::string> pool = {"a", "b", "abcdefgh", "abcdefgh0", "abcdefgh1", "abcdefghij", "abcdefgi", std::string("\xff\x01", 2),
                                               std::string("\x7f"), "f001", "f002", "f010", "zzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzy", "\xc3\xbc"};
        for (int round = 0; round < 200; ++round) {
            std::vector<std::vector<std::string>> runs(1 + rng() % 6);
            for (auto &run : runs) {
                for (const std::string &name : pool) {
                    if (rng() % 2)
                        run.push_back(name);
                }
                std::sort(run.begin(), run.end());
            }
            std::vector<std::pair<std::string, uint32_t>> all; // (name, run)
            std::vector<sortedruns::Run> spans;
            for (uint32_t r = 0; r < runs.size(); ++r) {
                spans.push_back({0, uint32_t(runs[r].size())});
                for (const std::string &name : runs[r])
                    all.emplace_back(name, r);
            }
            std::stable_sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
            std::vector<std::string> expected;
            for (size_t i = 0; i < all.size(); ++i) {
                std::string line = all[i].first + ':' + std::to_string(all[i].second);
                while (i + 1 < all.size() && all[i + 1].first == all[i].first)
                    line += ',' + std::to_string(all[++i].second);
                expected.push_back(line);
            }
            std::vector<std::string> walked;
            sortedruns::merge(spans, [&](uint32_t run, uint32_t position) { return std::string_view(runs[run][position]); },
                              [&](std::string_view name, const std::vector<sortedruns::Member> &members) {
                                  std::string line(name);
                                  for (size_t m = 0; m < members.size(); ++m) {
                                      QCOMPARE(runs[members[m].run][members[m].position], line.substr(0, name.size()));
                                      line += (m == 0 ? ':' : ',') + std::to_string(members[m].run);
                                  }
                                  walked.push_back(line);
                              });
            QCOMPARE(walked, expected);
        }
    }

    void mergedSubtreesFromEveryCoreFitTogether()
    {
        // Enough top-level directories for the merge to share their subtrees among threads: the
        // appended arenas must form one tree (parents, sorted contiguous children, stacks) with the
        // rules applied inside each subtree.
        LayerBuilder low, up;
        for (int d = 0; d < 40; ++d) {
            const QString dir = QStringLiteral("d%1").arg(d, 2, 10, QLatin1Char('0'));
            low.file(dir + QStringLiteral("/keep/old"));
            low.file(dir + QStringLiteral("/gone"));
            low.file(dir + QStringLiteral("/hidden/x"));
            up.file(dir + QStringLiteral("/keep/new"));
            up.whiteout(dir + QStringLiteral("/gone"));
            up.file(dir + QStringLiteral("/hidden/y"));
            up.opaque(dir + QStringLiteral("/hidden"));
        }
        auto stack = open(stackSource({low.root()}, up.root()));
        QVERIFY2(stack.hasValue(), stack.hasValue() ? "" : qPrintable(stack.error().message()));
        const MergedTree &tree = stack->merged;
        QCOMPARE(tree.nodes.size(), size_t(1 + 40 * 6)); // dNN, keep, keep/old, keep/new, hidden, hidden/y
        for (MergedId m = 0; m < tree.nodes.size(); ++m) {
            const MergedNode &n = tree.nodes[m];
            if (m > 0) {
                const MergedNode &p = tree.nodes[n.parent];
                QVERIFY(m >= p.firstChild && m < p.firstChild + p.childCount);
                QCOMPARE(stack->findMerged(stack->mergedPath(m)), m);
            }
            for (uint32_t c = n.firstChild; c + 1 < n.firstChild + n.childCount; ++c)
                QVERIFY(stack->name(tree.nodes[c].name) < stack->name(tree.nodes[c + 1].name));
            QVERIFY(n.stackOffset + n.stackCount <= tree.stacks.size());
            if (n.stackCount > 0)
                QCOMPARE(tree.stacks[n.stackOffset], n.meta);
        }
        QVERIFY(stack->findMerged("/d17/gone") == noMerged);
        QVERIFY(stack->findMerged("/d17/hidden/x") == noMerged);
        QVERIFY(stack->findMerged("/d39/keep/old") != noMerged);
        QCOMPARE(tree.nodes[stack->findMerged("/d05/hidden")].change, ChangeKind::Opaque);
    }

    void hugeDirectory()
    {
        LayerBuilder low;
        const int fd = ::open(low.root().toLocal8Bit().constData(), O_DIRECTORY);
        for (int i = 0; i < 100000; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "f%06d", i);
            ::close(::openat(fd, name, O_CREAT | O_WRONLY, 0644));
        }
        ::close(fd);
        auto stack = open(stackSource({low.root()}));
        QVERIFY(stack.hasValue());
        QCOMPARE(stack->merged.nodes.size(), size_t(100001));
        QVERIFY(stack->findMerged("/f054321") != noMerged);
    }

    void badLayersAreClearErrors_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << QStringLiteral("lowerdir=/nonexistent/strata") << QStringLiteral("cannot open layer /nonexistent/strata");
        QTest::newRow("not a dir") << QStringLiteral("lowerdir=/etc/hostname") << QStringLiteral("layer /etc/hostname is not a directory");
        QTest::newRow("no lower") << QStringLiteral("upperdir=/tmp,workdir=/tmp") << QStringLiteral("no lower layer");
        QTest::newRow("unknown option") << QStringLiteral("lowerdir=/tmp,bogus=1") << QStringLiteral("unknown overlay option 'bogus=1'");
        QTest::newRow("bad redirect") << QStringLiteral("lowerdir=/tmp,redirect_dir=maybe") << QStringLiteral("redirect_dir takes");
        QTest::newRow("empty layer") << QStringLiteral("lowerdir=/tmp:::/tmp") << QStringLiteral("empty layer");
        QTest::newRow("conflict") << QStringLiteral("lowerdir=/tmp,userxattr,metacopy=on") << QStringLiteral("conflicting");
    }

    void badLayersAreClearErrors()
    {
        QFETCH(QString, options);
        QFETCH(QString, expected);
        auto stack = open(QStringLiteral("overlay:") + options);
        QVERIFY(!stack.hasValue());
        QVERIFY2(stack.error().message().contains(expected), qPrintable(stack.error().message()));
    }

    void unreadableDirectoryIsRecordedNotFatal()
    {
        LayerBuilder low;
        low.file(QStringLiteral("locked/secret"));
        ::chmod(low.path(QStringLiteral("locked")).c_str(), 0);
        ::chmod(low.root().toLocal8Bit().constData(), 0755);
        const pid_t pid = ::fork();
        if (pid == 0) {
            // As an unprivileged user the directory cannot be opened.
            if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0)
                _exit(3);
            // The scanner directly: no thread pool in a forked child.
            auto handle = LayerHandle::openDirectory(low.root());
            if (!handle.hasValue())
                _exit(6);
            auto layer = LayerScanner::scan(*handle, ScanOptions{});
            if (!layer.hasValue())
                _exit(4);
            const bool recorded = !layer->problems.empty() && layer->problems[0].path.endsWith(QStringLiteral("/locked"))
                && layer->problems[0].code == ErrorCode::Permission
                && layer->entries[layer->find("/locked")].has(FlagError);
            _exit(recorded ? 0 : 5);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        ::chmod(low.path(QStringLiteral("locked")).c_str(), 0755);
        QCOMPARE(WEXITSTATUS(status), 0);
    }
};

QTEST_GUILESS_MAIN(MergerTest)
#include "test_merger.moc"
