// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "ocilayout.h"
#include "source.h"

#include <QString>

#include <memory>

namespace strata {

// docker-archive:PATH[:NAME:TAG] — `docker save` output read in place (never unpacked): the
// legacy form (manifest.json, repositories, ID/layer.tar) and Docker 25's OCI layout inside the
// tar (then manifest.json points into blobs/). Without manifest.json, the OCI index is used.
// NAME:TAG picks one of several images (a RepoTag); without it the archive must hold one image.
// The image of a docker-save manifest.json among `files` (NAME:TAG `wanted`, or the only one),
// its config joined on. Paths in it stay inside the archive.
Expected<ImageDescription> readDockerManifest(const ImageFiles &files, const QString &wanted);

Expected<std::shared_ptr<const Source>> openDockerArchiveSource(const QString &argument, const QString &baseDir);

} // namespace strata
