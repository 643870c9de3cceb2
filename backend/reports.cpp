// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports.h"

#include "provenance.h"
#include "treewalk.h"

#include "contentreader.h"
#include "bytesize.h"
#include "jsonwriter.h"
#include "wastereport.h"

#include <QSaveFile>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <numeric>

#include <cstdio>
#include <cstring>

namespace strata {

std::string octalMode(uint32_t mode)
{
    const uint32_t bits = mode & 07777;
    return {char('0' + (bits >> 9)), char('0' + (bits >> 6 & 7)), char('0' + (bits >> 3 & 7)), char('0' + (bits & 7))};
}

namespace {

const char *errnoName(int error)
{
    switch (error) {
    case ENOENT:
        return "ENOENT";
    case EPERM:
        return "EPERM";
    case EIO:
        return "EIO";
    default:
        return "error";
    }
}

std::string entryLine(const OverlayStack &stack, std::string_view path, LayerRef meta, LayerRef data, int layerIndex, ChangeKind change, int lookupErrno,
                      const ListingOptions &options, ContentReader &reader, const LineSink &problems)
{
    const LayerIndex &layer = stack.layers[meta.layer];
    const Entry &e = layer.entries[meta.entry];
    const bool isFile = e.type == EntryType::File;
    const std::string &target = layer.extra(meta.entry).symlinkTarget;
    std::string hash;
    if (options.hash && isFile && lookupErrno == 0) {
        auto digest = reader.sha256Hex(stack.layers[data.layer], data.entry);
        if (digest)
            hash = digest->toStdString();
        else
            problems(digest.error().message().toStdString());
    }
    if (options.csv) {
        auto quoted = [](std::string_view field) {
            if (field.find_first_of(",\"\n\r") == std::string_view::npos)
                return std::string(field);
            std::string out = "\"";
            for (char c : field)
                out += c == '"' ? std::string("\"\"") : std::string(1, c);
            return out + '"';
        };
        std::string line = quoted(path) + ',' + std::string(entryTypeName(e.type)) + ',' + octalMode(e.mode) + ',' + std::to_string(e.uid) + ','
            + std::to_string(e.gid) + ',' + (isFile ? std::to_string(e.size) : std::string()) + ',' + (e.type == EntryType::Symlink ? quoted(target) : std::string())
            + ',' + std::to_string(layerIndex) + ',' + std::string(changeKindName(change));
        if (options.hash)
            line += ',' + hash;
        return line;
    }
    if (options.json) {
        JsonObject o;
        o.field("path", path).field("type", entryTypeName(e.type)).field("mode", octalMode(e.mode)).field("uid", e.uid).field("gid", e.gid);
        if (isFile)
            o.field("size", e.size);
        else
            o.null("size");
        if (e.type == EntryType::Symlink)
            o.field("target", target);
        else
            o.null("target");
        o.field("nlink", e.nlink).field("layer", layerIndex).field("change", changeKindName(change));
        if (lookupErrno)
            o.field("error", errnoName(lookupErrno));
        if (options.hash) {
            if (hash.empty())
                o.null("sha256");
            else
                o.field("sha256", hash);
        }
        return o.finish();
    }
    char head[128];
    std::snprintf(head, sizeof head, "%-7s %s %5u %5u %10llu %3d %-15s ", std::string(entryTypeName(e.type)).c_str(), octalMode(e.mode).c_str(), e.uid, e.gid,
                  static_cast<unsigned long long>(isFile ? e.size : 0), layerIndex, std::string(changeKindName(change)).c_str());
    std::string line = head;
    if (options.hash)
        line += (hash.empty() ? std::string(64, '-') : hash) + ' ';
    line += path;
    if (e.type == EntryType::Symlink)
        line += " -> " + target;
    return line;
}

// The merged view's listing without hashes, formatted on every core: the tree is cut into the
// nodes above the first level with enough nodes to share out (one line each) and the subtrees
// below them, formatted a window at a time in parallel and written in pre-order.
void writeMergedListing(const OverlayStack &stack, const ListingOptions &options, const LineSink &out)
{
    const MergedTree &tree = stack.merged;
    if (tree.nodes.empty())
        return;
    const auto childrenOf = [&](uint32_t m) { return std::pair{tree.nodes[m].firstChild, tree.nodes[m].childCount}; };
    const auto nameOf = [&](uint32_t m) { return stack.name(tree.nodes[m].name); };
    const LineSink noProblems = [](const std::string &) {}; // only hashing reports problems
    const auto lineOf = [&](MergedId m, std::string_view path, ContentReader &reader) {
        const MergedNode &n = tree.nodes[m];
        return entryLine(stack, path, n.meta, n.data, n.meta.layer, m == 0 ? ChangeKind::Unchanged : n.change, n.lookupErrno, options, reader, noProblems);
    };
    // The split depth: the first level of the tree holding enough nodes for the cores to share.
    constexpr size_t enoughSubtrees = 256;
    size_t splitDepth = 0;
    for (std::vector<MergedId> level{0}, next; !level.empty() && level.size() < enoughSubtrees; level.swap(next), ++splitDepth) {
        next.clear();
        for (MergedId m : level) {
            for (uint32_t c = tree.nodes[m].firstChild; c < tree.nodes[m].firstChild + tree.nodes[m].childCount; ++c)
                next.push_back(c);
        }
        if (next.empty())
            break;
    }
    struct Task {
        MergedId node;
        std::string parentPath; // the subtree's parent's path; empty for a single line
        std::string singleLine;
        bool subtree = false;
    };
    std::vector<Task> tasks;
    {
        ContentReader reader;
        treewalk::preOrder(childrenOf, nameOf, [&](uint32_t m, std::string_view path) {
            const size_t depth = m == 0 ? 0 : size_t(std::count(path.begin(), path.end(), '/'));
            if (depth < splitDepth) {
                tasks.push_back({m, {}, lineOf(m, path, reader), false});
                return true;
            }
            tasks.push_back({m, std::string(path.substr(0, path.size() - nameOf(m).size() - 1)), {}, true});
            return false;
        });
    }
    // Lines of each subtree in one buffer, each line's end kept.
    struct Formatted {
        std::string text;
        std::vector<size_t> ends;
    };
    constexpr size_t window = 64;
    std::vector<Formatted> formatted(window);
    std::string line;
    for (size_t from = 0; from < tasks.size(); from += window) {
        const size_t to = std::min(tasks.size(), from + window);
        std::vector<size_t> indexes(to - from);
        std::iota(indexes.begin(), indexes.end(), size_t(0));
        QtConcurrent::blockingMap(indexes, [&](size_t i) {
            Formatted &f = formatted[i];
            f.text.clear();
            f.ends.clear();
            const Task &task = tasks[from + i];
            if (!task.subtree)
                return;
            ContentReader reader;
            treewalk::preOrder(childrenOf, nameOf, [&](uint32_t m, std::string_view path) {
                f.text += lineOf(m, path, reader);
                f.ends.push_back(f.text.size());
                return true;
            }, task.node, task.parentPath);
        });
        for (size_t i = 0; i < to - from; ++i) {
            if (!tasks[from + i].subtree) {
                out(tasks[from + i].singleLine);
                continue;
            }
            size_t begin = 0;
            for (size_t end : formatted[i].ends) {
                line.assign(formatted[i].text, begin, end - begin);
                out(line);
                begin = end;
            }
        }
    }
}

} // namespace

void writeListing(const OverlayStack &stack, const ListingOptions &options, const LineSink &out, const LineSink &problems)
{
    ContentReader reader;
    if (options.csv)
        out(options.hash ? "path,type,mode,uid,gid,size,target,layer,change,sha256" : "path,type,mode,uid,gid,size,target,layer,change");
    const UnionTree &rows = stack.unionTree;
    const auto rowChildren = [&](uint32_t u) { return std::pair{rows.nodes[u].firstChild, rows.nodes[u].childCount}; };
    const auto rowName = [&](uint32_t u) { return stack.name(rows.nodes[u].name); };
    if (options.layer < 0 && (options.asOf || options.shownRows)) {
        // Through the union tree, whose rows carry both the filter's decision and the as-of view's
        // node; its children are in the merged view's order (name bytes).
        const MergedTree &tree = options.asOf ? options.asOf->merged : stack.merged;
        const auto mergedOf = [&](UnionId u) { return options.asOf ? options.asOf->mergedOf(u) : rows.nodes[u].merged; };
        const auto shown = [&](UnionId u) { return !options.shownRows || options.shownRows->empty() || (u < options.shownRows->size() && (*options.shownRows)[u]); };
        treewalk::preOrder(rowChildren, rowName, [&](uint32_t u, std::string_view path) {
            const MergedId m = mergedOf(u);
            if (m == noMerged || (u != 0 && !shown(u)))
                return false;
            const MergedNode &n = tree.nodes[m];
            out(entryLine(stack, path, n.meta, n.data, n.meta.layer, u == 0 ? ChangeKind::Unchanged : n.change, n.lookupErrno, options, reader, problems));
            return true;
        });
        return;
    }
    if (options.layer < 0 && !options.hash) {
        writeMergedListing(stack, options, out);
        return;
    }
    if (options.layer < 0) {
        const MergedTree &tree = stack.merged;
        if (tree.nodes.empty())
            return;
        treewalk::preOrder([&](uint32_t m) { return std::pair{tree.nodes[m].firstChild, tree.nodes[m].childCount}; },
                           [&](uint32_t m) { return stack.name(tree.nodes[m].name); },
                           [&](uint32_t m, std::string_view path) {
                               const MergedNode &n = tree.nodes[m];
                               out(entryLine(stack, path, n.meta, n.data, n.meta.layer, m == 0 ? ChangeKind::Unchanged : n.change, n.lookupErrno,
                                             options, reader, problems));
                               return true;
                           });
        return;
    }
    // One layer's own entries, through the union rows that hold its cells.
    const auto layerIndex = size_t(options.layer);
    treewalk::preOrder(rowChildren, rowName, [&](uint32_t u, std::string_view path) {
        const EntryId e = rows.cell(u, layerIndex);
        if (e == noEntry)
            return false;
        const LayerRef ref{uint16_t(layerIndex), e};
        out(entryLine(stack, path, ref, ref, options.layer, rows.kind(u, layerIndex), 0, options, reader, problems));
        return true;
    });
}

void writeLayers(const OverlayStack &stack, bool json, const LineSink &out)
{
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerStats &s = stack.stats[i];
        const std::string role = stack.layerLabel(i).toStdString();
        const std::string path = stack.config.layers[i].path.toStdString();
        if (json) {
            JsonObject o;
            o.field("index", uint64_t(i)).field("role", role).field("path", path).field("entries", s.entries).field("bytes", s.bytes);
            o.field("added", s.added).field("modified", s.modified).field("deleted", s.deleted).field("wasted_bytes", s.wastedBytes);
            o.field("duplicated_bytes", s.duplicatedBytes).field("copied_up_bytes", s.copiedUpBytes);
            const LayerSpec &spec = stack.config.layers[i];
            if (!spec.label.isEmpty())
                o.field("label", spec.label.toStdString());
            if (!spec.digest.isEmpty())
                o.field("digest", spec.digest.toStdString());
            if (!spec.createdBy.isEmpty())
                o.field("created_by", spec.createdBy.toStdString());
            out(o.finish());
        } else {
            char line[320];
            std::snprintf(line, sizeof line, "%2zu %-8s entries=%llu bytes=%llu added=%llu modified=%llu deleted=%llu wasted=%llu duplicated=%llu copied-up=%llu  ", i,
                          role.c_str(), static_cast<unsigned long long>(s.entries), static_cast<unsigned long long>(s.bytes),
                          static_cast<unsigned long long>(s.added), static_cast<unsigned long long>(s.modified), static_cast<unsigned long long>(s.deleted),
                          static_cast<unsigned long long>(s.wastedBytes), static_cast<unsigned long long>(s.duplicatedBytes),
                          static_cast<unsigned long long>(s.copiedUpBytes));
            const LayerSpec &spec = stack.config.layers[i];
            std::string described = line + path;
            if (!spec.label.isEmpty())
                described += "  [" + spec.label.toStdString() + ']';
            if (!spec.createdBy.isEmpty())
                described += "  # " + spec.createdBy.simplified().left(120).toStdString();
            out(described);
        }
    }
}

