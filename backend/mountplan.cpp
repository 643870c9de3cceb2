// SPDX-License-Identifier: GPL-3.0-or-later
#include "mountplan.h"

#include "overlayconfig.h"
#include "source.h"

#include <QDir>
#include <QTemporaryDir>

namespace strata {

Expected<MountPlan> planMount(const QString &sourceArg, const QString &baseDir, UpperChoice choice, const QString &upperDir)
{
    auto source = openSource(sourceArg, baseDir);
    if (!source)
        return source.error();
    OverlayConfig config = (*source)->config();
    MountPlan plan;
    QString upper = upperDir.isEmpty() ? QString() : QDir(baseDir).absoluteFilePath(upperDir);
    QString work = upper.isEmpty() ? QString() : upper + QStringLiteral(".work");
    if (upper.isEmpty() && choice == UpperChoice::Fresh) {
        plan.scratch = std::make_shared<QTemporaryDir>();
        if (!plan.scratch->isValid())
            return makeError(ErrorCode::Io, QStringLiteral("cannot create a temporary upper dir"), QDir::tempPath());
        upper = plan.scratch->filePath(QStringLiteral("upper"));
        work = plan.scratch->filePath(QStringLiteral("work"));
    }
    if (!upper.isEmpty()) {
        if (!QDir().mkpath(upper) || !QDir().mkpath(work))
            return makeError(ErrorCode::Io, QStringLiteral("cannot create the upper and work dirs"), upper);
        if (config.hasUpper()) {
            // The source's upper becomes the topmost lower: its writes stay where they are.
            LayerSpec &old = config.layers.back();
            old.role = LayerRole::Lower;
            plan.sourceUpper = old.path;
        }
        config.layers.push_back(LayerSpec{upper, LayerRole::Upper, {}, {}, {}});
        config.workdir = work;
    }
    plan.upper = config.hasUpper() ? config.layers.back().path : QString();
    plan.work = config.workdir;
    plan.source = overlaySource(config.toOptionString());
    return plan;
}

Expected<MountPlan> forUserxattr(MountPlan plan)
{
    auto address = parseSourceAddress(plan.source);
    if (!address)
        return address.error();
    auto config = OverlayConfig::parse(address->argument, QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    if (config->userxattr)
        return plan;
    config->userxattr = true;
    config->redirect = RedirectMode::NoFollow;
    config->metacopy = false;
    plan.source = overlaySource(config->toOptionString());
    return plan;
}

} // namespace strata
