// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "uniquefd.h"

#include <QString>

#include <memory>

namespace strata {

// A layer opened for reading. Today a directory (its descriptor, opened once: scanning, resolving
// and content reads walk openat() from it and never look the path up again); image sources will
// add tar blobs. Cheap to copy: copies share the descriptor, which closes with the last of them.
class LayerHandle
{
public:
    enum class Kind : uint8_t { None, Directory };

    LayerHandle() = default;
    static Expected<LayerHandle> openDirectory(const QString &path);

    Kind kind() const { return m_fd ? Kind::Directory : Kind::None; }
    bool valid() const { return kind() != Kind::None; }
    // The directory's descriptor (Kind::Directory), owned by the handle.
    int directoryFd() const { return m_fd ? m_fd->get() : -1; }
    // Where the layer comes from, for messages and the UI: a path today.
    const QString &origin() const { return m_origin; }

private:
    std::shared_ptr<const UniqueFd> m_fd;
    QString m_origin;
};

} // namespace strata