void writeDiff(const OverlayStack &stack, int onlyLayer, bool json, const LineSink &out)
{
    const UnionTree &tree = stack.unionTree;
    for (size_t l = 0; l < stack.layers.size(); ++l) {
        if (onlyLayer >= 0 && size_t(onlyLayer) != l)
            continue;
        struct Item {
            UnionId id;
            size_t prefixLength;
        };
        std::vector<Item> pending{{0, 0}};
        std::string path;
        while (!pending.empty()) {
            const Item item = pending.back();
            pending.pop_back();
            const UnionNode &n = tree.nodes[item.id];
            path.resize(item.prefixLength);
            if (item.id != 0) {
                path += '/';
                path += stack.name(n.name);
            }
            const EntryId e = tree.cell(item.id, l);
            if (e == noEntry)
                continue;
            const ChangeKind kind = tree.kind(item.id, l);
            if (item.id != 0 && kind != ChangeKind::Unchanged && kind != ChangeKind::Absent) {
                if (json) {
                    JsonObject o;
                    o.field("layer", uint64_t(l)).field("path", path).field("change", changeKindName(kind));
                    o.field("reason", changeReasonName(classifyCell(stack, item.id, l).reason)).field("type", entryTypeName(stack.layers[l].entries[e].type));
                    out(o.finish());
                } else {
                    out(std::to_string(l) + ' ' + std::string(changeKindName(kind)) + ' ' + path);
                }
            }
            for (uint32_t c = n.firstChild + n.childCount; c-- > n.firstChild;)
                pending.push_back({c, path.size()});
        }
    }
}

