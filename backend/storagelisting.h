// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace strata {

// What a container storage (Docker's, containers-storage) holds, for `strata-cli images` and
// pickers: each item with the SOURCE string that opens it.
struct StoredImage {
    QString id; // full hex id, no "sha256:"
    QStringList names; // repo tags ("name:tag"), may be empty
    int layers = 0;
    uint64_t bytes = 0; // sum of the layers' sizes as the storage records them; 0 when unknown
    QString source;
};

struct StoredContainer {
    QString id;
    QString name;
    QString imageId; // empty for a container from scratch
    QString imageName; // the image's first name, or its short id
    QString state; // "running", "exited", "created"...; empty when the storage does not know
    QString source;
};

struct StorageListing {
    QString root;
    std::vector<StoredImage> images;
    std::vector<StoredContainer> containers;
    std::vector<Error> problems; // items that could not be read, left out of the lists
};

} // namespace strata
