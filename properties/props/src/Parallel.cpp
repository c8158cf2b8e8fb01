// Parallel campaigns on the model (Parallel.h): draw a prefix and a block,
// run it `runs` times in seeded schedules, check each run, shrink a failure.
#include "handlecheck/props/Parallel.h"

#include <random>
#include <set>

#include "handlecheck/props/Linearize.h"

namespace hc::props {
namespace {

using scenario::Step;

// The prefix's handles in P0, all open when the block starts.
const char* const kPrefix[] = {
    "create event inherit as E1",  "create event as E2", "create pipe as R W",
    "spawn C1 noinherit as HP HT", "dup E2 to C1 as X1",
};
const char* const kNames[] = {"E1", "E2", "R", "W"};

Step parseStep(const std::string& line) {
  return scenario::parse(line, "parallel-case").steps.at(0);
}

// One branch step on thread T<b+1> of P0, acting on a prefix handle; names
// it binds are the branch's own (no branch depends on another's names).
std::string branchStep(std::mt19937_64& rng, std::size_t b, std::size_t i, bool child) {
  const std::string n = kNames[rng() % std::size(kNames)];
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

struct Case {
  std::vector<Step> prefix;
  std::vector<std::vector<Step>> branches;
};

scenario::Scenario toScenario(const Case& c) {
  scenario::Scenario sc;
  sc.steps = c.prefix;
  for (std::size_t b = 0; b < c.branches.size(); ++b)
    for (Step s : c.branches[b]) {
      s.process = "P0";
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
};

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

}  // namespace

scenario::Scenario parallelCase(std::uint64_t seed, int index, int branches, int branchSteps) {
  std::mt19937_64 rng(seed * 1000003 + static_cast<std::uint64_t>(index));
  Case c;
  bool child = false;
  for (const char* line : kPrefix) {
    const std::string text = line;
    const bool needsChild = text.find("C1") != std::string::npos && text.rfind("spawn", 0) != 0;
    if (needsChild && !child) continue;
    if (text.rfind("create", 0) != 0 && rng() % 2 == 0) continue;
    child = child || text.rfind("spawn", 0) == 0;
    c.prefix.push_back(parseStep(text));
  }
  const bool holdsX1 = !c.prefix.empty() && c.prefix.back().op == proto::Op::Dup;
  for (int b = 0; b < branches; ++b) {
    c.branches.emplace_back();
    const auto n = 1 + rng() % static_cast<std::uint64_t>(branchSteps);
    for (std::uint64_t i = 0; i < n; ++i)
      c.branches.back().push_back(parseStep(
          branchStep(rng, static_cast<std::size_t>(b), static_cast<std::size_t>(i), holdsX1)));
  }
  return toScenario(c);
}

ParallelResult runParallelCampaign(const ParallelOptions& o) {
  ParallelResult result;
  for (int t = 0; t < o.tests; ++t) {
    Case c = fromScenario(parallelCase(o.seed, t, o.branches, o.branchSteps));
    Runs runs = runCase(o, c);
    ++result.cases;
    result.schedules.push_back(runs.schedules);
    if (!runs.failed) continue;
    // Shrink: the first smaller case that still fails, until none does.
    for (bool progress = true; progress;) {
      progress = false;
      for (const Case& d : smaller(c)) {
        Runs again = runCase(o, d);
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
