// SPDX-License-Identifier: GPL-3.0-or-later
#include "listingexporter.h"

#include "overlaystack.h"
#include "reports.h"

#include <QImage>
#include <QtConcurrent/QtConcurrentRun>

namespace strata {

ListingExporter::ListingExporter(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1); // one export at a time; the next waits its turn
}

QString ListingExporter::writeListing(const OverlayStack &stack, const QString &fileName)
{
    return writeListingFile(stack, fileName);
}

void ListingExporter::exportListing(std::shared_ptr<const OverlayStack> stack, const QString &fileName)
{
    if (!stack)
        return;
    ++m_running;
    QtConcurrent::run(&m_pool, [stack = std::move(stack), fileName] { return writeListingFile(*stack, fileName); }).then(this, [this, fileName](const QString &problem) {
        --m_running;
        Q_EMIT finished(fileName, problem);
    });
}

void ListingExporter::exportShown(std::shared_ptr<const OverlayStack> stack, std::shared_ptr<const AsOfView> asOf, std::vector<uint8_t> shownRows,
                                  const QString &fileName)
{
    if (!stack)
        return;
    ++m_running;
    QtConcurrent::run(&m_pool, [stack = std::move(stack), asOf = std::move(asOf), rows = std::move(shownRows), fileName] {
        ListingOptions options;
        options.asOf = asOf.get();
        options.shownRows = &rows;
        return writeListingFile(*stack, fileName, options);
    }).then(this, [this, fileName](const QString &problem) {
        --m_running;
        Q_EMIT finished(fileName, problem);
    });
}

void ListingExporter::exportImage(const QImage &image, const QString &fileName)
{
    ++m_running;
    QtConcurrent::run([image, fileName] { return image.save(fileName, "PNG") ? QString() : tr("Cannot write %1").arg(fileName); })
        .then(this, [this, fileName](const QString &problem) {
            --m_running;
            Q_EMIT finished(fileName, problem);
        });
}

} // namespace strata
