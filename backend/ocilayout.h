// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "imagefiles.h"
#include "source.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace strata {

// One layer of an image as its manifest and config describe it.
struct ImageLayer {
    std::string path; // the blob inside the image's files ("blobs/sha256/HEX", "ID/layer.tar")
    std::string mediaType;
    std::string digest; // of the stored blob; empty when the format names none (legacy layer.tar)
    std::string diffId; // of the uncompressed tar, from the config's rootfs.diff_ids
    QString createdBy; // from the config's history (entries with empty_layer skipped)
};

// An image resolved to its layers, bottom → top.
struct ImageDescription {
    QString name; // what was picked: a ref name, a RepoTag or a manifest digest
    std::vector<ImageLayer> layers;
};

// Reads an OCI image layout (oci-layout, index.json, nested indexes, manifests, the config) from
// `files`. `ref`: an org.opencontainers.image.ref.name (or io.containerd.image.name) annotation or a
// manifest/index digest; empty picks the only image, or the host's platform of a multi-platform
// index, else fails listing the refs there are. Metadata digests are verified; layers are not read.
Expected<ImageDescription> readOciImage(const ImageFiles &files, const QString &ref);

// The config blob's diff_ids and history joined onto `layers` (same count required).
std::optional<Error> applyImageConfig(const ImageFiles &files, const std::string &configPath, std::vector<ImageLayer> &layers);

// A Source over an image's layers, each a tar layer handle read in place.
std::shared_ptr<const Source> imageSource(SourceKind kind, std::shared_ptr<const ImageFiles> files, ImageDescription image);

// oci:PATH[:REF], PATH relative to baseDir.
Expected<std::shared_ptr<const Source>> openOciSource(const QString &argument, const QString &baseDir);

// The host's platform in OCI terms ("linux/amd64", "linux/arm64", ...).
QString hostPlatform();
// The platform a multi-platform index is narrowed to: what setImagePlatform() chose (strata-cli
// and strata --platform), else the host's. "os/arch[/variant]"; empty resets.
void setImagePlatform(const QString &platform);
QString imagePlatform();

} // namespace strata
