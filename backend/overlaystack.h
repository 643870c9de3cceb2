// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerscanner.h"
#include "layerindex.h"
#include "mergedtree.h"
#include "overlayconfig.h"
#include "source.h"
#include "subtreesize.h"
#include "uniontree.h"

#include <QFuture>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace strata {

// A scanned and merged overlay stack: the layers, the kernel's merged view and the path-aligned
// union of both. A plain value; loading does the work, the constructor does none.
struct OverlayStack {
    // Full: every entry stat'ed (layer statistics, every cell's change kind). MergedView: only what
    // the merged view reaches — its entries and the versions they cover — which is what `ls` needs
    // and about half the statx calls on a stack whose layers overlap.
    enum class LoadDepth { Full, MergedView };

    OverlayConfig config;
    std::vector<LayerIndex> layers; // bottom → top, as config.layers
    MergedTree merged;
    UnionTree unionTree;
    std::vector<LayerStats> stats; // empty with LoadDepth::MergedView
    // Recursive sizes per entry and merged node; the layers' part is empty with LoadDepth::MergedView.
    SubtreeSizes sizes;
    // Per layer: a name that tells it apart (layername.h), e.g. a storage dir's cache-id.
    std::vector<QString> layerNames;
    LoadDepth depth = LoadDepth::Full;
    uint64_t scanNanoseconds = 0;
    uint64_t mergeNanoseconds = 0;
    // Where the load's time went, phase by phase ("scan", "merge", "union tree", …), in order; a
    // phase that ran several times (merge rounds) appears once with its total.
    struct PhaseTime {
        std::string name;
        uint64_t nanoseconds = 0;
    };
    std::vector<PhaseTime> phases;
    void addPhaseTime(const std::string &name, uint64_t nanoseconds);

    // Resolves a SOURCE (see source.h) and loads it.
    // `cancel`, when given and set, ends a running scan early with ErrorCode::Cancelled.
    static Expected<OverlayStack> open(const QString &source, const QString &baseDir, const std::atomic<bool> *cancel = nullptr,
                                       LoadDepth depth = LoadDepth::Full);
    // Opens the source's layers, scans them in parallel, merges.
    static Expected<OverlayStack> load(const Source &source, const std::atomic<bool> *cancel = nullptr, LoadDepth depth = LoadDepth::Full);

    // A short name for layer i: "lower 0", "upper", "data 0"...
    QString layerLabel(size_t layer) const;
    // What tells layer i apart: layerNames[i] (see layername.h).
    QString layerName(size_t layer) const;
    std::string_view name(LayerRef ref) const { return layers[ref.layer].name(ref.entry); }
    const Entry &entry(LayerRef ref) const { return layers[ref.layer].entries[ref.entry]; }
    std::string mergedPath(MergedId id) const;
    MergedId findMerged(std::string_view path) const;
    std::string unionPath(UnionId id) const;
    // The child of union row `dir` named `name`, or noUnion.
    UnionId unionChild(UnionId dir, std::string_view name) const;
    // The union row at "/a/b" (any layer's path, merged or not); noUnion when no layer has it.
    UnionId findUnion(std::string_view path) const;

    // A new snapshot of `previous` in which the layers `changedLayers` are scanned again (an upper
    // dir the kernel wrote to, say) and the others carry over as they were; merged anew. The same
    // depth as `previous`. Models apply the result as an update (UnionTreeModel::applySnapshot).
    static Expected<OverlayStack> reload(const OverlayStack &previous, const std::vector<size_t> &changedLayers, const std::atomic<bool> *cancel = nullptr);

    // Turns a LoadDepth::MergedView stack into what a Full load gives (every entry stat'ed, every
    // cell's change kind, layer statistics) without scanning again: the window shows the merged
    // tree first and completes the statistics with this in the background. `progress` (may be
    // empty) gets (entries done, entries to do); a set `cancel` ends it with ErrorCode::Cancelled.
    static Expected<OverlayStack> complete(OverlayStack stack, const std::atomic<bool> *cancel = nullptr,
                                           const std::function<void(size_t done, size_t total)> &progress = {});

    // What a resolve round stats, per layer: regular files with their xattrs (whether a lookup
    // that reached them takes them for metacopy), other entries stat'ed only.
    struct ResolveLists {
        std::vector<std::vector<EntryId>> withXattrs, statOnly;
        bool readsXattrs = false; // a newly read metacopy xattr may change the merge
        bool empty() const;
    };
    // The entries lookups reached (each merged node's meta, data and name): the merged tree alone
    // names them, so they are resolved while the union tree is built.
    ResolveLists reachedByLookups() const;
    // The versions the merged entries cover (for their change kind): needs the union tree.
    ResolveLists coveredVersions() const;
    // Stats (and reads the xattrs of) `lists` in parallel, a task per layer, the largest first.
    void resolve(ResolveLists lists, const std::vector<ScanOptions> &options);
    // The same on the pool, returning at once: the caller does other work, then waits.
    QFuture<void> startResolve(ResolveLists lists, const std::vector<ScanOptions> &options);
    // After a resolve: whether a metacopy file or (index=on) a hardlink it found changes the merge.
    bool mergeMayChange(bool hardlinkIndex) const;
    // How each layer is scanned for this stack's options and depth.
    std::vector<ScanOptions> scanOptions(const std::atomic<bool> *cancel) const;

private:
    // Merge, resolve what the merged view reaches, change kinds and statistics of scanned layers.
    static Expected<OverlayStack> finishLoad(OverlayStack stack, const std::vector<ScanOptions> &options, std::chrono::steady_clock::time_point start);
};

} // namespace strata
