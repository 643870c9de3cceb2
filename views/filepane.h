// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QTabWidget>

class QPlainTextEdit;
class QTextEdit;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace strata {

// The selected path's bytes: syntax-highlighted content (theme following the palette), a line diff
// against the version it hides, and a hex view for binary data. Files above a cap are cut and say so.
class FilePane : public QTabWidget
{
    Q_OBJECT
public:
    explicit FilePane(QWidget *parent = nullptr);
    ~FilePane() override;
    void showPath(const OverlayStack *stack, UnionId node);
    static constexpr qint64 sizeCap = 2 * 1024 * 1024;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    QPlainTextEdit *m_content;
    QTextEdit *m_diff;
    QPlainTextEdit *m_hex;
    KSyntaxHighlighting::Repository *m_repository;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
};

} // namespace strata
