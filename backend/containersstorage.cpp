// SPDX-License-Identifier: GPL-3.0-or-later
#include "containersstorage.h"

#include "storagefiles.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <set>

namespace strata {

using namespace storagefiles;

namespace {

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

// The spellings a user may type for a stored name: "alpine" for "docker.io/library/alpine:latest",
// "app:1" for "localhost/app:1".
bool nameMatches(const QString &stored, const QString &typed)
{
    QString wanted = typed;
    const qsizetype slash = wanted.lastIndexOf(u'/');
    if (!wanted.contains(u'@') && wanted.indexOf(u':', slash + 1) < 0)
        wanted += QStringLiteral(":latest");
    for (const QString &candidate : {typed, wanted}) {
        for (const char *prefix : {"", "localhost/", "docker.io/library/", "docker.io/"}) {
            if (stored == QLatin1StringView(prefix) + candidate)
                return true;
        }
    }
    return false;
}

} // namespace

ContainersStorage::ContainersStorage(QString root, QString sourceRoot)
    : m_root(std::move(root))
    , m_sourceRoot(std::move(sourceRoot))
{
}

Expected<bool> ContainersStorage::checkLayout() const
{
    if (!QFileInfo(m_root).isDir())
        return Error{ErrorCode::NotFound, 0, m_root, QStringLiteral("containers-storage root %1 does not exist").arg(m_root)};
    if (!QFileInfo(m_root + QStringLiteral("/overlay-layers")).isDir()) {
        QStringList drivers = QDir(m_root).entryList({QStringLiteral("*-layers")}, QDir::Dirs);
        for (QString &d : drivers)
            d.chop(7);
        return Error{ErrorCode::NotFound, 0, m_root,
                     drivers.isEmpty() ? QStringLiteral("%1 is not containers-storage (no overlay-layers in it)").arg(m_root)
                                       : QStringLiteral("%1 is containers-storage with the %2 driver; only overlay can be read").arg(m_root, drivers.join(QStringLiteral(", ")))};
    }
    return true;
}

// A store is its main JSON file plus the volatile one (containers made with --rm, buildah's
// working containers); either may be missing.
Expected<QJsonArray> ContainersStorage::readStore(const QString &directory, const QString &what) const
{
    QJsonArray all;
    for (const QString &file : QStringList{what, QStringLiteral("volatile-") + what}) {
        const QString path = m_root + u'/' + directory + u'/' + file;
        if (!QFileInfo::exists(path))
            continue;
        auto document = readJson(path, QStringLiteral("the containers-storage store"));
        if (!document)
            return document.error();
        if (!document->isArray())
            return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("the containers-storage store %1 is not a JSON array").arg(path)};
        for (const QJsonValue &item : document->array()) {
            if (!item.isObject() || !isSafeComponent(item.toObject().value(QStringLiteral("id")).toString()))
                return Error{ErrorCode::Corrupt, 0, path, QStringLiteral("the containers-storage store %1 has an item without a usable \"id\"").arg(path)};
            all.append(item);
        }
    }
    return all;
}

Expected<std::vector<ContainersStorage::Layer>> ContainersStorage::readLayers() const
{
    auto store = readStore(QStringLiteral("overlay-layers"), QStringLiteral("layers.json"));
    if (!store)
        return store.error();
    std::vector<Layer> layers;
    for (const QJsonValue &item : *store) {
        const QJsonObject o = item.toObject();
        layers.push_back({o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("parent")).toString(), uint64_t(o.value(QStringLiteral("diff-size")).toDouble())});
    }
    return layers;
}

Expected<std::vector<ContainersStorage::Image>> ContainersStorage::readImages() const
{
    auto store = readStore(QStringLiteral("overlay-images"), QStringLiteral("images.json"));
    if (!store)
        return store.error();
    std::vector<Image> images;
    for (const QJsonValue &item : *store) {
        const QJsonObject o = item.toObject();
        images.push_back({o.value(QStringLiteral("id")).toString(), stringList(o.value(QStringLiteral("names"))), o.value(QStringLiteral("layer")).toString()});
    }
    return images;
}

