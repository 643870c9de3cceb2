// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include <cstdint>
#include <vector>

namespace strata {

// One row of a side-by-side diff: a line on either side (-1 where that side has none).
struct DiffRow {
    enum Kind { Equal, Removed, Added, Changed };
    Kind kind = Equal;
    int left = -1;
    int right = -1;
};

// The work a diff did, counted so tests can bound it by operations rather than by wall time.
struct DiffCounters {
    uint64_t lineComparisons = 0;
};

// Aligns two texts line by line (LCS after trimming the common head and tail); removed and added
// runs that face each other pair up as Changed rows. Middles too large for LCS are shown as one
// changed block rather than costing quadratic time: at most maxLcsCells comparisons plus a linear
// number for the head, the tail and the walk.
constexpr qsizetype maxLcsCells = 2'000'000; // ~8 MB and a few ms
std::vector<DiffRow> diffLines(const QStringList &left, const QStringList &right, DiffCounters *counters = nullptr);

// The changed span of two lines at word granularity: [start, end) in each line.
struct WordSpan {
    qsizetype leftStart = 0, leftEnd = 0, rightStart = 0, rightEnd = 0;
};
WordSpan changedWords(const QString &left, const QString &right);

} // namespace strata
