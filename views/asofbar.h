// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace strata {

// Above the tree while it is shown as of a layer: says so, and offers the way back.
class AsOfBar : public QFrame
{
    Q_OBJECT
public:
    explicit AsOfBar(QWidget *parent = nullptr);
    // `label`: the layer's short label ("lower 2"); empty hides the bar.
    void setLayer(const QString &label);
    QString text() const;

Q_SIGNALS:
    void wholeStackRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    QLabel *m_text;
    QPushButton *m_wholeStack;
    QString m_layer;
};

} // namespace strata