Expected<std::vector<ContainersStorage::Container>> ContainersStorage::readContainers() const
{
    auto store = readStore(QStringLiteral("overlay-containers"), QStringLiteral("containers.json"));
    if (!store)
        return store.error();
    std::vector<Container> containers;
    for (const QJsonValue &item : *store) {
        const QJsonObject o = item.toObject();
        containers.push_back({o.value(QStringLiteral("id")).toString(), stringList(o.value(QStringLiteral("names"))), o.value(QStringLiteral("image")).toString(),
                              o.value(QStringLiteral("layer")).toString()});
    }
    return containers;
}

Expected<std::vector<ContainersStorage::Layer>> ContainersStorage::chain(const QString &top, const std::vector<Layer> &layers, const QString &what) const
{
    const QString store = m_root + QStringLiteral("/overlay-layers/layers.json");
    std::vector<Layer> out;
    std::set<QString> seen;
    for (QString id = top; !id.isEmpty();) {
        auto it = std::find_if(layers.begin(), layers.end(), [&](const Layer &l) { return l.id == id; });
        if (it == layers.end())
            return Error{ErrorCode::NotFound, 0, store, QStringLiteral("%1 needs layer %2, which %3 does not list").arg(what, id.left(12), store)};
        if (!seen.insert(id).second)
            return Error{ErrorCode::Corrupt, 0, store, QStringLiteral("the parent chain of %1 loops back to layer %2 in %3").arg(what, id.left(12), store)};
        if (int(out.size()) >= maxLayers)
            return Error{ErrorCode::LimitExceeded, 0, store, QStringLiteral("%1 has more than %2 layers; overlayfs stacks at most that many").arg(what).arg(maxLayers)};
        out.push_back(*it);
        id = it->parent;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

QStringList ContainersStorage::createdBy(const QString &imageId, size_t layerCount) const
{
    // The image config is a "big data" item, stored under "=" + base64 of its key "sha256:<id>".
    const QString key = QStringLiteral("sha256:") + imageId;
    const QString path = m_root + QStringLiteral("/overlay-images/") + imageId + QStringLiteral("/=") + QString::fromLatin1(key.toUtf8().toBase64());
    auto document = readJson(path, QStringLiteral("the image config"));
    if (!document)
        return {};
    QStringList out;
    for (const QJsonValue &entry : document->object().value(QStringLiteral("history")).toArray()) {
        const QJsonObject h = entry.toObject();
        if (!h.value(QStringLiteral("empty_layer")).toBool())
            out.append(h.value(QStringLiteral("created_by")).toString(h.value(QStringLiteral("comment")).toString()));
    }
    return size_t(out.size()) == layerCount ? out : QStringList();
}

QString ContainersStorage::sourceFor(const QString &reference) const
{
    QString source = QStringLiteral("containers-storage:");
    if (!m_sourceRoot.isEmpty())
        source += m_sourceRoot + (reference.isEmpty() ? QString() : QStringLiteral(":"));
    return source + reference;
}

Expected<OverlayConfig> ContainersStorage::resolve(const QString &reference, const OverlayDefaults &defaults) const
{
    if (auto layout = checkLayout(); !layout)
        return layout.error();
    if (reference.isEmpty())
        return Error{ErrorCode::InvalidSource, 0, m_root,
                     QStringLiteral("no image or container named; `strata-cli images %1` lists what %2 holds").arg(sourceFor(QString()), m_root)};
    auto layers = readLayers();
    if (!layers)
        return layers.error();
    auto images = readImages();
    if (!images)
        return images.error();
    auto containers = readContainers();
    if (!containers)
        return containers.error();

    // Ids first (unique prefixes), then container names, then image names.
    const Container *container = nullptr;
    const Image *image = nullptr;
    const QString hex = withoutDigestAlgorithm(reference);
    if (looksLikeIdPrefix(hex)) {
        int matches = 0;
        for (const Container &c : *containers) {
            if (c.id.startsWith(hex))
                ++matches, container = &c;
        }
        for (const Image &i : *images) {
            if (i.id.startsWith(hex))
                ++matches, image = &i;
        }
        if (matches > 1)
            return Error{ErrorCode::InvalidSource, 0, reference, QStringLiteral("'%1' is the start of %2 ids in %3; give more digits").arg(reference).arg(matches).arg(m_root)};
    }
    for (const Container &c : *containers) {
        if (!container && !image && c.names.contains(reference))
            container = &c;
    }
    for (const Image &i : *images) {
        for (const QString &name : i.names) {
            if (!container && !image && nameMatches(name, reference))
                image = &i;
        }
    }
    if (!container && !image)
        return Error{ErrorCode::NotFound, 0, reference,
                     QStringLiteral("no image or container '%1' in containers-storage %2 (`strata-cli images %3` lists them)").arg(reference, m_root, sourceFor(QString()))};

    const QString what = container ? QStringLiteral("container %1").arg(container->names.value(0, container->id.left(12)))
                                   : QStringLiteral("image %1").arg(image->names.value(0, image->id.left(12)));
    auto stack = chain(container ? container->layer : image->topLayer, *layers, what);
    if (!stack)
        return stack.error();
    if (stack->empty())
        return Error{ErrorCode::Unsupported, 0, reference, QStringLiteral("%1 has no layers to show").arg(what)};
    QStringList history;
    if (image)
        history = createdBy(image->id, stack->size());
    else if (!container->imageId.isEmpty())
        history = createdBy(container->imageId, stack->size() - 1);

    QStringList lowers;
    QString upper;
    QString workdir;
    for (size_t i = 0; i < stack->size(); ++i) {
        const QString dir = m_root + QStringLiteral("/overlay/") + (*stack)[i].id;
        auto path = layerDirectoryInside(m_root, dir + QStringLiteral("/diff"), QStringLiteral("the directory of layer %1 of %2").arg(i).arg(what));
        if (!path)
            return path.error();
        if (container && i + 1 == stack->size()) {
            upper = *path;
            workdir = dir + QStringLiteral("/work");
        } else {
            lowers.prepend(escapeOverlayPath(*path));
        }
    }
    if (lowers.isEmpty()) {
        // A container from scratch: its own layer is all there is; show it read-only.
        lowers.append(escapeOverlayPath(upper));
        upper.clear();
    }
    QString options = QStringLiteral("lowerdir=") + lowers.join(u':');
    if (!upper.isEmpty())
        options += QStringLiteral(",upperdir=%1,workdir=%2").arg(escapeOverlayPath(upper), escapeOverlayPath(workdir));
    options += QStringLiteral(",index=off");
    auto config = OverlayConfig::parse(options, QStringLiteral("/"), defaults);
    if (!config)
        return config.error();
    for (size_t i = 0; i < config->layers.size() && i < stack->size(); ++i) {
        LayerSpec &spec = config->layers[i];
        spec.label = spec.role == LayerRole::Upper ? QStringLiteral("container ") + container->names.value(0, container->id.left(12)) : (*stack)[i].id.left(12);
        if (qsizetype(i) < history.size())
            spec.createdBy = history[qsizetype(i)];
    }
    return config;
}

Expected<StorageListing> ContainersStorage::list() const
{
    if (auto layout = checkLayout(); !layout)
        return layout.error();
    auto layers = readLayers();
    if (!layers)
        return layers.error();
    auto images = readImages();
    if (!images)
        return images.error();
    auto containers = readContainers();
    if (!containers)
        return containers.error();
    StorageListing listing;
    listing.root = m_root;
    for (const Image &image : *images) {
        StoredImage stored;
        stored.id = image.id;
        stored.names = image.names;
        if (auto stack = chain(image.topLayer, *layers, QStringLiteral("image ") + image.id.left(12))) {
            stored.layers = int(stack->size());
            for (const Layer &l : *stack)
                stored.bytes += l.bytes;
        } else {
            listing.problems.push_back(stack.error());
        }
        stored.source = sourceFor(image.names.isEmpty() ? image.id : image.names.first());
        listing.images.push_back(std::move(stored));
    }
    for (const Container &container : *containers) {
        StoredContainer stored;
        stored.id = container.id;
        stored.name = container.names.value(0);
        stored.imageId = container.imageId;
        stored.imageName = container.imageId.left(12);
        for (const Image &image : *images) {
            if (image.id == container.imageId && !image.names.isEmpty())
                stored.imageName = image.names.first();
        }
        stored.source = sourceFor(stored.name.isEmpty() ? container.id : stored.name);
        listing.containers.push_back(std::move(stored));
    }
    std::sort(listing.containers.begin(), listing.containers.end(), [](const StoredContainer &a, const StoredContainer &b) { return a.name < b.name; });
    return listing;
}

} // namespace strata
