#pragma once
// Model versus real system: what one step returned and observed on each
// side, compared field by field. Nothing is widened to make a backend pass:
// HandleCount is exact except where SPEC 29 makes the real count a lower
// bound (engine::countIsLowerBound) and where the wine profile's console
// hosts may already have let go of copies (countAgrees).
#include <string>
#include <vector>

#include "handlecheck/engine/Runner.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

// One field on which model and real system disagree. Call-level fields
// ("result", "data", "exit code", "same") have no process or handle; a
// handle's fields ("valid", "inherit", "protect", "type", "count",
// "observed") name the process label and handle name it was seen under;
// "running" names a process only.
// Whether a real HandleCount agrees with the model's observation: equal, at
// least it for a lower bound (SPEC 29), and in either case up to mayDrop
// fewer (quirk new-console-host-inherits).
bool countAgrees(const proto::Observation& model, std::uint32_t real);

struct Difference {
  std::string process;  // label, or empty for the call's own result
  std::string handle;   // handle name, or empty
  std::string field;
  std::string model;  // the model's value, printed
  std::string real;   // the real system's value, printed
  // "H1@C1 inherit", "result", "C1 running".
  std::string where() const;
  bool operator==(const Difference&) const = default;
};

std::vector<Difference> compareSteps(const engine::StepReport& model,
                                     const engine::StepReport& real);
// One handle's observation, the model's (named) against the real one, as
// compareSteps compares each.
std::vector<Difference> compareObservations(const engine::NamedObservation& model,
                                            const proto::Observation& real);

// "dup in P0: result: model ERROR_ACCESS_DENIED, real ok; H2@C1 valid: model 0, real 1"
std::string describe(const scenario::Step&, const std::vector<Difference>&);

// A stable key for deduplicating divergences: the operation (with the flags
// that select its code path) and the fields that differed.
std::string signature(const scenario::Step&, const std::vector<Difference>&);

// The whole observed outcome of a step as scenario expectations (ok or
// error=N, already-exists, the subject's valid/flags/count/type, data=,
// exitcode=), so a printed scenario replays to the same result.
std::vector<scenario::Expect> expectationsOf(const scenario::Step&, const engine::StepReport&);
// The same for one observation only (what a `query` line expects).
std::vector<scenario::Expect> expectationsOf(const proto::Observation&);

}  // namespace hc::props
