// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"
#include "provenance.h"

#include <QTextBrowser>

namespace strata {

// The version stack of one path across layers: which layer provides it, what it hides, metadata and
// decoded overlay xattrs.
class DetailsPane : public QTextBrowser
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);
    // `asOfLayer` ≥ 0: the tree is shown as of that layer; the pane says so before what it describes
    // (the whole stack: every version of the path).
    void showPath(const OverlayStack *stack, UnionId node, int asOfLayer = -1);
    static QString describe(const OverlayStack &stack, UnionId node);
    static QString typeName(EntryType type); // translated
    // What a version does at its path in plain words ("hidden by upper"), and why it counts as the
    // change it is ("content differs from lower 1"); both read the backend's Provenance.
    static QString roleText(const OverlayStack &stack, const Provenance &provenance, const Version &version);
    static QString reasonText(const OverlayStack &stack, const Version &version);
};

} // namespace strata
