// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A tree as sorted lines, "path type mode uid:gid [size sha256] [-> target]": an unpacked rootfs or a
// mounted overlay walked on disk, or Strata's merged view read through the engine — so the image
// tests compare Strata with a peer tool line for line.

#include "contentreader.h"
#include "entrytype.h"
#include "overlaystack.h"

#include <QCryptographicHash>
#include <QString>

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

inline QByteArray fileSha256(const std::string &path)
{
    // By its raw bytes: a name that is not UTF-8 must still open.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return "unreadable";
    QCryptographicHash h(QCryptographicHash::Sha256);
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        h.addData(QByteArrayView(buffer, n));
    ::close(fd);
    return h.result().toHex();
}

inline std::string describeEntry(const std::string &path, strata::EntryType type, uint32_t mode, uint32_t uid, uint32_t gid, uint64_t size,
                                 const std::string &target, const QByteArray &sha)
{
    using strata::EntryType;
    return path + " " + std::string(strata::entryTypeName(type)) + " " + std::to_string(mode & 07777) + " " + std::to_string(uid) + ":" + std::to_string(gid) + " "
        + (type == EntryType::File ? std::to_string(size) + " " + sha.toStdString() : std::string()) + (type == EntryType::Symlink ? "-> " + target : std::string());
}

// A directory tree as the kernel shows it (an unpacked rootfs or a mounted overlay), raw path bytes.
inline std::vector<std::string> describeTree(const std::string &root)
{
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const std::string full = it->path().native();
        struct stat st{};
        ::lstat(full.c_str(), &st);
        std::string target;
        if (S_ISLNK(st.st_mode))
            target = fs::read_symlink(it->path()).native();
        out.push_back(describeEntry(full.substr(root.size()), strata::entryTypeFromMode(st.st_mode), st.st_mode, st.st_uid, st.st_gid, uint64_t(st.st_size),
                                    target, S_ISREG(st.st_mode) ? fileSha256(full) : QByteArray()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Strata's merged view, the same way (content hashed through the engine's reader).
inline std::vector<std::string> describeMerged(const strata::OverlayStack &stack)
{
    using namespace strata;
    std::vector<std::string> out;
    ContentReader reader;
    std::vector<std::pair<MergedId, std::string>> pending{{0, ""}};
    while (!pending.empty()) {
        auto [id, path] = pending.back();
        pending.pop_back();
        const MergedNode &n = stack.merged.nodes[id];
        if (id != 0 && n.lookupErrno == 0) {
            const Entry &e = stack.entry(n.meta);
            QByteArray sha;
            if (e.type == EntryType::File) {
                auto h = reader.sha256Hex(stack.layers[n.data.layer], n.data.entry);
                sha = h ? *h : QByteArray("error: ") + h.error().message().toUtf8();
            }
            out.push_back(describeEntry(path, e.type, e.mode, e.uid, e.gid, e.size, stack.layers[n.meta.layer].extra(n.meta.entry).symlinkTarget, sha));
        }
        for (uint32_t c = n.firstChild; c < n.firstChild + n.childCount; ++c)
            pending.emplace_back(c, path + '/' + std::string(stack.name(stack.merged.nodes[c].name)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// What only one side has (the first 15 lines of each), for a failing comparison's message.
inline QString difference(const std::vector<std::string> &ours, const std::vector<std::string> &theirs, const QString &peer = QStringLiteral("umoci"))
{
    std::vector<std::string> onlyOurs, onlyTheirs;
    std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(), std::back_inserter(onlyOurs));
    std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(), std::back_inserter(onlyTheirs));
    QString out = QStringLiteral("%1 lines from Strata, %2 from %3").arg(ours.size()).arg(theirs.size()).arg(peer);
    for (size_t i = 0; i < onlyOurs.size() && i < 15; ++i)
        out += QStringLiteral("\n  strata only: ") + QString::fromStdString(onlyOurs[i]);
    for (size_t i = 0; i < onlyTheirs.size() && i < 15; ++i)
        out += QStringLiteral("\n  %1 only: ").arg(peer) + QString::fromStdString(onlyTheirs[i]);
    return out;
}
