// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerhandle.h"
#include "layerindex.h"
#include "tarstream.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

namespace strata {

struct TarIndexOptions {
    const std::atomic<bool> *cancel = nullptr; // checked once per member
    // Memory stays bounded on a tar bomb: past this many members the layer is an
    // ErrorCode::LimitExceeded error (about 250 bytes of index each while building).
    size_t maxEntries = 4'000'000;
    // Decompression bombs: a compressed layer may inflate to at most min(maxRatio × its stored size
    // (never less than minBytes), maxBytes); past that the layer is an ErrorCode::LimitExceeded
    // error. Defaults: 100×, 1 MiB, 64 GiB; STRATA_TAR_MAX_EXPANSION and STRATA_TAR_MAX_BYTES
    // override them (content reads too).
    DecompressionLimits limits = DecompressionLimits::fromEnvironment();
    // Member names (after PAX/GNU long-name headers) longer than this are refused, each a problem.
    static constexpr size_t maxPathBytes = 4096;
};

// Indexes a tar layer (LayerHandle::Kind::Tar) in one streaming pass, extracting nothing: every
// member's metadata goes into a LayerIndexBuilder, OCI whiteouts are decoded by the rules in
// overlayrules.h ("OCI whiteouts"), hardlinks take their target's metadata and content, and each
// regular file remembers its member's header position for content reads (TarContent). The blob's
// digest and diff_id are checked on the way; a mismatch is an ErrorCode::Corrupt problem of the
// layer. An unreadable stream (corrupt gzip/zstd, a broken header, a truncated blob) is an error
// naming the blob and the last member read.
class TarLayer
{
public:
    static Expected<LayerIndex> index(const LayerHandle &layer, const TarIndexOptions &options = {});
};

// Reads one member's bytes of a tar layer: seeks to the header position recorded while indexing
// (uncompressed blobs: pread from there; compressed ones: decompressed from the start).
class TarContent
{
public:
    static Expected<uint64_t> read(const LayerIndex &layer, EntryId id, const std::function<bool(const char *, size_t)> &sink);
    // "sha256 hex" of every regular file of the layer (by EntryId; empty for other entries) in one
    // pass over the blob: what hashing a whole compressed layer costs once instead of once per file.
    static Expected<std::vector<QByteArray>> sha256All(const LayerIndex &layer);
};

} // namespace strata
