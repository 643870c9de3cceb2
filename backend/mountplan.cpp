// SPDX-License-Identifier: GPL-3.0-or-later
#include "mountplan.h"

#include "layercache.h"
#include "overlayconfig.h"
#include "source.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>

namespace strata {

QStringList splitOverlayOptions(const QString &options)
{
    QStringList out(QString{});
    for (qsizetype i = 0; i < options.size(); ++i) {
        if (options[i] == u'\\' && i + 1 < options.size()) {
            out.last() += options[i];
            out.last() += options[++i];
        } else if (options[i] == u',') {
            out << QString();
        } else {
            out.last() += options[i];
        }
    }
    return out;
}

Expected<OverlayConfig> materializedConfig(const Source &source, const QString &cacheDir)
{
    const OverlayConfig &image = source.config();
    QStringList lowers; // top first
    for (size_t i = 0; i < image.layers.size(); ++i) {
        auto handle = source.openLayer(i);
        if (!handle)
            return handle.error();
        auto cached = materializeLayer(*handle, cacheDir);
        if (!cached)
            return cached.error();
        lowers.prepend(escapeOverlayPath(cached->path));
    }
    if (lowers.isEmpty())
        return makeError(ErrorCode::InvalidSource, QStringLiteral("the image has no layers to mount"));
    // The cache writes opaque dirs as user.overlay.opaque (any user can): mounted with userxattr.
    auto config = OverlayConfig::parse(QStringLiteral("lowerdir=%1,userxattr").arg(lowers.join(u':')), QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    for (size_t i = 0; i < config->layers.size() && i < image.layers.size(); ++i) {
        config->layers[i].label = image.layers[i].label;
        config->layers[i].createdBy = image.layers[i].createdBy;
        config->layers[i].digest = image.layers[i].digest;
    }
    return config;
}

Expected<MountPlan> planMount(const QString &sourceArg, const QString &baseDir, UpperChoice choice, const QString &upperDir)
{
    auto source = openSource(sourceArg, baseDir);
    if (!source)
        return source.error();
    OverlayConfig config = (*source)->config();
    MountPlan plan;
    plan.kind = (*source)->kind();
    if (plan.kind == SourceKind::Overlay)
        plan.askedOptions = splitOverlayOptions(sourceArg.mid(sourcePrefix(SourceKind::Overlay).size()));
    if (plan.kind == SourceKind::Oci || plan.kind == SourceKind::DockerArchive) {
        // Tar layers are mounted from their directories in Strata's cache, extracted once.
        auto cached = materializedConfig(**source);
        if (!cached)
            return cached.error();
        config = std::move(cached).value();
    }
    QString upper = upperDir.isEmpty() ? QString() : QDir(baseDir).absoluteFilePath(upperDir);
    const auto lowers = std::count_if(config.layers.begin(), config.layers.end(), [](const LayerSpec &l) { return l.role == LayerRole::Lower; });
    if (lowers == 1 && !config.hasUpper() && upperDir.isEmpty() && choice == UpperChoice::AsSource) {
        // The kernel mounts no single lower without an upper: an empty dir goes below it (the
        // merged view is the same; the root's attributes come from the real layer above).
        const QString empty = QFileInfo(layerCacheDir()).path() + QStringLiteral("/empty");
        if (!QDir().mkpath(empty) || !QDir(empty).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
            return makeError(ErrorCode::Io, QStringLiteral("cannot make the empty bottom layer a single-layer stack needs"), empty);
        config.layers.insert(config.layers.begin(), LayerSpec{empty, LayerRole::Lower, QStringLiteral("empty"), {}, {}});
    }
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

Expected<MountPlan> withOptions(MountPlan plan, const QStringList &options)
{
    if (options.isEmpty())
        return plan;
    auto address = parseSourceAddress(plan.source);
    if (!address)
        return address.error();
    auto config = OverlayConfig::parse(address->argument, QStringLiteral("/"), OverlayDefaults::fromRunningKernel());
    if (!config)
        return config.error();
    std::optional<RedirectMode> redirect;
    std::optional<bool> metacopy;
    for (const QString &option : options) {
        const QString key = option.section(u'=', 0, 0), value = option.section(u'=', 1);
        if (key == u"redirect_dir") {
            static const QStringList names{QStringLiteral("off"), QStringLiteral("nofollow"), QStringLiteral("follow"), QStringLiteral("on")};
            if (!names.contains(value))
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option redirect_dir takes on, follow, nofollow or off, not '%1'").arg(value), option);
            redirect = RedirectMode(names.indexOf(value));
        } else if (key == u"metacopy" || key == u"index") {
            if (value != u"on" && value != u"off")
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option %1 takes on or off, not '%2'").arg(key, value), option);
            if (key == u"metacopy")
                metacopy = value == u"on";
            else
                config->index = value == u"on";
        } else if (key == u"userxattr") {
            config->userxattr = true;
        } else if (!config->otherOptions.contains(option)) {
            config->otherOptions.append(option); // xino=, volatile: no bearing on the merged view
        }
    }
    // The kernel's implications (fs/overlayfs/params.c), the options given here being explicit.
    if (redirect)
        config->redirect = *redirect;
    if (metacopy)
        config->metacopy = *metacopy;
    if (config->userxattr) {
        if (redirect && *redirect != RedirectMode::NoFollow)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: userxattr and redirect_dir other than nofollow"));
        if (metacopy && *metacopy)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: userxattr and metacopy=on"));
        config->redirect = RedirectMode::NoFollow;
        config->metacopy = false;
    }
    if (config->metacopy && config->redirect != RedirectMode::On) {
        if (redirect)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: metacopy=on needs redirect_dir=on"));
        config->redirect = RedirectMode::On;
    }
    plan.source = overlaySource(config->toOptionString());
    return plan;
}

Expected<MountPlan> forUserxattr(MountPlan plan)
{
    return withOptions(std::move(plan), {QStringLiteral("userxattr")});
}

} // namespace strata
