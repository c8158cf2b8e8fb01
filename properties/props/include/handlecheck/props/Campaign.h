#pragma once
// A campaign: RapidCheck rounds of random sequences against a real backend
// under a profile, collecting every distinct divergence, each shrunk to a
// minimal sequence and told known from new: a divergence that a catalogue
// quirk explains is that quirk, which the model then follows for the rest
// of the campaign, so later sequences run past it to deeper departures. The
// same options give the same sequences, divergences and shrunk scenarios.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  std::function<std::unique_ptr<sut::Backend>()> makeSut;  // a fresh backend
  // Worker N's backend (each worker keeps one); empty: makeSut for every worker.
  std::function<std::unique_ptr<sut::Backend>(int worker)> makeWorkerSut;
  int jobs = 1;  // real backends running sequences at once; the result is the same for any number
  // Called after every sequence run (also during shrinking).
  std::function<void(const struct CampaignProgress&)> progress;
  std::function<bool()> stop;  // true (e.g. after Ctrl-C): stop after the current sequence
  // Shrinking one divergence stops after this long; the smallest failing
  // sequence so far is reported, marked as cut short.
  std::chrono::milliseconds shrinkTime{60'000};
  // Each shrunk scenario is replayed this often on a fresh real backend
  // before it is reported; one that does not reproduce every time is flaky.
  int confirmations = 3;
};

struct CampaignProgress {
  int sequences = 0;    // sequences run so far, shrinking included
  long steps = 0;       // steps run on the real backend so far
  int divergences = 0;  // distinct ones so far
  bool shrinking = false;
};

struct Divergence {
  std::string signature;  // the dedup key: "quirk NAME[ + NAME]", or operation + what differed
  const model::Quirk* quirk = nullptr;      // the catalogue quirk that explains it; null: NEW
  std::vector<const model::Quirk*> quirks;  // all that explain it together (quirk is the first)
  std::vector<model::RuleId> rules;         // the SPEC rules it departs from
  std::string what;         // the differences: "spawn in P0: HP@P0 inherit: model 1, real 0"
  std::string description;  // the same citing the rules ("SPEC 24 [D]: spawn in P0: ...")
  std::uint64_t seed = 0;   // the RapidCheck seed of the round that found it
  int foundAfter = 0;       // sequences the campaign had run when it was found
  // Sequences that showed it: for a quirk, also those after it was switched
  // on in which the model without it would have parted from the real system.
  int occurrences = 1;
  bool shrinkCutShort = false;  // shrinking hit CampaignOptions::shrinkTime
  int replays = 0;              // confirmations run on a fresh real backend...
  int reproduced = 0;           // ...and how many showed the divergence again
  SequenceResult shrunk;        // the minimal failing sequence as it ran
  bool isNew() const { return quirk == nullptr; }
  bool flaky() const { return reproduced < replays; }
};

struct CampaignResult {
  std::uint64_t seed = 0;
  model::Profile profile;  // the profile in use at the end: the options' plus attributed quirks
  int sequences = 0;
  int passed = 0;    // sequences that agreed throughout (outside shrinking)
  int explored = 0;  // sequences run outside shrinking: the index Divergence::foundAfter counts on
  long steps = 0;
  std::map<std::string, long> coverage;  // per op (and spawn flavour, depth) -> steps run
  std::vector<Divergence> divergences;   // in the order found
  std::string backendFailure;            // non-empty: the campaign stopped on it
  bool interrupted = false;
  const Divergence* divergenceOf(const model::Quirk&) const;  // null: not reached
};

CampaignResult runCampaign(const CampaignOptions&);

// A campaign cut into K slices, each an independent campaign of its own
// (`handlecheck check --slices K`, and `--shard I/N` running some of them):
// what a slice learns (a quirk switched on) stays in it, so any set of slices
// runs anywhere and their results merge into the whole campaign's. Slice 0
// keeps the campaign's seed, so one slice is the campaign itself.
std::uint64_t sliceSeed(std::uint64_t seed, int slice);
// Slice k's share of `tests`: tests / slices, the first tests % slices one more.
int sliceTests(int tests, int slices, int slice);
// The options of slice k of `slices`: its seed and its share of the tests.
CampaignOptions sliceOptions(CampaignOptions, int slices, int slice);

// The dedup key of a failed sequence (its diverging step, or the
// end-of-sequence comparison), before any quirk is attributed.
std::string divergenceSignature(const SequenceResult&);
// The SPEC rules of the departure: the rule the model's outcome of the
// diverging step came from (model::Outcome::rule), else the table of operations'
// rules for the step's op; empty for a difference only the end-of-sequence
// comparison saw.
std::vector<model::RuleId> divergenceRules(const SequenceResult&);
// "SPEC 24 [D]: spawn in P0: HP@P0 inherit: model 1, real 0" (model::cite).
std::string divergenceDescription(const SequenceResult&, const std::vector<model::RuleId>& rules);

// Coverage keys of one sequence's trace: "op:<name>", "spawn:inherit",
// "spawn:handle-list", "depth:<n>", "inherited:2-generations", ...
std::vector<std::string> coverageOf(const SequenceResult&);

}  // namespace hc::props
