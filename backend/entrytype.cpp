// SPDX-License-Identifier: GPL-3.0-or-later
#include "entrytype.h"

#include <sys/stat.h>

namespace strata {

std::string_view entryTypeName(EntryType type)
{
    switch (type) {
    case EntryType::File:
        return "file";
    case EntryType::Dir:
        return "dir";
    case EntryType::Symlink:
        return "symlink";
    case EntryType::Char:
        return "char";
    case EntryType::Block:
        return "block";
    case EntryType::Fifo:
        return "fifo";
    case EntryType::Socket:
        return "socket";
    case EntryType::Unknown:
        break;
    }
    return "unknown";
}

EntryType entryTypeFromMode(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return EntryType::File;
    case S_IFDIR:
        return EntryType::Dir;
    case S_IFLNK:
        return EntryType::Symlink;
    case S_IFCHR:
        return EntryType::Char;
    case S_IFBLK:
        return EntryType::Block;
    case S_IFIFO:
        return EntryType::Fifo;
    case S_IFSOCK:
        return EntryType::Socket;
    }
    return EntryType::Unknown;
}

} // namespace strata
