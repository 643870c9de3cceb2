// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockerstorage.h"

#include "storagefiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace strata {

using namespace storagefiles;

namespace {

bool isDigest(const QString &text)
{
    return text.startsWith(QStringLiteral("sha256:")) && text.size() == 7 + 64 && looksLikeIdPrefix(text.mid(7));
}

bool isFullHexId(const QString &text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

QString shortId(const QString &id)
{
    return withoutDigestAlgorithm(id).left(12);
}

// The names a user may type for a repositories.json tag: "ubuntu" for "ubuntu:latest", and the
// fully qualified spellings of Docker Hub images.
QString normalizedReference(QString reference)
{
    for (const char *prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"}) {
        if (reference.startsWith(QLatin1StringView(prefix))) {
            reference = reference.mid(qsizetype(strlen(prefix)));
            break;
        }
    }
    const qsizetype slash = reference.lastIndexOf(u'/');
    if (!reference.contains(u'@') && reference.indexOf(u':', slash + 1) < 0)
        reference += QStringLiteral(":latest");
    return reference;
}

// Docker's own words for a container's state (container.State.StateString).
QString stateOf(const QJsonObject &state)
{
    if (state.value(QStringLiteral("Running")).toBool()) {
        if (state.value(QStringLiteral("Paused")).toBool())
            return QStringLiteral("paused");
        if (state.value(QStringLiteral("Restarting")).toBool())
            return QStringLiteral("restarting");
        return QStringLiteral("running");
    }
    if (state.value(QStringLiteral("RemovalInProgress")).toBool())
        return QStringLiteral("removing");
    if (state.value(QStringLiteral("Dead")).toBool())
        return QStringLiteral("dead");
    const QString started = state.value(QStringLiteral("StartedAt")).toString();
    if (started.isEmpty() || started.startsWith(QStringLiteral("0001-01-01")))
        return QStringLiteral("created");
    return QStringLiteral("exited");
}

} // namespace

DockerStorage::DockerStorage(QString root, QString sourceRoot)
    : m_root(std::move(root))
    , m_sourceRoot(std::move(sourceRoot))
{
}

Expected<bool> DockerStorage::checkLayout() const
{
    if (!QFileInfo(m_root).isDir())
        return Error{ErrorCode::NotFound, 0, m_root, QStringLiteral("Docker storage root %1 does not exist").arg(m_root)};
    if (!QFileInfo(m_root + QStringLiteral("/image/overlay2")).isDir()) {
        const QStringList drivers = QDir(m_root + QStringLiteral("/image")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        return Error{ErrorCode::NotFound, 0, m_root,
                     drivers.isEmpty() ? QStringLiteral("%1 is not Docker storage (no image/overlay2 in it)").arg(m_root)
                                       : QStringLiteral("%1 is Docker storage with the %2 driver; only overlay2 can be read").arg(m_root, drivers.join(QStringLiteral(", ")))};
    }
    return true;
}

QString DockerStorage::imagedbPath(const QString &id) const
{
    return m_root + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + id;
}

Expected<std::vector<std::pair<QString, QString>>> DockerStorage::readRepositories() const
{
    const QString path = m_root + QStringLiteral("/image/overlay2/repositories.json");
    std::vector<std::pair<QString, QString>> tags;
    if (!QFileInfo::exists(path))
        return tags; // written with the first tag
    auto document = readJson(path, QStringLiteral("Docker's image list"));
    if (!document)
        return document.error();
    const QJsonValue repositories = document->object().value(QStringLiteral("Repositories"));
    if (!document->isObject() || !repositories.isObject())
        return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("Docker's image list %1 has no \"Repositories\" object").arg(path)};
    const QJsonObject byRepository = repositories.toObject();
    for (auto repository = byRepository.begin(); repository != byRepository.end(); ++repository) {
        const QJsonObject references = repository->toObject();
        for (auto reference = references.begin(); reference != references.end(); ++reference) {
            const QString id = reference->toString();
            if (!isDigest(id))
                return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("Docker's image list %1 maps %2 to '%3', not an image id").arg(path, reference.key(), id.left(80))};
            tags.emplace_back(reference.key(), id.mid(7));
        }
    }
    return tags;
}

QStringList DockerStorage::imageIds() const
{
    return QDir(m_root + QStringLiteral("/image/overlay2/imagedb/content/sha256")).entryList(QDir::Files, QDir::Name);
}

