// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: container storage metadata read directly — containers-storage's layers.json,
// images.json, containers.json and Docker's repositories.json, an image config (imagedb) and a
// layer's cache-id — laid out in a scratch storage root. The input is up to six documents
// separated by "\n----\n", in that order; "@IMAGE@" in repositories.json becomes the config's
// image id. The scratch root has layer dirs for the ids l1, l2, l3 (containers-storage) and one
// for cache id "c" × 64 (Docker), whose layerdb entry is the config's first diff_id, the sha256 of
// nothing; "evil" is a layer dir that is a symlink out of the root (to a dir with a diff/). Invariants: listing and
// resolving every listed image and container give typed errors or stacks whose every layer
// directory lies inside the root once symlinks are resolved.
#include "containersstorage.h"
#include "digest.h"
#include "dockerstorage.h"
#include "fuzzutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace strata;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        fuzz::fail("cannot write the scratch storage", path);
    f.write(bytes);
}

QString scratch()
{
    static QTemporaryDir dir;
    static bool made = [] {
        const QString cs = dir.path() + QStringLiteral("/cs");
        for (const char *id : {"l1", "l2", "l3"})
            QDir().mkpath(cs + QStringLiteral("/overlay/") + QLatin1StringView(id) + QStringLiteral("/diff"));
        QDir().mkpath(dir.path() + QStringLiteral("/outside/diff"));
        QFile::link(dir.path() + QStringLiteral("/outside"), cs + QStringLiteral("/overlay/evil"));
        QDir().mkpath(cs + QStringLiteral("/overlay-layers"));
        QDir().mkpath(cs + QStringLiteral("/overlay-images"));
        QDir().mkpath(cs + QStringLiteral("/overlay-containers"));
        const QString docker = dir.path() + QStringLiteral("/docker");
        QDir().mkpath(docker + QStringLiteral("/overlay2/") + QString(64, u'c') + QStringLiteral("/diff"));
        QFile::link(dir.path() + QStringLiteral("/outside"), docker + QStringLiteral("/overlay2/evil"));
        QDir().mkpath(docker + QStringLiteral("/image/overlay2/imagedb/content/sha256"));
        return true;
    }();
    (void)made;
    return dir.path();
}

void checkStack(const Expected<OverlayConfig> &config, const QString &root)
{
    if (!config) {
        fuzz::checkError(config.error(), {ErrorCode::Corrupt, ErrorCode::NotFound, ErrorCode::LimitExceeded, ErrorCode::InvalidSource, ErrorCode::Unsupported,
                                          ErrorCode::NotADirectory, ErrorCode::Io, ErrorCode::InvalidOption, ErrorCode::Permission});
        return;
    }
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath() + u'/';
    for (const LayerSpec &layer : config->layers) {
        const QString real = QFileInfo(layer.path).canonicalFilePath();
        fuzz::check(!real.isEmpty() && real.startsWith(canonicalRoot), "a layer directory outside the storage root", layer.path + QStringLiteral(" -> ") + real);
    }
}

template<typename Storage>
void exercise(const Storage &storage, const QString &root)
{
    auto listing = storage.list();
    if (!listing) {
        fuzz::checkError(listing.error(), {ErrorCode::Corrupt, ErrorCode::NotFound, ErrorCode::LimitExceeded, ErrorCode::Io, ErrorCode::Permission});
        return;
    }
    for (const Error &p : listing->problems)
        fuzz::check(!p.message().isEmpty(), "an empty problem");
    OverlayDefaults defaults;
    int resolved = 0;
    for (const StoredImage &image : listing->images) {
        if (++resolved > 8)
            break;
        checkStack(storage.resolve(image.id, defaults), root);
        for (const QString &name : image.names)
            checkStack(storage.resolve(name, defaults), root);
    }
    for (const StoredContainer &container : listing->containers) {
        if (++resolved > 16)
            break;
        checkStack(storage.resolve(container.id, defaults), root);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (256 << 10))
        return 0;
    std::vector<QByteArray> parts = fuzz::splitParts(data, size, 6);
    parts.resize(6);
    const QString cs = scratch() + QStringLiteral("/cs");
    write(cs + QStringLiteral("/overlay-layers/layers.json"), parts[0]);
    write(cs + QStringLiteral("/overlay-images/images.json"), parts[1]);
    write(cs + QStringLiteral("/overlay-containers/containers.json"), parts[2]);
    exercise(ContainersStorage(cs), cs);

    const QString docker = scratch() + QStringLiteral("/docker");
    const QString imageId = QString::fromStdString(sha256Digest(parts[4]));
    QDir(docker + QStringLiteral("/image/overlay2/imagedb/content/sha256")).removeRecursively();
    write(docker + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + imageId.mid(7), parts[4]);
    QByteArray repositories = parts[3];
    write(docker + QStringLiteral("/image/overlay2/repositories.json"), repositories.replace("@IMAGE@", imageId.toUtf8()));
    const QString chain = docker + QStringLiteral("/image/overlay2/layerdb/sha256/") + QString::fromStdString(sha256Digest({})).mid(7);
    write(chain + QStringLiteral("/cache-id"), parts[5]);
    write(chain + QStringLiteral("/diff"), QByteArray::fromStdString(sha256Digest({})));
    exercise(DockerStorage(docker), docker);
    return 0;
}
