// SPDX-License-Identifier: GPL-3.0-or-later
#include "overlaystack.h"

#include "layerscanner.h"
#include "hardlinkindex.h"
#include "layername.h"
#include "merger.h"
#include "tarlayer.h"
#include "overlayrules.h"
#include "treewalk.h"

#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <numeric>
#include <optional>

namespace strata {

namespace {

// One task per layer, dispatched on the handle's kind: directories are walked, tars streamed.
std::vector<Expected<LayerIndex>> scanLayers(const std::vector<LayerHandle> &handles, const std::vector<ScanOptions> &options)
{
    std::vector<size_t> order(handles.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::optional<Expected<LayerIndex>>> results(handles.size());
    QtConcurrent::blockingMap(order, [&](size_t i) {
        if (handles[i].kind() == LayerHandle::Kind::Tar)
            results[i].emplace(TarLayer::index(handles[i], TarIndexOptions{options[i].cancel}));
        else
            results[i].emplace(LayerScanner::scan(handles[i], options[i]));
    });
    std::vector<Expected<LayerIndex>> out;
    out.reserve(handles.size());
    for (auto &r : results)
        out.push_back(std::move(*r));
    return out;
}

} // namespace

Expected<OverlayStack> OverlayStack::open(const QString &source, const QString &baseDir, const std::atomic<bool> *cancel, LoadDepth depth)
{
    auto resolved = openSource(source, baseDir);
    if (!resolved)
        return resolved.error();
    return load(**resolved, cancel, depth);
}

Expected<OverlayStack> OverlayStack::load(const Source &source, const std::atomic<bool> *cancel, LoadDepth depth)
{
    OverlayStack stack;
    stack.config = source.config();
    stack.depth = depth;
    for (const LayerSpec &spec : stack.config.layers)
        stack.layerNames.push_back(layerDisplayName(spec.path));
    const auto start = std::chrono::steady_clock::now();
    std::vector<LayerHandle> handles;
    for (size_t l = 0; l < stack.config.layers.size(); ++l) {
        auto handle = source.openLayer(l);
        if (!handle)
            return handle.error();
        handles.push_back(std::move(handle).value());
    }
    const std::vector<ScanOptions> options = stack.scanOptions(cancel);
    auto scanned = scanLayers(handles, options);
    for (auto &layer : scanned) {
        if (!layer)
            return layer.error();
        stack.layers.push_back(std::move(layer).value());
    }
    return finishLoad(std::move(stack), options, start);
}

Expected<OverlayStack> OverlayStack::reload(const OverlayStack &previous, const std::vector<size_t> &changedLayers, const std::atomic<bool> *cancel)
{
    OverlayStack stack;
    stack.config = previous.config;
    stack.depth = previous.depth;
    stack.layerNames = previous.layerNames;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<ScanOptions> options = stack.scanOptions(cancel);
    std::vector<LayerHandle> handles;
    std::vector<size_t> rescanned;
    for (size_t l : changedLayers) {
        if (l >= previous.layers.size())
            return makeError(ErrorCode::NotFound, QStringLiteral("no layer %1 in this stack").arg(l));
        if (std::find(rescanned.begin(), rescanned.end(), l) == rescanned.end()) {
            rescanned.push_back(l);
            handles.push_back(previous.layers[l].handle);
        }
    }
    std::vector<ScanOptions> rescanOptions;
    for (size_t l : rescanned)
        rescanOptions.push_back(options[l]);
    auto scanned = scanLayers(handles, rescanOptions);
    stack.layers.reserve(previous.layers.size());
    for (size_t l = 0; l < previous.layers.size(); ++l) {
        const auto it = std::find(rescanned.begin(), rescanned.end(), l);
        if (it == rescanned.end()) {
            stack.layers.push_back(previous.layers[l]); // unchanged: its index (and handle) carry over
            continue;
        }
        auto &layer = scanned[size_t(it - rescanned.begin())];
        if (!layer)
            return layer.error();
        stack.layers.push_back(std::move(layer).value());
    }
    return finishLoad(std::move(stack), options, start);
}

Expected<OverlayStack> OverlayStack::finishLoad(OverlayStack stack, const std::vector<ScanOptions> &options, std::chrono::steady_clock::time_point start)
{
    const auto scanned_at = std::chrono::steady_clock::now();
    stack.addPhaseTime("scan", uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(scanned_at - start).count()));
    auto lap = [&stack, last = scanned_at](const char *what) mutable {
        const auto now = std::chrono::steady_clock::now();
        spdlog::debug("load: {} {:.1f} ms", what, std::chrono::duration<double, std::milli>(now - last).count());
        stack.addPhaseTime(what, uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count()));
        last = now;
    };
    const HardlinkIndex hardlinks = HardlinkIndex::load(stack.config, stack.layers, options.back());
    lap("hardlink index");
    stack.merged = Merger::merge(stack.config, stack.layers, &hardlinks);
    lap("merge");
    // Stat what the merged view reaches (MergedView) and read the metacopy xattr of the regular
    // files a lookup reaches (both depths). A lookup treats a file not read yet as plain data; if
    // one of them turns out to be a metacopy entry, merge again with what is known now.
    for (int round = 0;; ++round) {
        // The entries the lookups reached are resolved on the pool while this thread builds the
        // union tree: the build reads names, directories and the types getdents gave, none of which
        // a resolve writes (UnionTree::build reads a non-directory's type before its flags).
        ResolveLists reached = stack.reachedByLookups();
        const bool readsXattrs = reached.readsXattrs;
        bool resolvedAny = !reached.empty();
        QFuture<void> resolving = stack.startResolve(std::move(reached), options);
        stack.unionTree = UnionTree::build(stack.layers, stack.merged);
        lap(round == 0 ? "union tree" : "union tree again");
        resolving.waitForFinished();
        lap("resolve reached entries");
        ResolveLists covered = stack.coveredVersions();
        resolvedAny = resolvedAny || !covered.empty();
        stack.resolve(std::move(covered), options);
        lap("resolve covered versions");
        // Only a newly found metacopy entry or hardlink changes the merge; other stat-only work does not.
        if (!resolvedAny || (!readsXattrs && hardlinks.empty()) || round == 15 || !stack.mergeMayChange(!hardlinks.empty()))
            break;
        stack.merged = Merger::merge(stack.config, stack.layers, &hardlinks);
        lap("merge again (metacopy found)");
    }
    stack.unionTree.computeKinds(stack.layers, stack.merged);
    lap("change kinds");
    if (stack.depth == LoadDepth::Full) {
        stack.stats = computeLayerStats(stack.layers, stack.merged, stack.unionTree);
        stack.sizes = SubtreeSizes::compute(stack.layers, stack.merged);
    } else {
        stack.sizes.merged = SubtreeSizes::computeMerged(stack.layers, stack.merged);
    }
    lap("statistics and sizes");
    const auto done = std::chrono::steady_clock::now();
    stack.scanNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(scanned_at - start).count());
    stack.mergeNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(done - scanned_at).count());
    return stack;
}