QStringList DockerStorage::containerIds() const
{
    return QDir(m_root + QStringLiteral("/containers")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

Expected<DockerStorage::Image> DockerStorage::readImage(const QString &id) const
{
    const QString path = imagedbPath(id);
    auto document = readJson(path, QStringLiteral("the image config"));
    if (!document)
        return document.error();
    const QJsonObject config = document->object();
    const QJsonValue diffIds = config.value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("diff_ids"));
    if (!diffIds.isArray())
        return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("the image config %1 has no rootfs.diff_ids").arg(path)};
    Image image;
    image.id = id;
    for (const QJsonValue &value : diffIds.toArray()) {
        const QString diffId = value.toString();
        if (!isDigest(diffId))
            return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("the image config %1 lists '%2' as a layer, not a sha256 digest").arg(path, diffId.left(80))};
        image.diffIds.append(diffId);
    }
    if (image.diffIds.size() > maxLayers)
        return Error{ErrorCode::LimitExceeded, 0, path, QStringLiteral("the image config %1 lists %2 layers; overlayfs stacks at most %3").arg(path).arg(image.diffIds.size()).arg(maxLayers)};
    // History entries without empty_layer belong to the layers, in order.
    QStringList createdBy;
    for (const QJsonValue &entry : config.value(QStringLiteral("history")).toArray()) {
        const QJsonObject h = entry.toObject();
        if (!h.value(QStringLiteral("empty_layer")).toBool())
            createdBy.append(h.value(QStringLiteral("created_by")).toString(h.value(QStringLiteral("comment")).toString()));
    }
    if (createdBy.size() == image.diffIds.size())
        image.createdBy = createdBy;
    return image;
}

Expected<DockerStorage::Container> DockerStorage::readContainer(const QString &id) const
{
    const QString path = m_root + QStringLiteral("/containers/") + id + QStringLiteral("/config.v2.json");
    auto document = readJson(path, QStringLiteral("the container config"));
    if (!document)
        return document.error();
    const QJsonObject config = document->object();
    Container container;
    container.id = id;
    container.name = config.value(QStringLiteral("Name")).toString();
    if (container.name.startsWith(u'/'))
        container.name.remove(0, 1);
    const QString image = config.value(QStringLiteral("Image")).toString();
    if (!isDigest(image))
        return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("the container config %1 names '%2' as its image, not an image id").arg(path, image.left(80))};
    container.imageId = image.mid(7);
    container.state = stateOf(config.value(QStringLiteral("State")).toObject());
    const QString driver = config.value(QStringLiteral("Driver")).toString();
    if (!driver.isEmpty() && driver != u"overlay2")
        return Error{ErrorCode::Unsupported, 0, path, QStringLiteral("container %1 uses the %2 storage driver; only overlay2 can be read").arg(container.name, driver)};
    return container;
}

