#pragma once
// Parallel campaigns on the model: each case is a sequential prefix and one
// parallel block drawn from a seed, run several times because one run sees
// one schedule (the model as the system under test, each run in the
// interleaving its own seed draws), every run checked by linearizability
// against the reference model (Linearize.h). A failing case is shrunk
// (branches, steps, prefix), each candidate run as often. The seed
// reproduces the cases and, on the model, their schedules too.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::props {

// What a case's block races on. Besides a mix of steps on the prefix's
// handles, the races handles really run into: mark-spawn-unmark (with a
// handle list or not) against a spawn with bInheritHandles; CloseHandle
// against DUPLICATE_CLOSE_SOURCE of the same handle across processes;
// CloseHandle against a read, write, query or dup of the same value; two
// creates of one name (one sees ERROR_ALREADY_EXISTS); two spawns inheriting
// one handle. A third branch, when asked for, mixes steps on handles the
// race leaves alone.
enum class Race : std::uint8_t {
  Mix,
  InheritAgainstSpawn,
  CloseAgainstCloseSource,
  CloseAgainstUse,
  SameName,
  TwoSpawns,
};

struct ParallelOptions {
  std::uint64_t seed = 1;
  int tests = 30;           // cases
  int branches = 2;         // per block, 2 or 3
  int branchSteps = 3;      // most steps per branch, 1 to scenario::kMaxBranchSteps
  int runs = 10;            // schedules per case
  std::vector<Race> races;  // the races cases draw from, all alike (empty: every race)
  model::Profile profile = model::windowsProfile();  // the reference model
  // The system under test of one run: by default the model under `profile`.
  std::function<std::unique_ptr<engine::ModelBackend>()> makeSut;
  // A real system under test (Wine, native) instead, reset before each run:
  // its blocks run on the agents' threads (runBlockOnBackend). The schedule
  // is then the system's: a run counts the interleaving that explains it.
  sut::Backend* real = nullptr;
};

struct ParallelResult {
  int cases = 0;
  // Distinct interleavings observed, per case run (schedule coverage).
  std::vector<std::size_t> schedules;
  std::optional<scenario::Scenario> failing;  // the shrunk failing case
  std::string failure;                        // its verdict (describe())
  int shrinkSteps = 0;                        // candidates accepted while shrinking
  // On a real system: the catalogue quirks (not in the profile) that
  // explained runs the profile did not, known rather than NEW.
  std::set<std::string> known;
};

ParallelResult runParallelCampaign(const ParallelOptions&);

// The case `index` of a campaign seeded `seed` (prefix and block), its race
// drawn from `races` (empty: every race).
scenario::Scenario parallelCase(std::uint64_t seed, int index, int branches, int branchSteps,
                                const std::vector<Race>& races = {});

}  // namespace hc::props
