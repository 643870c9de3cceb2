// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "overlaystack.h"

#include <map>
#include <string>
#include <vector>

namespace strata {

// One line per path ("/a/b" → "file 0644 0:0 size=3 target="), as the kernel shows a mounted
// stack and as the engine computes it, so that the two can be compared line by line.
using ViewDescription = std::map<std::string, std::string>;
// The kernel's view: readdir + fstatat through the mounted merged dir.
ViewDescription describeKernelView(const std::string &mergedRoot);
// The engine's merged view of `stack`.
ViewDescription describeEngineView(const OverlayStack &stack);

struct ViewMismatch {
    std::string path;
    std::string engine; // empty: the engine has no such path
    std::string kernel; // empty: the kernel has no such path
};
std::vector<ViewMismatch> compareViews(const ViewDescription &engine, const ViewDescription &kernel);

} // namespace strata
