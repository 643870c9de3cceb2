// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: /proc/self/mountinfo parsing (octal escapes, optional fields, " - " separator) and,
// for every overlay line, its super options as an overlay stack. Invariants: no entry has an empty
// mount point or type; no unescaped octal escape survives where the kernel writes one; stacks are
// bounded and every layer path is absolute; refusals are typed errors.
#include "fuzzutil.h"
#include "mountsource.h"
#include "overlayconfig.h"

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (256 << 10))
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::vector<MountInfoEntry> mounts = parseMountInfo(text);
    fuzz::check(mounts.size() <= size_t(text.count('\n')) + 1, "more mounts than lines");
    OverlayDefaults defaults;
    for (const MountInfoEntry &m : mounts) {
        fuzz::check(!m.mountPoint.isEmpty() && !m.fsType.isEmpty(), "a mount without a mount point or type");
        if (m.fsType != u"overlay")
            continue;
        auto config = overlayConfigOfMount(m, defaults);
        if (!config) {
            fuzz::checkError(config.error(), {ErrorCode::InvalidOption, ErrorCode::InvalidSource, ErrorCode::NotFound, ErrorCode::Unsupported, ErrorCode::Corrupt});
            continue;
        }
        fuzz::check(config->layers.size() <= 1024, "an unbounded layer count");
        for (const LayerSpec &layer : config->layers)
            fuzz::check(layer.path.startsWith(u'/'), "a relative layer path from mountinfo", layer.path);
        auto at = overlayMountAt(m.mountPoint, QStringLiteral("/"), mounts, defaults);
        if (!at)
            fuzz::checkError(at.error(), {ErrorCode::InvalidOption, ErrorCode::InvalidSource, ErrorCode::NotFound, ErrorCode::Unsupported, ErrorCode::Corrupt});
    }
    return 0;
}
