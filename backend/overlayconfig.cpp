// SPDX-License-Identifier: GPL-3.0-or-later
#include "overlayconfig.h"

#include <QDir>
#include <QFile>

#include <optional>
#include <vector>

namespace strata {

namespace {

bool readBoolParameter(const char *name, bool fallback)
{
    QFile file(QStringLiteral("/sys/module/overlay/parameters/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly))
        return fallback;
    const QByteArray value = file.readAll().trimmed();
    return value == "Y" || value == "y" || value == "1";
}

// Splits on `separator` where it is not escaped by a backslash nor inside double quotes (SELinux
// contexts hold commas: context="system_u:object_r:container_file_t:s0:c1,c2"); keeps the escapes
// and quotes for a later pass.
QStringList splitUnescaped(const QString &text, QChar separator)
{
    QStringList parts;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'\\' && i + 1 < text.size()) {
            current += c;
            current += text.at(++i);
        } else if (c == u'"') {
            quoted = !quoted;
            current += c;
        } else if (c == separator && !quoted) {
            parts.append(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.append(current);
    return parts;
}

QString unescape(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\\' && i + 1 < text.size())
            ++i;
        out += text.at(i);
    }
    return out;
}

// Options that leave the merged view alone, with the values the kernel accepts (empty: a flag;
// nullptr: any value). They are kept in OverlayConfig::otherOptions for the record. The overlay ones
// are what ovl_show_options prints (fs/overlayfs/params.c); the VFS and LSM ones are what
// mountinfo and mount(8) print around them.
struct OtherOption {
    const char16_t *key;
    std::vector<const char16_t *> values; // {} = a flag without value
    bool anyValue = false;
};
const std::vector<OtherOption> &otherOptions()
{
    static const std::vector<OtherOption> options = {
        // overlay
        {u"xino", {u"on", u"off", u"auto"}},
        {u"uuid", {u"on", u"off", u"auto", u"null"}},
        {u"nfs_export", {u"on", u"off"}},
        {u"verity", {u"on", u"off", u"require"}},
        {u"volatile", {}},
        {u"fsync", {u"volatile", u"auto", u"strict"}}, // recent kernels print volatile as fsync=volatile
        {u"default_permissions", {}},
        {u"override_creds", {u"on", u"off"}},
        {u"nouserxattr", {}},
        {u"fsid", {}, true},
        {u"source", {}, true},
        // VFS (superblock and per-mount flags)
        {u"ro", {}}, {u"rw", {}}, {u"relatime", {}}, {u"norelatime", {}}, {u"noatime", {}}, {u"atime", {}}, {u"strictatime", {}},
        {u"nodiratime", {}}, {u"diratime", {}}, {u"lazytime", {}}, {u"nolazytime", {}}, {u"nodev", {}}, {u"dev", {}}, {u"nosuid", {}},
        {u"suid", {}}, {u"noexec", {}}, {u"exec", {}}, {u"sync", {}}, {u"async", {}}, {u"dirsync", {}}, {u"nosymfollow", {}},
        {u"symfollow", {}}, {u"mand", {}}, {u"nomand", {}}, {u"silent", {}}, {u"loud", {}}, {u"iversion", {}}, {u"noiversion", {}},
        // LSM (SELinux)
        {u"seclabel", {}},
        {u"context", {}, true},
        {u"fscontext", {}, true},
        {u"defcontext", {}, true},
        {u"rootcontext", {}, true},
    };
    return options;
}

// Empty when `key[=value]` is a known option without effect on the merged view, "unknown" when
// the key is not known, else what is wrong with the value.
std::optional<QString> checkOtherOption(const QString &key, const QString &value, bool hasValue)
{
    for (const OtherOption &o : otherOptions()) {
        if (key != QStringView(o.key))
            continue;
        if (o.anyValue)
            return hasValue ? std::optional<QString>() : QStringLiteral("overlay option %1 needs a value").arg(key);
        if (o.values.size() == 0)
            return hasValue ? QStringLiteral("overlay option %1 takes no value, not '%2'").arg(key, value) : std::optional<QString>();
        QStringList allowed;
        for (const char16_t *v : o.values) {
            if (value == QStringView(v))
                return std::nullopt;
            allowed << QString::fromUtf16(v);
        }
        return QStringLiteral("overlay option %1 takes %2, not '%3'").arg(key, allowed.join(QStringLiteral(", ")), value);
    }
    return QStringLiteral("unknown");
}

} // namespace

QString escapeOverlayPath(const QString &path)
{
    QString out;
    for (QChar c : path) {
        // '"' too: option strings are split honouring quotes (as libmount does), so a bare quote
        // in a path would swallow the options after it (found by fuzz_overlayoptions).
        if (c == u'\\' || c == u':' || c == u',' || c == u'"')
            out += u'\\';
        out += c;
    }
    return out;
}

OverlayDefaults OverlayDefaults::fromRunningKernel()
{
    OverlayDefaults d;
    d.redirectDir = readBoolParameter("redirect_dir", d.redirectDir);
    d.redirectAlwaysFollow = readBoolParameter("redirect_always_follow", d.redirectAlwaysFollow);
    d.index = readBoolParameter("index", d.index);
    d.metacopy = readBoolParameter("metacopy", d.metacopy);
    return d;
}

int OverlayConfig::firstRegularLayer() const
{
    for (size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].role != LayerRole::DataOnly)
            return int(i);
    }
    return int(layers.size());
}

Expected<OverlayConfig> OverlayConfig::parse(const QString &options, const QString &baseDir, const OverlayDefaults &defaults)
{
    OverlayConfig config;
    QStringList lowers; // topmost first, as the kernel lists them
    QStringList dataLayers; // topmost first
    QString upper;
    std::optional<RedirectMode> redirect;
    std::optional<bool> metacopy;
    std::optional<bool> index;
    bool sawLowerdir = false;
    bool sawLowerdirPlus = false;

    // Not QDir::absoluteFilePath: it takes a path starting with ':' for an (absolute) Qt resource
    // and leaves ":c" unresolved (found by fuzz_overlayoptions).
    // Runs of '/' collapsed first: QDir::cleanPath turns "/base/..//z" into "//z" (found by
    // fuzz_overlayoptions: the printed "//z" then parsed back as another path, "/z").
    auto absolute = [&](const QString &path) {
        const QString joined = path.startsWith(u'/') ? path : QDir(baseDir).absolutePath() + u'/' + path;
        QString single;
        single.reserve(joined.size());
        for (QChar c : joined) {
            if (c != u'/' || !single.endsWith(u'/'))
                single += c;
        }
        return QDir::cleanPath(single);
    };
    auto onOff = [](const QString &key, const QString &value) -> Expected<bool> {
        if (value == u"on")
            return true;
        if (value == u"off")
            return false;
        return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option %1 takes on or off, not '%2'").arg(key, value));
    };

    for (const QString &rawOption : splitUnescaped(options.trimmed(), u',')) {
        if (rawOption.isEmpty())
            continue;
        const qsizetype eq = rawOption.indexOf(u'=');
        const QString key = eq < 0 ? rawOption : rawOption.left(eq);
        const QString value = eq < 0 ? QString() : rawOption.mid(eq + 1);
        if (key == u"lowerdir") {
            if (sawLowerdirPlus)
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay options mix lowerdir= and lowerdir+="));
            if (value.isEmpty())
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option lowerdir= is empty"));
            sawLowerdir = true;
            lowers.clear();
            dataLayers.clear();
            // "a:b::c::d" — after the first "::" every layer is data-only.
            bool inData = false;
            const QStringList parts = splitUnescaped(value, u':');
            for (qsizetype i = 0; i < parts.size(); ++i) {
                if (parts[i].isEmpty()) {
                    if (i == 0 || i + 1 == parts.size() || parts[i + 1].isEmpty())
                        return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option lowerdir=%1 has an empty layer").arg(value));
                    inData = true;
                    continue;
                }
                (inData ? dataLayers : lowers).append(absolute(unescape(parts[i])));
            }
        } else if (key == u"lowerdir+" || key == u"datadir+") {
            if (sawLowerdir)
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay options mix lowerdir= and %1=").arg(key));
            if (value.isEmpty())
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option %1= is empty").arg(key));
            sawLowerdirPlus = true;
            if (key == u"lowerdir+") {
                if (!dataLayers.isEmpty())
                    return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option lowerdir+=%1 follows a datadir+=").arg(value));
                lowers.append(absolute(unescape(value)));
            } else {
                dataLayers.append(absolute(unescape(value)));
            }
        } else if (key == u"upperdir") {
            upper = absolute(unescape(value));
        } else if (key == u"workdir") {
            config.workdir = absolute(unescape(value));
        } else if (key == u"redirect_dir") {
            if (value == u"on")
                redirect = RedirectMode::On;
            else if (value == u"follow")
                redirect = RedirectMode::Follow;
            else if (value == u"nofollow")
                redirect = RedirectMode::NoFollow;
            else if (value == u"off")
                redirect = RedirectMode::Off;
            else
                return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option redirect_dir takes on, follow, nofollow or off, not '%1'").arg(value));
        } else if (key == u"metacopy" || key == u"index") {
            auto parsed = onOff(key, value);
            if (!parsed)
                return parsed.error();
            (key == u"metacopy" ? metacopy : index) = *parsed;
        } else if (key == u"userxattr" || key == u"nouserxattr") {
            config.userxattr = key == u"userxattr";
            if (key == u"nouserxattr")
                config.otherOptions.append(rawOption);
        } else if (const auto problem = checkOtherOption(key, value, eq >= 0); !problem) {
            config.otherOptions.append(rawOption);
        } else if (*problem == u"unknown") {
            return makeError(ErrorCode::InvalidOption, QStringLiteral("unknown overlay option '%1'").arg(rawOption), rawOption);
        } else {
            return makeError(ErrorCode::InvalidOption, *problem, rawOption);
        }
    }

    if (lowers.isEmpty())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay options name no lower layer (lowerdir=)"));
    if (!upper.isEmpty() && config.workdir.isEmpty())
        return makeError(ErrorCode::InvalidOption, QStringLiteral("overlay option upperdir= needs a workdir= as well"));

    // The kernel's implications (fs/overlayfs/params.c, ovl_fs_params_verify).
    bool metacopyOn = metacopy.value_or(defaults.metacopy);
    RedirectMode redirectMode = redirect.value_or(defaults.redirectDir ? RedirectMode::On
                                                                      : (defaults.redirectAlwaysFollow ? RedirectMode::Follow : RedirectMode::NoFollow));
    if (config.userxattr) {
        if (redirect && *redirect != RedirectMode::NoFollow)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: userxattr and redirect_dir other than nofollow"));
        if (metacopy && *metacopy)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: userxattr and metacopy=on"));
        redirectMode = RedirectMode::NoFollow;
        metacopyOn = false;
    }
    if (metacopyOn && redirectMode != RedirectMode::On) {
        if (metacopy && redirect)
            return makeError(ErrorCode::InvalidOption, QStringLiteral("conflicting overlay options: metacopy=on needs redirect_dir=on"));
        if (redirect)
            metacopyOn = false;
        else
            redirectMode = RedirectMode::On;
    }
    config.redirect = redirectMode;
    config.metacopy = metacopyOn;
    config.index = index.value_or(defaults.index);

    for (auto it = dataLayers.crbegin(); it != dataLayers.crend(); ++it)
        config.layers.push_back({*it, LayerRole::DataOnly});
    for (auto it = lowers.crbegin(); it != lowers.crend(); ++it)
        config.layers.push_back({*it, LayerRole::Lower});
    if (!upper.isEmpty())
        config.layers.push_back({upper, LayerRole::Upper});
    return config;
}

QString OverlayConfig::toOptionString() const
{
    QStringList lowerParts;
    QStringList dataParts;
    QString upper;
    for (auto it = layers.crbegin(); it != layers.crend(); ++it) {
        if (it->role == LayerRole::Upper)
            upper = it->path;
        else
            (it->role == LayerRole::Lower ? lowerParts : dataParts).append(escapeOverlayPath(it->path));
    }
    QString lower = lowerParts.join(u':');
    if (!dataParts.isEmpty())
        lower += QStringLiteral("::") + dataParts.join(QStringLiteral("::"));
    QStringList options{QStringLiteral("lowerdir=") + lower};
    if (!upper.isEmpty()) {
        options.append(QStringLiteral("upperdir=") + escapeOverlayPath(upper));
        options.append(QStringLiteral("workdir=") + escapeOverlayPath(workdir));
    }
    static const char *redirectNames[] = {"off", "nofollow", "follow", "on"};
    if (userxattr)
        options.append(QStringLiteral("userxattr"));
    else
        options.append(QStringLiteral("redirect_dir=") + QLatin1StringView(redirectNames[int(redirect)]));
    if (!userxattr)
        options.append(metacopy ? QStringLiteral("metacopy=on") : QStringLiteral("metacopy=off"));
    options.append(index ? QStringLiteral("index=on") : QStringLiteral("index=off"));
    options += otherOptions;
    return options.join(u',');
}

} // namespace strata
