// Parallel campaigns on the model: the honest model explains every schedule
// of its own (the planted atomicity bug: ParallelPlant.test.cpp).
#include "handlecheck/props/Parallel.h"

#include <gtest/gtest.h>

#include <algorithm>

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

}  // namespace
}  // namespace hc::props
