// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerhandle.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace strata {

const char *compressionName(Compression compression)
{
    switch (compression) {
    case Compression::Gzip:
        return "gzip";
    case Compression::Zstd:
        return "zstd";
    case Compression::None:
        break;
    }
    return "none";
}

Expected<LayerHandle> LayerHandle::openDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOTDIR)
            return Error{ErrorCode::NotADirectory, error, path, QStringLiteral("layer %1 is not a directory").arg(path)};
        return Error{errorCodeFromErrno(error), error, path, QStringLiteral("cannot open layer %1").arg(path)};
    }
    LayerHandle handle;
    handle.m_fd = std::make_shared<const UniqueFd>(fd);
    handle.m_origin = path;
    return handle;
}

LayerHandle LayerHandle::fromDirectoryFd(UniqueFd fd, QString origin)
{
    LayerHandle handle;
    handle.m_fd = std::make_shared<const UniqueFd>(std::move(fd));
    handle.m_origin = std::move(origin);
    return handle;
}

Expected<LayerHandle> LayerHandle::openTar(std::shared_ptr<const UniqueFd> file, uint64_t offset, uint64_t length, QString name, std::string digest,
                                           std::string diffId)
{
    if (!file || !file->valid())
        return Error{ErrorCode::Io, EBADF, name, QStringLiteral("layer %1 is not open").arg(name)};
    unsigned char magic[4] = {};
    ssize_t got;
    do {
        got = ::pread(file->get(), magic, std::min<uint64_t>(sizeof magic, length), off_t(offset));
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        return errorFromErrno(errno, name, QStringLiteral("cannot read layer %1").arg(name));
    auto blob = std::make_shared<TarBlob>();
    blob->file = std::move(file);
    blob->offset = offset;
    blob->length = length;
    // Media types lie (a docker layer.tar listed as gzip, or the reverse): the bytes decide.
    if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        blob->compression = Compression::Gzip;
    else if (got == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        blob->compression = Compression::Zstd;
    blob->name = name;
    blob->digest = std::move(digest);
    blob->diffId = std::move(diffId);
    LayerHandle handle;
    handle.m_tar = std::move(blob);
    handle.m_origin = std::move(name);
    return handle;
}

} // namespace strata