std::vector<ScanOptions> OverlayStack::scanOptions(const std::atomic<bool> *cancel) const
{
    std::vector<ScanOptions> options;
    const bool hardlinkHandles = HardlinkIndex::mayApply(config);
    for (const LayerSpec &spec : config.layers) {
        ScanOptions o;
        o.xattrPrefix = config.xattrPrefix();
        o.allXattrs = spec.role == LayerRole::Upper; // provenance (origin) for the small upper dir
        o.cancel = cancel;
        o.lazyFiles = depth == LoadDepth::MergedView && spec.role != LayerRole::Upper;
        o.hardlinkHandles = hardlinkHandles && spec.role != LayerRole::Upper;
        options.push_back(o);
    }
    return options;
}

Expected<OverlayStack> OverlayStack::complete(OverlayStack stack, const std::atomic<bool> *cancel, const std::function<void(size_t, size_t)> &progress)
{
    if (stack.depth == LoadDepth::Full)
        return stack;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<ScanOptions> options = stack.scanOptions(cancel);
    // What a Full load stats and the MergedView load left out: entries not reached by the merged
    // view. They cannot change the merge (only reached entries' metacopy and hardlink state can, and
    // those were read), so the merged tree stays; change kinds and statistics are computed anew.
    std::vector<std::vector<EntryId>> todo(stack.layers.size());
    size_t total = 0;
    for (size_t l = 0; l < stack.layers.size(); ++l) {
        const LayerIndex &layer = stack.layers[l];
        for (EntryId id = 1; id < layer.entries.size(); ++id) {
            if (layer.entries[id].has(FlagUnresolved))
                todo[l].push_back(id);
        }
        total += todo[l].size();
    }
    // Batches keep progress and cancellation responsive; each layer is its own task.
    constexpr size_t batch = 16384;
    std::atomic<size_t> done{0};
    std::vector<size_t> order(stack.layers.size());
    std::iota(order.begin(), order.end(), 0);
    QtConcurrent::blockingMap(order, [&](size_t l) {
        std::vector<EntryId> &ids = todo[l];
        for (size_t from = 0; from < ids.size(); from += batch) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            const size_t to = std::min(ids.size(), from + batch);
            LayerScanner::resolve(stack.layers[l], std::vector<EntryId>(ids.begin() + std::ptrdiff_t(from), ids.begin() + std::ptrdiff_t(to)), options[l], false);
            const size_t now = done.fetch_add(to - from) + (to - from);
            if (progress)
                progress(now, total);
        }
    });
    if (cancel && cancel->load())
        return cancelledError();
    const auto resolved = std::chrono::steady_clock::now();
    stack.addPhaseTime("complete: stat the rest", uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(resolved - start).count()));
    stack.depth = LoadDepth::Full;
    stack.unionTree.computeKinds(stack.layers, stack.merged);
    stack.stats = computeLayerStats(stack.layers, stack.merged, stack.unionTree);
    stack.sizes = SubtreeSizes::compute(stack.layers, stack.merged);
    stack.addPhaseTime("complete: kinds, statistics, sizes",
                       uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - resolved).count()));
    stack.mergeNanoseconds += uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    return stack;
}

