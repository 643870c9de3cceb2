// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpermode.h"

#include "overlayconfig.h"

#include <QFile>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace strata {

namespace {

const QString policyName = QStringLiteral("io.github.strata.Strata.policy");

} // namespace

HelperEnvironment HelperEnvironment::current()
{
    HelperEnvironment env;
    env.root = ::geteuid() == 0;
    env.pkexec = !QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty();
    for (const QString &dir : {QStringLiteral("/usr/share/polkit-1/actions"), QStringLiteral("/usr/local/share/polkit-1/actions")})
        env.polkitAction = env.polkitAction || QFile::exists(dir + u'/' + policyName);
    return env;
}

QString rootlessLimitations()
{
    return QStringLiteral("Rootless mode (a user namespace, no password) cannot read or write trusted.* xattrs, so it mounts with userxattr: "
                          "no redirect_dir, no metacopy, no index, and the trusted.overlay.* whiteouts, opaque dirs and redirects of root-made "
                          "storage are not seen; files owned by other users keep no owner on copy-up and chown to them fails; "
                          "root-only layers (/var/lib/docker, /var/lib/containers) cannot be read.");
}

QStringList privilegesNeeded(const MountPlan &plan, const QStringList &extraOptions)
{
    QStringList needs;
    switch (plan.kind) {
    case SourceKind::DockerStorage:
    case SourceKind::ContainersStorage:
    case SourceKind::Mount:
        needs << QStringLiteral("%1 layers are written by root with trusted.overlay.* xattrs").arg(sourcePrefix(plan.kind));
        break;
    default:
        break;
    }
    // What the request asks for (not the kernel's defaults, which rootless mode's userxattr turns
    // off by itself): redirects written, metacopy, index.
    const QStringList asked = plan.askedOptions + extraOptions;
    if (!asked.contains(QStringLiteral("userxattr"))) {
        for (const QString &o : asked) {
            if (o == u"redirect_dir=on" || o == u"metacopy=on" || o == u"index=on")
                needs << QStringLiteral("%1 needs trusted.* xattrs").arg(o);
        }
    }
    auto config = OverlayConfig::parse(plan.source.mid(sourcePrefix(SourceKind::Overlay).size()), QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
    if (!config)
        return needs;
    if (::geteuid() == 0)
        return needs;
    QStringList dirs;
    for (const LayerSpec &layer : config->layers)
        dirs << layer.path;
    if (!config->workdir.isEmpty())
        dirs << config->workdir;
    for (const QString &dir : std::as_const(dirs)) {
        struct stat st{};
        const QByteArray p = QFile::encodeName(dir);
        if (::stat(p.constData(), &st) != 0 || ::access(p.constData(), R_OK | X_OK) != 0)
            needs << QStringLiteral("%1 cannot be read by this user (%2)").arg(dir, QString::fromLocal8Bit(std::strerror(errno)));
        else if (st.st_uid != ::geteuid())
            needs << QStringLiteral("%1 is owned by uid %2, not by this user").arg(dir).arg(st.st_uid);
    }
    return needs;
}

Expected<HelperChoice> helperModeFor(const QStringList &needs, HelperMode requested, const HelperEnvironment &env)
{
    HelperChoice choice;
    choice.needs = needs;
    if (requested != HelperMode::Auto) {
        choice.mode = requested;
        return choice;
    }
    if (env.root) {
        choice.mode = HelperMode::Direct;
        return choice;
    }
    if (needs.isEmpty()) {
        choice.mode = HelperMode::Rootless;
        return choice;
    }
    if (env.pkexec && env.polkitAction) {
        choice.mode = HelperMode::Pkexec;
        return choice;
    }
    QString missing;
    if (!env.pkexec)
        missing = QStringLiteral("pkexec is not installed");
    if (!env.polkitAction)
        missing += (missing.isEmpty() ? QString() : QStringLiteral(" and ")) + QStringLiteral("Strata's polkit action (%1) is not installed").arg(policyName);
    return makeError(ErrorCode::Permission,
                     QStringLiteral("this needs privileges rootless mode cannot give (%1), and %2; run as root, or install them so Strata can ask "
                                    "for an administrator's password")
                         .arg(needs.join(QStringLiteral("; ")), missing));
}

Expected<HelperChoice> helperModeFor(const MountPlan &plan, const QStringList &extraOptions, HelperMode requested, const HelperEnvironment &env)
{
    return helperModeFor(env.root ? QStringList() : privilegesNeeded(plan, extraOptions), requested, env);
}

} // namespace strata