Expected<std::vector<DockerStorage::Layer>> DockerStorage::imageLayers(const Image &image) const
{
    std::vector<Layer> layers;
    QString chainId;
    for (qsizetype i = 0; i < image.diffIds.size(); ++i) {
        const QString &diffId = image.diffIds[i];
        // chainID(0) = diffID(0); chainID(n) = sha256(chainID(n-1) + " " + diffID(n))
        const QString parentChain = chainId;
        chainId = i == 0 ? diffId.mid(7)
                         : QString::fromLatin1(QCryptographicHash::hash((QStringLiteral("sha256:") + chainId + u' ' + diffId).toUtf8(), QCryptographicHash::Sha256).toHex());
        const QString dir = m_root + QStringLiteral("/image/overlay2/layerdb/sha256/") + chainId;
        const QString which = QStringLiteral("layer %1 (%2) of image %3").arg(i).arg(shortId(diffId), shortId(image.id));
        if (!QFileInfo(dir).isDir())
            return Error{ErrorCode::NotFound, ENOENT, dir, QStringLiteral("Docker's layer database has no entry for %1: %2 is missing").arg(which, dir)};
        auto diff = readFile(dir + QStringLiteral("/diff"), QStringLiteral("the layer's diff id"), maxIdFileBytes);
        if (!diff)
            return diff.error();
        if (QString::fromUtf8(diff->trimmed()) != diffId)
            return Error{ErrorCode::Corrupt, 0, dir, QStringLiteral("Docker's layer database entry %1 is for diff %2, not %3 as %4 needs").arg(dir, QString::fromUtf8(diff->trimmed().left(80)), diffId, which)};
        if (i > 0) {
            auto parent = readFile(dir + QStringLiteral("/parent"), QStringLiteral("the layer's parent"), maxIdFileBytes);
            if (!parent)
                return parent.error();
            if (QString::fromUtf8(parent->trimmed()) != QStringLiteral("sha256:") + parentChain)
                return Error{ErrorCode::Corrupt, 0, dir, QStringLiteral("Docker's layer database entry %1 names parent %2, but %3 sits on sha256:%4").arg(dir, QString::fromUtf8(parent->trimmed().left(80)), which, parentChain)};
        }
        auto cacheId = readIdFile(dir + QStringLiteral("/cache-id"), QStringLiteral("the layer's cache id"));
        if (!cacheId)
            return cacheId.error();
        // Docker makes every cache id 64 hex digits; anything else is not Docker's doing.
        if (!isFullHexId(*cacheId))
            return Error{ErrorCode::Corrupt, 0, dir + QStringLiteral("/cache-id"),
                         QStringLiteral("the layer's cache id %1/cache-id holds '%2', not 64 hex digits").arg(dir, cacheId->left(80))};
        auto path = layerDirectoryInside(m_root, m_root + QStringLiteral("/overlay2/") + *cacheId + QStringLiteral("/diff"), QStringLiteral("the directory of ") + which);
        if (!path)
            return path.error();
        Layer layer;
        layer.chainId = chainId;
        layer.diffId = diffId;
        layer.path = *path;
        layer.cacheId = *cacheId;
        if (auto size = readFile(dir + QStringLiteral("/size"), QStringLiteral("the layer's size"), maxIdFileBytes))
            layer.bytes = size->trimmed().toULongLong();
        layers.push_back(std::move(layer));
    }
    return layers;
}

Expected<DockerStorage::Target> DockerStorage::find(const QString &reference) const
{
    if (reference.isEmpty())
        return Error{ErrorCode::InvalidSource, 0, m_root,
                     QStringLiteral("no image or container named; `strata-cli images %1` lists what %2 holds").arg(sourceFor(QString()), m_root)};
    const QString hex = withoutDigestAlgorithm(reference);
    if (looksLikeIdPrefix(hex)) {
        std::vector<Target> matches;
        for (const QString &id : containerIds()) {
            if (id.startsWith(hex))
                matches.push_back({true, id});
        }
        for (const QString &id : imageIds()) {
            if (id.startsWith(hex))
                matches.push_back({false, id});
        }
        if (matches.size() == 1)
            return matches.front();
        if (matches.size() > 1)
            return Error{ErrorCode::InvalidSource, 0, reference,
                         QStringLiteral("'%1' is the start of %2 ids in %3; give more digits").arg(reference).arg(matches.size()).arg(m_root)};
    }
    // Names: a container first, as docker inspect looks them up.
    const QString containerName = reference.startsWith(u'/') ? reference.mid(1) : reference;
    for (const QString &id : containerIds()) {
        auto container = readContainer(id);
        if (container && container->name == containerName)
            return Target{true, id};
    }
    auto tags = readRepositories();
    if (!tags)
        return tags.error();
    const QString wanted = normalizedReference(reference);
    for (const auto &[tag, id] : *tags) {
        if (tag == reference || normalizedReference(tag) == wanted)
            return Target{false, id};
    }
    return Error{ErrorCode::NotFound, 0, reference,
                 QStringLiteral("no image or container '%1' in Docker storage %2 (`strata-cli images %3` lists them)").arg(reference, m_root, sourceFor(QString()))};
}

