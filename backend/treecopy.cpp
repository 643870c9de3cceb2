// SPDX-License-Identifier: GPL-3.0-or-later
#include "treecopy.h"

#include "uniquefd.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace strata {

namespace {

struct CopyState {
    std::map<std::pair<dev_t, ino_t>, std::string> linked; // hardlinked inodes already copied: their path in `to`
    std::string fromRoot, toRoot;
};

Error systemError(const std::string &path, const char *what)
{
    const int e = errno;
    return makeError(e == EACCES || e == EPERM ? ErrorCode::Permission : ErrorCode::Io,
                     QStringLiteral("%1: %2").arg(QString::fromLatin1(what), QString::fromLocal8Bit(std::strerror(e))),
                     QFile::decodeName(QByteArray::fromStdString(path)));
}

std::optional<Error> copyXattrs(const std::string &from, const std::string &to)
{
    std::vector<char> names(65536);
    const ssize_t n = ::llistxattr(from.c_str(), names.data(), names.size());
    if (n < 0)
        return errno == ENOTSUP ? std::nullopt : std::optional<Error>(systemError(from, "listxattr"));
    std::vector<char> value(65536);
    for (ssize_t i = 0; i < n; i += ssize_t(std::strlen(names.data() + i)) + 1) {
        const char *name = names.data() + i;
        const ssize_t size = ::lgetxattr(from.c_str(), name, value.data(), value.size());
        if (size < 0)
            return systemError(from, "getxattr");
        if (::lsetxattr(to.c_str(), name, value.data(), size_t(size), 0) != 0)
            return systemError(to, "setxattr");
    }
    return std::nullopt;
}

std::optional<Error> copyAttributes(const std::string &from, const std::string &to, const struct stat &st)
{
    if (auto e = copyXattrs(from, to))
        return e;
    if (::geteuid() == 0 && ::lchown(to.c_str(), st.st_uid, st.st_gid) != 0)
        return systemError(to, "chown");
    if (!S_ISLNK(st.st_mode) && ::chmod(to.c_str(), st.st_mode & 07777) != 0)
        return systemError(to, "chmod");
    const timespec times[2] = {st.st_atim, st.st_mtim};
    if (::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        return systemError(to, "utimensat");
    return std::nullopt;
}

std::optional<Error> copyFileData(const std::string &from, const std::string &to, mode_t mode)
{
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in)
        return systemError(from, "open");
    UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777));
    if (!out)
        return systemError(to, "create");
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(from, "read");
        if (n == 0)
            return std::nullopt;
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(out.get(), buffer + done, size_t(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return systemError(to, "write");
            done += w;
        }
    }
}

std::optional<Error> copyEntry(CopyState &state, const std::string &rel)
{
    const std::string from = state.fromRoot + rel, to = state.toRoot + rel;
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0)
        return systemError(from, "lstat");
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        const auto key = std::pair{st.st_dev, st.st_ino};
        if (const auto it = state.linked.find(key); it != state.linked.end()) {
            if (::link(it->second.c_str(), to.c_str()) != 0)
                return systemError(to, "link");
            return std::nullopt;
        }
        state.linked.emplace(key, to);
    }
    if (S_ISREG(st.st_mode)) {
        if (auto e = copyFileData(from, to, st.st_mode))
            return e;
    } else if (S_ISDIR(st.st_mode)) {
        if (::mkdir(to.c_str(), 0700) != 0)
            return systemError(to, "mkdir");
        std::unique_ptr<DIR, int (*)(DIR *)> dir(::opendir(from.c_str()), ::closedir);
        if (!dir)
            return systemError(from, "opendir");
        std::vector<std::string> names;
        while (dirent *d = ::readdir(dir.get())) {
            if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0)
                names.emplace_back(d->d_name);
        }
        for (const std::string &name : names) {
            if (auto e = copyEntry(state, rel + '/' + name))
                return e;
        }
    } else if (S_ISLNK(st.st_mode)) {
        std::string target(size_t(st.st_size) + 1, '\0');
        const ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
        if (n < 0)
            return systemError(from, "readlink");
        target.resize(size_t(n));
        if (::symlink(target.c_str(), to.c_str()) != 0)
            return systemError(to, "symlink");
    } else if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        // A whiteout: unprivileged users may make this one device (Linux ≥ 5.8).
        if (::mknod(to.c_str(), S_IFCHR | (st.st_mode & 0777), makedev(0, 0)) != 0)
            return systemError(to, "mknod whiteout");
    } else {
        errno = EINVAL;
        return makeError(ErrorCode::Unsupported, QStringLiteral("a device node, fifo or socket is not copied"), QFile::decodeName(QByteArray::fromStdString(from)));
    }
    return copyAttributes(from, to, st);
}

std::optional<Error> removeBelow(int dirFd, const std::string &path)
{
    std::unique_ptr<DIR, int (*)(DIR *)> dir(::fdopendir(::dup(dirFd)), ::closedir);
    if (!dir)
        return systemError(path, "opendir");
    struct stat self {};
    ::fstat(dirFd, &self);
    std::vector<std::string> names;
    while (dirent *d = ::readdir(dir.get())) {
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0)
            names.emplace_back(d->d_name);
    }
    for (const std::string &name : names) {
        struct stat st {};
        if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return systemError(path + '/' + name, "lstat");
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != self.st_dev)
                return makeError(ErrorCode::Io, QStringLiteral("a mount point is not removed"), QFile::decodeName(QByteArray::fromStdString(path + '/' + name)));
            ::fchmodat(dirFd, name.c_str(), 0700, 0);
            UniqueFd child(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!child)
                return systemError(path + '/' + name, "open");
            if (auto e = removeBelow(child.get(), path + '/' + name))
                return e;
            if (::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0)
                return systemError(path + '/' + name, "rmdir");
        } else if (::unlinkat(dirFd, name.c_str(), 0) != 0) {
            return systemError(path + '/' + name, "unlink");
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<Error> copyTree(const QString &from, const QString &to)
{
    CopyState state;
    state.fromRoot = QFile::encodeName(from).toStdString();
    state.toRoot = QFile::encodeName(to).toStdString();
    return copyEntry(state, std::string());
}

std::optional<Error> removeTreeContents(const QString &dir)
{
    const std::string path = QFile::encodeName(dir).toStdString();
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd)
        return systemError(path, "open");
    return removeBelow(fd.get(), path);
}

} // namespace strata
