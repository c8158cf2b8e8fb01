#pragma once
// One scenario file run on a fresh backend, step by step: what replay and
// explain print (as text or JSON) is made from this.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "Commands.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/model/RuleId.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::cli {

struct StepResult {
  scenario::Step step;
  engine::StepReport report;
  std::string diagram;                       // the handle tables after the step (when asked for)
  model::RuleId rule = model::RuleId::None;  // on the model: the SPEC rule that decided it
};

struct FileResult {
  enum class Status { Passed, Failed, Malformed, BackendFailure, Interrupted };
  std::string file;
  std::string backend;  // Backend::name()
  Status status = Status::Passed;
  std::string error;          // Malformed: "file:line:col: message"; BackendFailure: the message
  int line = 0, column = 0;   // Malformed: where
  std::size_t stepCount = 0;  // steps in the file
  std::vector<StepResult> steps;  // the steps that ran
  // The step the model predicts never returns (status BackendFailure): its
  // report has reply.blocks set and, for a pipe read, peerHolders.
  std::optional<StepResult> blocked;
  std::size_t failedSteps() const;
};

int exitStatus(FileResult::Status);
std::string_view statusName(
    FileResult::Status);  // passed, failed, malformed, backend-failure, interrupted

// Sees the backend and the bindings after each step (for the HTML pictures),
// the step that blocks included.
using AfterStep = std::function<void(sut::Backend&, const engine::Bindings&, const StepResult&)>;

// Parses `path`, starts a backend and runs every step, checking expectations;
// diagrams: draw the tables after each step. Never throws for a scenario or
// backend problem (it is the result's status); CommandLineError propagates.
FileResult runFile(const std::string& path, const BackendOptions&, bool diagrams,
                   const AfterStep& afterStep = {});

}  // namespace hc::cli
