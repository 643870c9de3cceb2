// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace strata {

struct OverlayStack;

// Lessons are data (resources/lessons/NN-id.json, format in docs/lessons.md): a stack to set up,
// then steps — an explanation, an action for the student (or a "show me"), what to observe, and
// checks over the resulting state that turn green when met. Parsing and checking live here, in the
// backend, so the window, `strata-cli lesson` and the tests read lessons the same way.

struct LocalizedText {
    QString en;
    QString ko;
    // The text in `language` ("ko", "ko_KR"…), English when there is none.
    const QString &in(const QString &language) const { return language.startsWith(u"ko") && !ko.isEmpty() ? ko : en; }
};

// One entry of a layer a lesson creates.
struct LessonEntry {
    enum class Type : uint8_t { File, Dir, Symlink, Whiteout, OpaqueDir, Hardlink };
    QString path; // "/etc/nginx.conf"
    Type type = Type::File;
    QByteArray content; // File
    QString target; // Symlink; Hardlink: the path of the layer's earlier entry it is another name of
    uint32_t mode = 0; // 0: 0644 for files, 0755 for directories
    int64_t size = -1; // File: this many bytes, `content` repeated (zeros without content); -1: content as is
};

struct LessonLayer {
    QString name; // "image1": the directory it is created in
    std::vector<LessonEntry> entries;
};

// What the student does (or "show me" does): one file operation of the helper, in the merged dir.
struct LessonAction {
    QString op; // create, write, append, truncate, chmod, chown, touch, rename, unlink, rmdir, mkdir, symlink, link, setxattr, keep-open,
                // and two that are not file operations: remount, run (LessonRunner does them)
    QString path;
    QString argument; // content, mode ("600"), owner ("1000:1000"), target path, "name=value"; remount: the mount options
    bool recursive = false; // chmod, chown, touch: the path and everything below it in the merged view (chmod -R)
    bool fresh = false; // remount: an empty upper and work dir first (a new experiment on the same lowers)
    QStringList argv; // run: the command, in the merged root
    bool network = false; // run: a network namespace with its loopback up
};

// A condition over the stack as it is now (or the events a live session saw).
struct LessonCheck {
    enum class Kind : uint8_t {
        LayerHas, // `layer` has `path`, of `type` when given (file, dir, symlink, whiteout, opaque-dir, redirect, metacopy)
        LayerLacks, // `layer` has no `path`
        MergedHas, // the merged view shows `path` (of `type` when given)
        MergedLacks, // the merged view does not show `path`
        MergedContent, // reading `path` in the merged view gives `value`
        ChangeIs, // `path` in `layer` is change kind `value` (strata-cli's names: added, metadata-only, metacopy…)
        Event, // a live session reported an event of kind `value` for `path` (caused by `process` when given)
        ActionFails, // the step's action failed with the errno named `value` ("EXDEV")
        KeptOpenReads, // the read-only fd a keep-open action kept on `path` reads data starting with `value` now
        MountOption, // the live mount has the option `value` ("redirect_dir=on")
        MergedSameInode, // `path` and `value` are one inode in the merged view (the kernel's stat)
        MergedOtherInode, // `path` and `value` are different inodes in the merged view
        BytesAtLeast, // `layer` stores at least `value` bytes below `path`: a number, or "F LAYER" (F times LAYER's bytes below `path`)
        BytesAtMost, // the same, at most
        RunOutput, // the step's run printed `value` (stdout)
        DockerLayerdb, // Docker's files for image layer `layer` ("lower N") agree with the stack: `value` is diff, parent, cache-id, link or lower
    };
    Kind kind = Kind::MergedHas;
    QString layer; // "upper", "lower 0", …, or a lesson layer's name
    QString path;
    QString type;
    QString value;
    QString process; // Event: the command name (comm) of the process that caused it; needs fanotify (root)
};

struct LessonStep {
    LocalizedText text; // what to do and why
    std::optional<LessonAction> action;
    LocalizedText expect; // what to observe
    std::vector<LessonCheck> checks;
};

struct Lesson {
    int number = 0; // from the file name: 01-…
    QString id;
    LocalizedText title;
    LocalizedText summary;
    std::vector<LessonLayer> lowers; // bottom → top
    // Instead of lowers: a SOURCE whose layers are the lowers ("docker-storage:{data-root}:strata-real:1");
    // "{data-root}" is the Docker data root given at run time (LessonRunner::Options::dataRoot).
    QString source;
    bool upper = true; // an empty upper dir (and work dir) over them
    QString options; // extra mount options: "redirect_dir=on", "metacopy=on,redirect_dir=on"…
    bool needsRoot = false; // trusted.* xattrs, chown to other users: not in rootless mode
    std::vector<LessonStep> steps;
};

// A problem names the file and the JSON path ("steps[2].checks[0].kind").
Expected<Lesson> parseLesson(const QByteArray &json, const QString &fileName);
// Every *.json of `dir` (":/lessons" holds the bundled ones), ordered by number.
Expected<std::vector<Lesson>> loadLessons(const QString &dir = QStringLiteral(":/lessons"));

// What a live session saw, for Event checks: the event kind names of docs/helper-protocol.md.
struct ObservedEvent {
    QString kind; // "data-copy-up", "whiteout", … (docs/helper-protocol.md's watch kinds)
    QString path; // "/etc/motd" or, as the helper reports it, relative to the upper dir
    QString process; // the command name of its cause when the watch knows it (fanotify)
};

struct CheckResult {
    bool passed = false;
    QString detail; // what was found, in English ("upper has no /a.txt")
};
// `events` may be null (no live session): an Event check then fails saying so.
CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const std::vector<ObservedEvent> *events = nullptr);

// What a live session knows beyond the scanned stack, for the checks that ask the kernel or the
// step's action. Every member may be empty: a check that needs it then fails saying so.
struct LessonContext {
    const std::vector<ObservedEvent> *events = nullptr;
    std::optional<int> actionErrno; // the step's action: 0 when it succeeded, its errno when it failed; none when not done
    QString runOutput; // what the step's run printed on stdout
    QStringList mountOptions; // the live mount's options ("redirect_dir=on", …); empty without a live mount
    std::function<Expected<QJsonObject>(const QString &path)> statMerged; // the kernel's stat of a merged path (helper: open + close)
    std::function<Expected<QByteArray>(const QString &path)> readKeptOpen; // reads the fd a keep-open action kept on `path`
    QString dockerRoot; // DockerLayerdb: the data root and image of the lesson's docker-storage source
    QString dockerImage;
};
CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const LessonContext &context);
// Whether a check reads only the stack (and so can be judged before the step's action).
bool isStateCheck(const LessonCheck &check);

// Creates the lesson's layers under `dir` (lowers by name, "upper" and "work" when the lesson has
// an upper) and returns the overlay: SOURCE for them. Whiteouts (0/0 devices) and trusted.*
// opaque xattrs need root; as another user they are made in the userxattr form.
Expected<QString> createLessonStack(const Lesson &lesson, const QString &dir);
// The same for any lesson: a lesson with a `source` gets that source's layers as its lowers (with
// "{data-root}" replaced by `dataRoot`) and a fresh upper and work dir under `dir`. `withOptions`
// false leaves the lesson's own options out (a remount replaces them).
Expected<QString> createLessonSource(const Lesson &lesson, const QString &dir, const QString &dataRoot, bool withOptions = true);
// "docker-storage:{data-root}:IMAGE" with `dataRoot` → (data root, IMAGE); nullopt for other sources.
std::optional<std::pair<QString, QString>> dockerStorageOf(const Lesson &lesson, const QString &dataRoot);

} // namespace strata
