// SPDX-License-Identifier: GPL-3.0-or-later
#include "problemsdialog.h"

#include "errortext.h"
#include "layerlistmodel.h"
#include "overlaystack.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace strata {

ProblemsDialog::ProblemsDialog(const OverlayStack &stack, QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
{
    setWindowTitle(tr("Problems"));
    resize(640, 320);
    auto *intro = new QLabel(tr("These entries could not be read completely; the views show what could be read. "
                                "Run Strata as a user who may read every layer (the owner, or root) to see all."),
                             this);
    intro->setWordWrap(true);
    for (size_t l = stack.layers.size(); l-- > 0;) { // top-down, as the tree's columns read right to left
        for (const Error &problem : stack.layers[l].problems)
            m_list->addItem(QStringLiteral("%1: %2").arg(LayerListModel::label(stack, l), errorText(problem)));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
}

int ProblemsDialog::count(const OverlayStack &stack)
{
    size_t n = 0;
    for (const LayerIndex &layer : stack.layers)
        n += layer.problems.size();
    return int(n);
}

} // namespace strata
