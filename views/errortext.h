// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "error.h"

#include <QString>

namespace strata {

// A backend error in the user's language: one sentence chosen by error.code naming error.path, and
// the backend's English detail only as a parenthetical for bug reports. Views never show
// Error::message() (English) and never look inside its text.
QString errorText(const Error &error);

} // namespace strata