Expected<OverlayConfig> DockerStorage::stackOf(const Image &image, const Container *container, const OverlayDefaults &defaults) const
{
    auto layers = imageLayers(image);
    if (!layers)
        return layers.error();
    std::vector<LayerSpec> specs;
    for (size_t i = 0; i < layers->size(); ++i) {
        const Layer &layer = (*layers)[i];
        specs.push_back({layer.path, LayerRole::Lower, shortId(layer.diffId), image.createdBy.isEmpty() ? QString() : image.createdBy[qsizetype(i)]});
    }
    QString workdir;
    if (container) {
        const QString mountDir = m_root + QStringLiteral("/image/overlay2/layerdb/mounts/") + container->id;
        const QString which = QStringLiteral("container %1").arg(container->name);
        if (!QFileInfo(mountDir).isDir())
            return Error{ErrorCode::NotFound, ENOENT, mountDir, QStringLiteral("Docker's layer database has no mount for %1: %2 is missing").arg(which, mountDir)};
        auto parent = readFile(mountDir + QStringLiteral("/parent"), QStringLiteral("the container's parent layer"), maxIdFileBytes);
        const QString topChain = layers->empty() ? QString() : QStringLiteral("sha256:") + layers->back().chainId;
        if (parent && QString::fromUtf8(parent->trimmed()) != topChain)
            return Error{ErrorCode::Corrupt, 0, mountDir, QStringLiteral("%1/parent names layer %2, but the top layer of image %3 is %4")
                                                              .arg(mountDir, QString::fromUtf8(parent->trimmed().left(80)), shortId(image.id), topChain)};
        if (QFileInfo::exists(mountDir + QStringLiteral("/init-id"))) {
            auto initId = readIdFile(mountDir + QStringLiteral("/init-id"), QStringLiteral("the container's init layer id"));
            if (!initId)
                return initId.error();
            auto path = layerDirectoryInside(m_root, m_root + QStringLiteral("/overlay2/") + *initId + QStringLiteral("/diff"), QStringLiteral("the init layer of ") + which);
            if (!path)
                return path.error();
            specs.push_back({*path, LayerRole::Lower, QStringLiteral("init"), QStringLiteral("Docker's per-container files (hosts, resolv.conf, …)")});
        }
        auto mountId = readIdFile(mountDir + QStringLiteral("/mount-id"), QStringLiteral("the container's layer id"));
        if (!mountId)
            return mountId.error();
        auto upper = layerDirectoryInside(m_root, m_root + QStringLiteral("/overlay2/") + *mountId + QStringLiteral("/diff"), QStringLiteral("the upper directory of ") + which);
        if (!upper)
            return upper.error();
        specs.push_back({*upper, LayerRole::Upper, QStringLiteral("container ") + container->name, QString()});
        workdir = m_root + QStringLiteral("/overlay2/") + *mountId + QStringLiteral("/work");
    }
    if (specs.empty() || specs.front().role == LayerRole::Upper)
        return Error{ErrorCode::Unsupported, 0, image.id, QStringLiteral("image %1 has no layers to show").arg(shortId(image.id))};

    // The options Docker's overlay2 driver mounts with, read through the same parser as overlay:.
    QStringList lowers;
    for (auto it = specs.crbegin(); it != specs.crend(); ++it) {
        if (it->role == LayerRole::Lower)
            lowers.append(escapeOverlayPath(it->path));
    }
    QString options = QStringLiteral("lowerdir=") + lowers.join(u':');
    if (container)
        options += QStringLiteral(",upperdir=%1,workdir=%2").arg(escapeOverlayPath(specs.back().path), escapeOverlayPath(workdir));
    options += QStringLiteral(",index=off");
    auto config = OverlayConfig::parse(options, QStringLiteral("/"), defaults);
    if (!config)
        return config.error();
    for (size_t i = 0; i < specs.size() && i < config->layers.size(); ++i) {
        config->layers[i].label = specs[i].label;
        config->layers[i].createdBy = specs[i].createdBy;
    }
    return config;
}

Expected<OverlayConfig> DockerStorage::resolve(const QString &reference, const OverlayDefaults &defaults) const
{
    if (auto layout = checkLayout(); !layout)
        return layout.error();
    auto target = find(reference);
    if (!target)
        return target.error();
    if (!target->isContainer) {
        auto image = readImage(target->id);
        if (!image)
            return image.error();
        return stackOf(*image, nullptr, defaults);
    }
    auto container = readContainer(target->id);
    if (!container)
        return container.error();
    if (!QFileInfo::exists(imagedbPath(container->imageId)))
        return Error{ErrorCode::NotFound, ENOENT, imagedbPath(container->imageId),
                     QStringLiteral("the image %1 of container %2 is missing from Docker storage %3").arg(shortId(container->imageId), container->name, m_root)};
    auto image = readImage(container->imageId);
    if (!image)
        return image.error();
    return stackOf(*image, &*container, defaults);
}

