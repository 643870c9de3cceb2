// SPDX-License-Identifier: GPL-3.0-or-later
#include "mergedcompare.h"

#include "entrytype.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata {

namespace {

std::string describe(EntryType type, uint32_t mode, uint32_t uid, uint32_t gid, uint64_t size, const std::string &target)
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %04o %u:%u", std::string(entryTypeName(type)).c_str(), mode & 07777, uid, gid);
    std::string out = buf;
    if (type == EntryType::File)
        out += " size=" + std::to_string(size);
    if (type == EntryType::Symlink)
        out += " target=" + target;
    return out;
}

} // namespace

ViewDescription describeKernelView(const std::string &root)
{
    ViewDescription view;
    std::vector<std::string> pending{""};
    while (!pending.empty()) {
        const std::string rel = pending.back();
        pending.pop_back();
        const int dirFd = ::open((root + rel).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0) {
            view[rel.empty() ? "/" : rel] += std::string(" opendir-error:") + std::strerror(errno);
            continue;
        }
        DIR *d = ::fdopendir(dirFd);
        while (dirent *e = ::readdir(d)) {
            if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
                continue;
            const std::string path = rel + "/" + e->d_name;
            struct stat st{};
            if (::fstatat(dirFd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                view[path] = std::string("error ") + std::strerror(errno);
                continue;
            }
            const EntryType type = entryTypeFromMode(st.st_mode);
            std::string target;
            if (type == EntryType::Symlink) {
                char buf[4096];
                const ssize_t n = ::readlinkat(dirFd, e->d_name, buf, sizeof buf);
                target.assign(buf, n > 0 ? size_t(n) : 0);
            } else if (type == EntryType::Dir) {
                pending.push_back(path);
            }
            view[path] = describe(type, st.st_mode, st.st_uid, st.st_gid, uint64_t(st.st_size), target);
        }
        ::closedir(d);
    }
    return view;
}

ViewDescription describeEngineView(const OverlayStack &stack)
{
    ViewDescription view;
    for (MergedId id = 1; id < stack.merged.nodes.size(); ++id) {
        const MergedNode &n = stack.merged.nodes[id];
        const std::string path = stack.mergedPath(id);
        if (n.lookupErrno) {
            view[path] = std::string("error ") + std::strerror(n.lookupErrno);
            continue;
        }
        const Entry &e = stack.entry(n.meta);
        std::string target;
        if (e.type == EntryType::Symlink)
            target = stack.layers[n.meta.layer].extra(n.meta.entry).symlinkTarget;
        view[path] = describe(e.type, e.mode, e.uid, e.gid, e.size, target);
    }
    return view;
}

std::vector<ViewMismatch> compareViews(const ViewDescription &engine, const ViewDescription &kernel)
{
    std::vector<ViewMismatch> out;
    auto e = engine.begin();
    auto k = kernel.begin();
    while (e != engine.end() || k != kernel.end()) {
        if (k == kernel.end() || (e != engine.end() && e->first < k->first)) {
            out.push_back({e->first, e->second, {}});
            ++e;
        } else if (e == engine.end() || k->first < e->first) {
            out.push_back({k->first, {}, k->second});
            ++k;
        } else {
            if (e->second != k->second)
                out.push_back({e->first, e->second, k->second});
            ++e;
            ++k;
        }
    }
    return out;
}

} // namespace strata
