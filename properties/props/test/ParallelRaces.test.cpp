// The races a parallel campaign draws: each race handles really run into
// appears, read from the cases themselves (not from the generator's choice),
// and the seed reproduces the cases.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "handlecheck/props/Linearize.h"
#include "handlecheck/props/Parallel.h"

namespace hc::props {
namespace {

using scenario::Step;
using Branches = std::vector<std::vector<const Step*>>;

Branches blockOf(const scenario::Scenario& sc) {
  Branches out;
  for (const scenario::Segment& seg : scenario::segments(sc.steps))
    for (const auto& branch : seg.branches) {
      out.emplace_back();
      for (const std::size_t i : branch) out.back().push_back(&sc.steps[i]);
    }
  return out;
}

template <class F>
bool any(const std::vector<const Step*>& branch, F f) {
  for (const Step* s : branch)
    if (f(*s)) return true;
  return false;
}

// Whether two distinct branches satisfy `a` and `b`.
template <class A, class B>
bool race(const Branches& bs, A a, B b) {
  for (std::size_t i = 0; i < bs.size(); ++i)
    for (std::size_t j = 0; j < bs.size(); ++j)
      if (i != j && any(bs[i], a) && any(bs[j], b)) return true;
  return false;
}

bool inheritSpawn(const Step& s) {
  return s.op == proto::Op::Spawn && s.inherit;
}

// The races of one case, by the names the report uses.
std::set<std::string> racesOf(const scenario::Scenario& sc) {
  const Branches bs = blockOf(sc);
  std::set<std::string> out;
  const auto marks = [](const Step& s) { return s.op == proto::Op::Set && s.setInherit; };
  if (race(bs, marks, [](const Step& s) { return inheritSpawn(s) && s.only; }))
    out.insert("set-inherit against a spawn with a handle list");
  if (race(bs, marks, [](const Step& s) { return inheritSpawn(s) && !s.only; }))
    out.insert("set-inherit against a spawn without a handle list");
  for (const char* n : {"E1", "E2", "R", "W", "X1"}) {
    const std::string name = n;
    const auto closes = [&](const Step& s) {
      return s.op == proto::Op::Close && s.handle.name == name;
    };
    // DUPLICATE_CLOSE_SOURCE that moves or closes the value across processes.
    const auto closesAcross = [&](const Step& s) {
      return s.op == proto::Op::Dup && s.closeSource && s.handle.name == name &&
             ((!s.source.empty() && s.source != s.process) ||
              (!s.target.empty() && s.target != s.process));
    };
    const auto uses = [&](const Step& s) {
      return s.handle.name == name && s.process == "P0" &&
             (s.op == proto::Op::Query || s.op == proto::Op::Read || s.op == proto::Op::Write ||
              (s.op == proto::Op::Dup && !s.closeSource));
    };
    if (race(bs, closes, closesAcross)) out.insert("close against close-source across processes");
    if (race(bs, closes, uses)) out.insert("close against a use of the value");
    if (race(bs, closes, [&](const Step& s) {
          return uses(s) && (s.op == proto::Op::Read || s.op == proto::Op::Write);
        }))
      out.insert("close against a read or write of the value");
  }
  for (std::size_t i = 0; i < bs.size(); ++i)
    for (std::size_t j = i + 1; j < bs.size(); ++j)
      for (const Step* a : bs[i])
        for (const Step* b : bs[j]) {
          if (a->op == b->op && !a->objectName.empty() && a->objectName == b->objectName)
            out.insert("two creates of one name");
          if (inheritSpawn(*a) && !a->only && inheritSpawn(*b) && !b->only)
            out.insert("two spawns inheriting one handle");
        }
  return out;
}

TEST(Parallel, EveryRaceIsDrawnOften) {
  std::map<std::string, int> counts;
  const int cases = 200;
  for (int i = 0; i < cases; ++i)
    for (const std::string& r : racesOf(parallelCase(1, i, 2, 3))) ++counts[r];
  for (const auto& [race, n] : counts) std::cout << n << " of " << cases << ": " << race << '\n';
  // Each of the six draws comes about once in six cases; the two kinds of
  // spawn against set-inherit share one draw, and a read or write of a pipe
  // end is one use in five.
  const std::pair<const char*, int> floors[] = {
      {"set-inherit against a spawn with a handle list", 12},
      {"set-inherit against a spawn without a handle list", 12},
      {"close against close-source across processes", 20},
      {"close against a use of the value", 20},
      {"close against a read or write of the value", 5},
      {"two creates of one name", 20},
      {"two spawns inheriting one handle", 20},
  };
  for (const auto& [race, floor] : floors)
    EXPECT_GE(counts[race], floor) << race << ": drawn " << counts[race] << " times in " << cases;
}

TEST(Parallel, TheSeedReproducesTheCases) {
  int differ = 0;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(scenario::print(parallelCase(5, i, 3, 4)), scenario::print(parallelCase(5, i, 3, 4)));
    differ +=
        scenario::print(parallelCase(5, i, 3, 4)) != scenario::print(parallelCase(6, i, 3, 4));
  }
  EXPECT_GT(differ, 10) << "seeds 5 and 6 draw the same cases";
}

// A corpus file on the model under `profile`, its blocks in the schedule
// `seed` draws: the first failure (a step's expectation, a block's verdict),
// empty when the file holds.
std::string replay(const char* file, const model::Profile& profile, std::uint64_t seed) {
  std::ifstream in(std::string(HC_CORPUS_DIR) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  const scenario::Scenario sc = scenario::parse(text.str(), file);
  engine::ModelBackend model(profile);
  engine::Bindings bound;
  for (const scenario::Segment& seg : scenario::segments(sc.steps)) {
    if (seg.block == 0) {
      const engine::StepReport r = engine::runStep(model, bound, sc.steps[seg.step]);
      if (!r.passed()) return "line " + std::to_string(sc.steps[seg.step].line) + " failed";
      continue;
    }
    const engine::ModelBackend before = model;
    const engine::Bindings boundBefore = bound;
    const BlockHistory h = runBlockOnModel(model, bound, branchesOf(sc.steps, seg), seed);
    const Verdict v = checkBlock(before, boundBefore, h);
    if (!v.linearizable) return describe(h, v);
  }
  return "";
}

// The inheritance race as library authors meet it: the handle list alone
// lets a sibling spawned with bInheritHandles = TRUE inherit the pipe end in
// some interleaving, whatever schedule ran; one lock around mark-spawn-unmark
// and the other spawn leaves no interleaving that leaks.
TEST(Parallel, OneLockAroundMarkSpawnUnmarkStopsTheSiblingLeak) {
  for (const model::Profile& profile : {model::windowsProfile(), model::wineProfile()})
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const std::string leaks = replay("race-inherit-handle-list-leaks.hcs", profile, seed);
      EXPECT_NE(leaks.find("an expectation breaks"), std::string::npos)
          << profile.name << " seed " << seed << ": " << leaks;
      EXPECT_NE(leaks.find("expected count=2, got count=3"), std::string::npos) << leaks;
      const std::string serialised =
          replay("race-inherit-handle-list-serialised.hcs", profile, seed);
      EXPECT_EQ(serialised, "") << profile.name << " seed " << seed;
    }
}

}  // namespace
}  // namespace hc::props
