#pragma once
// Stateful model-versus-real testing with RapidCheck's rc::state:
// the model state is the model backend plus the scenario names bound in it;
// the system under test is a real backend plus its own bindings. Every
// command is one scenario step (one Win32 call), run on both and compared.
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/model/System.h"
#include "handlecheck/props/Compare.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

// The model side: copyable value (rc::state copies it freely).
struct HarnessModel {
  explicit HarnessModel(model::Profile profile) : backend(profile) {}
  engine::ModelBackend backend;
  engine::Bindings bindings;
  int nextName = 1;                             // fresh handle names H1, H2, ...
  int nextChild = 1;                            // fresh process labels C1, C2, ...
  std::map<std::string, int> depth{{"P0", 0}};  // tree depth per label (P0 = 0)
  // Steps that may have put a new handle into each process's table, and,
  // per closed name, that count when it was closed. Closing a stale value is
  // contractual only while nothing was allocated since (SPEC 3: which free
  // value a new handle gets is not; the system may hand out the stale one).
  std::map<std::string, int> allocations;
  std::map<std::pair<std::string, std::string>, int> closedAt;
  bool staleValueIsFree(const std::string& process, const std::string& name) const;
};

// One step as it ran on both sides.
struct RecordedStep {
  scenario::Step step;
  engine::StepReport model;
  engine::StepReport real;
  std::vector<Difference> differences;
  // The SPEC rule that decided the model's outcome (model::Outcome::rule).
  model::RuleId rule = model::RuleId::None;
};

// The real side of one sequence; destroying it tears the process tree down.
struct HarnessSut {
  std::unique_ptr<sut::Backend> backend;
  engine::Bindings bindings;
  std::vector<RecordedStep> trace;
};

using Command = rc::state::Command<HarnessModel, HarnessSut>;
using CommandPtr = std::shared_ptr<const Command>;

// Base of every command: a scenario step. Preconditions are checked on the
// model itself (a trial run on a copy), so shrinking never produces a step
// that cannot run: the process must exist and run, names must be bound, new
// names fresh, and the call must not block forever.
class StepCommand : public Command {
 public:
  explicit StepCommand(scenario::Step step) : step_(std::move(step)) {}
  void checkPreconditions(const HarnessModel& m) const override;
  void apply(HarnessModel& m) const override;
  // rc::state's run: records the step and fails (RC_FAIL, naming the call
  // and every difference) when model and real disagree.
  void run(const HarnessModel& m, HarnessSut& s) const override;
  void show(std::ostream& os) const override;
  // The step on both sides, compared; the record is also appended to s.trace.
  // Throws sut::BackendFailure.
  const RecordedStep& record(const HarnessModel& m, HarnessSut& s) const;
  const scenario::Step& step() const { return step_; }

 protected:
  scenario::Step step_;
};

// Views of the model for the generators.
struct HandleView {
  std::string process;  // label
  std::string name;
  model::ObjectKind kind;
  bool inherit = false;
  bool protect = false;
  bool operator==(const HandleView&) const = default;
};
std::vector<std::string> runningProcesses(const HarnessModel&);
std::vector<HandleView> openHandles(const HarnessModel&, const std::string& process);
std::vector<std::string> closedNames(const HarnessModel&, const std::string& process);
const model::Process& modelProcess(const HarnessModel&, const std::string& label);

// Generation knobs (the CLI's --max-depth / --ops).
struct GenConfig {
  int maxDepth = 3;              // deepest process label (P0 = 0)
  std::vector<std::string> ops;  // empty: every op; else opName()s to generate
};
rc::Gen<CommandPtr> genCommand(const HarnessModel&, const GenConfig&);
// The scenario op names genCommand can produce (valid --ops values).
std::vector<std::string> knownOps();

// The outcome of one sequence: empty when model and real agreed throughout.
struct SequenceResult {
  std::vector<RecordedStep> trace;           // every step run (the last one diverged, if any)
  std::optional<std::size_t> diverged;       // index into trace
  std::vector<Difference> finalDifferences;  // end-of-sequence whole-table comparison
  // The model's and the real observation of each handle in finalDifferences.
  using ObservationPairs = std::map<std::pair<std::string, std::string>,
                                    std::pair<proto::Observation, proto::Observation>>;
  ObservationPairs finalObservations;
  std::string backendFailure;  // non-empty: the real backend failed
  bool failed() const { return diverged || !finalDifferences.empty() || !backendFailure.empty(); }
};

// A fresh real backend from makeSut. Starting the tree is the harness's own
// business, not a step under test: one retry absorbs a transient start
// failure (Wine under load has failed CreateProcess of the root agent with
// error 1359); a second failure throws sut::BackendFailure.
std::unique_ptr<sut::Backend> startBackend(
    const std::function<std::unique_ptr<sut::Backend>()>& makeSut);

// Runs commands on a fresh model and a fresh real backend (startBackend),
// step by step with rc::state's semantics (preconditions, run, apply), then
// compares every process's whole table and every object's count.
SequenceResult runSequence(const std::vector<CommandPtr>& commands, const model::Profile&,
                           const std::function<std::unique_ptr<sut::Backend>()>& makeSut);

// The recorded steps as a scenario: each line carries the real system's
// observed outcome as expectations. A difference the step's own line cannot
// express (an observation other than its subject, or the end-of-sequence
// comparison) gets a `query` line in the process where it was seen, so the
// scenario holds on the real system and fails on the model where they part.
// The first line where they part is marked with a comment giving the model's
// prediction.
scenario::Scenario observedScenario(const SequenceResult&);
// The same steps with the model's predictions as expectations (for reproducers),
// with the same added query lines.
scenario::Scenario predictedScenario(const SequenceResult&);
// The index in observedScenario() / predictedScenario() of the marked step.
std::optional<std::size_t> markedStep(const SequenceResult&);

}  // namespace hc::props