void writeWaste(const OverlayStack &stack, bool json, const LineSink &out)
{
    const WasteReport report = wasteReport(stack);
    for (const WasteItem &item : report.items) {
        if (json) {
            JsonObject o;
            o.field("path", item.path).field("bytes", item.bytes).field("why", wasteReasonName(item.why)).field("layer", uint64_t(item.layer));
            if (item.byLayer >= 0)
                o.field("by_layer", int64_t(item.byLayer));
            else
                o.null("by_layer");
            out(o.finish());
        } else {
            char line[128];
            std::snprintf(line, sizeof line, "%12llu %-11s %-8s by %-8s ", static_cast<unsigned long long>(item.bytes), std::string(wasteReasonName(item.why)).c_str(),
                          stack.layerLabel(item.layer).toStdString().c_str(), item.byLayer >= 0 ? stack.layerLabel(size_t(item.byLayer)).toStdString().c_str() : "-");
            out(line + item.path);
        }
    }
    if (!json) {
        char line[256];
        std::snprintf(line, sizeof line, "total %s, wasted %s (%llu bytes, %zu files), duplicated %s (copied up %s), efficiency %.1f%%",
                      formatByteSize(report.totalBytes).c_str(), formatByteSize(report.wastedBytes).c_str(), static_cast<unsigned long long>(report.wastedBytes),
                      report.items.size(), formatByteSize(report.duplicatedBytes).c_str(), formatByteSize(report.copiedUpBytes).c_str(), 100.0 * report.efficiency);
        out(line);
    }
}

