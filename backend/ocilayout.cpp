// SPDX-License-Identifier: GPL-3.0-or-later
#include "ocilayout.h"

#include "digest.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <set>

namespace strata {

namespace {

constexpr int maxIndexDepth = 8;
const QString refNameKey = QStringLiteral("org.opencontainers.image.ref.name");
const QString containerdNameKey = QStringLiteral("io.containerd.image.name");

Error corrupt(const ImageFiles &files, const std::string &path, const QString &what)
{
    return makeError(ErrorCode::Corrupt, files.describe(path) + QStringLiteral(": ") + what, files.describe(path));
}

Expected<QJsonObject> readJsonObject(const ImageFiles &files, const std::string &path, const std::string &digest = {})
{
    auto bytes = files.read(path);
    if (!bytes)
        return bytes.error();
    if (!digest.empty() && digest.starts_with("sha256:") && sha256Digest(*bytes) != digest)
        return corrupt(files, path, QStringLiteral("its sha256 is %1, not the %2 that refers to it").arg(QString::fromStdString(sha256Digest(*bytes)), QString::fromStdString(digest)));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return corrupt(files, path, QStringLiteral("not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return corrupt(files, path, QStringLiteral("expected a JSON object"));
    return doc.object();
}

bool isIndexType(const QString &mediaType)
{
    return mediaType == u"application/vnd.oci.image.index.v1+json" || mediaType == u"application/vnd.docker.distribution.manifest.list.v2+json";
}

struct Descriptor {
    std::string mediaType;
    std::string digest;
    QString refName;
    QString platform; // "os/arch[/variant]"; empty when not given
};

// CVE-2021-41190: a document must be what its descriptor says it is. Its own "mediaType" (when
// present, and when the descriptor names one) must equal the descriptor's; an index must not
// carry "layers" or "config", a manifest must not carry "manifests" — else one digest could be
// read as either and two readers would see two different images.
std::optional<Error> checkDocumentKind(const ImageFiles &files, const std::string &path, const QJsonObject &document, const Descriptor &descriptor, bool expectIndex)
{
    const QJsonValue ownType = document.value(u"mediaType");
    if (!ownType.isUndefined() && !ownType.isString())
        return corrupt(files, path, QStringLiteral("mediaType is not a string"));
    const QString own = ownType.toString();
    const QString declared = QString::fromStdString(descriptor.mediaType);
    if (!own.isEmpty() && !declared.isEmpty() && own != declared)
        return corrupt(files, path, QStringLiteral("its mediaType %1 disagrees with the %2 of the descriptor that refers to it (CVE-2021-41190)").arg(own, declared));
    if (expectIndex && (document.contains(u"layers") || document.contains(u"config")))
        return corrupt(files, path, QStringLiteral("an index that also has \"layers\" or \"config\" (ambiguous, CVE-2021-41190)"));
    if (!expectIndex && document.contains(u"manifests"))
        return corrupt(files, path, QStringLiteral("an index where a manifest was expected"));
    if (!expectIndex && !own.isEmpty() && isIndexType(own))
        return corrupt(files, path, QStringLiteral("an index (mediaType %1) where a manifest was expected").arg(own));
    return std::nullopt;
}

Expected<Descriptor> descriptorFrom(const ImageFiles &files, const std::string &path, const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return corrupt(files, path, QStringLiteral("%1 is not an object").arg(where));
    const QJsonObject o = value.toObject();
    if (!o.value(u"digest").isString() || !isValidDigest(o.value(u"digest").toString().toStdString()))
        return corrupt(files, path, QStringLiteral("%1 has no valid digest (sha256:HEX)").arg(where));
    if (o.contains(u"mediaType") && !o.value(u"mediaType").isString())
        return corrupt(files, path, QStringLiteral("%1: mediaType is not a string").arg(where));
    Descriptor d;
    d.digest = o.value(u"digest").toString().toStdString();
    d.mediaType = o.value(u"mediaType").toString().toStdString();
    const QJsonObject annotations = o.value(u"annotations").toObject();
    d.refName = annotations.value(refNameKey).toString();
    if (d.refName.isEmpty())
        d.refName = annotations.value(containerdNameKey).toString();
    const QJsonObject platform = o.value(u"platform").toObject();
    if (!platform.isEmpty()) {
        d.platform = platform.value(u"os").toString() + u'/' + platform.value(u"architecture").toString();
        if (!platform.value(u"variant").toString().isEmpty())
            d.platform += u'/' + platform.value(u"variant").toString();
    }
    return d;
}

// The "manifests" of an index; null or missing is an empty list (docker save writes null).
Expected<std::vector<Descriptor>> manifestsOf(const ImageFiles &files, const std::string &path, const QJsonObject &index)
{
    std::vector<Descriptor> out;
    const QJsonValue manifests = index.value(u"manifests");
    if (manifests.isNull() || manifests.isUndefined())
        return out;
    if (!manifests.isArray())
        return corrupt(files, path, QStringLiteral("\"manifests\" is not an array"));
    const QJsonArray list = manifests.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        auto d = descriptorFrom(files, path, list.at(i), QStringLiteral("manifests[%1]").arg(i));
        if (!d)
            return d.error();
        out.push_back(std::move(d).value());
    }
    return out;
}

// Every image manifest reachable from an index, nested indexes followed (bounded, cycles refused).
struct Candidate {
    Descriptor manifest;
    QString refName; // the nearest ref name on the way down
};

std::optional<Error> collect(const ImageFiles &files, const std::string &path, const QJsonObject &index, const QString &refName, int depth,
                             std::set<std::string> &onPath, std::vector<Candidate> &out)
{
    auto manifests = manifestsOf(files, path, index);
    if (!manifests)
        return manifests.error();
    for (const Descriptor &d : *manifests) {
        const QString name = d.refName.isEmpty() ? refName : d.refName;
        if (!isIndexType(QString::fromStdString(d.mediaType))) {
            out.push_back({d, name});
            continue;
        }
        if (depth >= maxIndexDepth)
            return corrupt(files, path, QStringLiteral("indexes nest more than %1 deep").arg(maxIndexDepth));
        if (onPath.count(d.digest))
            return corrupt(files, path, QStringLiteral("index %1 refers to itself (a cycle)").arg(QString::fromStdString(d.digest)));
        const std::string child = blobPath(d.digest);
        auto nested = readJsonObject(files, child, d.digest);
        if (!nested)
            return nested.error();
        if (auto wrong = checkDocumentKind(files, child, *nested, d, true))
            return wrong;
        onPath.insert(d.digest);
        if (auto failed = collect(files, child, *nested, name, depth + 1, onPath, out))
            return failed;
        onPath.erase(d.digest);
    }
    return std::nullopt;
}

QString describeCandidates(const std::vector<Candidate> &candidates)
{
    QStringList names;
    for (const Candidate &c : candidates) {
        QString n = c.refName.isEmpty() ? QString::fromStdString(c.manifest.digest) : c.refName;
        if (!c.manifest.platform.isEmpty())
            n += QStringLiteral(" (") + c.manifest.platform + u')';
        names << n;
    }
    return names.join(QStringLiteral(", "));
}

// Several manifests of one image: the host's platform, when exactly one matches.
std::optional<Candidate> pickHostPlatform(const std::vector<Candidate> &candidates)
{
    const QString host = imagePlatform();
    std::optional<Candidate> found;
    for (const Candidate &c : candidates) {
        if (c.manifest.platform == host || (found.has_value() == false && c.manifest.platform.startsWith(host + u'/'))) {
            if (found && found->manifest.platform == c.manifest.platform)
                return std::nullopt; // ambiguous
            found = c;
        }
    }
    return found;
}

} // namespace

namespace {
QString &platformOverride()
{
    static QString chosen; // set once, from the command line, before any image is opened
    return chosen;
}
} // namespace

void setImagePlatform(const QString &platform)
{
    platformOverride() = platform;
}

QString imagePlatform()
{
    return platformOverride().isEmpty() ? hostPlatform() : platformOverride();
}

QString hostPlatform()
{
    const QString cpu = QSysInfo::currentCpuArchitecture();
    QString arch = cpu;
    if (cpu == u"x86_64")
        arch = QStringLiteral("amd64");
    else if (cpu == u"i386")
        arch = QStringLiteral("386");
    else if (cpu.startsWith(u"arm") && cpu != u"arm64")
        arch = QStringLiteral("arm");
    return QStringLiteral("linux/") + arch;
}

std::optional<Error> applyImageConfig(const ImageFiles &files, const std::string &configPath, std::vector<ImageLayer> &layers)
{
    const std::string digest = configPath.starts_with("blobs/sha256/") ? "sha256:" + configPath.substr(13) : std::string();
    auto config = readJsonObject(files, configPath, isValidDigest(digest) ? digest : std::string());
    if (!config)
        return config.error();
    const QJsonValue diffIds = config->value(u"rootfs").toObject().value(u"diff_ids");
    if (!diffIds.isArray())
        return corrupt(files, configPath, QStringLiteral("rootfs.diff_ids is missing or not an array"));
    const QJsonArray ids = diffIds.toArray();
    if (size_t(ids.size()) != layers.size())
        return corrupt(files, configPath, QStringLiteral("rootfs.diff_ids lists %1 layers, the manifest %2").arg(ids.size()).arg(layers.size()));
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string id = ids.at(qsizetype(i)).toString().toStdString();
        if (!isValidDigest(id))
            return corrupt(files, configPath, QStringLiteral("rootfs.diff_ids[%1] is not a digest").arg(i));
        layers[i].diffId = id;
    }
    // History: one entry per layer, except those marked empty_layer (ENV, CMD, ...).
    const QJsonArray history = config->value(u"history").toArray();
    std::vector<QString> createdBy;
    for (const QJsonValue &h : history) {
        const QJsonObject o = h.toObject();
        if (o.value(u"empty_layer").toBool(false))
            continue;
        createdBy.push_back(o.value(u"created_by").toString());
    }
    if (createdBy.size() == layers.size()) {
        for (size_t i = 0; i < layers.size(); ++i)
            layers[i].createdBy = createdBy[i];
    }
    return std::nullopt;
}

Expected<ImageDescription> readOciImage(const ImageFiles &files, const QString &ref)
{
    auto layout = readJsonObject(files, "oci-layout");
    if (!layout)
        return layout.error();
    const QJsonValue version = layout->value(u"imageLayoutVersion");
    if (!version.isString())
        return corrupt(files, "oci-layout", QStringLiteral("imageLayoutVersion is missing or not a string"));
    if (!version.toString().startsWith(QStringLiteral("1.")))
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("%1: image layout version %2; Strata reads 1.x").arg(files.describe("oci-layout"), version.toString()), files.describe("oci-layout"));
    auto index = readJsonObject(files, "index.json");
    if (!index)
        return index.error();

