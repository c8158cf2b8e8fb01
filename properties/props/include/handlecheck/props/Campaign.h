#pragma once
// A campaign (issue 8): RapidCheck runs of random sequences against a real
// backend under a profile, collecting every distinct divergence, each shrunk
// to a minimal sequence. The same options give the same sequences, the same
// divergences and the same shrunk scenarios.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "handlecheck/props/Harness.h"

namespace hc::props {

struct CampaignOptions {
  model::Profile profile = model::windowsProfile();
  std::uint64_t seed = 1;
  int tests = 100;    // sequences that must pass (RapidCheck max_success)
  int maxSteps = 30;  // longest sequence
  GenConfig gen;
  std::function<std::unique_ptr<sut::Backend>()> makeSut;
  // Called after every sequence run (also during shrinking).
  std::function<void(const struct CampaignProgress&)> progress;
  std::function<bool()> stop;  // true (e.g. after Ctrl-C): stop after the current sequence
};

struct CampaignProgress {
  int sequences = 0;     // sequences run so far, shrinking included
  long steps = 0;        // steps run on the real backend so far
  int divergences = 0;   // distinct ones so far
  bool shrinking = false;
};

struct Divergence {
  std::string signature;    // operation + what differed; the dedup key
  std::string description;  // one line, citing the SPEC rule
  std::string specRules;    // "SPEC 18-21"
  std::uint64_t seed = 0;   // the RapidCheck seed of the round that found it
  int occurrences = 1;      // sequences that showed it (after it was first found)
  SequenceResult shrunk;    // the minimal failing sequence as it ran
};

struct CampaignResult {
  std::uint64_t seed = 0;
  int sequences = 0;
  int passed = 0;  // sequences that agreed throughout (outside shrinking)
  long steps = 0;
  std::map<std::string, long> coverage;  // per op (and spawn flavour, depth) -> steps run
  std::vector<Divergence> divergences;   // in the order found
  std::string backendFailure;            // non-empty: the campaign stopped on it
  bool interrupted = false;
};

CampaignResult runCampaign(const CampaignOptions&);

// The dedup key and description of a failed sequence (its diverging step, or
// the end-of-sequence comparison).
std::string divergenceSignature(const SequenceResult&);
std::string divergenceDescription(const SequenceResult&);
// The rules a departure of this step touches: "SPEC 24" when only pi.hProcess /
// pi.hThread differ, "SPEC 22-23" for the child's copies, "SPEC 18-21" for a dup...
std::string specRulesOf(const scenario::Step&, const std::vector<Difference>& = {});

// Coverage keys of one sequence's trace: "op:<name>", "spawn:inherit",
// "spawn:handle-list", "depth:<n>", "inherited:2-generations", ...
std::vector<std::string> coverageOf(const SequenceResult&);

}  // namespace hc::props