bool OverlayStack::ResolveLists::empty() const
{
    const auto none = [](const std::vector<std::vector<EntryId>> &perLayer) {
        return std::all_of(perLayer.begin(), perLayer.end(), [](const std::vector<EntryId> &ids) { return ids.empty(); });
    };
    return none(withXattrs) && none(statOnly);
}

OverlayStack::ResolveLists OverlayStack::reachedByLookups() const
{
    ResolveLists lists;
    lists.withXattrs.resize(layers.size());
    lists.statOnly.resize(layers.size());
    for (const MergedNode &node : merged.nodes) {
        // The entries a lookup reached: whether they are metacopy decides where data comes from.
        // `name` is the topmost entry at the path, which an index=on alias replaces as `meta`: read
        // it too, so its change kind does not depend on which merge round saw it first.
        const LayerRef reached[] = {node.meta, node.data, node.name};
        for (size_t i = 0; i < std::size(reached); ++i) {
            const LayerRef ref = reached[i];
            if (!ref.valid() || std::find(reached, reached + i, ref) != reached + i)
                continue; // mostly the same entry three times: listed once
            const Entry &e = entry(ref);
            if (e.type == EntryType::File && !e.has(FlagXattrsRead)) {
                lists.withXattrs[ref.layer].push_back(ref.entry);
                lists.readsXattrs = true;
            } else if (e.has(FlagUnresolved)) {
                lists.statOnly[ref.layer].push_back(ref.entry);
            }
        }
    }
    return lists;
}

OverlayStack::ResolveLists OverlayStack::coveredVersions() const
{
    ResolveLists lists;
    lists.withXattrs.resize(layers.size());
    lists.statOnly.resize(layers.size());
    for (UnionId n = 0; n < unionTree.nodes.size(); ++n) {
        const MergedId m = unionTree.nodes[n].merged;
        if (m == noMerged)
            continue;
        const MergedNode &node = merged.nodes[m];
        if (unionTree.cell(n, node.meta.layer) == node.meta.entry) {
            const LayerRef covered = unionTree.below(layers, n, node.meta.layer); // for its change kind
            if (covered.valid() && entry(covered).has(FlagUnresolved))
                lists.statOnly[covered.layer].push_back(covered.entry);
        }
    }
    return lists;
}

void OverlayStack::resolve(ResolveLists lists, const std::vector<ScanOptions> &options)
{
    startResolve(std::move(lists), options).waitForFinished();
}