    std::vector<Candidate> chosen;
    const std::string refText = ref.toStdString();
    if (isValidDigest(refText)) {
        // A digest names a manifest (or an index) at any depth.
        std::vector<Candidate> all;
        std::set<std::string> onPath;
        if (auto failed = collect(files, "index.json", *index, {}, 0, onPath, all))
            return *failed;
        for (const Candidate &c : all) {
            if (c.manifest.digest == refText)
                chosen.push_back(c);
        }
        if (chosen.empty()) {
            // An index digest: its manifests.
            auto nested = readJsonObject(files, blobPath(refText), refText);
            if (!nested)
                return makeError(ErrorCode::NotFound, QStringLiteral("%1: no manifest or index %2").arg(files.describe("index.json"), ref), files.describe("index.json"));
            if (auto failed = collect(files, blobPath(refText), *nested, ref, 1, onPath, chosen))
                return *failed;
        }
    } else {
        std::vector<Candidate> all;
        std::set<std::string> onPath;
        if (auto failed = collect(files, "index.json", *index, {}, 0, onPath, all))
            return *failed;
        if (ref.isEmpty()) {
            chosen = all;
        } else {
            for (const Candidate &c : all) {
                // "name:tag" of containerd's annotation, or the bare tag of the OCI one.
                if (c.refName == ref || c.refName.endsWith(u':' + ref) || c.refName.endsWith(u'/' + ref))
                    chosen.push_back(c);
            }
            if (chosen.empty())
                return makeError(ErrorCode::NotFound,
                                 QStringLiteral("%1: no image named '%2'; there are: %3").arg(files.describe("index.json"), ref, all.empty() ? QStringLiteral("none") : describeCandidates(all)),
                                 files.describe("index.json"));
        }
    }
    if (chosen.empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1 lists no image").arg(files.describe("index.json")), files.describe("index.json"));
    Candidate pick = chosen.front();
    if (chosen.size() > 1) {
        auto host = pickHostPlatform(chosen);
        if (!host)
            return makeError(ErrorCode::InvalidSource,
                             QStringLiteral("%1 holds several images and none is for %2; name one (oci:PATH:REF) or choose --platform: %3").arg(files.describe("index.json"), imagePlatform(), describeCandidates(chosen)),
                             files.describe("index.json"));
        pick = *host;
    }

    const std::string manifestPath = blobPath(pick.manifest.digest);
    auto manifest = readJsonObject(files, manifestPath, pick.manifest.digest);
    if (!manifest)
        return manifest.error();
    if (auto wrong = checkDocumentKind(files, manifestPath, *manifest, pick.manifest, false))
        return *wrong;
    auto config = descriptorFrom(files, manifestPath, manifest->value(u"config"), QStringLiteral("config"));
    if (!config)
        return config.error();
    const QJsonValue layersValue = manifest->value(u"layers");
    if (!layersValue.isArray() && !layersValue.isNull() && !layersValue.isUndefined())
        return corrupt(files, manifestPath, QStringLiteral("\"layers\" is not an array"));
    ImageDescription image;
    image.name = pick.refName.isEmpty() ? QString::fromStdString(pick.manifest.digest) : pick.refName;
    const QJsonArray layers = layersValue.toArray();
    for (qsizetype i = 0; i < layers.size(); ++i) {
        auto d = descriptorFrom(files, manifestPath, layers.at(i), QStringLiteral("layers[%1]").arg(i));
        if (!d)
            return d.error();
        const QString type = QString::fromStdString(d->mediaType);
        const bool tar = type.isEmpty() || type.contains(u".tar") || type == u"application/vnd.docker.image.rootfs.diff.tar.gzip"
            || type == u"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
        if (!tar || type.contains(u"+encrypted"))
            return makeError(ErrorCode::Unsupported, QStringLiteral("%1: layer %2 has media type %3, not a tar layer Strata can read").arg(files.describe(manifestPath)).arg(i).arg(type),
                             files.describe(manifestPath));
        ImageLayer layer;
        layer.path = blobPath(d->digest);
        layer.mediaType = d->mediaType;
        layer.digest = d->digest;
        image.layers.push_back(std::move(layer));
    }
    if (auto failed = applyImageConfig(files, blobPath(config->digest), image.layers))
        return *failed;
    return image;
}

namespace {

class ImageSource final : public Source
{
public:
    ImageSource(SourceKind kind, std::shared_ptr<const ImageFiles> files, ImageDescription image)
        : m_kind(kind)
        , m_files(std::move(files))
        , m_image(std::move(image))
    {
        for (const ImageLayer &layer : m_image.layers) {
            LayerSpec spec;
            spec.path = m_files->describe(layer.path);
            spec.role = LayerRole::Lower;
            spec.digest = QString::fromStdString(layer.digest.empty() ? layer.diffId : layer.digest);
            spec.createdBy = layer.createdBy;
            m_config.layers.push_back(std::move(spec));
        }
    }
    SourceKind kind() const override { return m_kind; }
    const OverlayConfig &config() const override { return m_config; }
    Expected<LayerHandle> openLayer(size_t l) const override
    {
        if (l >= m_image.layers.size())
            return makeError(ErrorCode::NotFound, QStringLiteral("no layer %1 in this image").arg(l));
        const ImageLayer &layer = m_image.layers[l];
        auto window = m_files->window(layer.path);
        if (!window)
            return window.error();
        // Only sha256 is hashed while indexing; other algorithms are left unchecked.
        const std::string digest = layer.digest.starts_with("sha256:") ? layer.digest : std::string();
        const std::string diffId = layer.diffId.starts_with("sha256:") ? layer.diffId : std::string();
        return LayerHandle::openTar(window->file, window->offset, window->length, window->name, digest, diffId);
    }

private:
    SourceKind m_kind;
    std::shared_ptr<const ImageFiles> m_files;
    ImageDescription m_image;
    OverlayConfig m_config;
};

} // namespace

std::shared_ptr<const Source> imageSource(SourceKind kind, std::shared_ptr<const ImageFiles> files, ImageDescription image)
{
    return std::make_shared<const ImageSource>(kind, std::move(files), std::move(image));
}

Expected<std::shared_ptr<const Source>> openOciSource(const QString &argument, const QString &baseDir)
{
    // PATH[:REF]: the first prefix that is a directory is PATH (REF may hold colons: sha256:…).
    QString path = argument, ref;
    for (qsizetype colon = argument.indexOf(u':'); colon >= 0; colon = argument.indexOf(u':', colon + 1)) {
        if (QFileInfo(QDir(baseDir).absoluteFilePath(argument.left(colon))).isDir()) {
            path = argument.left(colon);
            ref = argument.mid(colon + 1);
            break;
        }
    }
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("oci: needs a path: oci:PATH[:REF]"));
    auto files = DirectoryFiles::open(QDir::cleanPath(QDir(baseDir).absoluteFilePath(path)));
    if (!files)
        return files.error();
    auto image = readOciImage(**files, ref);
    if (!image)
        return image.error();
    if (image->layers.empty())
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1: image %2 has no layers; nothing to show").arg(path, image->name), path);
    return imageSource(SourceKind::Oci, *files, std::move(image).value());
}

} // namespace strata
