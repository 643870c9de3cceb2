// SPDX-License-Identifier: GPL-3.0-or-later
#include "machinesources.h"

#include "bytesize.h"
#include "containersstorage.h"
#include "dockerstorage.h"
#include "mountsource.h"
#include "source.h"

#include <QFileInfo>

namespace strata {

namespace {

void addListing(const StorageListing &listing, const QString &storageName, MachineSources &out)
{
    for (const StoredImage &image : listing.images) {
        MachineSource item;
        item.kind = MachineSource::Kind::Image;
        item.title = image.names.isEmpty() ? image.id.left(12) : image.names.join(QStringLiteral(", "));
        item.detail = QStringLiteral("%1 · %2 layer(s)%3").arg(storageName).arg(image.layers)
                          .arg(image.bytes ? QStringLiteral(" · ") + QString::fromStdString(formatByteSize(image.bytes)) : QString());
        item.source = image.source;
        out.items.push_back(std::move(item));
    }
    for (const StoredContainer &container : listing.containers) {
        MachineSource item;
        item.kind = MachineSource::Kind::Container;
        item.title = container.name.isEmpty() ? container.id.left(12) : container.name;
        QStringList parts{storageName};
        if (!container.state.isEmpty())
            parts << container.state;
        if (!container.imageName.isEmpty())
            parts << container.imageName;
        item.detail = parts.join(QStringLiteral(" · "));
        item.source = container.source;
        out.items.push_back(std::move(item));
    }
    out.problems.insert(out.problems.end(), listing.problems.begin(), listing.problems.end());
}

} // namespace

MachineSources findMachineSources(const MachineSourceRoots &roots)
{
    MachineSources found;
    const auto sourceRoot = [](const QString &root, const QString &standard) { return root == standard ? QString() : root; };
    if (QFileInfo(roots.docker).isDir()) {
        auto listing = DockerStorage(roots.docker, sourceRoot(roots.docker, DockerStorage::defaultRoot())).list();
        if (listing)
            addListing(*listing, QStringLiteral("Docker"), found);
        else
            found.problems.push_back(listing.error());
    }
    if (QFileInfo(roots.containers).isDir()) {
        auto listing = ContainersStorage(roots.containers, sourceRoot(roots.containers, ContainersStorage::defaultRoot())).list();
        if (listing)
            addListing(*listing, QStringLiteral("containers-storage"), found);
        else
            found.problems.push_back(listing.error());
    }
    auto mounts = readMountInfo(roots.mountinfo);
    if (!mounts) {
        found.problems.push_back(mounts.error());
        return found;
    }
    const OverlayDefaults defaults = OverlayDefaults::fromRunningKernel();
    for (const MountInfoEntry &mount : *mounts) {
        if (mount.fsType != u"overlay")
            continue;
        MachineSource item;
        item.kind = MachineSource::Kind::Mount;
        item.title = mount.mountPoint;
        item.source = sourcePrefix(SourceKind::Mount) + mount.mountPoint;
        if (const auto config = overlayConfigOfMount(mount, defaults)) {
            const bool upper = config->hasUpper();
            item.detail = QStringLiteral("overlay · %1 layer(s)%2").arg(config->layers.size() - (upper ? 1 : 0)).arg(upper ? QStringLiteral(" + upper") : QString());
        } else {
            item.detail = config.error().message();
        }
        found.items.push_back(std::move(item));
    }
    return found;
}

} // namespace strata
