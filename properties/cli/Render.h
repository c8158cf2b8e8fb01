#pragma once
// How replay and explain print a run: one line per outcome, the Win32 call
// behind each step, and the JSON document (schema in `handlecheck --help`).
#include <string>

#include "ScenarioRun.h"

namespace hc::cli {

// "ok; MS = 0x4" / "error=ERROR_INVALID_HANDLE (6)" / "ok; data=hello".
std::string outcomeSummary(const StepResult&);
// "CreateMailslotW", "DuplicateHandle", ...
std::string_view win32Name(const scenario::Step&);
// The rule the step exercises, in one sentence citing its SPEC rule (for explain).
std::string_view specNote(const scenario::Step&);
// The JSON object of one file (schema 1), indented by `indent` spaces.
std::string fileJson(const FileResult&, bool diagrams, int indent);

}  // namespace hc::cli
