// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: the tar layer indexer (plain, gzip or zstd, by magic) over a memory blob, then a
// content read of each indexed file. Invariants: the index is a tree under a directory root whose
// names are single components (no "", ".", "..", '/', NUL), no path over 4096 bytes, every entry
// below a directory, a file's content offset inside the stream; refusals and problems are typed
// errors; content reads return at most the indexed size, or a typed error.
#include "contentreader.h"
#include "fuzzutil.h"
#include "layerhandle.h"
#include "tarlayer.h"

#include <QCoreApplication>

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto handle = LayerHandle::openTar(fuzz::memoryFile(data, size), 0, size, QStringLiteral("fuzz.tar"), "sha256:" + std::string(64, '0'), {});
    if (!handle) {
        fuzz::checkError(handle.error(), {ErrorCode::Corrupt, ErrorCode::Io, ErrorCode::Unsupported});
        return 0;
    }
    TarIndexOptions options;
    options.maxEntries = 20000;
    options.limits.maxRatio = 100;
    options.limits.maxBytes = 64 << 20;
    auto index = TarLayer::index(*handle, options);
    if (!index) {
        fuzz::checkError(index.error(), {ErrorCode::Corrupt, ErrorCode::Io, ErrorCode::LimitExceeded});
        fuzz::check(index.error().message().contains(QStringLiteral("fuzz.tar")), "a refusal that does not name the blob", index.error().message());
        return 0;
    }
    const LayerIndex &layer = *index;
    fuzz::check(!layer.entries.empty() && layer.entries[0].type == EntryType::Dir, "the root is not a directory");
    for (const Error &problem : layer.problems)
        fuzz::checkError(problem, {ErrorCode::Corrupt, ErrorCode::LimitExceeded});
    for (EntryId id = 1; id < layer.entries.size(); ++id) {
        const Entry &e = layer.entries[id];
        const std::string_view name = layer.name(id);
        fuzz::check(!name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos,
                    "an entry name that is not one component", QString::fromStdString(std::string(name)));
        fuzz::check(e.parent < id && layer.entries[e.parent].type == EntryType::Dir, "an entry below a non-directory or out of order");
        fuzz::check(layer.pathOf(id).size() <= TarIndexOptions::maxPathBytes + 1, "a path over 4096 bytes");
        if (!layer.contentOffsets.empty() && layer.contentOffsets[id] != noContentOffset)
            fuzz::check(e.type == EntryType::File && layer.contentOffsets[id] < (uint64_t(64) << 20), "a content offset outside the stream");
    }
    ContentReader reader;
    int reads = 0;
    for (EntryId id = 1; id < layer.entries.size() && reads < 8; ++id) {
        if (layer.entries[id].type != EntryType::File)
            continue;
        ++reads;
        uint64_t seen = 0;
        auto read = reader.read(layer, id, [&](const char *, size_t n) {
            seen += n;
            return seen < (1 << 20);
        });
        if (!read)
            fuzz::checkError(read.error(), {ErrorCode::Corrupt, ErrorCode::Io, ErrorCode::NotFound, ErrorCode::LimitExceeded, ErrorCode::Unsupported});
        else
            fuzz::check(*read <= layer.entries[id].size || *read <= (1 << 20) + (256 << 10), "a content read longer than the entry");
    }
    return 0;
}
