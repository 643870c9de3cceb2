// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "uniquefd.h"
#include "xattrsupplement.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>

namespace strata {

enum class Compression : uint8_t { None, Gzip, Zstd };
// "none", "gzip", "zstd"
const char *compressionName(Compression compression);

// A tar layer's bytes: a window of an opened file — a whole blob file, or a member of an outer
// archive read in place — and the digests it must have. Never written to.
struct TarBlob {
    std::shared_ptr<const UniqueFd> file; // shared by the blobs of one archive
    uint64_t offset = 0;
    uint64_t length = 0;
    Compression compression = Compression::None; // from the magic bytes, not from a media type
    QString name; // for messages: "/img/blobs/sha256/ab12…" or "/img.tar:blobs/sha256/ab12…"
    std::string digest; // "sha256:HEX" of the stored (compressed) bytes; empty: not checked
    std::string diffId; // "sha256:HEX" of the uncompressed tar; empty: not checked
};

// A layer opened for reading: a directory (its descriptor, opened once: scanning, resolving and
// content reads walk openat() from it and never look the path up again) or a tar blob (indexed
// by streaming it; content read from it on demand). Cheap to copy: copies share the descriptor,
// which closes with the last of them.
class LayerHandle
{
public:
    enum class Kind : uint8_t { None, Directory, Tar };

    LayerHandle() = default;
    static Expected<LayerHandle> openDirectory(const QString &path);
    // A directory already opened (e.g. passed by strata-helper over SCM_RIGHTS); `origin` names it.
    static LayerHandle fromDirectoryFd(UniqueFd fd, QString origin);
    // A tar layer at [offset, offset + length) of `file`; reads its first bytes for the compression.
    static Expected<LayerHandle> openTar(std::shared_ptr<const UniqueFd> file, uint64_t offset, uint64_t length, QString name, std::string digest = {},
                                         std::string diffId = {});

    Kind kind() const { return m_tar ? Kind::Tar : m_fd ? Kind::Directory : Kind::None; }
    bool valid() const { return kind() != Kind::None; }
    // The directory's descriptor (Kind::Directory), owned by the handle; -1 otherwise.
    int directoryFd() const { return m_fd ? m_fd->get() : -1; }
    // Kind::Tar: where the tar's bytes are; nullptr otherwise.
    const TarBlob *tar() const { return m_tar.get(); }
    // Where the layer comes from, for messages and the UI: a path or a blob name.
    const QString &origin() const { return m_origin; }
    // Xattrs read for this layer by someone allowed to (strata-helper's open-storage); nullptr: none.
    const XattrSupplement *xattrSupplement() const { return m_xattrs.get(); }
    void setXattrSupplement(std::shared_ptr<const XattrSupplement> supplement) { m_xattrs = std::move(supplement); }

private:
    std::shared_ptr<const UniqueFd> m_fd;
    std::shared_ptr<const TarBlob> m_tar;
    QString m_origin;
    std::shared_ptr<const XattrSupplement> m_xattrs;
};

} // namespace strata
