// SPDX-License-Identifier: GPL-3.0-or-later
#include "merger.h"

#include "hardlinkindex.h"
#include "overlayrules.h"
#include "sortedruns.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cerrno>
#include <numeric>
#include <string>

namespace strata {

namespace {

// State of one lookup, after the kernel's struct ovl_lookup_data.
struct LookupData {
    std::string name; // component, or an absolute path after an absolute redirect
    bool isDir = false;
    bool opaque = false;
    bool stop = false;
    bool last = false;
    bool metacopy = false;
    bool hasRedirect = false;
    bool absoluteRedirect = false;
};

struct LookupResult {
    LayerRef top; // the topmost entry (upper, or first lower found)
    LayerRef data; // where content comes from (metacopy)
    int error = 0; // ENOENT when a whiteout hides the name
    bool isDir = false;
};

class MergeRun
{
public:
    MergeRun(const OverlayConfig &config, const std::vector<LayerIndex> &layers, const HardlinkIndex *index, size_t layerCount)
        : m_config(config)
        , m_layers(layers)
        , m_count(int(std::min(layerCount, layers.size())))
        , m_index(index && !index->empty() && m_count == int(layers.size()) ? index : nullptr)
    {
        m_follow = config.followRedirects();
        // Below the top of the stack every layer is a lower one (what mounting them as lowers gives).
        m_upper = config.hasUpper() && m_count == int(layers.size()) ? m_count - 1 : -1;
        m_firstRegular = config.firstRegularLayer();
        // The root stack's lower part, top-down: every regular lower layer root.
        for (int i = m_count - 1; i >= m_firstRegular; --i) {
            if (i != m_upper)
                m_rootLowers.push_back({uint16_t(i), 0});
        }
        for (int i = m_firstRegular - 1; i >= 0; --i)
            m_dataLayers.push_back({uint16_t(i), 0});
    }

    MergedTree run()
    {
        MergedTree tree;
        tree.nodes.reserve(1024);
        MergedNode root;
        const int top = m_count - 1;
        root.name = root.meta = root.data = {uint16_t(top), 0};
        root.stackOffset = 0;
        std::vector<LayerRef> rootStack;
        if (m_upper >= 0)
            rootStack.push_back({uint16_t(m_upper), 0});
        rootStack.insert(rootStack.end(), m_rootLowers.begin(), m_rootLowers.end());
        if (rootStack.empty())
            return tree;
        root.meta = root.data = root.name = rootStack.front();
        tree.stacks = rootStack;
        root.stackCount = uint32_t(rootStack.size());
        root.merged = rootStack.size() > 1;
        tree.nodes.push_back(root);

        // The levels near the root are expanded here, breadth-first, until enough directories wait
        // to share out among the cores; their subtrees are merged in parallel, each into an arena of
        // its own (a directory's expansion depends only on its layer stack), and appended in order.
        const size_t enoughSubtrees = 4 * size_t(std::max(1, QThreadPool::globalInstance()->maxThreadCount()));
        std::vector<MergedId> frontier{0}, next;
        while (!frontier.empty() && frontier.size() < enoughSubtrees) {
            next.clear();
            for (const MergedId dir : frontier) {
                expand(tree, dir);
                for (uint32_t c = tree.nodes[dir].firstChild; c < tree.nodes[dir].firstChild + tree.nodes[dir].childCount; ++c) {
                    if (tree.nodes[c].stackCount > 0)
                        next.push_back(c);
                }
            }
            frontier.swap(next);
        }
        std::vector<MergedTree> subtrees(frontier.size());
        std::vector<size_t> order(frontier.size());
        std::iota(order.begin(), order.end(), size_t(0));
        QtConcurrent::blockingMap(order, [&](size_t i) {
            MergeRun run = *this; // its own lookup buffers
            subtrees[i] = run.subtree(tree, frontier[i]);
        });
        for (size_t i = 0; i < frontier.size(); ++i)
            append(tree, frontier[i], subtrees[i]);
        return tree;
    }

private:
    // `dir`'s subtree, from a copy of `dir` as its root (stack included), expanded depth-first from
    // an explicit stack: no recursion, any depth.
    MergedTree subtree(const MergedTree &tree, MergedId dir)
    {
        MergedTree sub;
        MergedNode root = tree.nodes[dir];
        root.parent = noMerged;
        root.stackOffset = 0;
        sub.stacks.assign(tree.stacks.begin() + tree.nodes[dir].stackOffset, tree.stacks.begin() + tree.nodes[dir].stackOffset + tree.nodes[dir].stackCount);
        sub.nodes.push_back(root);
        std::vector<MergedId> pending{0};
        while (!pending.empty()) {
            const MergedId dirId = pending.back();
            pending.pop_back();
            expand(sub, dirId);
            const MergedNode &d = sub.nodes[dirId];
            for (uint32_t i = d.firstChild + d.childCount; i-- > d.firstChild;) {
                if (sub.nodes[i].stackCount > 0)
                    pending.push_back(i);
            }
        }
        return sub;
    }