QFuture<void> OverlayStack::startResolve(ResolveLists lists, const std::vector<ScanOptions> &options)
{
    if (lists.empty())
        return QtFuture::makeReadyVoidFuture();
    // A map started from this thread, not a blockingMap inside a pool task: that one finds the
    // pool taken by its own task and runs on one core. The layers with the most work go first, so
    // that no big one starts last and keeps one core busy alone at the end.
    // The map iterates `order` in place: it lives in `work`, which the functor keeps alive.
    struct Work {
        ResolveLists lists;
        std::vector<ScanOptions> options;
        std::vector<size_t> order;
    };
    auto work = std::make_shared<Work>(Work{std::move(lists), options, std::vector<size_t>(layers.size())});
    std::vector<size_t> &order = work->order;
    std::iota(order.begin(), order.end(), 0);
    const auto cost = [&](size_t l) { return work->lists.withXattrs[l].size() * 2 + work->lists.statOnly[l].size(); };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost(a) > cost(b); });
    std::erase_if(order, [&](size_t l) { return cost(l) == 0; });
    return QtConcurrent::map(order, [this, work](size_t l) {
        const auto t0 = std::chrono::steady_clock::now();
        const size_t x = work->lists.withXattrs[l].size(), st = work->lists.statOnly[l].size();
        LayerScanner::resolve(layers[l], std::move(work->lists.withXattrs[l]), work->options[l], true);
        LayerScanner::resolve(layers[l], std::move(work->lists.statOnly[l]), work->options[l], false);
        spdlog::debug("resolve layer {}: {} with xattrs, {} stat only, {:.1f} ms", l, x, st,
                      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    });
}

bool OverlayStack::mergeMayChange(bool hardlinkIndex) const
{
    const int upper = config.hasUpper() ? int(layers.size()) - 1 : -1;
    for (const MergedNode &m : merged.nodes) {
        // A lower hardlink (known only now that it is stat'ed) may resolve through the index.
        if (hardlinkIndex && m.meta.valid() && int(m.meta.layer) != upper && entry(m.meta).type != EntryType::Dir && entry(m.meta).nlink > 1)
            return true;
        for (LayerRef ref : {m.meta, m.data}) {
            if (ref.valid() && m.lookupErrno == 0 && rules::isMetacopy(entry(ref)) && int(ref.layer) != upper)
                return true;
        }
    }
    return false;
}

void OverlayStack::addPhaseTime(const std::string &name, uint64_t nanoseconds)
{
    for (PhaseTime &phase : phases) {
        if (phase.name == name) {
            phase.nanoseconds += nanoseconds;
            return;
        }
    }
    phases.push_back({name, nanoseconds});
}

QString OverlayStack::layerName(size_t layer) const
{
    if (!config.layers[layer].label.isEmpty()) // the source knows better (a storage layer's id)
        return config.layers[layer].label;
    return layer < layerNames.size() ? layerNames[layer] : layerDisplayName(config.layers[layer].path);
}

QString OverlayStack::layerLabel(size_t layer) const
{
    const LayerSpec &spec = config.layers[layer];
    switch (spec.role) {
    case LayerRole::Upper:
        return QStringLiteral("upper");
    case LayerRole::DataOnly:
        return QStringLiteral("data %1").arg(layer);
    case LayerRole::Lower:
        break;
    }
    return QStringLiteral("lower %1").arg(layer);
}

std::string OverlayStack::mergedPath(MergedId id) const
{
    return treewalk::pathOf(id, [this](uint32_t m) { return merged.nodes[m].parent; }, [this](uint32_t m) { return name(merged.nodes[m].name); });
}

MergedId OverlayStack::findMerged(std::string_view path) const
{
    if (merged.nodes.empty())
        return noMerged;
    return treewalk::findPath(path, [this](uint32_t dir, std::string_view component) {
        return treewalk::findChild(merged.nodes[dir].firstChild, merged.nodes[dir].childCount, component, [this](uint32_t m) { return name(merged.nodes[m].name); });
    });
}

UnionId OverlayStack::unionChild(UnionId dir, std::string_view wanted) const
{
    const UnionNode &d = unionTree.nodes[dir];
    return treewalk::findChild(d.firstChild, d.childCount, wanted, [this](uint32_t u) { return name(unionTree.nodes[u].name); });
}

UnionId OverlayStack::findUnion(std::string_view path) const
{
    if (unionTree.nodes.empty())
        return noUnion;
    return treewalk::findPath(path, [this](uint32_t dir, std::string_view component) { return unionChild(dir, component); });
}

std::string OverlayStack::unionPath(UnionId id) const
{
    return treewalk::pathOf(id, [this](uint32_t u) { return unionTree.nodes[u].parent; }, [this](uint32_t u) { return name(unionTree.nodes[u].name); });
}

} // namespace strata
