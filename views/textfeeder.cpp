// SPDX-License-Identifier: GPL-3.0-or-later
#include "textfeeder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QPointer>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>

namespace strata {

namespace {
constexpr qsizetype sliceChars = 8 * 1024;
QList<QPointer<TextFeeder>> pending; // GUI thread only
bool scheduled = false;
}

TextFeeder::TextFeeder(QPlainTextEdit *view)
    : QObject(view)
    , m_view(view)
{
}

void TextFeeder::stop()
{
    pending.removeAll(this);
    m_text.clear();
    m_position = 0;
    m_done = nullptr;
}

void TextFeeder::feed(QString text, std::function<void()> done)
{
    stop();
    m_view->clear();
    if (text.size() <= sliceChars) { // the common case: one call, no event-loop turn in between
        m_view->setPlainText(text);
        if (done)
            done();
        return;
    }
    m_text = std::move(text);
    m_done = std::move(done);
    pending.append(this);
    if (!scheduled) {
        scheduled = true;
        QTimer::singleShot(0, QCoreApplication::instance(), &TextFeeder::runPending);
    }
}

void TextFeeder::runPending()
{
    scheduled = false;
    QElapsedTimer clock;
    clock.start();
    while (!pending.isEmpty() && clock.elapsed() < sliceMilliseconds) {
        QPointer<TextFeeder> feeder = pending.takeFirst();
        if (!feeder)
            continue;
        if (!feeder->insertSlice()) {
            pending.append(feeder); // round robin
            continue;
        }
        feeder->m_text.clear();
        feeder->m_position = 0;
        feeder->m_view->moveCursor(QTextCursor::Start);
        if (auto done = std::exchange(feeder->m_done, nullptr))
            done();
    }
    pending.removeAll(nullptr);
    if (!pending.isEmpty() && !scheduled) {
        scheduled = true;
        QTimer::singleShot(0, QCoreApplication::instance(), &TextFeeder::runPending);
    }
}

bool TextFeeder::insertSlice()
{
    // Whole lines per slice, so no block is laid out twice.
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    qsizetype end = std::min(m_position + sliceChars, m_text.size());
    const qsizetype newline = m_text.indexOf(u'\n', end);
    end = newline < 0 || newline - end > sliceChars ? std::min(end + sliceChars, m_text.size()) : newline + 1;
    cursor.insertText(QStringView(m_text).mid(m_position, end - m_position).toString());
    m_position = end;
    return m_position >= m_text.size();
}

} // namespace strata
