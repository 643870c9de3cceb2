// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <QTextBrowser>

namespace strata {

// The version stack of one path across layers: which layer provides it, what it hides, metadata and
// decoded overlay xattrs.
class DetailsPane : public QTextBrowser
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);
    void showPath(const OverlayStack *stack, UnionId node);
    static QString describe(const OverlayStack &stack, UnionId node);
    static QString typeName(EntryType type); // translated
};

} // namespace strata