Expected<std::vector<DockerStorage::LayerRecord>> DockerStorage::layerRecords(const QString &reference) const
{
    if (auto layout = checkLayout(); !layout)
        return layout.error();
    auto target = find(reference);
    if (!target)
        return target.error();
    if (target->isContainer)
        return Error{ErrorCode::InvalidSource, 0, reference, QStringLiteral("'%1' is a container, not an image").arg(reference)};
    auto image = readImage(target->id);
    if (!image)
        return image.error();
    auto layers = imageLayers(*image);
    if (!layers)
        return layers.error();
    std::vector<LayerRecord> records;
    for (const Layer &layer : *layers) {
        LayerRecord r{layer.chainId, layer.diffId, {}, layer.cacheId, layer.path, {}, {}};
        const QString db = m_root + QStringLiteral("/image/overlay2/layerdb/sha256/") + layer.chainId;
        const QString dir = m_root + QStringLiteral("/overlay2/") + layer.cacheId;
        // Optional files: the bottom layer has no parent and no lower; a layer without a link is Docker's bug, shown as empty.
        if (auto parent = readFile(db + QStringLiteral("/parent"), QStringLiteral("the layer's parent"), maxIdFileBytes))
            r.parent = QString::fromUtf8(parent->trimmed());
        if (auto link = readFile(dir + QStringLiteral("/link"), QStringLiteral("the layer's short link"), maxIdFileBytes))
            r.link = QString::fromUtf8(link->trimmed());
        if (auto lower = readFile(dir + QStringLiteral("/lower"), QStringLiteral("the layers below"), 64 * 1024))
            r.lower = QString::fromUtf8(lower->trimmed());
        records.push_back(std::move(r));
    }
    return records;
}

QString DockerStorage::sourceFor(const QString &reference) const
{
    QString source = QStringLiteral("docker-storage:");
    if (!m_sourceRoot.isEmpty())
        source += m_sourceRoot + (reference.isEmpty() ? QString() : QStringLiteral(":"));
    return source + reference;
}

Expected<StorageListing> DockerStorage::list() const
{
    if (auto layout = checkLayout(); !layout)
        return layout.error();
    auto tags = readRepositories();
    if (!tags)
        return tags.error();
    StorageListing listing;
    listing.root = m_root;
    // Untagged images something else is built on are the build's intermediate steps; docker images
    // leaves them out too.
    QStringList parents;
    for (const QString &id : QDir(m_root + QStringLiteral("/image/overlay2/imagedb/metadata/sha256")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (auto parent = readFile(m_root + QStringLiteral("/image/overlay2/imagedb/metadata/sha256/%1/parent").arg(id), QStringLiteral("the image's parent"), maxIdFileBytes))
            parents.append(withoutDigestAlgorithm(QString::fromUtf8(parent->trimmed())));
    }
    for (const QString &id : imageIds()) {
        StoredImage stored;
        stored.id = id;
        for (const auto &[tag, tagged] : *tags) {
            if (tagged == id && !tag.contains(u'@'))
                stored.names.append(tag);
        }
        if (stored.names.isEmpty() && parents.contains(id))
            continue;
        auto image = readImage(id);
        if (!image) {
            listing.problems.push_back(image.error());
            continue;
        }
        stored.layers = int(image->diffIds.size());
        if (auto layers = imageLayers(*image)) {
            for (const Layer &l : *layers)
                stored.bytes += l.bytes;
        } else {
            listing.problems.push_back(layers.error());
        }
        stored.source = sourceFor(stored.names.isEmpty() ? id : stored.names.first());
        listing.images.push_back(std::move(stored));
    }
    for (const QString &id : containerIds()) {
        auto container = readContainer(id);
        if (!container) {
            listing.problems.push_back(container.error());
            continue;
        }
        StoredContainer stored;
        stored.id = id;
        stored.name = container->name;
        stored.imageId = container->imageId;
        stored.imageName = shortId(container->imageId);
        for (const auto &[tag, tagged] : *tags) {
            if (tagged == container->imageId && !tag.contains(u'@')) {
                stored.imageName = tag;
                break;
            }
        }
        stored.state = container->state;
        stored.source = sourceFor(container->name.isEmpty() ? id : container->name);
        listing.containers.push_back(std::move(stored));
    }
    std::sort(listing.containers.begin(), listing.containers.end(), [](const StoredContainer &a, const StoredContainer &b) { return a.name < b.name; });
    return listing;
}

} // namespace strata
