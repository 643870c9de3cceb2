// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerhandle.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>

namespace strata {

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

} // namespace strata