bool writeCheck(const OverlayStack &stack, const CheckLimits &limits, bool json, const LineSink &out)
{
    const WasteReport report = wasteReport(stack);
    const bool wastedExceeded = limits.maxWastedBytes && report.wastedBytes > *limits.maxWastedBytes;
    const bool efficiencyBelow = limits.minEfficiency && report.efficiency < *limits.minEfficiency;
    const bool passed = !wastedExceeded && !efficiencyBelow;
    if (json) {
        JsonObject o;
        o.field("passed", passed).field("total_bytes", report.totalBytes).field("wasted_bytes", report.wastedBytes).field("wasted_files", uint64_t(report.items.size()));
        o.field("duplicated_bytes", report.duplicatedBytes).field("copied_up_bytes", report.copiedUpBytes).field("efficiency", report.efficiency);
        if (limits.maxWastedBytes)
            o.field("max_wasted_bytes", *limits.maxWastedBytes);
        else
            o.null("max_wasted_bytes");
        if (limits.minEfficiency)
            o.field("min_efficiency", *limits.minEfficiency);
        else
            o.null("min_efficiency");
        o.field("wasted_exceeded", wastedExceeded).field("efficiency_below", efficiencyBelow);
        out(o.finish());
        return passed;
    }
    char line[256];
    std::snprintf(line, sizeof line, "total %s, wasted %s (%llu bytes), efficiency %.4f", formatByteSize(report.totalBytes).c_str(),
                  formatByteSize(report.wastedBytes).c_str(), static_cast<unsigned long long>(report.wastedBytes), report.efficiency);
    out(line);
    if (wastedExceeded) {
        std::snprintf(line, sizeof line, "FAIL: wasted %llu bytes (%s) exceeds --max-wasted %llu bytes (%s)", static_cast<unsigned long long>(report.wastedBytes),
                      formatByteSize(report.wastedBytes).c_str(), static_cast<unsigned long long>(*limits.maxWastedBytes),
                      formatByteSize(*limits.maxWastedBytes).c_str());
        out(line);
    }
    if (efficiencyBelow) {
        std::snprintf(line, sizeof line, "FAIL: efficiency %.4f is below --min-efficiency %.4f", report.efficiency, *limits.minEfficiency);
        out(line);
    }
    if (passed)
        out("PASS: within limits");
    return passed;
}

