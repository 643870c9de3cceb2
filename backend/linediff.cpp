// SPDX-License-Identifier: GPL-3.0-or-later
#include "linediff.h"

#include <algorithm>
#include <cstdint>

namespace strata {

namespace {

void appendRun(std::vector<DiffRow> &rows, std::vector<int> &removed, std::vector<int> &added)
{
    const size_t paired = std::min(removed.size(), added.size());
    for (size_t i = 0; i < paired; ++i)
        rows.push_back({DiffRow::Changed, removed[i], added[i]});
    for (size_t i = paired; i < removed.size(); ++i)
        rows.push_back({DiffRow::Removed, removed[i], -1});
    for (size_t i = paired; i < added.size(); ++i)
        rows.push_back({DiffRow::Added, -1, added[i]});
    removed.clear();
    added.clear();
}
}

std::vector<DiffRow> diffLines(const QStringList &a, const QStringList &b, DiffCounters *counters)
{
    uint64_t comparisons = 0;
    auto same = [&](qsizetype i, qsizetype j) {
        ++comparisons;
        return a[i] == b[j];
    };
    std::vector<DiffRow> rows;
    qsizetype head = 0;
    while (head < a.size() && head < b.size() && same(head, head))
        ++head;
    qsizetype tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && same(a.size() - 1 - tail, b.size() - 1 - tail))
        ++tail;
    for (qsizetype i = 0; i < head; ++i)
        rows.push_back({DiffRow::Equal, int(i), int(i)});
    const qsizetype n = a.size() - head - tail, m = b.size() - head - tail;
    std::vector<int> removed, added;
    if (n * m > maxLcsCells) {
        for (qsizetype i = 0; i < n; ++i)
            removed.push_back(int(head + i));
        for (qsizetype j = 0; j < m; ++j)
            added.push_back(int(head + j));
        appendRun(rows, removed, added);
    } else {
        // lcs[i][j]: LCS length of a[head+i..] and b[head+j..], one flat array.
        std::vector<uint32_t> lcs(size_t((n + 1) * (m + 1)), 0);
        auto at = [&](qsizetype i, qsizetype j) -> uint32_t & { return lcs[size_t(i * (m + 1) + j)]; };
        for (qsizetype i = n - 1; i >= 0; --i)
            for (qsizetype j = m - 1; j >= 0; --j)
                at(i, j) = same(head + i, head + j) ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        qsizetype i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(head + i, head + j)) {
                appendRun(rows, removed, added);
                rows.push_back({DiffRow::Equal, int(head + i), int(head + j)});
                ++i, ++j;
            } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
                added.push_back(int(head + j++));
            } else {
                removed.push_back(int(head + i++));
            }
        }
        appendRun(rows, removed, added);
    }
    for (qsizetype k = tail; k > 0; --k)
        rows.push_back({DiffRow::Equal, int(a.size() - k), int(b.size() - k)});
    if (counters)
        counters->lineComparisons += comparisons;
    return rows;
}

WordSpan changedWords(const QString &left, const QString &right)
{
    // Common prefix and suffix, widened to word boundaries.
    qsizetype prefix = 0;
    while (prefix < left.size() && prefix < right.size() && left[prefix] == right[prefix])
        ++prefix;
    while (prefix > 0 && left[prefix - 1].isLetterOrNumber())
        --prefix;
    qsizetype suffix = 0;
    while (suffix < left.size() - prefix && suffix < right.size() - prefix && left[left.size() - 1 - suffix] == right[right.size() - 1 - suffix])
        ++suffix;
    while (suffix > 0 && left[left.size() - suffix].isLetterOrNumber())
        --suffix;
    return {prefix, left.size() - suffix, prefix, right.size() - suffix};
}

} // namespace strata
