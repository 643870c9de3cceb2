// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

namespace strata::storagefiles {

// Reading container storage metadata (Docker's image/overlay2, containers-storage's JSON stores)
// written by other programs, possibly damaged. Nothing here writes.

constexpr qint64 maxMetadataBytes = 16 * 1024 * 1024; // JSON stores and image configs
constexpr qint64 maxIdFileBytes = 4096; // cache-id, mount-id, parent, link, size
constexpr int maxLayers = 500; // the kernel's overlay limit on lower layers

// The whole file, at most `cap` bytes (more is ErrorCode::LimitExceeded). `what` says in messages
// what the file is ("Docker's image list").
Expected<QByteArray> readFile(const QString &path, const QString &what, qint64 cap = maxMetadataBytes);
// A JSON document (object or array) from a file; malformed JSON is ErrorCode::Corrupt with the offset.
Expected<QJsonDocument> readJson(const QString &path, const QString &what);
// A one-line id file (cache-id, mount-id, ...), trimmed; must be a safe path component.
Expected<QString> readIdFile(const QString &path, const QString &what);

// True for a non-empty name without '/', NUL, "." or ".." that can be joined under a storage root.
bool isSafeComponent(const QString &name);
// True for 12 to 64 lowercase hex digits: something meant as an id or an id's prefix.
bool looksLikeIdPrefix(const QString &text);
// "sha256:abc…" → "abc…"; other text unchanged.
QString withoutDigestAlgorithm(const QString &text);

// The layer directory `path`, checked to lie inside `root` once symlinks are resolved (storage
// metadata must not lead Strata elsewhere on the machine). Returns `path`.
Expected<QString> layerDirectoryInside(const QString &root, const QString &path, const QString &what);

// Splits "[ROOT:]REFERENCE": ROOT is given when the argument starts with '/' or '.', and ends at
// the first ':'. A relative ROOT resolves against baseDir.
struct StorageReference {
    QString root; // absolute; defaultRoot when none was given
    QString reference; // may be empty (the storage itself)
    bool rootGiven = false;
};
StorageReference splitStorageReference(const QString &argument, const QString &defaultRoot, const QString &baseDir);

} // namespace strata::storagefiles