bool writeExplanation(const OverlayStack &stack, std::string_view path, bool json, const LineSink &out)
{
    const UnionId node = stack.findUnion(path);
    if (node == noUnion)
        return false;
    const Provenance p = provenanceOf(stack, node);
    const std::string shownPath = stack.unionPath(node);
    auto label = [&](LayerRef ref) { return ref.valid() ? stack.layerLabel(ref.layer).toStdString() : std::string(); };
    if (json) {
        JsonObject o;
        o.field("path", shownPath).field("merged", p.inMergedView() && p.lookupErrno == 0);
        if (p.inMergedView()) {
            o.field("change", changeKindName(p.mergedChange)).field("meta_layer", uint64_t(p.meta.layer)).field("data_layer", uint64_t(p.data.layer));
            o.field("lookup_errno", p.lookupErrno);
        }
        out(o.finish());
        for (const Version &v : p.versions) {
            JsonObject line;
            line.field("path", shownPath).field("layer", uint64_t(v.ref.layer)).field("label", label(v.ref)).field("role", versionRoleName(v.role));
            line.field("change", changeKindName(v.change.kind)).field("reason", changeReasonName(v.change.reason));
            line.field("type", entryTypeName(stack.entry(v.ref).type));
            if (v.covers.valid())
                line.field("covers", uint64_t(v.covers.layer));
            else
                line.null("covers");
            if (v.hiddenBy.valid())
                line.field("hidden_by", uint64_t(v.hiddenBy.layer));
            else
                line.null("hidden_by");
            out(line.finish());
        }
        return true;
    }
    std::string head = shownPath + ": ";
    if (!p.inMergedView())
        head += "not in the merged view";
    else if (p.lookupErrno)
        head += "listed, but the lookup fails (" + std::string(std::strerror(p.lookupErrno)) + ")";
    else
        head += std::string(changeKindName(p.mergedChange)) + ", shown from " + label(p.meta) + (p.data == p.meta ? "" : ", data from " + label(p.data));
    out(head);
    for (const Version &v : p.versions) {
        std::string line = "  " + label(v.ref) + ": " + std::string(versionRoleName(v.role)) + ", " + std::string(changeKindName(v.change.kind)) + " ("
            + std::string(changeReasonName(v.change.reason)) + ")";
        if (v.covers.valid())
            line += ", covers " + label(v.covers);
        if (v.hiddenBy.valid())
            line += ", hidden by " + label(v.hiddenBy);
        out(line);
    }
    return true;
}

QString writeListingFile(const OverlayStack &stack, const QString &fileName, ListingOptions options)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(fileName, file.errorString());
    options.csv = fileName.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    options.json = !options.csv;
    writeListing(
        stack, options,
        [&file](const std::string &line) {
            file.write(line.data(), qint64(line.size()));
            file.write("\n", 1);
        },
        [](const std::string &) {});
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(fileName, file.errorString());
    return {};
}

} // namespace strata
