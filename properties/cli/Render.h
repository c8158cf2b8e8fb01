#pragma once
// How replay and explain print a run: one line per outcome, the Win32 call
// behind each step, and the JSON document (schema in `handlecheck replay --help`).
#include <nlohmann/json.hpp>
#include <string>

#include "ScenarioRun.h"

namespace hc::cli {

// "ok; MS = 0x4 in P0" / "error=ERROR_INVALID_HANDLE (6)" / "ok; data=hello" /
// "would block forever".
std::string outcomeSummary(const StepResult&);
// For a step whose pipe's other end is still open (StepReport::peerHolders):
// "the pipe's write end is still open in:", then one line per holder
// ("C2 as W (inherited from P0 at line 4)"), each line starting with
// `indent`; empty when no one holds it. `source` goes before the first
// line: "by the model, " where the holders are the model's.
std::string holdersNote(const StepResult&, const std::string& indent,
                        const std::string& source = "");
// "CreateMailslotW", "DuplicateHandle", ...
std::string_view win32Name(const scenario::Step&);
// The rule that decided the step's outcome on the model, cited and stated
// ("SPEC 14 [T][K]: CloseHandle ..."), from the model's rule table; empty
// when the step ran on a real backend.
std::string ruleNote(const StepResult&);
// The JSON object of one file (schema 1).
nlohmann::ordered_json fileJson(const FileResult&, bool diagrams);

}  // namespace hc::cli
