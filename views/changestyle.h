// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "changekind.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace strata {

// The one place where change kinds become colours, glyphs and words. Colours follow the palette's
// lightness (light and dark themes); every kind also has a glyph, so colour is never the only cue.
namespace ChangeStyle {
QColor color(ChangeKind kind, const QPalette &palette);
QString glyph(ChangeKind kind);
QString label(ChangeKind kind); // translated, short
QString explanation(ChangeKind kind); // translated, one sentence for the legend
bool isDark(const QPalette &palette);
}

} // namespace strata
