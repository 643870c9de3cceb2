// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileops.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata::helper {

namespace {

constexpr int64_t maxReadBytes = 32 * 1024; // a read's reply must fit a protocol message

UniqueFd openInRoot(int rootFd, const QByteArray &path, uint64_t flags, mode_t mode = 0)
{
    open_how how{};
    how.flags = flags | O_CLOEXEC;
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const char *p = path.isEmpty() ? "." : path.constData();
    return UniqueFd(int(::syscall(SYS_openat2, rootFd, p, &how, sizeof how)));
}

// Why overlayfs answered an operation with this errno, where the reason is overlay's own.
QString explain(const QString &op, int error)
{
    switch (error) {
    case EXDEV:
        if (op == u"rename")
            return QStringLiteral("overlayfs refuses to rename a directory that exists in a lower layer unless redirect_dir=on (EXDEV; mv copies instead)");
        if (op == u"link")
            return QStringLiteral("a hard link across the overlay's layers is refused (EXDEV)");
        return QStringLiteral("the path leads outside the merged root");
    case ELOOP:
        return QStringLiteral("the path uses a /proc magic link or too many symlinks; the helper does not follow those");
    case EROFS:
        return QStringLiteral("the stack has no upper dir: it is mounted read-only");
    case ENOTEMPTY:
        return QStringLiteral("the directory still has entries in the merged view");
    case EOPNOTSUPP:
        return QStringLiteral("the upper filesystem or the mount's options do not allow this (trusted.* xattrs need root outside a user namespace)");
    case EPERM:
        return QStringLiteral("not permitted (in rootless mode only the invoking user's own files can be changed)");
    default:
        return {};
    }
}

Error opError(const QString &op, const QString &path, int error)
{
    QString detail = op;
    const QString why = explain(op, error);
    if (!why.isEmpty())
        detail += QStringLiteral(": ") + why;
    return errorFromErrno(error, path, detail);
}

// "a/b/c" → parent "a/b", name "c". The name must be a real entry name.
bool splitPath(const QByteArray &path, QByteArray *parent, QByteArray *name)
{
    QByteArray p = path;
    while (p.endsWith('/') && p.size() > 1)
        p.chop(1);
    const qsizetype slash = p.lastIndexOf('/');
    *parent = slash < 0 ? QByteArray(".") : (slash == 0 ? QByteArray("/") : p.left(slash));
    *name = slash < 0 ? p : p.mid(slash + 1);
    return !name->isEmpty() && *name != "." && *name != ".." && !name->contains('/');
}

QByteArray procPath(int fd)
{
    return "/proc/self/fd/" + QByteArray::number(fd);
}

struct Parent {
    UniqueFd dir;
    QByteArray name;
};

Expected<Parent> openParent(int rootFd, const QString &op, const QString &path)
{
    const QByteArray bytes = QFile::encodeName(path);
    Parent p;
    QByteArray parent;
    if (!splitPath(bytes, &parent, &p.name))
        return makeError(ErrorCode::InvalidOption, QStringLiteral("%1 needs a path that ends in an entry name").arg(op), path);
    p.dir = openInRoot(rootFd, parent, O_PATH | O_DIRECTORY);
    if (!p.dir)
        return opError(op, path, errno);
    return p;
}

QJsonObject statResult(int fd)
{
    struct stat st{};
    if (::fstat(fd, &st) != 0)
        return {};
    return QJsonObject{{QStringLiteral("mode"), qint64(st.st_mode)}, {QStringLiteral("size"), qint64(st.st_size)},
                       {QStringLiteral("uid"), qint64(st.st_uid)}, {QStringLiteral("ino"), qint64(st.st_ino)}};
}

} // namespace

bool FileOps::isFileOp(const QString &op)
{
    static const QStringList ops = {
        QStringLiteral("create"), QStringLiteral("write"), QStringLiteral("append"), QStringLiteral("truncate"), QStringLiteral("chmod"),
        QStringLiteral("chown"), QStringLiteral("utimes"), QStringLiteral("rename"), QStringLiteral("unlink"), QStringLiteral("rmdir"),
        QStringLiteral("mkdir"), QStringLiteral("symlink"), QStringLiteral("link"), QStringLiteral("setxattr"), QStringLiteral("removexattr"),
        QStringLiteral("read"), QStringLiteral("open"),
    };
    return ops.contains(op);
}

