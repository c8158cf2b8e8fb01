#pragma once
// The outcomes the model allows for each parallel block of a scenario, as a
// reproducer can check them without the linearizability checker: every
// interleaving of the block's branches that keeps each branch's order, run
// through the model from every state the steps before it can leave, gives
// one row, the block's step results in file order ("ok", "error=NAME", "ok,
// already-exists", "ok, data=TEXT"). A reproducer that observes a row outside
// the set has found a schedule the model does not explain.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "Protocol.h"
#include "handlecheck/model/Profile.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::engine::detail {

// A step's result as a block row spells it: ReproChecks' outcome_text, with
// ", data=TEXT" after a read that returned data.
std::string rowEntry(const proto::Reply&);

// Each block of the scenario (in file order): its allowed rows, each the
// block's steps' results in Scenario::steps order joined by " | ". Steps run
// atomically (a spawn copies its parent's table in one move: per-entry
// copies change what a child inherits, which no result of the block shows).
// Throws std::invalid_argument when a block has more than kMaxInterleavings
// interleavings, or no state the model reaches lets it run.
inline constexpr std::size_t kMaxInterleavings = 20000;
std::vector<std::set<std::string>> blockOutcomes(
    const scenario::Scenario&, const model::Profile& profile = model::windowsProfile());

}  // namespace hc::engine::detail
