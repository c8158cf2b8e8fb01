#pragma once
// `check --wine-patch --wine-tree DIR`: each divergence as a patch against
// the Wine test file where its behaviour belongs.
#include <string>

#include "CheckReport.h"

namespace hc::cli {

// For each divergence: the file it belongs in (by what the scenario uses:
// mailslot.c, process.c, pipe.c, sync.c, else ntdll's om.c), then either the
// note that the quirk's evidence (an ok() it cites there) already asserts it, or
// `divergence-N-*.wine.patch` in `outDir` adding its test function and the call in START_TEST
// (checked with `git apply --check` when DIR is a git checkout). A test with helpers or children
// brings them along, its names prefixed with its own, its children dispatched from the file's
// child branch (process.c for a test that starts processes when the file has none). Returns what
// it did, one line per divergence.
std::string writeWinePatches(const CheckReport&, const std::string& wineTree,
                             const std::string& outDir);

}  // namespace hc::cli
