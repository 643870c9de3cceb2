// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QTabWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace strata {

class SideBySideDiff;

// The selected path's bytes: syntax-highlighted content (theme following the palette), a
// side-by-side diff of any two versions of the path, and a hex view for binary data. Files above a
// size cap are cut, and say so.
class FilePane : public QTabWidget
{
    Q_OBJECT
public:
    explicit FilePane(QWidget *parent = nullptr);
    ~FilePane() override;
    void showPath(const OverlayStack *stack, UnionId node);
    static constexpr qint64 sizeCap = 2 * 1024 * 1024;
    static constexpr qint64 highlightCap = 256 * 1024; // larger texts are shown without syntax colour

    SideBySideDiff *diffView() const { return m_diff; }
    QComboBox *leftVersion() const { return m_leftVersion; }
    QComboBox *rightVersion() const { return m_rightVersion; }
    QPlainTextEdit *contentView() const { return m_content; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void retranslateUi();
    void updateDiff();
    QString versionText(int layer) const; // layer == layers.size(): what a read of the merged path returns

    const OverlayStack *m_stack = nullptr;
    UnionId m_node = 0;
    KSyntaxHighlighting::Repository *m_repository;
    QPlainTextEdit *m_content;
    QWidget *m_diffTab;
    SideBySideDiff *m_diff;
    QComboBox *m_leftVersion;
    QComboBox *m_rightVersion;
    QLabel *m_diffNote;
    QPlainTextEdit *m_hex;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
};

} // namespace strata
