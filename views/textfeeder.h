// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QPlainTextEdit;

namespace strata {

// Puts megabytes of text into a QPlainTextEdit a time slice per event-loop turn: setPlainText() of
// a 2 MiB file lays out tens of thousands of blocks in one go and would freeze the window for a
// few hundred milliseconds. Feeding again (or stop()) drops what is left of the previous text.
// All feeders share one time budget per event-loop turn (round robin), so four busy views cost the
// loop no more than one.
class TextFeeder : public QObject
{
    Q_OBJECT
public:
    explicit TextFeeder(QPlainTextEdit *view);
    // Clears the view, then appends `text` in slices; `done` runs after the last one.
    void feed(QString text, std::function<void()> done = {});
    void stop();
    bool isBusy() const { return m_position < m_text.size(); }

    static constexpr int sliceMilliseconds = 8;

private:
    static void runPending();
    bool insertSlice(); // true when the text is all in
    QPlainTextEdit *m_view;
    QString m_text;
    qsizetype m_position = 0;
    std::function<void()> m_done;
};

} // namespace strata
