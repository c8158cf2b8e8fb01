#pragma once
// Excerpts of the Win32 call layer (sut/win32: Calls.h, Calls.cpp,
// Observe.cpp, Spawn.cpp), embedded at build time: what a straight-line
// reproducer needs of it and nothing more, so that its Win32 calls are the
// agent's own without the whole layer in every file.
#include <string>
#include <vector>

namespace hc::engine::detail {

// The definitions (functions, structs, macros, typedefs) that `roots` name,
// with every definition they use, in the layer's source order; each keeps
// the comment above it. Declarations without a body are left out: every
// definition comes before its first use in the layer's order. Throws
// std::logic_error for a root the layer does not define.
std::string callLayerExcerpt(const std::vector<std::string>& roots);
// The names the call layer defines that `code` uses: the roots of the
// excerpt that code needs.
std::vector<std::string> callLayerNamesIn(const std::string& code);
// The reproducer runtime (sut/win32/Repro*, the check library first), as
// embedded after the layer.
std::string reproRuntimeText();
// The check library alone (sut/win32/ReproChecks.h, ReproChecks.cpp), for
// the reproducers without the runtime.
std::string reproChecksText();
// The check library's error names (repro_error_names[], repro_error_count),
// from the error table.
std::string reproErrorNamesText();

}  // namespace hc::engine::detail