    // Puts `sub`'s nodes (but its root, which is `dir`) after `tree`'s, ids and stack offsets shifted.
    static void append(MergedTree &tree, MergedId dir, const MergedTree &sub)
    {
        const auto nodeShift = uint32_t(tree.nodes.size() - 1); // sub's node k ≥ 1 becomes nodeShift + k
        const auto stackShift = uint32_t(tree.stacks.size());
        tree.stacks.insert(tree.stacks.end(), sub.stacks.begin(), sub.stacks.end());
        tree.nodes[dir].firstChild = sub.nodes[0].firstChild + nodeShift;
        tree.nodes[dir].childCount = sub.nodes[0].childCount;
        for (size_t k = 1; k < sub.nodes.size(); ++k) {
            MergedNode node = sub.nodes[k];
            node.parent = node.parent == 0 ? dir : node.parent + nodeShift;
            if (node.stackCount > 0) { // a directory (expanded); other nodes keep 0 as a sequential merge leaves them
                node.firstChild += nodeShift;
                node.stackOffset += stackShift;
            }
            tree.nodes.push_back(node);
        }
    }

    // Lists the directory `dirId` (readdir) and looks up each name in its layer stack: its children
    // are appended to `tree` as one block.
    void expand(MergedTree &tree, MergedId dirId)
    {
        const std::vector<LayerRef> stack(tree.stacks.begin() + tree.nodes[dirId].stackOffset,
                                          tree.stacks.begin() + tree.nodes[dirId].stackOffset + tree.nodes[dirId].stackCount);
        collectNames(stack, m_names);
        const auto first = uint32_t(tree.nodes.size());
        for (const auto &[name, nameRef] : m_names) {
            const LookupResult found = lookup(stack, name);
            MergedNode node;
            node.parent = dirId;
            node.name = nameRef;
            if (!found.top.valid()) {
                // Only listed because the directory is read directly (not merged).
                node.meta = node.data = nameRef;
                node.lookupErrno = found.error ? found.error : ENOENT;
                tree.nodes.push_back(node);
                continue;
            }
            node.meta = found.top;
            node.data = found.data.valid() ? found.data : found.top;
            node.lookupErrno = found.error;
            if (found.isDir && !found.error) {
                node.stackOffset = uint32_t(tree.stacks.size());
                node.stackCount = uint32_t(m_dirStack.size());
                tree.stacks.insert(tree.stacks.end(), m_dirStack.begin(), m_dirStack.end());
                node.merged = m_dirStack.size() > 1;
            }
            tree.nodes.push_back(node);
        }
        tree.nodes[dirId].firstChild = first;
        tree.nodes[dirId].childCount = uint32_t(tree.nodes.size()) - first;
    }

    const Entry &entry(LayerRef ref) const { return m_layers[ref.layer].entries[ref.entry]; }

    bool isWhiteout(LayerRef ref) const { return rules::isWhiteout(entry(ref)); }

    // readdir: a directory read straight from one layer lists everything, whiteouts included;
    // a merged one (or one that may hold whiteouts) lists the union without whiteouts.
    void collectNames(const std::vector<LayerRef> &stack, std::vector<std::pair<std::string_view, LayerRef>> &out)
    {
        out.clear();
        const Entry &top = entry(stack.front());
        if (rules::readsDirectly(top, stack.size())) {
            const LayerIndex &layer = m_layers[stack.front().layer];
            for (uint32_t c = top.firstChild; c < top.firstChild + top.childCount; ++c)
                out.emplace_back(layer.name(c), LayerRef{stack.front().layer, c});
            return;
        }
        // The union of the levels' names; for equal names the topmost level (the first run) decides.
        m_runs.clear();
        for (const LayerRef d : stack) {
            const Entry &de = entry(d);
            m_runs.push_back({de.firstChild, de.firstChild + de.childCount});
        }
        const auto nameAt = [&](uint32_t run, uint32_t position) { return m_layers[stack[run].layer].name(position); };
        sortedruns::merge(m_runs, nameAt, [&](std::string_view name, const std::vector<sortedruns::Member> &members) {
            const LayerRef topRef{stack[members.front().run].layer, members.front().position};
            if (!isWhiteout(topRef))
                out.emplace_back(name, topRef);
        });
    }

