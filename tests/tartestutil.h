// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Writes tar layers in memory with libarchive (plain, gzip, zstd) and opens them as tar handles.

#include "layerhandle.h"

#include <archive.h>
#include <archive_entry.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QTemporaryFile>

#include <fcntl.h>
#include <string>
#include <vector>

struct TarMember {
    std::string path;
    char type = '0'; // '0' file, '1' hardlink (link = target), '2' symlink, '3' char, '5' dir, '6' fifo
    QByteArray data;
    unsigned mode = 0644;
    unsigned uid = 0, gid = 0;
    std::string link;
    std::vector<std::pair<std::string, QByteArray>> xattrs;
    unsigned devMajor = 0, devMinor = 0;
    long long mtime = 1700000000;
    long mtimeNs = 0;
};

inline la_ssize_t appendToByteArray(struct archive *, void *out, const void *buffer, size_t size)
{
    static_cast<QByteArray *>(out)->append(static_cast<const char *>(buffer), qsizetype(size));
    return la_ssize_t(size);
}

// filter: "none", "gzip" or "zstd".
inline QByteArray writeTar(const std::vector<TarMember> &members, const QByteArray &filter = "none")
{
    QByteArray out;
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (filter == "gzip") {
        archive_write_add_filter_gzip(a);
        archive_write_set_filter_option(a, "gzip", "compression-level", "1");
    } else if (filter == "zstd") {
        archive_write_add_filter_zstd(a);
    }
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, &out, nullptr, &appendToByteArray, nullptr);
    struct archive_entry *e = archive_entry_new();
    for (const TarMember &m : members) {
        archive_entry_clear(e);
        archive_entry_set_pathname(e, m.path.c_str());
        archive_entry_set_uid(e, m.uid);
        archive_entry_set_gid(e, m.gid);
        archive_entry_set_mtime(e, m.mtime, m.mtimeNs);
        const unsigned kind = m.type == '5' ? AE_IFDIR : m.type == '2' ? AE_IFLNK : m.type == '3' ? AE_IFCHR : m.type == '6' ? AE_IFIFO : AE_IFREG;
        archive_entry_set_filetype(e, kind);
        archive_entry_set_perm(e, m.mode);
        if (m.type == '1')
            archive_entry_set_hardlink(e, m.link.c_str());
        if (m.type == '2')
            archive_entry_set_symlink(e, m.link.c_str());
        if (m.type == '3') {
            archive_entry_set_rdevmajor(e, m.devMajor);
            archive_entry_set_rdevminor(e, m.devMinor);
        }
        for (const auto &[name, value] : m.xattrs)
            archive_entry_xattr_add_entry(e, name.c_str(), value.constData(), size_t(value.size()));
        archive_entry_set_size(e, m.type == '0' ? m.data.size() : 0);
        archive_write_header(a, e);
        if (m.type == '0' && !m.data.isEmpty())
            archive_write_data(a, m.data.constData(), size_t(m.data.size()));
    }
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

inline std::string sha256Of(const QByteArray &data)
{
    return "sha256:" + QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().toStdString();
}

// A tar layer handle over `bytes` kept in a temporary file (deleted when the handle's file closes).
inline strata::Expected<strata::LayerHandle> tarHandle(const QByteArray &bytes, const QString &name, std::string digest = {}, std::string diffId = {},
                                                        uint64_t prefix = 0)
{
    QTemporaryFile file;
    file.setAutoRemove(true);
    if (!file.open())
        return strata::makeError(strata::ErrorCode::Io, QStringLiteral("temporary file"));
    file.write(QByteArray(qsizetype(prefix), 'P')); // bytes before the window: an outer archive's
    file.write(bytes);
    file.write("TRAILER");
    file.flush();
    const int fd = ::open(QFile::encodeName(file.fileName()).constData(), O_RDONLY | O_CLOEXEC);
    return strata::LayerHandle::openTar(std::make_shared<const strata::UniqueFd>(fd), prefix, uint64_t(bytes.size()), name, std::move(digest), std::move(diffId));
}
