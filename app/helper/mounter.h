// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"
#include "overlayconfig.h"
#include "uniquefd.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <sys/types.h>
#include <vector>

namespace strata::helper {

// Whom the helper acts for: layer dirs are opened with this user's rights (fsuid, fsgid and
// groups switched for the open), so what the user cannot read or write is refused on the opened fd.
struct Invoker {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
    bool isRoot() const { return uid == 0; }
};

// Switches this thread's filesystem identity (fsuid, fsgid, groups) to the invoker's for its scope:
// opens and file operations then get exactly the invoker's rights. A root invoker changes nothing.
class AsInvoker
{
public:
    explicit AsInvoker(const Invoker &invoker);
    ~AsInvoker();
    AsInvoker(const AsInvoker &) = delete;
    AsInvoker &operator=(const AsInvoker &) = delete;

private:
    bool m_active;
    std::vector<gid_t> m_savedGroups;
};

enum class MountApi : uint8_t { Auto, Fsconfig, Legacy };

struct MountRequest {
    QString source; // overlay:OPTIONS
    QStringList options; // extra options, each from optionWhitelist()
    MountApi api = MountApi::Auto;
};

// A mounted stack in the helper's private namespace.
struct MountedStack {
    QString id; // "m1", "m2", ...
    QString merged; // the mount point inside the scratch dir
    OverlayConfig config;
    QString api; // "fsconfig-fd", "fsconfig-path", "legacy"
    UniqueFd root; // O_PATH of the merged root: every file op resolves beneath it
};

// Checks one extra option ("index=on", "volatile", ...) against the options the helper allows.
std::optional<Error> checkExtraOption(const QString &option);
// Whether this kernel takes layers as fds (FSCONFIG_SET_FD for lowerdir+, 6.13+).
bool kernelTakesLayerFds();

class Mounter
{
public:
    Mounter(QString scratchDir, Invoker invoker, bool rootless)
        : m_scratch(std::move(scratchDir))
        , m_invoker(std::move(invoker))
        , m_rootless(rootless)
    {
    }
    Expected<MountedStack *> mount(const MountRequest &request);
    std::optional<Error> unmount(const QString &id);
    MountedStack *find(const QString &id);
    const std::vector<std::unique_ptr<MountedStack>> &mounts() const { return m_mounts; }
    void unmountAll();

private:
    QString m_scratch;
    Invoker m_invoker;
    bool m_rootless = false;
    int m_next = 1;
    std::vector<std::unique_ptr<MountedStack>> m_mounts;
};

} // namespace strata::helper
