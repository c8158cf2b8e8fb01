// Campaigns on top of RapidCheck: each round is one rc check with a seed
// derived from the campaign's. A failure whose signature is new is shrunk
// (keeping that signature) and recorded; then either a catalogue quirk
// explains it, and the model follows that quirk from the next round on, or
// it is NEW and its signature counts as known, so every distinct departure
// is reported once.
#include "handlecheck/props/Campaign.h"

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <optional>
#include <set>

#include "Round.h"
#include "Workers.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/props/Attribution.h"

namespace hc::props {
namespace {

// splitmix64's finaliser of seed + step * n: distinct n, unrelated streams.
std::uint64_t mix(std::uint64_t seed, std::uint64_t step, std::uint64_t n) {
  std::uint64_t z = seed + step * n;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Rounds never replay each other's sequences.
std::uint64_t roundSeed(std::uint64_t seed, int round) {
  return mix(seed, 0x9e3779b97f4a7c15ull, static_cast<std::uint64_t>(round + 1));
}

// One confirmation: whether `observed` holds on a fresh real backend. A
// backend failure there (a tree that would not start, a call that timed out
// on a loaded machine) is no verdict on the divergence, so it never counts
// as a replay that did not reproduce: the replay runs again on another fresh
// backend, and a second failure is thrown.
bool reproduces(const scenario::Scenario& observed, const CampaignOptions& o) {
  try {
    return holdsOrThrows(observed, *startBackend(o.makeSut));
  } catch (const sut::BackendFailure&) {
    return holdsOrThrows(observed, *startBackend(o.makeSut));
  }
}

// The shrunk failure as a reported divergence: attributed to a quirk of the
// catalogue (switched on in `profile`) or NEW, and replayed on fresh real
// backends to see that it reproduces. A backend that keeps failing there
// ends the confirmations and fills `backendFailure`, as in a sequence.
Divergence classify(SequenceResult shrunk, model::Profile& profile, const CampaignOptions& o,
                    std::string& backendFailure) {
  Divergence d;
  const scenario::Scenario observed = observedScenario(shrunk);
  d.quirks = explainingQuirks(observed, profile);
  if (!d.quirks.empty()) {
    d.quirk = d.quirks.front();
    d.signature = "quirk";
    for (const model::Quirk* q : d.quirks) {
      d.signature += std::string(q == d.quirk ? " " : " + ") + std::string(q->name);
      d.rules.push_back(q->specRule);
      profile.with(q->id);
    }
  } else {
    d.signature = divergenceSignature(shrunk);
    d.rules = divergenceRules(shrunk);
  }
  d.description = divergenceDescription(shrunk, d.rules);
  d.what = divergenceDescription(shrunk, {});
  for (int i = 0; i < o.confirmations && !(o.stop && o.stop()); ++i) {
    try {
      const bool again = reproduces(observed, o);
      ++d.replays;
      if (again) ++d.reproduced;
    } catch (const sut::BackendFailure& e) {
      backendFailure = e.what();
      break;
    }
  }
  d.shrunk = std::move(shrunk);
  return d;
}

// Whether the model without `quirk` would have parted from the real system
// somewhere in `run` (which agreed with the model that follows it): how
// often an attributed quirk shows after the model has learnt it.
bool quirkShows(const SequenceResult& run, model::Profile profile, model::QuirkId quirk) {
  engine::ModelBackend without(profile.without(quirk));
  engine::Bindings bindings;
  try {
    for (const RecordedStep& rec : run.trace)
      if (!compareSteps(engine::runStep(without, bindings, rec.step), rec.real).empty())
        return true;
  } catch (const std::exception&) {
    return true;  // malformed or blocking there: it parts too
  }
  return false;
}

// One campaign as it runs: the result so far, what the rounds know, and the
// state of the shrink in progress.
class CampaignRun {
 public:
  explicit CampaignRun(const CampaignOptions& o) : o_(o), workers_(o) {
    result_.seed = o.seed;
    result_.profile = o.profile;
  }

  // Rounds until the tests are spent, a backend fails or the run is stopped.
  CampaignResult run() {
    int remaining = o_.tests;
    for (int round = 0; remaining > 0 && !stopped() && result_.backendFailure.empty(); ++round) {
      shrinking_ = cutShort_ = false;
      lastFailure_.reset();
      const std::uint64_t seed = roundSeed(o_.seed, round);
      // commands() makes 1..maxSize+1 steps.
      workers_.startRound(seed, remaining, std::max(0, o_.maxSteps - 1), result_.profile);
      const RoundOutcome outcome =
          checkRound([this] { property(); }, seed, remaining, std::max(0, o_.maxSteps - 1));
      if (outcome.kind == RoundOutcome::Kind::Failed && lastFailure_) {
        recordDivergence(seed);
        remaining -= outcome.passes + 1;
        continue;
      }
      if (result_.backendFailure.empty() && !stopped()) {
        if (outcome.kind == RoundOutcome::Kind::GaveUp)
          result_.backendFailure = "RapidCheck gave up: " + outcome.description;
        if (outcome.kind == RoundOutcome::Kind::Error)
          result_.backendFailure = "RapidCheck error: " + outcome.description;
        // A round that failed without a divergence recorded: the property
        // itself threw (a harness or model bug), which must not end the
        // campaign as if every test had passed.
        if (outcome.kind == RoundOutcome::Kind::Failed)
          result_.backendFailure =
              "a sequence failed outside the comparison: " + outcome.description;
      }
      break;  // success (or gave up / stopped)
    }
    result_.interrupted = stopped();
    return std::move(result_);
  }

 private:
  using Clock = std::chrono::steady_clock;

  bool stopped() const { return o_.stop && o_.stop(); }

  // The property of every round: one generated sequence run on both sides.
  // A failure with a signature not yet known fails the round (RC_FAIL), and
  // RapidCheck shrinks it, one departure at a time.
  void property() {
    const model::Profile profile = result_.profile;
    const auto commands = *rc::state::gen::commands(
        HarnessModel(profile), [&](const HarnessModel& m) { return genCommand(m, o_.gen); });
    if (stopped() || !result_.backendFailure.empty()) return;  // wind down quickly
    if (shrinking_ && Clock::now() - shrinkStarted_ > o_.shrinkTime) {
      cutShort_ = true;  // every further candidate "passes": RapidCheck keeps the smallest so far
      return;
    }
    SequenceResult run = workers_.run(commands, profile, shrinking_);
    tally(run);
    if (!run.backendFailure.empty()) {
      result_.backendFailure = run.backendFailure;
      return;
    }
    if (o_.progress) o_.progress(progress_);
    if (!shrinking_)
      for (auto& d : result_.divergences)
        if (d.quirk && !o_.profile.has(d.quirk->id) && quirkShows(run, profile, d.quirk->id))
          ++d.occurrences;
    if (!run.failed()) {
      if (!shrinking_) ++result_.passed;
      return;
    }
    const std::string sig = divergenceSignature(run);
    if (known_.count(sig)) {
      for (auto& d : result_.divergences)
        if (d.signature == sig && !shrinking_) ++d.occurrences;
      return;
    }
    if (shrinking_ && sig != shrinkingSignature_) return;  // shrink one departure at a time
    if (!shrinking_) {
      shrinking_ = true;  // RapidCheck shrinks from here on
      shrinkingSignature_ = sig;
      shrinkStarted_ = Clock::now();
      foundAt_ = explored_;
    }
    lastFailure_ = run;
    RC_FAIL(sig);
  }

  // Counts one sequence run: sequences, steps, coverage, progress.
  void tally(const SequenceResult& run) {
    ++result_.sequences;
    progress_.sequences = result_.sequences;
    progress_.steps += static_cast<long>(run.trace.size());
    result_.steps = progress_.steps;
    progress_.shrinking = shrinking_;
    if (!shrinking_) result_.explored = ++explored_;
    for (const auto& key : coverageOf(run)) ++result_.coverage[key];
  }

  // The round's shrunk failure, classified, joins the result.
  void recordDivergence(std::uint64_t seed) {
    Divergence d = classify(std::move(*lastFailure_), result_.profile, o_, result_.backendFailure);
    d.seed = seed;
    d.foundAfter = foundAt_;
    d.shrinkCutShort = cutShort_;
    if (d.isNew()) known_.insert(d.signature);
    result_.divergences.push_back(std::move(d));
    progress_.divergences = static_cast<int>(result_.divergences.size());
  }

  const CampaignOptions& o_;
  Workers workers_;
  CampaignResult result_;
  std::set<std::string> known_;  // signatures of NEW divergences
  CampaignProgress progress_;
  bool shrinking_ = false, cutShort_ = false;
  std::string shrinkingSignature_;
  Clock::time_point shrinkStarted_;
  std::optional<SequenceResult> lastFailure_;
  int explored_ = 0, foundAt_ = 0;  // sequences run outside shrinking; when the failure came
};

}  // namespace

CampaignResult runCampaign(const CampaignOptions& o) {
  return CampaignRun(o).run();
}

std::uint64_t sliceSeed(std::uint64_t seed, int slice) {
  // Another step than roundSeed's, so a slice's seed is no round's of slice 0.
  return slice == 0 ? seed : mix(seed, 0xd1b54a32d192ed03ull, static_cast<std::uint64_t>(slice));
}

int sliceTests(int tests, int slices, int slice) {
  return tests / slices + (slice < tests % slices ? 1 : 0);
}

CampaignOptions sliceOptions(CampaignOptions o, int slices, int slice) {
  o.seed = sliceSeed(o.seed, slice);
  o.tests = sliceTests(o.tests, slices, slice);
  return o;
}

}  // namespace hc::props