    // ovl_lookup_single: one component in one layer directory.
    EntryId lookupSingle(LayerRef base, std::string_view name, LookupData &d, size_t prefixLength, std::string_view post)
    {
        const bool lastElement = post.empty();
        const LayerIndex &layer = m_layers[base.layer];
        const EntryId found = layer.child(base.entry, name);
        if (found == noEntry)
            return noEntry;
        if (isWhiteout({base.layer, found})) {
            d.stop = d.opaque = true;
            return noEntry;
        }
        const Entry &e = layer.entries[found];
        if (lastElement && d.metacopy && e.type != EntryType::File) {
            d.stop = true;
            return noEntry;
        }
        if (e.type != EntryType::Dir) {
            if (d.isDir || !lastElement) {
                d.stop = true;
                return noEntry;
            }
            d.metacopy = rules::isMetacopy(e);
            d.stop = !d.metacopy;
            if (!d.metacopy || d.last)
                return found;
        } else {
            if (lastElement)
                d.isDir = true;
            if (d.last)
                return found;
            if (rules::isOpaqueDir(e)) {
                d.stop = true;
                if (lastElement)
                    d.opaque = true;
                return found;
            }
        }
        checkRedirect(LayerRef{base.layer, found}, d, prefixLength, post);
        return found;
    }

    // ovl_check_redirect: a redirect replaces the name looked up in the layers below.
    void checkRedirect(LayerRef ref, LookupData &d, size_t prefixLength, std::string_view post)
    {
        const Entry &e = entry(ref);
        if (!e.has(FlagRedirect))
            return;
        const std::string &target = m_layers[ref.layer].extra(ref.entry).redirect;
        const rules::RedirectKind kind = rules::redirectKind(target);
        if (kind == rules::RedirectKind::None || kind == rules::RedirectKind::Invalid)
            return;
        std::string next;
        d.absoluteRedirect = kind == rules::RedirectKind::Absolute;
        next = d.absoluteRedirect ? target : d.name.substr(0, prefixLength) + target;
        next += post;
        d.hasRedirect = true;
        d.name = std::move(next);
    }

    // ovl_lookup_layer: a single name, or an absolute path walked from the layer's root.
    EntryId lookupLayer(LayerRef base, LookupData &d)
    {
        if (d.name.empty() || d.name.front() != '/')
            return lookupSingle(base, d.name, d, 0, {});
        // Walk the components; a redirect on the way rewrites d.name, so track the remainder.
        size_t remaining = d.name.size() - 1; // characters after the leading '/'
        LayerRef current{base.layer, 0};
        for (;;) {
            if (entry(current).type != EntryType::Dir)
                return current.entry;
            const size_t start = d.name.size() - remaining;
            const size_t slash = d.name.find('/', start);
            const size_t end = slash == std::string::npos ? d.name.size() : slash;
            const std::string component = d.name.substr(start, end - start);
            const std::string post = d.name.substr(end);
            const EntryId next = lookupSingle(current, component, d, start, post);
            if (next == noEntry)
                return noEntry;
            current.entry = next;
            if (post.empty())
                return next;
            remaining = post.size() - 1;
        }
    }

    // A non-owning view of a directory stack (the kernel's poe/roe), top-down.
    struct StackView {
        const LayerRef *data = nullptr;
        size_t count = 0;
        size_t size() const { return count; }
        bool empty() const { return count == 0; }
        const LayerRef &operator[](size_t i) const { return data[i]; }
        const LayerRef *begin() const { return data; }
        const LayerRef *end() const { return data + count; }
    };

    // ovl_lookup. Directories leave their merged layer directories in m_dirStack (reused buffers:
    // the merge is single-threaded and this runs once per merged path).
    LookupResult lookup(const std::vector<LayerRef> &parentStack, std::string_view name)
    {
        LookupResult result = lookupPath(parentStack, name);
        if (m_index && !result.isDir && result.top.valid() && int(result.top.layer) != m_upper && entry(result.top).nlink > 1) {
            // index=on: a lower hardlink whose inode was copied up through another name resolves to
            // that upper inode (ovl_lookup_index); its data is its own unless it is metacopy, in
            // which case it is what the lower chain found.
            const LayerRef alias = m_index->aliasOf(m_layers, result.top);
            if (alias.valid()) {
                result.top = alias;
                if (!rules::isMetacopy(entry(alias))) {
                    result.data = alias;
                    result.error = 0;
                }
            }
        }
        return result;
    }

