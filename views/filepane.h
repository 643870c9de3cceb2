// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"
#include "provenance.h"

#include <QTabWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace strata {

class SideBySideDiff;
class TextFeeder;
struct FileContent;

// The selected path's bytes: syntax-highlighted content (theme following the palette), a
// side-by-side diff of any two versions of the path, and a hex view for binary data. Files above a
// size cap are cut, and say so. Reads run off the GUI thread ("Loading…" meanwhile); selecting
// another path cancels the running read and drops its result.
class FilePane : public QTabWidget
{
    Q_OBJECT
public:
    explicit FilePane(QWidget *parent = nullptr);
    ~FilePane() override;
    void showPath(std::shared_ptr<const OverlayStack> stack, UnionId node);
    static constexpr qint64 sizeCap = 2 * 1024 * 1024;
    static constexpr qint64 highlightCap = 256 * 1024; // larger texts are shown without syntax colour

    SideBySideDiff *diffView() const { return m_diff; }
    QComboBox *leftVersion() const { return m_leftVersion; }
    QComboBox *rightVersion() const { return m_rightVersion; }
    QPlainTextEdit *contentView() const { return m_content; }
    QPlainTextEdit *hexView() const { return m_hex; }
    QLabel *diffNote() const { return m_diffNote; }
    // Says so when the Content tab shows a version the merged view does not (a deleted path).
    QLabel *contentNote() const { return m_contentNote; }
    // A read (content or diff versions) or the diff itself is still running.
    bool isLoading() const;
    // "Contents identical; mode 0644 → 0600; owner 0:0 → 1000:1000": what the Diff tab says when
    // two versions hold the same bytes (the backend's list of differences, formatted here).
    static QString identicalContentsNote(const std::vector<MetadataDifference> &differences);

Q_SIGNALS:
    // The content and hex tabs show the selected path's bytes (or why not).
    void contentShown();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void retranslateUi();
    void updateContentNote();
    void updateDiff();
    void showContent(const FileContent &content);
    void cancelJobs();

    std::shared_ptr<const OverlayStack> m_stack;
    UnionId m_node = 0;
    KSyntaxHighlighting::Repository *m_repository;
    QPlainTextEdit *m_content;
    QWidget *m_diffTab;
    QWidget *m_contentTab;
    QLabel *m_contentNote;
    int m_hiddenVersionLayer = -1; // the layer whose hidden version the Content tab shows, else -1
    SideBySideDiff *m_diff;
    QComboBox *m_leftVersion;
    QComboBox *m_rightVersion;
    QLabel *m_diffNote;
    QPlainTextEdit *m_hex;
    TextFeeder *m_contentFeeder;
    TextFeeder *m_hexFeeder;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    // Generation guards: a result whose generation is not current belongs to an older selection.
    quint64 m_contentGeneration = 0;
    quint64 m_diffGeneration = 0;
    bool m_contentLoading = false;
    bool m_diffLoading = false;
    std::shared_ptr<std::atomic<bool>> m_contentCancel;
    std::shared_ptr<std::atomic<bool>> m_diffCancel;
};

} // namespace strata
