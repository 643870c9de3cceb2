// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "helperprotocol.h"
#include "uniquefd.h"

#include <QJsonObject>

#include <map>

namespace strata::helper {

// File operations inside a merged root. Every path resolves with openat2(RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS) beneath the root fd: `..` and absolute symlinks stay inside it, and
// /proc magic links are refused. Errors carry errno and a sentence on why overlayfs said so.
class FileOps
{
public:
    // Runs file op `request.op` in the root `rootFd`; the result object of the reply.
    Expected<QJsonObject> run(int rootFd, const Request &request);
    Expected<QJsonObject> readHandle(int64_t handle, int64_t size);
    std::optional<Error> closeHandle(int64_t handle);
    static bool isFileOp(const QString &op);

private:
    std::map<int64_t, UniqueFd> m_handles; // "open": read-only fds kept open
    int64_t m_nextHandle = 1;
};

} // namespace strata::helper