    LookupResult lookupPath(const std::vector<LayerRef> &parentStack, std::string_view name)
    {
        LookupResult result;
        LookupData d;
        d.name = name;
        m_dirStack.clear();
        // The parent's lower directories (the kernel's poe), top-down; the root's are roe.
        const bool parentHasUpper = int(parentStack.front().layer) == m_upper;
        StackView poe{parentStack.data() + (parentHasUpper ? 1 : 0), parentStack.size() - (parentHasUpper ? 1 : 0)};
        const StackView roe{m_rootLowers.data(), m_rootLowers.size()};
        bool usingRoot = parentStack.front().entry == 0;
        bool upperMetacopy = false;
        if (m_upper >= 0 && parentStack.front().layer == m_upper) {
            d.last = m_follow ? false : poe.empty();
            const EntryId upper = lookupSingle(parentStack.front(), d.name, d, 0, {});
            if (upper != noEntry) {
                result.top = {uint16_t(m_upper), upper};
                upperMetacopy = d.metacopy;
                if (d.hasRedirect && d.absoluteRedirect) {
                    poe = roe;
                    usingRoot = true;
                }
            } else if (d.stop) {
                result.error = ENOENT; // a whiteout in the upper layer
                return result;
            }
        }
        std::vector<LayerRef> &lowerFound = m_lowerFound;
        lowerFound.clear();
        for (size_t i = 0; !d.stop && i < poe.size(); ++i) {
            const LayerRef lower = poe[i];
            if (!m_follow)
                d.last = i == poe.size() - 1;
            else if (d.isDir || m_dataLayers.empty())
                d.last = int(lower.layer) == m_firstRegular;
            const EntryId found = lookupLayer(lower, d);
            if (found == noEntry)
                continue;
            if ((upperMetacopy || d.metacopy) && !m_config.metacopy) {
                result.error = EPERM; // "refusing to follow metacopy origin"
                break;
            }
            if (d.hasRedirect && !m_follow) {
                result.error = EPERM; // "refusing to follow redirect"
                break;
            }
            if (d.metacopy && !lowerFound.empty())
                continue; // intermediate metacopy entries are not kept
            lowerFound.push_back({lower.layer, found});
            if (d.stop)
                break;
            if (d.hasRedirect && d.absoluteRedirect && !usingRoot) {
                // Restart from the root's stack, just below the current layer.
                usingRoot = true;
                poe = roe;
                const auto it = std::find_if(poe.begin(), poe.end(), [&](const LayerRef &r) { return r.layer == lower.layer; });
                i = size_t(it - poe.begin());
            }
        }
        if (!result.top.valid()) {
            if (lowerFound.empty()) {
                result.error = ENOENT; // only whiteouts, or nothing
                return result;
            }
            result.top = lowerFound.front();
        }
        if (result.error)
            return result;
        result.isDir = entry(result.top).type == EntryType::Dir;
        if (result.isDir) {
            if (int(result.top.layer) == m_upper)
                m_dirStack.push_back(result.top);
            m_dirStack.insert(m_dirStack.end(), lowerFound.begin(), lowerFound.end());
            return result;
        }
        const bool topMetacopy = upperMetacopy || (int(result.top.layer) != m_upper && rules::isMetacopy(entry(result.top)));
        if (d.metacopy && !lowerFound.empty() && !m_dataLayers.empty() && d.absoluteRedirect) {
            // Data in a data-only layer, found by the absolute redirect (lazily, in the kernel).
            result.data = lookupDataLayers(d.name);
            if (!result.data.valid()) {
                result.data = result.top;
                result.error = EIO;
            }
            return result;
        }
        if (d.metacopy || (upperMetacopy && lowerFound.empty())) {
            result.error = EIO; // "metacopy with no lower data found"
            return result;
        }
        result.data = topMetacopy ? lowerFound.back() : result.top;
        return result;
    }

    LayerRef lookupDataLayers(const std::string &path)
    {
        for (const LayerRef &dataLayer : m_dataLayers) {
            LookupData dd;
            dd.name = path;
            dd.last = true;
            const EntryId found = lookupLayer(dataLayer, dd);
            if (found != noEntry && entry({dataLayer.layer, found}).type == EntryType::File && !dd.metacopy)
                return {dataLayer.layer, found};
        }
        return {};
    }

    const OverlayConfig &m_config;
    const std::vector<LayerIndex> &m_layers;
    int m_count; // the layers taking part: 0 .. m_count - 1
    const HardlinkIndex *m_index;
    bool m_follow = false;
    int m_upper = -1;
    int m_firstRegular = 0;
    std::vector<LayerRef> m_rootLowers;
    std::vector<LayerRef> m_dataLayers;
    std::vector<LayerRef> m_lowerFound;
    std::vector<LayerRef> m_dirStack;
    std::vector<sortedruns::Run> m_runs;
    std::vector<std::pair<std::string_view, LayerRef>> m_names;
};

} // namespace

MergedTree Merger::merge(const OverlayConfig &config, const std::vector<LayerIndex> &layers, const HardlinkIndex *index, size_t layerCount)
{
    return MergeRun(config, layers, index, layerCount).run();
}

} // namespace strata
