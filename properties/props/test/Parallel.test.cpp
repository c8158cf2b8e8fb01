// Parallel campaigns on the model: the honest model explains every schedule
// of its own (the planted atomicity bug: ParallelPlant.test.cpp).
#include "handlecheck/props/Parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "handlecheck/engine/ModelBackend.h"

namespace hc::props {
namespace {

TEST(Parallel, TheModelExplainsEveryScheduleOfItsOwn) {
  ParallelOptions o;
  o.seed = 1;
  o.tests = 12;
  o.branches = 3;
  o.branchSteps = 3;
  o.runs = 5;
  const ParallelResult r = runParallelCampaign(o);
  EXPECT_FALSE(r.failing) << r.failure;
  EXPECT_EQ(r.cases, 12);
  std::size_t most = 0;
  for (const std::size_t s : r.schedules) most = std::max(most, s);
  EXPECT_GT(most, 1u);  // runs of one case see different schedules
}

// SPEC 87: a value a block frees in P0 while a spawn of P0 runs may hold
// one of CreateProcess's own handles, so no generated block duplicates,
// reads or writes a name it closes in P0 when it also spawns from P0; it
// queries that name instead, and some blocks do.
TEST(Parallel, NoBlockWithASpawnUsesANameItClosesButToQueryIt) {
  int queried = 0;
  for (int index = 0; index < 400; ++index) {
    const scenario::Scenario sc = parallelCase(7, index, 3, 3, {});
    std::set<std::string> closed;
    bool spawns = false;
    for (const scenario::Step& s : sc.steps) {
      if (s.block == 0 || s.process != "P0") continue;
      spawns = spawns || s.op == proto::Op::Spawn;
      if (s.op == proto::Op::Close) closed.insert(s.handle.name);
    }
    if (!spawns) continue;
    for (const scenario::Step& s : sc.steps) {
      if (s.block == 0 || s.process != "P0" || !s.source.empty() || !closed.count(s.handle.name))
        continue;
      EXPECT_TRUE(s.op != proto::Op::Dup && s.op != proto::Op::Read && s.op != proto::Op::Write)
          << "case " << index << " line " << s.line << " uses " << s.handle.name;
      queried += s.op == proto::Op::Query;
    }
  }
  EXPECT_GT(queried, 0);
}

// A real backend that fails (an agent that did not answer a block) ends the
// campaign with that failure, naming the case it ran and its seed.
TEST(Parallel, ABackendFailureNamesTheCase) {
  class Hangs final : public engine::ModelBackend {
   public:
    std::vector<proto::Reply> performBlock(const std::vector<proto::Request>&) override {
      throw sut::BackendFailure("agent 0 did not answer block");
    }
    bool real() const override { return true; }
  } hangs;
  ParallelOptions o;
  o.seed = 3;
  o.tests = 2;
  o.runs = 1;
  o.real = &hangs;
  try {
    runParallelCampaign(o);
    FAIL() << "no backend failure";
  } catch (const sut::BackendFailure& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("agent 0 did not answer block"), std::string::npos) << what;
    EXPECT_NE(what.find("in parallel case 0 of seed 3:"), std::string::npos) << what;
    EXPECT_NE(what.find("parallel\n"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace hc::props
