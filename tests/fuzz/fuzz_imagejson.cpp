// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: OCI image layout and docker-save JSON — index.json (nested indexes), the manifest, the
// image config, and docker's manifest.json — from an in-memory image. The input is up to four
// documents separated by "\n----\n": index.json, a manifest, a config, manifest.json. Digests are
// made to match so the parsers get past the digest check: "@CONFIG@" in the manifest becomes the
// config's digest, "@MANIFEST@" in index.json the manifest's; "@CONFIGPATH@" in manifest.json the
// config's blob path. Invariants: a described image has a bounded number of layers, each a
// normalised path inside the image with a valid or empty digest; refusals are typed errors.
#include "digest.h"
#include "dockerarchive.h"
#include "fuzzutil.h"
#include "imagefiles.h"
#include "ocilayout.h"

#include <map>

using namespace strata;

namespace {

class MemoryFiles final : public ImageFiles
{
public:
    explicit MemoryFiles(const std::map<std::string, QByteArray> &files)
    {
        QByteArray all;
        for (const auto &[path, bytes] : files) {
            m_windows[path] = {uint64_t(all.size()), uint64_t(bytes.size())};
            all += bytes;
        }
        m_file = fuzz::memoryFile(all.constData(), size_t(all.size()));
    }
    QString describe(const std::string &path) const override { return QStringLiteral("fuzz-image:") + QString::fromStdString(path); }
    bool exists(const std::string &path) const override { return m_windows.count(path) != 0; }
    Expected<FileWindow> window(const std::string &path) const override
    {
        fuzz::check(path.empty() || !normalizeImagePath(path).empty(), "a file looked up by a path leaving the image", QString::fromStdString(path));
        const auto it = m_windows.find(path);
        if (it == m_windows.end())
            return makeError(ErrorCode::NotFound, describe(path) + QStringLiteral(" is missing"), describe(path));
        return FileWindow{m_file, it->second.first, it->second.second, describe(path)};
    }

private:
    std::shared_ptr<const UniqueFd> m_file;
    std::map<std::string, std::pair<uint64_t, uint64_t>> m_windows;
};

void checkImage(const Expected<ImageDescription> &image)
{
    if (!image) {
        fuzz::checkError(image.error(), {ErrorCode::Corrupt, ErrorCode::NotFound, ErrorCode::LimitExceeded, ErrorCode::Unsupported, ErrorCode::InvalidSource});
        return;
    }
    fuzz::check(image->layers.size() <= 100000, "an image with an unbounded layer count");
    for (const ImageLayer &layer : image->layers) {
        fuzz::check(!layer.path.empty() && normalizeImagePath(layer.path) == layer.path, "a layer path that is not normalised", QString::fromStdString(layer.path));
        fuzz::check(!layer.path.starts_with('/') && !layer.path.starts_with("../") && layer.path != "..", "a layer path leaving the image", QString::fromStdString(layer.path));
        fuzz::check(layer.digest.empty() || isValidDigest(layer.digest), "an invalid layer digest", QString::fromStdString(layer.digest));
        fuzz::check(layer.diffId.empty() || isValidDigest(layer.diffId), "an invalid diff_id", QString::fromStdString(layer.diffId));
    }
}

QByteArray replaced(QByteArray text, const char *placeholder, const std::string &value)
{
    return text.replace(placeholder, QByteArray::fromStdString(value));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 20))
        return 0;
    std::vector<QByteArray> parts = fuzz::splitParts(data, size, 4);
    parts.resize(4);
    const QByteArray &config = parts[2];
    const std::string configDigest = sha256Digest(config);
    const QByteArray manifest = replaced(parts[1], "@CONFIG@", configDigest);
    const std::string manifestDigest = sha256Digest(manifest);
    std::map<std::string, QByteArray> files{
        {"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"},
        {"index.json", replaced(parts[0], "@MANIFEST@", manifestDigest)},
        {blobPath(configDigest), config},
        {blobPath(manifestDigest), manifest},
        {"manifest.json", replaced(parts[3], "@CONFIGPATH@", blobPath(configDigest))},
    };
    const MemoryFiles image(files);
    checkImage(readOciImage(image, {}));
    checkImage(readOciImage(image, QStringLiteral("latest")));
    checkImage(readOciImage(image, QString::fromStdString(manifestDigest)));
    checkImage(readDockerManifest(image, {}));
    checkImage(readDockerManifest(image, QStringLiteral("strata/test:v1")));
    return 0;
}
