#pragma once
// Model versus real system: what one step returned and observed on each
// side, compared field by field. Nothing is widened to make a backend pass:
// HandleCount is exact except for process and thread objects, where the real
// count is a lower bound (SPEC 29).
#include <string>
#include <vector>

#include "handlecheck/engine/Runner.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

struct Difference {
  std::string what;   // "error", "H1@C1 inherit", "count of H2@P0", ...
  std::string model;  // the model's value, printed
  std::string real;   // the real system's value, printed
  bool operator==(const Difference&) const = default;
};

std::vector<Difference> compareSteps(const engine::StepReport& model,
                                     const engine::StepReport& real);

// "DuplicateHandle: model ERROR_ACCESS_DENIED, real ok; H2@C1 valid: model 0, real 1"
std::string describe(const scenario::Step&, const std::vector<Difference>&);

// A stable key for deduplicating divergences: the operation (with the flags
// that select its code path) and the names of the fields that differed.
std::string signature(const scenario::Step&, const std::vector<Difference>&);

// The whole observed outcome of a step as scenario expectations (ok or
// error=N, already-exists, the subject's valid/flags/count/type, data=,
// exitcode=), so a printed scenario replays to the same result. Process and
// thread counts become count>=N.
std::vector<scenario::Expect> expectationsOf(const scenario::Step&, const engine::StepReport&);

}  // namespace hc::props
