// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagefiles.h"

#include "tarstream.h"

#include <archive.h>
#include <archive_entry.h>

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace strata {

std::string normalizeImagePath(std::string_view path)
{
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos <= path.size()) {
        const size_t end = std::min(path.find('/', pos), path.size());
        const std::string_view c = path.substr(pos, end - pos);
        pos = end + 1;
        if (c.empty() || c == ".")
            continue;
        if (c == "..") {
            if (parts.empty())
                return {};
            parts.pop_back();
            continue;
        }
        parts.push_back(c);
    }
    std::string out;
    for (std::string_view c : parts) {
        if (!out.empty())
            out += '/';
        out += c;
    }
    return out;
}

Expected<QByteArray> ImageFiles::read(const std::string &path, qint64 maxBytes) const
{
    auto w = window(path);
    if (!w)
        return w.error();
    if (w->length > uint64_t(maxBytes))
        return makeError(ErrorCode::LimitExceeded, QStringLiteral("%1 is %2 bytes, more than the %3 a metadata file may have").arg(w->name).arg(w->length).arg(maxBytes),
                         w->name);
    QByteArray data(qsizetype(w->length), Qt::Uninitialized);
    uint64_t done = 0;
    while (done < w->length) {
        const ssize_t n = ::pread(w->file->get(), data.data() + done, size_t(w->length - done), off_t(w->offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errorFromErrno(errno, w->name, QStringLiteral("cannot read %1").arg(w->name));
        if (n == 0)
            return makeError(ErrorCode::Corrupt, QStringLiteral("%1 ends early (truncated)").arg(w->name), w->name);
        done += uint64_t(n);
    }
    return data;
}

// ---- DirectoryFiles ----------------------------------------------------------------------------

Expected<std::shared_ptr<const DirectoryFiles>> DirectoryFiles::open(const QString &path)
{
    UniqueFd dir(::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) {
        const int error = errno;
        return Error{error == ENOTDIR ? ErrorCode::NotADirectory : errorCodeFromErrno(error), error, path,
                     QStringLiteral("cannot open the image layout %1").arg(path)};
    }
    auto files = std::shared_ptr<DirectoryFiles>(new DirectoryFiles);
    files->m_path = path;
    files->m_dir = std::move(dir);
    return std::shared_ptr<const DirectoryFiles>(std::move(files));
}

QString DirectoryFiles::describe(const std::string &path) const
{
    return m_path + u'/' + QString::fromStdString(path);
}

Expected<UniqueFd> DirectoryFiles::openBeneath(const std::string &path) const
{
    const std::string clean = normalizeImagePath(path);
    if (clean.empty())
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1 leaves the image layout").arg(describe(path)), describe(path));
    open_how how{};
    how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    int fd = int(::syscall(SYS_openat2, m_dir.get(), clean.c_str(), &how, sizeof how));
    if (fd < 0 && errno == ENOSYS) {
        // Kernels before 5.6: no symlinks at all, component by component.
        int current = ::openat(m_dir.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        size_t pos = 0;
        while (current >= 0) {
            const size_t end = std::min(clean.find('/', pos), clean.size());
            const bool last = end == clean.size();
            const std::string part = clean.substr(pos, end - pos);
            const int next = ::openat(current, part.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (last ? 0 : O_DIRECTORY));
            const int error = errno;
            ::close(current);
            current = next;
            errno = error;
            if (last)
                break;
            pos = end + 1;
        }
        fd = current;
    }
    if (fd < 0) {
        const int error = errno;
        if (error == EXDEV || error == ELOOP)
            return Error{ErrorCode::Corrupt, error, describe(path), QStringLiteral("%1 is a link leading out of the image layout; not followed").arg(describe(path))};
        return Error{errorCodeFromErrno(error), error, describe(path), QStringLiteral("cannot open %1").arg(describe(path))};
    }
    UniqueFd owned(fd);
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1 is not a regular file").arg(describe(path)), describe(path));
    return owned;
}

bool DirectoryFiles::exists(const std::string &path) const
{
    return openBeneath(path).hasValue();
}

Expected<FileWindow> DirectoryFiles::window(const std::string &path) const
{
    auto fd = openBeneath(path);
    if (!fd)
        return fd.error();
    struct stat st{};
    ::fstat(fd->get(), &st);
    // A blocking descriptor from here on (O_NONBLOCK only kept a FIFO from hanging the open).
    ::fcntl(fd->get(), F_SETFL, 0);
    return FileWindow{std::make_shared<const UniqueFd>(std::move(fd).value()), 0, uint64_t(st.st_size), describe(path)};
}

// ---- ArchiveFiles ------------------------------------------------------------------------------

Expected<std::shared_ptr<const ArchiveFiles>> ArchiveFiles::open(const QString &path, size_t maxMembers)
{
    UniqueFd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd)
        return Error{errorCodeFromErrno(errno), errno, path, QStringLiteral("cannot open the archive %1").arg(path)};
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return makeError(ErrorCode::InvalidSource, QStringLiteral("%1 is not a regular file").arg(path), path);
    ::fcntl(fd.get(), F_SETFL, 0);
    auto files = std::shared_ptr<ArchiveFiles>(new ArchiveFiles);
    files->m_path = path;
    files->m_file = std::make_shared<const UniqueFd>(std::move(fd));
    TarBlob whole{files->m_file, 0, uint64_t(st.st_size), Compression::None, path, {}, {}};
    unsigned char magic[4] = {};
    if (::pread(files->m_file->get(), magic, sizeof magic, 0) >= 2 && ((magic[0] == 0x1f && magic[1] == 0x8b) || (magic[0] == 0x28 && magic[1] == 0xb5)))
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("%1 is compressed; Strata reads docker-save archives in place, uncompressed (decompress it first)").arg(path), path);
    TarStream stream(whole);
    if (auto failed = stream.open())
        return *failed;
    for (;;) {
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(stream.tar(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN || !e)
            return stream.error();
        if (files->m_members.size() >= maxMembers)
            return makeError(ErrorCode::LimitExceeded, QStringLiteral("%1 has more than %2 members; not a docker-save archive?").arg(path).arg(maxMembers), path);
        const char *name = archive_entry_pathname(e);
        const std::string clean = normalizeImagePath(name ? name : "");
        if (clean.empty())
            continue; // "./", or a name climbing out: never looked up
        Member m;
        // Right after the header: the data starts where the tar parser stands now.
        m.offset = uint64_t(archive_filter_bytes(stream.tar(), 0));
        m.size = uint64_t(std::max<la_int64_t>(0, archive_entry_size(e)));
        if (const char *target = archive_entry_hardlink(e)) {
            m.type = '1';
            m.link = normalizeImagePath(target);
        } else {
            switch (archive_entry_filetype(e)) {
            case AE_IFREG:
                m.type = '0';
                break;
            case AE_IFLNK:
                m.type = '2';
                m.link = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
                break;
            case AE_IFDIR:
                m.type = '5';
                break;
            default:
                m.type = '?';
            }
        }
        if (m.offset + m.size > uint64_t(st.st_size))
            return makeError(ErrorCode::Corrupt, QStringLiteral("%1: member %2 runs past the end of the archive (truncated?)").arg(path, QString::fromStdString(clean)), path);
        files->m_members[clean] = std::move(m);
    }
    return std::shared_ptr<const ArchiveFiles>(std::move(files));
}

QString ArchiveFiles::describe(const std::string &path) const
{
    return m_path + u':' + QString::fromStdString(path);
}

const ArchiveFiles::Member *ArchiveFiles::resolve(const std::string &path) const
{
    std::string current = normalizeImagePath(path);
    for (int hop = 0; hop < 16 && !current.empty(); ++hop) {
        const auto it = m_members.find(current);
        if (it == m_members.end())
            return nullptr;
        const Member &m = it->second;
        if (m.type == '0')
            return &m;
        if (m.type == '1') {
            current = m.link;
        } else if (m.type == '2') {
            // Relative to the link's directory; an absolute target means the archive's root.
            const size_t slash = current.rfind('/');
            const std::string dir = m.link.starts_with('/') || slash == std::string::npos ? std::string() : current.substr(0, slash);
            current = normalizeImagePath(dir + '/' + m.link);
        } else {
            return nullptr;
        }
    }
    return nullptr;
}

bool ArchiveFiles::exists(const std::string &path) const
{
    return resolve(path) != nullptr;
}

Expected<FileWindow> ArchiveFiles::window(const std::string &path) const
{
    const Member *m = resolve(path);
    if (!m)
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file in the archive").arg(describe(path)), describe(path));
    return FileWindow{m_file, m->offset, m->size, describe(path)};
}

} // namespace strata
