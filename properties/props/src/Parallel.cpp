// Parallel campaigns on the model (Parallel.h): draw a prefix and a block,
// run it `runs` times in seeded schedules, check each run, shrink a failure.
#include "handlecheck/props/Parallel.h"

#include <algorithm>
#include <random>
#include <set>

#include "handlecheck/props/Attribution.h"
#include "handlecheck/props/Linearize.h"

namespace hc::props {
namespace {

using scenario::Step;

// The prefix's handles in P0, all open when the block starts: E3 names E2's
// event too, W's pipe holds one message, C1 holds X1, a third handle to it.
const char* const kPrefix[] = {
    "create event inherit as E1", "create event as E2", "dup E2 as E3",
    "create pipe as R W",         "write W hello",      "spawn C1 noinherit as HP HT",
    "dup E2 to C1 as X1",
};
const char* const kNames[] = {"E1", "E2", "R", "W"};

Step parseStep(const std::string& line) {
  return scenario::parse(line, "parallel-case").steps.at(0);
}

// The block's race, each of `races` alike (empty: every race).
Race drawRace(std::mt19937_64& rng, const std::vector<Race>& races) {
  constexpr Race kEvery[] = {Race::Mix,
                             Race::InheritAgainstSpawn,
                             Race::CloseAgainstCloseSource,
                             Race::CloseAgainstUse,
                             Race::SameName,
                             Race::TwoSpawns};
  if (races.empty()) return kEvery[rng() % std::size(kEvery)];
  return races[rng() % races.size()];
}

// The prefix steps a race needs: C1 and X1 for a close-source across
// processes, E3 and W's message for a close against a use.
bool needed(Race race, const std::string& line) {
  if (race == Race::CloseAgainstCloseSource)
    return line.find("C1") != std::string::npos || line.find("E3") != std::string::npos;
  if (race == Race::CloseAgainstUse) return line == "dup E2 as E3" || line == "write W hello";
  return false;
}

// One mixed step on thread T<b+1> of P0, acting on a prefix handle not in
// `avoid`; names it binds are the branch's own (no branch depends on
// another's names).
std::string mixStep(std::mt19937_64& rng, std::size_t b, std::size_t i, bool child,
                    const std::vector<std::string>& avoid) {
  std::vector<std::string> names;
  for (const char* n : kNames)
    if (std::find(avoid.begin(), avoid.end(), n) == avoid.end()) names.emplace_back(n);
  const std::string n = names[rng() % names.size()];
  const std::string tag = std::to_string(b + 1) + std::to_string(i + 1);
  switch (rng() % (child ? 8 : 7)) {
    case 0:
    case 1:
      return "close " + n;
    case 2:
      return "set " + n + " inherit=on";
    case 3:
      return "set " + n + " inherit=off";
    case 4:
      return "dup " + n + " as D" + tag;
    case 5:
      return "query " + n;
    case 6:
      return "spawn K" + tag + " inherit as HP" + tag + " HT" + tag;
    default:
      return "dup X1 from C1 close-source";
  }
}

// The two racing branches of `race` (before truncation to the step limit),
// and the handles a third, mixed branch leaves alone.
struct RaceBranches {
  std::vector<std::string> first, second;
  std::vector<std::string> avoid;
};

RaceBranches raceBranches(Race race, std::mt19937_64& rng) {
  RaceBranches out;
  switch (race) {
    case Race::InheritAgainstSpawn: {
      // The textbook race: T1 hands h to its child through a handle list
      // (or, without one, through bInheritHandles alone) while T2 spawns.
      const char* const marked[] = {"W", "R", "E2"};
      const std::string h = marked[rng() % std::size(marked)];
      const bool listed = rng() % 3 != 0;
      out.first = {"set " + h + " inherit=on",
                   "spawn K11 inherit" + (listed ? " only " + h : std::string()) + " as HP11 HT11",
                   "set " + h + " inherit=off"};
      out.second = {rng() % 2 ? "spawn K21 inherit as HP21 HT21"
                              : "spawn K21 inherit only E1 as HP21 HT21"};
      out.avoid = {h, "E1"};
      break;
    }
    case Race::CloseAgainstCloseSource:
      // C1 closes X1 while P0 closes it from outside; or P0 closes E2
      // while moving it to C1 with DUPLICATE_CLOSE_SOURCE.
      if (rng() % 2) {
        out.first = {"C1: close X1"};
        out.second = {"dup X1 from C1 close-source", "query E3"};
      } else {
        out.first = {"close E2"};
        out.second = {"dup E2 to C1 close-source as Y21", "query E3"};
      }
      out.avoid = {"E2"};
      break;
    case Race::CloseAgainstUse: {
      // A close of a value against a use of it (a pipe end's read or write
      // half the time); after the use, E2's other name shows its count.
      const char* const used[] = {"E2", "E2", "E1", "R", "W"};
      const std::string n = used[rng() % std::size(used)];
      const bool pipeEnd = n == "R" || n == "W";
      out.first = {"close " + n};
      const auto use = rng() % 4;
      if (pipeEnd && use < 2)
        out.second = {n == "R" ? "read R" : "write W again"};
      else
        out.second = {use % 2 ? "query " + n : "dup " + n + " as D21"};
      if (n == "E2") out.second.push_back("query E3");
      out.avoid = {n};
      break;
    }
    case Race::SameName: {
      const std::string type = rng() % 2 ? "event" : "mutex";
      out.first = {"create " + type + " name=race as N11"};
      out.second = {"create " + type + " name=race as N21"};
      break;
    }
    case Race::TwoSpawns:
      // E1 is inheritable: both children get it, at E1's value.
      out.first = {"spawn K11 inherit as HP11 HT11", "query E1"};
      out.second = {"spawn K21 inherit as HP21 HT21"};
      out.avoid = {"E1"};
      break;
    case Race::Mix:
      break;
  }
  return out;
}

struct Case {
  std::vector<Step> prefix;
  std::vector<std::vector<Step>> branches;
};

scenario::Scenario toScenario(const Case& c) {
  scenario::Scenario sc;
  sc.steps = c.prefix;
  for (std::size_t b = 0; b < c.branches.size(); ++b)
    for (Step s : c.branches[b]) {
      if (!s.processWritten) s.process = "P0";
      s.processWritten = true;
      s.thread = "T" + std::to_string(b + 1);
      s.block = 1;
      s.branch = b;
      sc.steps.push_back(std::move(s));
    }
  int line = 0;
  for (Step& s : sc.steps) s.line = ++line;
  return sc;
}

Case fromScenario(const scenario::Scenario& sc) {
  Case c;
  for (const scenario::Segment& seg : scenario::segments(sc.steps)) {
    if (seg.block == 0)
      c.prefix.push_back(sc.steps[seg.step]);
    else
      c.branches = branchesOf(sc.steps, seg);
  }
  return c;
}

struct Runs {
  bool failed = false;
  std::string failure;
  std::size_t schedules = 0;
  std::set<std::string> known;  // catalogue quirks that explained a run
};

// The reference model of `profile` after the prefix; false when it cannot
// follow it.
bool prefixOn(const model::Profile& profile, const std::vector<Step>& prefix,
              engine::ModelBackend& reference, engine::Bindings& bound) {
  reference = engine::ModelBackend(profile);
  try {
    for (const Step& s : prefix) engine::runStep(reference, bound, s);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

// A real run the reference does not explain may be a quirk of the
// catalogue the profile leaves out, as a sequential campaign tells known
// from NEW: the quirk whose profile (the reference's plus that quirk)
// explains the block, if one does.
const model::Quirk* knownQuirk(const ParallelOptions& o, const Case& lined, const BlockHistory& h,
                               const CheckOptions& options) {
  const auto quirks = explainingQuirks(
      o.profile,
      [&](const model::Profile& with) {
        engine::ModelBackend reference;
        engine::Bindings bound;
        return prefixOn(with, lined.prefix, reference, bound) &&
               checkBlock(reference, bound, h, options).linearizable;
      },
      1);
  return quirks.empty() ? nullptr : quirks.front();
}

// One run of the case on a real system (reset first): the prefix step by
// step, the block on the agents' threads; the schedule that ran is named by
// the interleaving that explains it. A run the model cannot follow (a step
// it predicts blocks) proves nothing; a backend failure ends the campaign.
bool runOnReal(const ParallelOptions& o, const Case& lined,
               std::set<std::vector<std::string>>& seen, Runs& out) {
  o.real->reset();
  engine::ModelBackend reference(o.profile);
  engine::Bindings sutBound, refBound;
  BlockHistory h;
  try {
    for (const Step& s : lined.prefix) {
      engine::runStep(reference, refBound, s);
      engine::runStep(*o.real, sutBound, s);
    }
    h = runBlockOnBackend(*o.real, sutBound, lined.branches);
  } catch (const engine::StepBlocks&) {
    return true;
  } catch (const engine::ScenarioError&) {
    return true;
  }
  CheckOptions options;
  options.exactValues = false;
  options.requestsBeforeBlock = true;
  const Verdict v = checkBlock(reference, refBound, h, options);
  if (!v.linearizable) {
    if (const model::Quirk* q = knownQuirk(o, lined, h, options)) {
      out.known.insert(std::string(q->name));
      return true;
    }
    out.failed = true;
    out.failure = describe(h, v);
    return false;
  }
  std::vector<std::string> order;
  for (const Move& m : v.order)
    order.push_back(std::to_string(m.branch) + ":" + std::to_string(m.step) + ":" +
                    std::to_string(static_cast<int>(m.kind)));
  seen.insert(order);
  return true;
}

// The case `runs` times: a fresh system under test and reference each time,
// run r in the schedule seeded (seed, r). A run the model cannot go through
// (a step it predicts blocks, a name no order binds) proves nothing.
Runs runCase(const ParallelOptions& o, const Case& c) {
  Runs out;
  std::set<std::vector<std::string>> seen;
  const scenario::Scenario sc = toScenario(c);
  const Case lined = fromScenario(sc);
  for (int r = 0; r < o.runs; ++r) {
    if (o.real) {
      if (!runOnReal(o, lined, seen, out)) break;
      continue;
    }
    try {
      std::unique_ptr<engine::ModelBackend> sut =
          o.makeSut ? o.makeSut() : std::make_unique<engine::ModelBackend>(o.profile);
      engine::ModelBackend reference(o.profile);
      engine::Bindings sutBound, refBound;
      for (const Step& s : lined.prefix) {
        engine::runStep(*sut, sutBound, s);
        engine::runStep(reference, refBound, s);
      }
      const BlockHistory h = runBlockOnModel(*sut, sutBound, lined.branches,
                                             o.seed * 7919 + static_cast<std::uint64_t>(r));
      seen.insert(h.schedule);
      const Verdict v = checkBlock(reference, refBound, h);
      if (!v.linearizable) {
        out.failed = true;
        out.failure = describe(h, v);
        break;
      }
    } catch (const std::exception&) {
    }
  }
  out.schedules = seen.size();
  return out;
}

// Smaller cases: a branch fewer (never below two), a step fewer in a branch
// (never below one), a prefix step fewer.
std::vector<Case> smaller(const Case& c) {
  std::vector<Case> out;
  if (c.branches.size() > scenario::kMinBranches)
    for (std::size_t b = 0; b < c.branches.size(); ++b) {
      Case d = c;
      d.branches.erase(d.branches.begin() + static_cast<std::ptrdiff_t>(b));
      out.push_back(std::move(d));
    }
  for (std::size_t b = 0; b < c.branches.size(); ++b)
    for (std::size_t i = 0; c.branches[b].size() > 1 && i < c.branches[b].size(); ++i) {
      Case d = c;
      d.branches[b].erase(d.branches[b].begin() + static_cast<std::ptrdiff_t>(i));
      out.push_back(std::move(d));
    }
  for (std::size_t i = 0; i < c.prefix.size(); ++i) {
    Case d = c;
    d.prefix.erase(d.prefix.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(std::move(d));
  }
  return out;
}

// SPEC 87: while a spawn of P0 runs, a value a step of the block frees in
// P0 may hold one of CreateProcess's own handles (the image file, its
// section). A close, a set or a query of that value is explained then; a
// duplicate, a read or a write would act on an object the model does not
// know. In a block with a spawn of P0, such a use of a name the block
// closes in P0 is a query instead.
void queryWhatASpawnMayHold(Case& c) {
  std::set<std::string> closed;
  bool spawns = false;
  for (const auto& branch : c.branches)
    for (const Step& s : branch) {
      if (s.process != "P0") continue;
      spawns = spawns || s.op == proto::Op::Spawn;
      if (s.op == proto::Op::Close) closed.insert(s.handle.name);
    }
  if (!spawns) return;
  for (auto& branch : c.branches)
    for (Step& s : branch)
      if (s.process == "P0" && s.source.empty() && closed.count(s.handle.name) &&
          (s.op == proto::Op::Dup || s.op == proto::Op::Read || s.op == proto::Op::Write))
        s = parseStep("query " + s.handle.name);
}

}  // namespace

scenario::Scenario parallelCase(std::uint64_t seed, int index, int branches, int branchSteps,
                                const std::vector<Race>& races) {
  std::mt19937_64 rng(seed * 1000003 + static_cast<std::uint64_t>(index));
  const Race race = drawRace(rng, races);
  Case c;
  bool child = false;
  for (const char* line : kPrefix) {
    const std::string text = line;
    const bool needsChild = text.find("C1") != std::string::npos && text.rfind("spawn", 0) != 0;
    if (needsChild && !child) continue;
    if (text.rfind("create", 0) != 0 && rng() % 2 == 0 && !needed(race, text)) continue;
    child = child || text.rfind("spawn", 0) == 0;
    c.prefix.push_back(parseStep(text));
  }
  const bool holdsX1 =
      !c.prefix.empty() && c.prefix.back().op == proto::Op::Dup && c.prefix.back().target == "C1";
  const std::size_t most = static_cast<std::size_t>(branchSteps);
  RaceBranches raced = raceBranches(race, rng);
  for (auto* lines : {&raced.first, &raced.second})
    if (!lines->empty()) {
      if (lines->size() > most) lines->resize(most);
      c.branches.emplace_back();
      for (const std::string& line : *lines) c.branches.back().push_back(parseStep(line));
    }
  for (auto b = c.branches.size(); b < static_cast<std::size_t>(branches); ++b) {
    c.branches.emplace_back();
    const auto n = 1 + rng() % static_cast<std::uint64_t>(branchSteps);
    for (std::uint64_t i = 0; i < n; ++i)
      c.branches.back().push_back(
          parseStep(mixStep(rng, b, static_cast<std::size_t>(i), holdsX1, raced.avoid)));
  }
  queryWhatASpawnMayHold(c);
  return toScenario(c);
}

// runCase, with a backend failure (an agent that crashed or did not answer
// a block) naming the case it happened in.
static Runs runNamed(const ParallelOptions& o, const Case& c, int index) {
  try {
    return runCase(o, c);
  } catch (const sut::BackendFailure& e) {
    throw sut::BackendFailure(std::string(e.what()) + "\nin parallel case " +
                              std::to_string(index) + " of seed " + std::to_string(o.seed) + ":\n" +
                              scenario::print(toScenario(c)));
  }
}

ParallelResult runParallelCampaign(const ParallelOptions& o) {
  ParallelResult result;
  for (int t = 0; t < o.tests; ++t) {
    Case c = fromScenario(parallelCase(o.seed, t, o.branches, o.branchSteps, o.races));
    Runs runs = runNamed(o, c, t);
    ++result.cases;
    result.schedules.push_back(runs.schedules);
    result.known.insert(runs.known.begin(), runs.known.end());
    if (!runs.failed) continue;
    // Shrink: the first smaller case that still fails, until none does.
    for (bool progress = true; progress;) {
      progress = false;
      for (const Case& d : smaller(c)) {
        Runs again = runNamed(o, d, t);
        if (!again.failed) continue;
        c = d;
        runs = std::move(again);
        ++result.shrinkSteps;
        progress = true;
        break;
      }
    }
    result.failing = toScenario(c);
    result.failure = runs.failure;
    break;
  }
  return result;
}

}  // namespace hc::props
