// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata {

// Switches the interface language at run time: loads Strata's and Qt's catalogues for `code`
// ("en", "ko"; empty = the system locale), installs them, sets the default QLocale. Widgets
// follow through QEvent::LanguageChange.
void applyLanguage(const QString &code);
QString currentLanguage();
QStringList availableLanguages(); // codes with a catalogue, English first

} // namespace strata
