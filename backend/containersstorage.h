// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "overlayconfig.h"
#include "storagelisting.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace strata {

// containers-storage (podman, buildah, CRI-O) with the overlay driver, read directly (never
// written): overlay-images/images.json names images and their top layer, overlay-layers/layers.json
// chains layers by parent, overlay/<layer>/diff holds each layer, overlay-containers/containers.json
// gives each container its own layer (the upper). The volatile-*.json stores count as well.
// A value: constructing it does no I/O.
class ContainersStorage
{
public:
    static QString defaultRoot() { return QStringLiteral("/var/lib/containers/storage"); }

    // `sourceRoot` is how SOURCE strings made by list() name the root: empty for the default.
    explicit ContainersStorage(QString root, QString sourceRoot = {});

    // IMAGE (name[:tag], localhost/name, full or ≥ 12-digit id) or CONTAINER (name or id) → its stack.
    Expected<OverlayConfig> resolve(const QString &reference, const OverlayDefaults &defaults) const;
    Expected<StorageListing> list() const;

private:
    struct Layer {
        QString id;
        QString parent;
        uint64_t bytes = 0;
    };
    struct Image {
        QString id;
        QStringList names;
        QString topLayer;
    };
    struct Container {
        QString id;
        QStringList names;
        QString imageId;
        QString layer;
    };

    Expected<bool> checkLayout() const;
    Expected<QJsonArray> readStore(const QString &directory, const QString &what) const;
    Expected<std::vector<Layer>> readLayers() const;
    Expected<std::vector<Image>> readImages() const;
    Expected<std::vector<Container>> readContainers() const;
    // The layers from `top` down to the base, returned bottom → top; cycles and unknown parents are errors.
    Expected<std::vector<Layer>> chain(const QString &top, const std::vector<Layer> &layers, const QString &what) const;
    QStringList createdBy(const QString &imageId, size_t layerCount) const;
    QString sourceFor(const QString &reference) const;

    QString m_root;
    QString m_sourceRoot;
};

} // namespace strata