Expected<QJsonObject> FileOps::run(int rootFd, const Request &r)
{
    const QString &op = r.op;
    const QString path = r.string("path");
    if (path.contains(QChar(0)))
        return makeError(ErrorCode::InvalidOption, QStringLiteral("path holds a NUL character"));
    const QByteArray bytes = QFile::encodeName(path);
    auto fail = [&](int error) { return opError(op, path, error); };

    // Operations on the entry itself, reached through the (contained) path.
    auto openTarget = [&](uint64_t flags) { return openInRoot(rootFd, bytes, flags); };
    if (op == u"write" || op == u"append") {
        UniqueFd fd = openTarget(O_WRONLY | (op == u"append" ? O_APPEND : 0) | O_NOCTTY | O_NONBLOCK);
        if (!fd)
            return fail(errno);
        const QByteArray data = r.string("data").toUtf8();
        const ssize_t n = op == u"append" ? ::write(fd.get(), data.constData(), size_t(data.size()))
                                          : ::pwrite(fd.get(), data.constData(), size_t(data.size()), off_t(r.integer("offset")));
        if (n != data.size())
            return fail(n < 0 ? errno : EIO);
        return statResult(fd.get());
    }
    if (op == u"create") {
        UniqueFd fd = openInRoot(rootFd, bytes, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode_t(r.integer("mode", 0644)));
        if (!fd)
            return fail(errno);
        const QByteArray data = r.string("data").toUtf8();
        if (!data.isEmpty() && ::write(fd.get(), data.constData(), size_t(data.size())) != data.size())
            return fail(errno);
        return statResult(fd.get());
    }
    if (op == u"truncate") {
        UniqueFd fd = openTarget(O_WRONLY | O_NOCTTY | O_NONBLOCK);
        if (!fd)
            return fail(errno);
        if (::ftruncate(fd.get(), off_t(r.integer("size"))) != 0)
            return fail(errno);
        return statResult(fd.get());
    }
    if (op == u"read" || op == u"open") {
        UniqueFd fd = openTarget(O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (!fd)
            return fail(errno);
        if (op == u"open") {
            const int64_t handle = m_nextHandle++;
            QJsonObject result = statResult(fd.get());
            m_handles.emplace(handle, std::move(fd));
            result.insert(QStringLiteral("handle"), qint64(handle));
            return result;
        }
        QByteArray data(int(std::min(r.integer("size", maxReadBytes), maxReadBytes)), Qt::Uninitialized);
        const ssize_t n = ::pread(fd.get(), data.data(), size_t(data.size()), 0);
        if (n < 0)
            return fail(errno);
        data.truncate(n);
        return QJsonObject{{QStringLiteral("data"), QString::fromUtf8(data)}};
    }
    if (op == u"chmod" || op == u"chown" || op == u"utimes" || op == u"setxattr" || op == u"removexattr") {
        // O_PATH reaches any file type; the change goes through the fd's own /proc link, which names
        // exactly the inode resolved in the root (not a path looked up again).
        UniqueFd fd = openTarget(O_PATH);
        if (!fd)
            return fail(errno);
        const QByteArray proc = procPath(fd.get());
        int rc = 0;
        if (op == u"chmod") {
            rc = ::chmod(proc.constData(), mode_t(r.integer("mode")));
        } else if (op == u"chown") {
            rc = ::fchownat(fd.get(), "", uid_t(r.integer("uid")), gid_t(r.integer("gid")), AT_EMPTY_PATH);
        } else if (op == u"utimes") {
            // A time left out is now (UTIME_NOW): JSON integers stop at 2^53, today's nanoseconds do not fit.
            const auto at = [&](const char *field) {
                const int64_t t = r.integer(field);
                return r.has(field) ? timespec{time_t(t / 1000000000), long(t % 1000000000)} : timespec{0, UTIME_NOW};
            };
            const timespec times[2] = {at("atime"), at("mtime")};
            rc = ::utimensat(AT_FDCWD, proc.constData(), times, 0);
        } else if (op == u"setxattr") {
            const QByteArray name = r.string("name").toUtf8(), value = r.string("value").toUtf8();
            rc = ::setxattr(proc.constData(), name.constData(), value.constData(), size_t(value.size()), 0);
        } else {
            const QByteArray name = r.string("name").toUtf8();
            rc = ::removexattr(proc.constData(), name.constData());
        }
        if (rc != 0)
            return fail(errno);
        return statResult(fd.get());
    }

    // Operations on a name in a directory: the parent resolves in the root, the name is one entry.
    auto parent = openParent(rootFd, op, path);
    if (!parent)
        return parent.error();
    const int dir = parent->dir.get();
    const char *name = parent->name.constData();
    int rc = 0;
    if (op == u"unlink") {
        rc = ::unlinkat(dir, name, 0);
    } else if (op == u"rmdir") {
        rc = ::unlinkat(dir, name, AT_REMOVEDIR);
    } else if (op == u"mkdir") {
        rc = ::mkdirat(dir, name, mode_t(r.integer("mode", 0755)));
    } else if (op == u"symlink") {
        const QByteArray target = QFile::encodeName(r.string("target"));
        rc = ::symlinkat(target.constData(), dir, name);
    } else if (op == u"rename" || op == u"link") {
        auto to = openParent(rootFd, op, r.string("to"));
        if (!to)
            return to.error();
        rc = op == u"rename" ? ::renameat(dir, name, to->dir.get(), to->name.constData()) : ::linkat(dir, name, to->dir.get(), to->name.constData(), 0);
    } else {
        return makeError(ErrorCode::InvalidOption, QStringLiteral("unknown file op %1").arg(op));
    }
    if (rc != 0)
        return fail(errno);
    return QJsonObject{};
}

Expected<QJsonObject> FileOps::readHandle(int64_t handle, int64_t size)
{
    auto it = m_handles.find(handle);
    if (it == m_handles.end())
        return makeError(ErrorCode::NotFound, QStringLiteral("no open handle %1").arg(handle));
    QByteArray data(int(std::clamp<int64_t>(size, 0, maxReadBytes)), Qt::Uninitialized);
    const ssize_t n = ::pread(it->second.get(), data.data(), size_t(data.size()), 0);
    if (n < 0)
        return errorFromErrno(errno, QString(), QStringLiteral("read from handle"));
    data.truncate(n);
    QJsonObject result = statResult(it->second.get());
    result.insert(QStringLiteral("data"), QString::fromUtf8(data));
    return result;
}

std::optional<Error> FileOps::closeHandle(int64_t handle)
{
    if (m_handles.erase(handle) == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no open handle %1").arg(handle));
    return std::nullopt;
}

} // namespace strata::helper
