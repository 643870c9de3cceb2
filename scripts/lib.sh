# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by scripts/build, test, run, bench: where things are and how to run inside the toolbox.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${STRATA_BUILD_DIR:-$repo/build}
preset=${STRATA_PRESET:-release}
# Runs "$@" in the toolbox (or natively where the host has the dependencies).
in_toolbox() { "$repo/scripts/toolbox" "$@"; }
