#pragma once
// Parallel blocks (properties/scenario/README.md "Threads and parallel
// blocks"): what a block gave on the system under test, and whether the model
// explains it. A block passes when some interleaving of its branches' steps
// that keeps each branch's order, run through the model, gives every observed
// result and ends in the observed state (linearizability). The search is
// Wing and Gong's, with each (model state, branch positions) explored once,
// as Porcupine and Knossos do. A spawn is not one atomic step: SPEC 86 lets
// each table entry be copied at its own moment, so the search interleaves
// the copies with the other branches' steps.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

// Every open name of every running process, observed by name, in label and
// name order: the state a block left, as both sides can see it.
std::vector<engine::NamedObservation> observeState(sut::Backend&, const engine::Bindings&);

// One parallel block: its branches (each branch's steps in order) and what
// they gave on the system under test.
struct BlockHistory {
  std::vector<std::vector<scenario::Step>> branches;
  std::vector<std::vector<engine::StepReport>> observed;  // per branch, per step
  // observeState after the block; on a real system (runBlockOnBackend) of
  // every name the block may have left open: those open before it and those
  // its steps bound, each observed by its value.
  std::vector<engine::NamedObservation> after;
  std::vector<std::string> schedule;  // the order the steps ran in, as "T1 line 4"
};

// One move of an interleaving: a step (or, SPEC 86, a spawn's start, one
// entry copied, its end) of a branch; on a real system also the look at
// one handle a step observes: the agent looks at them one by one after the
// call returns, so other branches' steps may come between (Look).
struct Move {
  std::size_t branch = 0;
  std::size_t step = 0;  // index in the branch
  enum class Kind : std::uint8_t { Step, SpawnStart, CopyEntry, SpawnEnd, Look } kind = Kind::Step;
  std::string handle;  // Look: the name looked at
  bool operator==(const Move&) const = default;
};

struct Verdict {
  bool linearizable = false;
  // Explicit expectations (or the automatic invariants) broke in some
  // interleaving the model allows: `order` is that interleaving up to the
  // step that broke them, `failure` says what broke.
  bool expectationBroken = false;
  // linearizable: the interleaving that explains the history; otherwise the
  // one the model explains longest (most steps whose results match), or the
  // one that broke an expectation.
  std::vector<Move> order;
  std::string failure;       // empty when linearizable
  std::size_t explored = 0;  // distinct (state, positions) the searches visited
  // The model after the explaining interleaving (linearizable only): the
  // state later steps continue from.
  std::optional<engine::ModelBackend> model;
  engine::Bindings bindings;
};

struct CheckOptions {
  // Handle values bound and observed must match too (the model as the
  // system under test, or a backend whose values the model predicts).
  bool exactValues = true;
  // SPEC 86: a spawn copies each entry at its own moment. Off, a spawn is
  // one atomic step (what a kernel that locks the whole table would allow).
  bool perEntryInheritance = true;
  // The block ran on real threads (runBlockOnBackend): each step's request
  // was made before the block, so it observed none of the names the block's
  // other steps bind (the model's observations of those are not compared)
  // and may observe names other steps close (judged by value: SPEC 87);
  // each step's look at its handles is a move of its own after the call.
  bool requestsBeforeBlock = false;
};

// The names (and process labels) the steps of a block bind.
std::set<std::string> boundInBlock(const std::vector<std::vector<scenario::Step>>& branches);
// Drops from `report` the observations of names that steps of the block
// other than `step` bind (`bound`: boundInBlock).
void dropBoundElsewhere(engine::StepReport& report, const scenario::Step& step,
                        const std::set<std::string>& bound);

// Checks a block against the model as it stands before the block (`model`,
// `bindings`: the reference side's world and names then).
Verdict checkBlock(const engine::ModelBackend& model, const engine::Bindings& bindings,
                   const BlockHistory& history, const CheckOptions& options = {});

// Runs the block on a model backend as the system under test: the branches'
// steps (and each spawn's copies, SPEC 86) in an interleaving drawn from
// `seed` (the same seed gives the same interleaving); returns what they gave.
// Throws what runStep throws.
BlockHistory runBlockOnModel(engine::ModelBackend& sut, engine::Bindings& bindings,
                             const std::vector<std::vector<scenario::Step>>& branches,
                             std::uint64_t seed);

// Runs the block on a backend with threads (Backend::performBlock: Wine,
// native): each step's request is made from the names bound before the
// block, every branch runs on a real thread of its process, all released
// at once, its steps back to back; then the steps are bound and checked in
// branch order with the replies they got, and the state after the block is
// observed. The schedule is the real system's and is not observed. Throws
// BackendFailure (a step that uses a name the block itself binds, a hung
// branch), StepBlocks and what runStep throws.
BlockHistory runBlockOnBackend(sut::Backend&, engine::Bindings& bindings,
                               const std::vector<std::vector<scenario::Step>>& branches);

// The block's steps, branch by branch, from a scenario's steps.
std::vector<std::vector<scenario::Step>> branchesOf(const std::vector<scenario::Step>& steps,
                                                    const scenario::Segment& block);

// The verdict for a person: the observed results per branch, then the
// interleaving that explains them, comes closest, or broke an expectation.
std::string describe(const BlockHistory&, const Verdict&);

}  // namespace hc::props
