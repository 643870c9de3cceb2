// SPDX-License-Identifier: GPL-3.0-or-later
#include "overlaystack.h"

#include "layerscanner.h"
#include "merger.h"

#include <chrono>

namespace strata {

Expected<OverlayStack> OverlayStack::open(const QString &source, const QString &baseDir, const std::atomic<bool> *cancel)
{
    static const QString overlayPrefix = QStringLiteral("overlay:");
    if (!source.startsWith(overlayPrefix))
        return makeError(QStringLiteral("unknown source '%1': expected overlay:OPTIONS (e.g. overlay:lowerdir=a:b,upperdir=u,workdir=w)").arg(source));
    auto config = OverlayConfig::parse(source.mid(overlayPrefix.size()), baseDir, OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    return load(*config, cancel);
}

Expected<OverlayStack> OverlayStack::load(const OverlayConfig &config, const std::atomic<bool> *cancel)
{
    OverlayStack stack;
    stack.config = config;
    const auto start = std::chrono::steady_clock::now();
    std::vector<QString> paths;
    std::vector<ScanOptions> options;
    for (const LayerSpec &spec : config.layers) {
        paths.push_back(spec.path);
        ScanOptions o;
        o.xattrPrefix = config.xattrPrefix();
        o.allXattrs = spec.role == LayerRole::Upper; // provenance (origin) for the small upper dir
        o.cancel = cancel;
        options.push_back(o);
    }
    auto scanned = LayerScanner::scanAll(paths, options);
    for (auto &layer : scanned) {
        if (!layer)
            return layer.error();
        stack.layers.push_back(std::move(layer).value());
    }
    const auto scanned_at = std::chrono::steady_clock::now();
    stack.merged = Merger::merge(stack.config, stack.layers);
    stack.unionTree = UnionTree::build(stack.layers, stack.merged);
    stack.stats = computeLayerStats(stack.layers, stack.merged, stack.unionTree);
    const auto done = std::chrono::steady_clock::now();
    stack.scanNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(scanned_at - start).count());
    stack.mergeNanoseconds = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(done - scanned_at).count());
    return stack;
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
    std::vector<MergedId> chain;
    for (MergedId m = id; m != 0 && m != noMerged; m = merged.nodes[m].parent)
        chain.push_back(m);
    if (chain.empty())
        return "/";
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        out += '/';
        out += name(merged.nodes[*it].name);
    }
    return out;
}

MergedId OverlayStack::findMerged(std::string_view path) const
{
    if (merged.nodes.empty())
        return noMerged;
    MergedId current = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        while (pos < path.size() && path[pos] == '/')
            ++pos;
        if (pos >= path.size())
            break;
        const size_t end = std::min(path.find('/', pos), path.size());
        const std::string_view component = path.substr(pos, end - pos);
        const MergedNode &dir = merged.nodes[current];
        MergedId next = noMerged;
        uint32_t lo = dir.firstChild, hi = dir.firstChild + dir.childCount;
        while (lo < hi) {
            const uint32_t mid = lo + (hi - lo) / 2;
            const int c = name(merged.nodes[mid].name).compare(component);
            if (c == 0) {
                next = mid;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (next == noMerged)
            return noMerged;
        current = next;
        pos = end;
    }
    return current;
}

std::string OverlayStack::unionPath(UnionId id) const
{
    std::vector<UnionId> chain;
    for (UnionId u = id; u != 0 && u != noUnion; u = unionTree.nodes[u].parent)
        chain.push_back(u);
    if (chain.empty())
        return "/";
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        out += '/';
        out += name(unionTree.nodes[*it].name);
    }
    return out;
}

} // namespace strata
