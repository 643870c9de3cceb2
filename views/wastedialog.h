// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QDialog>

#include <memory>

class QLabel;
class QTreeWidget;

namespace strata {

enum class WasteReason : uint8_t;

// "What wastes space": the stack's hidden files, largest first, with why and the layers involved,
// and the totals with the image-wide efficiency. The report is computed off the GUI thread.
class WasteDialog : public QDialog
{
    Q_OBJECT
public:
    explicit WasteDialog(QWidget *parent = nullptr);
    void setStack(std::shared_ptr<const OverlayStack> stack);
    QTreeWidget *list() const { return m_list; }
    QLabel *summary() const { return m_summary; }
    static QString reasonText(WasteReason reason);

Q_SIGNALS:
    void reportShown();

private:
    QLabel *m_summary;
    QTreeWidget *m_list;
    quint64 m_generation = 0;
};

} // namespace strata
