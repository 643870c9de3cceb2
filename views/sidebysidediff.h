// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <atomic>
#include <memory>

class QPlainTextEdit;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace strata {

class TextFeeder;
struct DiffLayout;

// Two versions of a file side by side: syntax colour in the text, the diff as background (lines
// faintly, changed words stronger), filler lines keep both sides aligned; scrolling is shared.
// The line diff runs off the GUI thread; a newer setTexts() supersedes a running one.
class SideBySideDiff : public QWidget
{
    Q_OBJECT
public:
    SideBySideDiff(KSyntaxHighlighting::Repository *repository, QWidget *parent = nullptr);
    ~SideBySideDiff() override;
    void setTexts(const QString &left, const QString &right, const QString &fileName);
    void clear();
    QPlainTextEdit *leftView() const { return m_left; }
    QPlainTextEdit *rightView() const { return m_right; }
    int changedRows() const { return m_changedRows; }
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    // The texts of the last setTexts() are shown with their diff colours.
    void rendered();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void startDiff();
    void showLayout(std::shared_ptr<const DiffLayout> layout);
    void paintRows(quint64 generation, size_t from);

    KSyntaxHighlighting::Repository *m_repository;
    QPlainTextEdit *m_left;
    QPlainTextEdit *m_right;
    TextFeeder *m_leftFeeder;
    TextFeeder *m_rightFeeder;
    KSyntaxHighlighting::SyntaxHighlighter *m_leftHighlighter;
    KSyntaxHighlighting::SyntaxHighlighter *m_rightHighlighter;
    QString m_leftText, m_rightText, m_fileName;
    std::shared_ptr<const DiffLayout> m_layout;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    bool m_syncing = false;
    bool m_busy = false;
    int m_changedRows = 0;
};

} // namespace strata
