// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "uniquefd.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace strata {

// A byte range of an opened file: a blob file, or a member of an archive read in place.
struct FileWindow {
    std::shared_ptr<const UniqueFd> file;
    uint64_t offset = 0;
    uint64_t length = 0;
    QString name; // for messages
};

// The files of an image (an OCI layout, a docker-save archive) by their path inside it, read-only.
// Paths are relative ("index.json", "blobs/sha256/HEX"); none may leave the image.
class ImageFiles
{
public:
    virtual ~ImageFiles() = default;
    // How messages name `path`: "/img/index.json", "/img.tar:manifest.json".
    virtual QString describe(const std::string &path) const = 0;
    virtual bool exists(const std::string &path) const = 0;
    virtual Expected<FileWindow> window(const std::string &path) const = 0;
    // A small file's bytes (JSON); larger than maxBytes is ErrorCode::LimitExceeded.
    Expected<QByteArray> read(const std::string &path, qint64 maxBytes = 16 * 1024 * 1024) const;
};

// An image layout directory. Files are opened beneath it only (RESOLVE_BENEATH): a symlinked blob
// pointing out of the layout is refused, not followed.
class DirectoryFiles final : public ImageFiles
{
public:
    static Expected<std::shared_ptr<const DirectoryFiles>> open(const QString &path);
    QString describe(const std::string &path) const override;
    bool exists(const std::string &path) const override;
    Expected<FileWindow> window(const std::string &path) const override;

private:
    Expected<UniqueFd> openBeneath(const std::string &path) const;
    QString m_path;
    UniqueFd m_dir;
};

// The members of an uncompressed tar (docker save output), found by one pass over its headers and
// read in place by offset; nothing is unpacked. Symlink and hardlink members resolve inside it.
class ArchiveFiles final : public ImageFiles
{
public:
    static Expected<std::shared_ptr<const ArchiveFiles>> open(const QString &path, size_t maxMembers = 1'000'000);
    QString describe(const std::string &path) const override;
    bool exists(const std::string &path) const override;
    Expected<FileWindow> window(const std::string &path) const override;

private:
    struct Member {
        uint64_t offset = 0;
        uint64_t size = 0;
        char type = '0'; // '0' file, '1' hardlink, '2' symlink, '5' directory, '?' other
        std::string link;
    };
    const Member *resolve(const std::string &path) const;
    QString m_path;
    std::shared_ptr<const UniqueFd> m_file;
    std::unordered_map<std::string, Member> m_members;
};

// "a/./b//c" → "a/b/c"; empty when a component is ".." climbing above the root.
std::string normalizeImagePath(std::string_view path);

} // namespace strata
