// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "overlayconfig.h"
#include "storagelisting.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace strata {

// Docker's overlay2 storage, read directly (never written): image/overlay2/ holds the image list
// (repositories.json), image configs (imagedb) and the layer database (layerdb, keyed by chain id),
// overlay2/<cache-id>/diff the layer directories, containers/<id>/config.v2.json the containers.
// A value: constructing it does no I/O; every query reads what it needs.
class DockerStorage
{
public:
    static QString defaultRoot() { return QStringLiteral("/var/lib/docker"); }

    // `sourceRoot` is how SOURCE strings made by list() name the root: empty for the default.
    explicit DockerStorage(QString root, QString sourceRoot = {});
    const QString &root() const { return m_root; }

    // IMAGE (name[:tag], full or ≥ 12-digit id, sha256:id) or CONTAINER (name, /name, id) → its stack:
    // the image's layers bottom → top; for a container also its init layer and its upper + work dir.
    Expected<OverlayConfig> resolve(const QString &reference, const OverlayDefaults &defaults) const;
    // Every tagged image (and untagged ones nothing is built on) and every container.
    Expected<StorageListing> list() const;

    // One layer of an image as Docker's files record it (the walkthrough's tour of
    // image/overlay2/layerdb and overlay2/): what each file holds, bottom → top.
    struct LayerRecord {
        QString chainId; // hex: image/overlay2/layerdb/sha256/<chainId>/
        QString diffId; // its diff file: "sha256:…", the image config's rootfs.diff_ids entry
        QString parent; // its parent file: "sha256:<chain id below>"; empty for the bottom layer
        QString cacheId; // its cache-id file: the directory overlay2/<cacheId>/
        QString diffDir; // overlay2/<cacheId>/diff: the layer's files
        QString link; // overlay2/<cacheId>/link: the short name overlay2/l/<link> links to ../<cacheId>/diff
        QString lower; // overlay2/<cacheId>/lower: "l/A:l/B" for the layers below, topmost first; empty for the bottom
    };
    // IMAGE (as for resolve) → its layers' records; the layerdb is checked as resolve checks it.
    Expected<std::vector<LayerRecord>> layerRecords(const QString &image) const;

private:
    struct Image {
        QString id;
        QStringList diffIds; // "sha256:…", bottom → top
        QStringList createdBy; // per layer, or empty when the history does not match the layers
    };
    struct Container {
        QString id;
        QString name; // without the leading '/'
        QString imageId;
        QString state;
    };
    struct Layer {
        QString chainId; // hex
        QString diffId; // "sha256:…"
        QString path; // overlay2/<cache-id>/diff
        QString cacheId;
        uint64_t bytes = 0;
    };
    struct Target {
        bool isContainer = false;
        QString id;
    };

    Expected<bool> checkLayout() const;
    QString imagedbPath(const QString &id) const;
    Expected<std::vector<std::pair<QString, QString>>> readRepositories() const; // (tag, image id)
    QStringList imageIds() const;
    QStringList containerIds() const;
    Expected<Image> readImage(const QString &id) const;
    Expected<Container> readContainer(const QString &id) const;
    Expected<std::vector<Layer>> imageLayers(const Image &image) const;
    Expected<Target> find(const QString &reference) const;
    Expected<OverlayConfig> stackOf(const Image &image, const Container *container, const OverlayDefaults &defaults) const;
    QString sourceFor(const QString &reference) const;

    QString m_root;
    QString m_sourceRoot;
};

} // namespace strata
