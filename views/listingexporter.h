// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <vector>

class QImage;

namespace strata {

struct OverlayStack;
struct AsOfView;

// Writes the merged listing (JSON Lines or CSV, by the file's suffix) or a PNG of the window off the
// GUI thread: a million lines, or a big PNG's compression, take a while. The stack is shared and
// immutable, so the writer needs no lock.
class ListingExporter : public QObject
{
    Q_OBJECT
public:
    explicit ListingExporter(QObject *parent = nullptr);
    void exportListing(std::shared_ptr<const OverlayStack> stack, const QString &fileName);
    // What the tree shows: the merged view as of a layer (`asOf`, may be null) and only the union
    // rows marked in `shownRows` (empty: all), as the filters decided them.
    void exportShown(std::shared_ptr<const OverlayStack> stack, std::shared_ptr<const AsOfView> asOf, std::vector<uint8_t> shownRows, const QString &fileName);
    // `image` is grabbed on the GUI thread (widgets paint there); encoding and writing run off it.
    void exportImage(const QImage &image, const QString &fileName);
    // Synchronous variant; an empty string means success.
    static QString writeListing(const OverlayStack &stack, const QString &fileName);
    int running() const { return m_running; }

Q_SIGNALS:
    // `problem` is empty on success.
    void finished(const QString &fileName, const QString &problem);

private:
    int m_running = 0;
    // Writers run here, not in the global pool: the listing formats its lines with a blockingMap,
    // which needs the global pool's threads (inside one of them it would run on one core).
    QThreadPool m_pool;
};

} // namespace strata
