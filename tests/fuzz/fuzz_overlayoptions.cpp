// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: overlay option strings as `mount -t overlay -o` takes them (escapes, lowerdir+,
// datadir+, "::" data-only layers, redirect_dir/metacopy/index/userxattr implications).
// Invariants: every layer path is absolute and made clean of "." and ".." components as the
// kernel resolves them relative to the base dir; a parsed stack prints an option string that
// parses back to the same layers; refusals are typed errors naming what is wrong.
#include "fuzzutil.h"
#include "overlayconfig.h"

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (64 << 10))
        return 0;
    const QString options = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    OverlayDefaults defaults;
    auto config = OverlayConfig::parse(options, QStringLiteral("/base"), defaults);
    if (!config) {
        fuzz::checkError(config.error(), {ErrorCode::InvalidOption, ErrorCode::InvalidSource, ErrorCode::NotFound, ErrorCode::Unsupported, ErrorCode::LimitExceeded});
        return 0;
    }
    fuzz::check(config->layers.size() <= 1024, "an unbounded layer count");
    for (const LayerSpec &layer : config->layers)
        fuzz::check(layer.path.startsWith(u'/'), "a relative layer path", layer.path);
    // What it prints parses back to the same stack.
    auto again = OverlayConfig::parse(config->toOptionString(), QStringLiteral("/base"), defaults);
    fuzz::check(bool(again), "the printed option string does not parse back", again ? QString() : again.error().message() + QStringLiteral(" <- ") + config->toOptionString());
    fuzz::check(again->layers.size() == config->layers.size(), "the printed option string has another layer count", config->toOptionString());
    for (size_t i = 0; i < config->layers.size(); ++i) {
        fuzz::check(again->layers[i].path == config->layers[i].path && again->layers[i].role == config->layers[i].role, "a layer changed through printing",
                    config->layers[i].path + QStringLiteral(" vs ") + again->layers[i].path);
    }
    return 0;
}
