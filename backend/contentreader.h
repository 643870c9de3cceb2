// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerindex.h"
#include "uniquefd.h"

#include <QByteArray>

#include <functional>
#include <vector>

namespace strata {

// Reads the bytes of a layer entry by walking openat() from the layer root with O_NOFOLLOW: no path
// string is built, so depth and symlinks inside layers cannot redirect or break the read. Entries of
// tar layers are read from their member in the blob (TarContent); open() is for directory layers.
class ContentReader
{
public:
    ContentReader() = default;
    ContentReader(const ContentReader &) = delete;
    ContentReader &operator=(const ContentReader &) = delete;

    // Opens entry `id` of `layer` read-only.
    Expected<UniqueFd> open(const LayerIndex &layer, EntryId id);
    // Feeds the content in chunks; stops early when sink returns false.
    Expected<uint64_t> read(const LayerIndex &layer, EntryId id, const std::function<bool(const char *, size_t)> &sink);
    // The second file hashed from the same tar layer hashes the whole layer in one pass
    // (TarContent::sha256All) and answers from that: `ls --hash` of a compressed layer decodes it
    // once, not once per file.
    Expected<QByteArray> sha256Hex(const LayerIndex &layer, EntryId id);
    // At most maxBytes of the content.
    Expected<QByteArray> head(const LayerIndex &layer, EntryId id, qint64 maxBytes);

private:
    Expected<int> openDirectory(const LayerIndex &layer, EntryId dir);
    const LayerIndex *m_cachedLayer = nullptr;
    EntryId m_cachedDir = noEntry;
    UniqueFd m_cachedFd; // the last directory opened: siblings are read one after another
    struct TarHashes {
        const TarBlob *blob = nullptr;
        int requests = 0;
        std::vector<QByteArray> hashes; // by EntryId, once computed
    };
    std::vector<TarHashes> m_tarHashes;
};

} // namespace strata
