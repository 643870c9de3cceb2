// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "asofview.h"
#include "overlaystack.h"

#include <functional>
#include <optional>
#include <string>

namespace strata {

struct ListingOptions {
    bool json = false;
    bool hash = false; // sha256 of the content a read would return
    int layer = -1; // -1: the merged view; else that layer's own entries
    bool csv = false; // comma-separated values with a header line, instead of text or JSON
    // What the window shows (its "export what is shown"): the merged view as of a layer instead of
    // the whole stack's, and only the union rows marked non-zero (ChangeFilterProxy's decision).
    const AsOfView *asOf = nullptr;
    const std::vector<uint8_t> *shownRows = nullptr;
};

using LineSink = std::function<void(const std::string &)>;

// `strata-cli ls`: the merged view (or one layer) in tree order, one line per entry. Problems
// (unreadable files while hashing) are reported through `problems` and do not stop the listing.
void writeListing(const OverlayStack &stack, const ListingOptions &options, const LineSink &out, const LineSink &problems);
// `strata-cli layers`
void writeLayers(const OverlayStack &stack, bool json, const LineSink &out);
// `strata-cli diff`: what each layer (or only `layer`) changes relative to the layers below it.
void writeDiff(const OverlayStack &stack, int layer, bool json, const LineSink &out);

// `strata-cli waste`: what wastes space, largest first (WasteReport's items); the text form ends
// with the totals.
void writeWaste(const OverlayStack &stack, bool json, const LineSink &out);

struct CheckLimits {
    std::optional<uint64_t> maxWastedBytes;
    std::optional<double> minEfficiency; // 0..1
};
// `strata-cli check`: the totals and each limit's verdict (a failed limit names its numbers).
// True when the stack is within every limit.
bool writeCheck(const OverlayStack &stack, const CheckLimits &limits, bool json, const LineSink &out);

// `strata-cli explain`: every version of one path, top-down, with what it does and why the merged
// view shows or hides it. False when no layer has the path.
bool writeExplanation(const OverlayStack &stack, std::string_view path, bool json, const LineSink &out);

std::string octalMode(uint32_t mode);

// Writes the merged listing to a file, CSV when the name ends in .csv, else JSON Lines; replaces
// the file atomically. Returns an empty string on success, else the error naming the file.
// `options` chooses what (as of a layer, shown rows only); its format fields are set from the name.
QString writeListingFile(const OverlayStack &stack, const QString &fileName, ListingOptions options = {});

} // namespace strata
