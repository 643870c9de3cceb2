// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "layerhandle.h"
#include "overlayconfig.h"

#include <QString>

#include <memory>

namespace strata {

// What a SOURCE string names. The prefixes follow skopeo's transport names where one exists.
enum class SourceKind : uint8_t {
    Overlay, // overlay:OPTIONS — mount -t overlay -o OPTIONS
    Oci, // oci:PATH[:REF] — an OCI image layout
    DockerArchive, // docker-archive:PATH[:NAME:TAG] — docker save output
    DockerStorage, // docker-storage:[ROOT:]IMAGE|CONTAINER — Docker's overlay2 storage
    ContainersStorage, // containers-storage:[ROOT:]IMAGE|CONTAINER — podman/buildah storage
    Mount, // mount:PATH — an overlay mounted now
};

struct SourceAddress {
    SourceKind kind = SourceKind::Overlay;
    QString argument; // everything after "prefix:"
};

// The one place SOURCE prefixes are spelled and parsed.
QString sourcePrefix(SourceKind kind); // "overlay:", "oci:", ...
Expected<SourceAddress> parseSourceAddress(const QString &source);
// "overlay:" + options.
QString overlaySource(const QString &options);

// A source resolved into a stack: its layers (bottom → top), upper and options, and each layer as
// an opened handle. Resolving does the I/O (reading manifests, storage metadata); the Source is then
// a plain description plus handles, so scanning never needs to know where a layer came from.
class Source
{
public:
    virtual ~Source() = default;
    virtual SourceKind kind() const = 0;
    // Layers bottom → top with their roles, the upper and work dirs, and the overlay options.
    virtual const OverlayConfig &config() const = 0;
    virtual Expected<LayerHandle> openLayer(size_t layer) const = 0;
};

// Resolves SOURCE (relative paths against baseDir). Kinds not implemented yet are an
// ErrorCode::Unsupported error naming the kind.
Expected<std::shared_ptr<const Source>> openSource(const QString &source, const QString &baseDir);
// An overlay stack given as options (what overlay: resolves to).
std::shared_ptr<const Source> overlaySourceFromConfig(OverlayConfig config);

} // namespace strata
