#include "BlockOutcomes.h"

#include <stdexcept>
#include <utility>

#include "Errors.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine::detail {
namespace {

using scenario::Step;

// The model before (or after) some steps: one of the worlds a schedule leaves.
struct World {
  ModelBackend model;
  Bindings bindings;
  bool operator==(const World& o) const {
    return model.system() == o.model.system() && bindings == o.bindings;
  }
};

// How many worlds are followed past a block: every distinct end state.
constexpr std::size_t kMaxWorlds = 512;

// Runs `step` without its expectations; false when the model cannot (the
// step blocks, names what this world does not have, or is left unsettled).
bool runBare(World& w, Step step, std::string& entry) {
  step.expects.clear();
  try {
    entry = rowEntry(runStep(w.model, w.bindings, step).reply);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void addWorld(std::vector<World>& worlds, World w) {
  for (const World& seen : worlds)
    if (seen == w) return;
  if (worlds.size() >= kMaxWorlds)
    throw std::invalid_argument("more than " + std::to_string(kMaxWorlds) +
                                " model states before a block: too many to tabulate");
  worlds.push_back(std::move(w));
}

// Every interleaving of `branches` from `w`: rows into `rows`, end states into `after`.
struct Interleave {
  const scenario::Scenario& sc;
  const scenario::Segment& block;
  std::vector<std::size_t> order;  // block step index (file order) of each Scenario step
  std::set<std::string>& rows;
  std::vector<World>& after;
  std::size_t leaves = 0;

  void run(const World& w, std::vector<std::size_t>& at, std::vector<std::string>& entries) {
    bool done = true;
    for (std::size_t b = 0; b < block.branches.size(); ++b) {
      if (at[b] == block.branches[b].size()) continue;
      done = false;
      const std::size_t index = block.branches[b][at[b]];
      World next = w;
      if (!runBare(next, sc.steps[index], entries[order[index]])) continue;
      ++at[b];
      run(next, at, entries);
      --at[b];
    }
    if (!done) return;
    if (++leaves > kMaxInterleavings)
      throw std::invalid_argument("a block with more than " + std::to_string(kMaxInterleavings) +
                                  " interleavings: too many to tabulate");
    std::string row;
    for (const std::string& e : entries) row += (row.empty() ? "" : " | ") + e;
    rows.insert(row);
    addWorld(after, w);
  }
};

}  // namespace

std::string rowEntry(const proto::Reply& r) {
  if (r.blocks) return "a call that would block";
  if (!r.ok) {
    const std::string_view name = proto::errorName(r.error);
    return "error=" + (name.empty() ? std::to_string(r.error) : std::string(name));
  }
  std::string out = r.alreadyExists ? "ok, already-exists" : "ok";
  if (r.hasData) out += ", data=" + r.data;
  return out;
}

std::vector<std::set<std::string>> blockOutcomes(const scenario::Scenario& sc,
                                                 const model::Profile& profile) {
  std::vector<std::set<std::string>> out;
  std::vector<World> worlds{World{ModelBackend{profile}, Bindings{}}};
  for (const scenario::Segment& seg : scenario::segments(sc.steps)) {
    std::vector<World> after;
    if (seg.block == 0) {
      for (World w : worlds) {
        std::string ignored;
        if (runBare(w, sc.steps[seg.step], ignored)) addWorld(after, std::move(w));
      }
    } else {
      Interleave walk{sc, seg, std::vector<std::size_t>(sc.steps.size()), out.emplace_back(),
                      after};
      std::size_t count = 0;
      for (const auto& branch : seg.branches) count += branch.size();
      // Block steps in file order: branch by branch, as Scenario::steps holds them.
      std::size_t n = 0;
      for (const auto& branch : seg.branches)
        for (const std::size_t index : branch) walk.order[index] = n++;
      for (const World& w : worlds) {
        std::vector<std::size_t> at(seg.branches.size());
        std::vector<std::string> entries(count);
        walk.run(w, at, entries);
      }
      if (out.back().empty())
        throw std::invalid_argument("line " + std::to_string(sc.steps[seg.step].line) +
                                    ": the model runs no interleaving of this block to its end");
    }
    // A sequential step the model cannot run in any world ends the table
    // there: the rest of the scenario is not reached the way it is written.
    if (after.empty()) break;
    worlds = std::move(after);
  }
  return out;
}

}  // namespace hc::engine::detail
