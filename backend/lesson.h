// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QByteArray>
#include <QString>

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
    enum class Type : uint8_t { File, Dir, Symlink, Whiteout, OpaqueDir };
    QString path; // "/etc/nginx.conf"
    Type type = Type::File;
    QByteArray content; // File
    QString target; // Symlink
    uint32_t mode = 0; // 0: 0644 for files, 0755 for directories
};

struct LessonLayer {
    QString name; // "image1": the directory it is created in
    std::vector<LessonEntry> entries;
};

// What the student does (or "show me" does): one file operation of the helper, in the merged dir.
struct LessonAction {
    QString op; // create, write, append, truncate, chmod, chown, touch, rename, unlink, rmdir, mkdir, symlink, link, setxattr, keep-open
    QString path;
    QString argument; // content, mode ("600"), owner ("1000:1000"), target path, "name=value"
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
        Event, // a live session reported an event of kind `value` for `path`
    };
    Kind kind = Kind::MergedHas;
    QString layer; // "upper", "lower 0", …, or a lesson layer's name
    QString path;
    QString type;
    QString value;
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
};

struct CheckResult {
    bool passed = false;
    QString detail; // what was found, in English ("upper has no /a.txt")
};
// `events` may be null (no live session): an Event check then fails saying so.
CheckResult evaluateCheck(const LessonCheck &check, const Lesson &lesson, const OverlayStack &stack, const std::vector<ObservedEvent> *events = nullptr);

// Creates the lesson's layers under `dir` (lowers by name, "upper" and "work" when the lesson has
// an upper) and returns the overlay: SOURCE for them. Whiteouts (0/0 devices) and trusted.*
// opaque xattrs need root; as another user they are made in the userxattr form.
Expected<QString> createLessonStack(const Lesson &lesson, const QString &dir);

} // namespace strata
