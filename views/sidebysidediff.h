// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QPlainTextEdit;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace strata {

// Two versions of a file side by side: syntax colour in the text, the diff as background (lines
// faintly, changed words stronger), filler lines keep both sides aligned; scrolling is shared.
class SideBySideDiff : public QWidget
{
    Q_OBJECT
public:
    SideBySideDiff(KSyntaxHighlighting::Repository *repository, QWidget *parent = nullptr);
    void setTexts(const QString &left, const QString &right, const QString &fileName);
    void clear();
    QPlainTextEdit *leftView() const { return m_left; }
    QPlainTextEdit *rightView() const { return m_right; }
    int changedRows() const { return m_changedRows; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void render();
    KSyntaxHighlighting::Repository *m_repository;
    QPlainTextEdit *m_left;
    QPlainTextEdit *m_right;
    KSyntaxHighlighting::SyntaxHighlighter *m_leftHighlighter;
    KSyntaxHighlighting::SyntaxHighlighter *m_rightHighlighter;
    QString m_leftText, m_rightText, m_fileName;
    bool m_syncing = false;
    int m_changedRows = 0;
};

} // namespace strata
