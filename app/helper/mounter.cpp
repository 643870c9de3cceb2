// SPDX-License-Identifier: GPL-3.0-or-later
#include "mounter.h"

#include "mountplan.h"
#include "source.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace strata::helper {

namespace {

// Opens a layer (or upper/work) dir as the invoker and checks the rights on that very fd, so a
// path swapped after the check cannot be what gets mounted.
Expected<UniqueFd> openLayerDir(const QString &path, bool writable, const Invoker &invoker)
{
    AsInvoker as(invoker);
    const QByteArray p = QFile::encodeName(path);
    UniqueFd fd(::open(p.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return errorFromErrno(errno, path, QStringLiteral("cannot open layer directory as uid %1").arg(invoker.uid));
    const int mode = R_OK | X_OK | (writable ? W_OK : 0);
    if (::faccessat(fd.get(), "", mode, AT_EMPTY_PATH | AT_EACCESS) != 0)
        return errorFromErrno(errno, path, QStringLiteral("uid %1 may not %2 this directory").arg(invoker.uid).arg(writable ? QStringLiteral("write") : QStringLiteral("read")));
    return fd;
}

// What the kernel said about a refused fs context (fsopen's message log: "e overlayfs: ...").
QString fsContextMessages(int fsfd)
{
    QString out;
    char buffer[1024];
    for (ssize_t n; (n = ::read(fsfd, buffer, sizeof buffer - 1)) > 0;) {
        buffer[n] = 0;
        if (!out.isEmpty())
            out += QStringLiteral("; ");
        out += QString::fromUtf8(buffer, n).trimmed();
    }
    return out;
}

// The options passed besides the layers, as key and value (empty value: a flag).
std::vector<std::pair<QString, QString>> optionPairs(const OverlayConfig &config)
{
    static const char *redirectNames[] = {"off", "nofollow", "follow", "on"};
    std::vector<std::pair<QString, QString>> out;
    if (config.userxattr) {
        out.emplace_back(QStringLiteral("userxattr"), QString());
    } else {
        out.emplace_back(QStringLiteral("redirect_dir"), QLatin1StringView(redirectNames[int(config.redirect)]));
        out.emplace_back(QStringLiteral("metacopy"), config.metacopy ? QStringLiteral("on") : QStringLiteral("off"));
    }
    out.emplace_back(QStringLiteral("index"), config.index ? QStringLiteral("on") : QStringLiteral("off"));
    for (const QString &o : config.otherOptions) {
        const qsizetype eq = o.indexOf(u'=');
        out.emplace_back(eq < 0 ? o : o.left(eq), eq < 0 ? QString() : o.mid(eq + 1));
    }
    return out;
}

struct LayerFds {
    std::vector<UniqueFd> layers; // as config.layers
    UniqueFd work;
};

// The new mount API: one lowerdir+ (or datadir+) per layer, top first, each as an fd where the
// kernel takes fds and as its path otherwise.
Expected<UniqueFd> mountWithFsconfig(const OverlayConfig &config, const LayerFds &fds, bool passFds, QString *api)
{
    UniqueFd fsfd(::fsopen("overlay", FSOPEN_CLOEXEC));
    if (!fsfd)
        return errorFromErrno(errno, QStringLiteral("overlay"), QStringLiteral("fsopen"));
    auto fail = [&](const QString &what) {
        const int e = errno;
        const QString kernel = fsContextMessages(fsfd.get());
        return errorFromErrno(e, QString(), kernel.isEmpty() ? what : what + QStringLiteral(" (kernel: %1)").arg(kernel));
    };
    auto setDir = [&](const char *key, const QString &path, int fd) {
        if (passFds)
            return ::fsconfig(fsfd.get(), FSCONFIG_SET_FD, key, nullptr, fd);
        const QByteArray p = QFile::encodeName(path);
        return ::fsconfig(fsfd.get(), FSCONFIG_SET_STRING, key, p.constData(), 0);
    };
    std::vector<size_t> lowers, data;
    for (size_t i = config.layers.size(); i-- > 0;) {
        if (config.layers[i].role == LayerRole::Lower)
            lowers.push_back(i);
        else if (config.layers[i].role == LayerRole::DataOnly)
            data.push_back(i);
    }
    for (size_t i : lowers) {
        if (setDir("lowerdir+", config.layers[i].path, fds.layers[i].get()) != 0)
            return fail(QStringLiteral("lowerdir+ %1").arg(config.layers[i].path));
    }
    for (size_t i : data) {
        if (setDir("datadir+", config.layers[i].path, fds.layers[i].get()) != 0)
            return fail(QStringLiteral("datadir+ %1").arg(config.layers[i].path));
    }
    if (config.hasUpper()) {
        if (setDir("upperdir", config.layers.back().path, fds.layers.back().get()) != 0)
            return fail(QStringLiteral("upperdir %1").arg(config.layers.back().path));
        if (setDir("workdir", config.workdir, fds.work.get()) != 0)
            return fail(QStringLiteral("workdir %1").arg(config.workdir));
    }
    for (const auto &[key, value] : optionPairs(config)) {
        const QByteArray k = key.toUtf8(), v = value.toUtf8();
        const int rc = value.isEmpty() ? ::fsconfig(fsfd.get(), FSCONFIG_SET_FLAG, k.constData(), nullptr, 0)
                                       : ::fsconfig(fsfd.get(), FSCONFIG_SET_STRING, k.constData(), v.constData(), 0);
        if (rc != 0)
            return fail(QStringLiteral("option %1").arg(value.isEmpty() ? key : key + u'=' + value));
    }
    if (::fsconfig(fsfd.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return fail(QStringLiteral("creating the overlay"));
    UniqueFd mfd(::fsmount(fsfd.get(), FSMOUNT_CLOEXEC, 0));
    if (!mfd)
        return fail(QStringLiteral("fsmount"));
    *api = passFds ? QStringLiteral("fsconfig-fd") : QStringLiteral("fsconfig-path");
    return mfd;
}

bool layerNamesFitLegacy(const OverlayConfig &config)
{
    // mount(2) copies one page of options; the option string must fit.
    return config.toOptionString().toUtf8().size() < 4000;
}

} // namespace

// The raw setgroups syscall changes only the calling thread (glibc's wrapper would change all).
AsInvoker::AsInvoker(const Invoker &invoker)
    : m_active(!invoker.isRoot())
{
    if (!m_active)
        return;
    m_savedGroups.resize(size_t(::getgroups(0, nullptr)));
    if (::getgroups(int(m_savedGroups.size()), m_savedGroups.data()) < 0)
        m_savedGroups.clear();
    ::syscall(SYS_setgroups, invoker.groups.size(), invoker.groups.data());
    ::setfsgid(invoker.gid);
    ::setfsuid(invoker.uid);
}

AsInvoker::~AsInvoker()
{
    if (!m_active)
        return;
    ::setfsuid(0);
    ::setfsgid(0);
    ::syscall(SYS_setgroups, m_savedGroups.size(), m_savedGroups.data());
}

std::optional<Error> checkExtraOption(const QString &option)
{
    static const QStringList allowed = {
        QStringLiteral("redirect_dir=on"), QStringLiteral("redirect_dir=off"), QStringLiteral("redirect_dir=follow"), QStringLiteral("redirect_dir=nofollow"),
        QStringLiteral("metacopy=on"), QStringLiteral("metacopy=off"), QStringLiteral("index=on"), QStringLiteral("index=off"),
        QStringLiteral("xino=on"), QStringLiteral("xino=off"), QStringLiteral("xino=auto"), QStringLiteral("volatile"), QStringLiteral("userxattr"),
    };
    if (allowed.contains(option))
        return std::nullopt;
    return makeError(ErrorCode::InvalidOption, QStringLiteral("option '%1' is not one the helper passes (allowed: %2)").arg(option, allowed.join(QStringLiteral(", "))));
}

bool kernelTakesLayerFds()
{
    static const bool takes = [] {
        UniqueFd fsfd(::fsopen("overlay", FSOPEN_CLOEXEC));
        UniqueFd dir(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        return fsfd && dir && ::fsconfig(fsfd.get(), FSCONFIG_SET_FD, "lowerdir+", nullptr, dir.get()) == 0;
    }();
    return takes;
}

Expected<MountedStack *> Mounter::mount(const MountRequest &request)
{
    auto address = parseSourceAddress(request.source);
    if (!address)
        return address.error();
    if (address->kind != SourceKind::Overlay)
        return makeError(ErrorCode::Unsupported, QStringLiteral("the helper mounts overlay: sources only so far"), request.source);
    QString options = address->argument;
    for (const QString &extra : request.options) {
        if (auto e = checkExtraOption(extra))
            return *e;
        options += u',' + extra;
    }
    if (m_rootless && !request.options.contains(QStringLiteral("userxattr")) && !options.contains(QStringLiteral("userxattr"))) {
        // userxattr follows no redirects: "follow" (the kernel's default, which planMount spells
        // out) becomes "nofollow"; redirect_dir=on or metacopy=on stay and are refused.
        QStringList parts = splitOverlayOptions(options);
        for (QString &part : parts) {
            if (part == u"redirect_dir=follow")
                part = QStringLiteral("redirect_dir=nofollow");
        }
        options = parts.join(u',') + QStringLiteral(",userxattr");
    }
    // Relative layer paths make no sense to a helper with its own cwd.
    auto parsed = OverlayConfig::parse(options, QStringLiteral("/nonexistent-relative-base"), OverlayDefaults::fromRunningKernel());
    if (!parsed)
        return parsed.error();
    OverlayConfig config = std::move(*parsed);
    for (const LayerSpec &layer : config.layers) {
        if (layer.path.startsWith(QStringLiteral("/nonexistent-relative-base")))
            return makeError(ErrorCode::InvalidOption, QStringLiteral("layer paths must be absolute"), layer.path);
    }
    for (const QString &o : config.otherOptions) {
        if (auto e = checkExtraOption(o))
            return *e;
    }

    LayerFds fds;
    for (const LayerSpec &layer : config.layers) {
        auto fd = openLayerDir(layer.path, layer.role == LayerRole::Upper, m_invoker);
        if (!fd)
            return fd.error();
        fds.layers.push_back(std::move(*fd));
    }
    if (config.hasUpper()) {
        auto work = openLayerDir(config.workdir, true, m_invoker);
        if (!work)
            return work.error();
        fds.work = std::move(*work);
    }

    auto stack = std::make_unique<MountedStack>();
    stack->id = QStringLiteral("m%1").arg(m_next++);
    stack->merged = m_scratch + u'/' + stack->id;
    stack->config = config;
    const QByteArray target = QFile::encodeName(stack->merged);
    if (::mkdir(target.constData(), 0755) != 0)
        return errorFromErrno(errno, stack->merged, QStringLiteral("cannot create the mount point"));

    const bool useFsconfig = request.api != MountApi::Legacy;
    std::optional<Error> failure;
    if (useFsconfig) {
        auto mfd = mountWithFsconfig(config, fds, kernelTakesLayerFds(), &stack->api);
        if (mfd && ::move_mount(mfd->get(), "", AT_FDCWD, target.constData(), MOVE_MOUNT_F_EMPTY_PATH) != 0)
            failure = errorFromErrno(errno, stack->merged, QStringLiteral("move_mount"));
        else if (!mfd)
            failure = mfd.error();
    }
    if ((!useFsconfig || (failure && request.api == MountApi::Auto && failure->sysErrno == ENOSYS))) {
        if (!layerNamesFitLegacy(config))
            failure = makeError(ErrorCode::LimitExceeded, QStringLiteral("the option string is longer than mount(2) takes"));
        else if (::mount("overlay", target.constData(), "overlay", 0, config.toOptionString().toUtf8().constData()) != 0)
            failure = errorFromErrno(errno, stack->merged, QStringLiteral("mount(2) with the legacy option string"));
        else {
            failure.reset();
            stack->api = QStringLiteral("legacy");
        }
    }
    if (failure) {
        ::rmdir(target.constData());
        return *failure;
    }
    stack->root = UniqueFd(::open(target.constData(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    spdlog::info("mounted {} at {} via {}", stack->id.toStdString(), stack->merged.toStdString(), stack->api.toStdString());
    m_mounts.push_back(std::move(stack));
    return m_mounts.back().get();
}

MountedStack *Mounter::find(const QString &id)
{
    for (auto &m : m_mounts) {
        if (m->id == id)
            return m.get();
    }
    return nullptr;
}

std::optional<Error> Mounter::unmount(const QString &id)
{
    for (auto it = m_mounts.begin(); it != m_mounts.end(); ++it) {
        if ((*it)->id != id)
            continue;
        (*it)->root.reset();
        const QByteArray target = QFile::encodeName((*it)->merged);
        if (::umount2(target.constData(), 0) != 0)
            return errorFromErrno(errno, (*it)->merged, QStringLiteral("cannot unmount (still in use?)"));
        ::rmdir(target.constData());
        m_mounts.erase(it);
        return std::nullopt;
    }
    return makeError(ErrorCode::NotFound, QStringLiteral("no such mount"), id);
}

void Mounter::unmountAll()
{
    while (!m_mounts.empty()) {
        const QByteArray target = QFile::encodeName(m_mounts.back()->merged);
        m_mounts.back()->root.reset();
        ::umount2(target.constData(), MNT_DETACH);
        ::rmdir(target.constData());
        m_mounts.pop_back();
    }
}

} // namespace strata::helper
