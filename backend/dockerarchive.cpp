// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockerarchive.h"

#include "digest.h"
#include "imagefiles.h"
#include "ocilayout.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace strata {

namespace {

Error corrupt(const ImageFiles &files, const std::string &path, const QString &what)
{
    return makeError(ErrorCode::Corrupt, files.describe(path) + QStringLiteral(": ") + what, files.describe(path));
}

// "docker.io/library/alpine:3" and "alpine:3" name the same image.
QString shortName(QString tag)
{
    for (const QString &prefix : {QStringLiteral("docker.io/library/"), QStringLiteral("docker.io/")}) {
        if (tag.startsWith(prefix))
            return tag.mid(prefix.size());
    }
    return tag;
}

} // namespace

Expected<ImageDescription> readDockerManifest(const ImageFiles &files, const QString &wanted)
{
    auto bytes = files.read("manifest.json");
    if (!bytes)
        return bytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return corrupt(files, "manifest.json", QStringLiteral("not valid JSON (%1)").arg(parseError.errorString()));
    if (!doc.isArray())
        return corrupt(files, "manifest.json", QStringLiteral("expected a JSON array of images"));
    const QJsonArray images = doc.array();
    QStringList tags;
    std::optional<QJsonObject> chosen;
    QString chosenName;
    for (qsizetype i = 0; i < images.size(); ++i) {
        if (!images.at(i).isObject())
            return corrupt(files, "manifest.json", QStringLiteral("image %1 is not an object").arg(i));
        const QJsonObject image = images.at(i).toObject();
        const QJsonArray repoTags = image.value(u"RepoTags").toArray(); // null for an untagged image
        QString first;
        for (const QJsonValue &t : repoTags) {
            const QString tag = t.toString();
            if (first.isEmpty())
                first = tag;
            tags << tag;
            if (!wanted.isEmpty() && (tag == wanted || shortName(tag) == shortName(wanted))) {
                chosen = image;
                chosenName = tag;
            }
        }
        if (repoTags.isEmpty())
            tags << QStringLiteral("(untagged image %1)").arg(i);
        if (wanted.isEmpty() && images.size() == 1) {
            chosen = image;
            chosenName = first;
        }
    }
    if (!chosen) {
        if (images.isEmpty())
            return makeError(ErrorCode::NotFound, QStringLiteral("%1 lists no image").arg(files.describe("manifest.json")), files.describe("manifest.json"));
        if (wanted.isEmpty())
            return makeError(ErrorCode::InvalidSource,
                             QStringLiteral("%1 holds %2 images; name one (docker-archive:PATH:NAME:TAG): %3").arg(files.describe("manifest.json")).arg(images.size()).arg(tags.join(QStringLiteral(", "))),
                             files.describe("manifest.json"));
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no image tagged '%2'; there are: %3").arg(files.describe("manifest.json"), wanted, tags.join(QStringLiteral(", "))),
                         files.describe("manifest.json"));
    }
    const QJsonValue config = chosen->value(u"Config");
    if (!config.isString() || config.toString().isEmpty())
        return corrupt(files, "manifest.json", QStringLiteral("the image has no Config path"));
    const QJsonValue layersValue = chosen->value(u"Layers");
    if (!layersValue.isArray() && !layersValue.isNull() && !layersValue.isUndefined())
        return corrupt(files, "manifest.json", QStringLiteral("\"Layers\" is not an array"));
    ImageDescription image;
    image.name = chosenName;
    for (const QJsonValue &l : layersValue.toArray()) {
        if (!l.isString() || normalizeImagePath(l.toString().toStdString()).empty())
            return corrupt(files, "manifest.json", QStringLiteral("a Layers entry is not a path inside the archive"));
        ImageLayer layer;
        layer.path = normalizeImagePath(l.toString().toStdString());
        // Docker 25 lists OCI blobs; their name is their digest. Legacy ID/layer.tar has none.
        if (layer.path.starts_with("blobs/sha256/") && isValidDigest("sha256:" + layer.path.substr(13)))
            layer.digest = "sha256:" + layer.path.substr(13);
        image.layers.push_back(std::move(layer));
    }
    if (auto failed = applyImageConfig(files, normalizeImagePath(config.toString().toStdString()), image.layers))
        return *failed;
    return image;
}

Expected<std::shared_ptr<const Source>> openDockerArchiveSource(const QString &argument, const QString &baseDir)
{
    // PATH[:NAME:TAG]: the first prefix that is a file is PATH (NAME may hold a registry's port).
    QString path = argument, name;
    for (qsizetype colon = argument.indexOf(u':'); colon >= 0; colon = argument.indexOf(u':', colon + 1)) {
        if (QFileInfo(QDir(baseDir).absoluteFilePath(argument.left(colon))).isFile()) {
            path = argument.left(colon);
            name = argument.mid(colon + 1);
            break;
        }
    }
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("docker-archive: needs a path: docker-archive:PATH[:NAME:TAG]"));
    auto files = ArchiveFiles::open(QDir::cleanPath(QDir(baseDir).absoluteFilePath(path)));
    if (!files)
        return files.error();
    Expected<ImageDescription> image = makeError(ErrorCode::NotFound, {});
    if ((*files)->exists("manifest.json"))
        image = readDockerManifest(**files, name);
    else if ((*files)->exists("index.json"))
        image = readOciImage(**files, name);
    else
        return makeError(ErrorCode::InvalidSource, QStringLiteral("%1 has neither manifest.json nor index.json: not docker save output").arg(path), path);
    if (!image)
        return image.error();
    if (image->layers.empty())
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1: image %2 has no layers; nothing to show").arg(path, image->name), path);
    return imageSource(SourceKind::DockerArchive, *files, std::move(image).value());
}

} // namespace strata
