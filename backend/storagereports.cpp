// SPDX-License-Identifier: GPL-3.0-or-later
#include "storagereports.h"

#include "bytesize.h"
#include "containersstorage.h"
#include "dockerstorage.h"
#include "jsonwriter.h"
#include "mountsource.h"
#include "source.h"
#include "storagefiles.h"

#include <QFileInfo>

namespace strata {

namespace {

std::vector<std::string> utf8List(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

std::string padded(const QString &text, qsizetype width)
{
    return text.leftJustified(width).toStdString();
}

void writeListing(const StorageListing &listing, const QString &storageKind, bool json, const LineSink &out, const LineSink &problems)
{
    for (const StoredImage &image : listing.images) {
        if (json) {
            JsonObject o;
            o.field("kind", "image").field("storage", storageKind.toStdString()).field("root", listing.root.toStdString()).field("id", image.id.toStdString());
            o.field("names", utf8List(image.names)).field("layers", image.layers).field("bytes", image.bytes).field("source", image.source.toStdString());
            out(o.finish());
        } else {
            out("image      " + padded(image.id.left(12), 13) + padded(QStringLiteral("%1 layer%2").arg(image.layers).arg(image.layers == 1 ? QString() : QStringLiteral("s")), 11)
                + padded(QString::fromStdString(formatByteSize(image.bytes)), 11) + padded(image.names.isEmpty() ? QStringLiteral("<none>") : image.names.join(u','), 30)
                + ' ' + image.source.toStdString());
        }
    }
    for (const StoredContainer &container : listing.containers) {
        if (json) {
            JsonObject o;
            o.field("kind", "container").field("storage", storageKind.toStdString()).field("root", listing.root.toStdString()).field("id", container.id.toStdString());
            o.field("name", container.name.toStdString()).field("image", container.imageName.toStdString()).field("image_id", container.imageId.toStdString());
            if (container.state.isEmpty())
                o.null("state");
            else
                o.field("state", container.state.toStdString());
            o.field("source", container.source.toStdString());
            out(o.finish());
        } else {
            out("container  " + padded(container.id.left(12), 13) + padded(container.state.isEmpty() ? QStringLiteral("-") : container.state, 11)
                + padded(container.name, 20) + ' ' + padded(container.imageName, 30) + ' ' + container.source.toStdString());
        }
    }
    for (const Error &problem : listing.problems)
        problems(problem.message().toStdString());
}

} // namespace

Expected<bool> writeStoredImages(const QString &storage, const QString &baseDir, bool json, const LineSink &out, const LineSink &problems)
{
    const QString docker = sourcePrefix(SourceKind::DockerStorage);
    const QString containers = sourcePrefix(SourceKind::ContainersStorage);
    if (storage.isEmpty()) {
        bool any = false;
        for (const QString &kind : {docker, containers}) {
            const QString root = kind == docker ? DockerStorage::defaultRoot() : ContainersStorage::defaultRoot();
            if (!QFileInfo(root).isDir())
                continue;
            any = true;
            if (auto written = writeStoredImages(kind, baseDir, json, out, problems); !written)
                problems(written.error().message().toStdString());
        }
        if (!any)
            return makeError(ErrorCode::NotFound, QStringLiteral("no Docker storage at %1 and no containers-storage at %2; name one: images docker-storage:ROOT")
                                                      .arg(DockerStorage::defaultRoot(), ContainersStorage::defaultRoot()));
        return true;
    }
    const bool isDocker = storage.startsWith(docker);
    if (!isDocker && !storage.startsWith(containers))
        return makeError(ErrorCode::InvalidSource, QStringLiteral("images lists docker-storage:[ROOT] or containers-storage:[ROOT], not '%1'").arg(storage), storage);
    const QString argument = storage.mid((isDocker ? docker : containers).size());
    const auto where = storagefiles::splitStorageReference(argument, isDocker ? DockerStorage::defaultRoot() : ContainersStorage::defaultRoot(), baseDir);
    if (!where.reference.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("images takes a storage root, not an image ('%1'); ROOT starts with / or .").arg(storage), storage);
    const QString sourceRoot = where.rootGiven ? where.root : QString();
    auto listing = isDocker ? DockerStorage(where.root, sourceRoot).list() : ContainersStorage(where.root, sourceRoot).list();
    if (!listing)
        return listing.error();
    writeListing(*listing, (isDocker ? docker : containers).chopped(1), json, out, problems);
    return true;
}

Expected<bool> writeOverlayMounts(bool json, const LineSink &out)
{
    auto mounts = readMountInfo();
    if (!mounts)
        return mounts.error();
    const OverlayDefaults defaults = OverlayDefaults::fromRunningKernel();
    for (const MountInfoEntry &mount : *mounts) {
        if (mount.fsType != u"overlay")
            continue;
        const auto config = overlayConfigOfMount(mount, defaults);
        int lowers = 0;
        QString upper;
        if (config) {
            for (const LayerSpec &layer : config->layers) {
                if (layer.role == LayerRole::Upper)
                    upper = layer.path;
                else
                    ++lowers;
            }
        }
        const QString source = sourcePrefix(SourceKind::Mount) + mount.mountPoint;
        if (json) {
            JsonObject o;
            o.field("mount_point", mount.mountPoint.toStdString()).field("source", source.toStdString());
            if (config) {
                o.field("layers", lowers);
                if (upper.isEmpty())
                    o.null("upper");
                else
                    o.field("upper", upper.toStdString());
            } else {
                o.field("error", config.error().message().toStdString());
            }
            out(o.finish());
        } else {
            out(padded(config ? QStringLiteral("%1 layers%2").arg(lowers).arg(upper.isEmpty() ? QStringLiteral("") : QStringLiteral(" + upper")) : QStringLiteral("unreadable"), 20)
                + source.toStdString() + (config ? std::string() : "  (" + config.error().message().toStdString() + ')'));
        }
    }
    return true;
}

} // namespace strata
