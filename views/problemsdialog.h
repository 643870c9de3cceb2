// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QListWidget;

namespace strata {

struct OverlayStack;

// Everything the scan could not read (LayerIndex::problems of every layer), one line per problem
// in the user's language, the layer named.
class ProblemsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProblemsDialog(const OverlayStack &stack, QWidget *parent = nullptr);
    static int count(const OverlayStack &stack);
    QListWidget *list() const { return m_list; }

private:
    QListWidget *m_list;
};

} // namespace strata
