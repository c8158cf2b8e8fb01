// Parallel campaigns on the model: the honest model explains every schedule
// of its own, and a planted atomicity bug (a CloseHandle that takes effect one
// call late) is caught and shrunk to a block of at most two branches of at
// most two steps.
#include "handlecheck/props/Parallel.h"

#include <gtest/gtest.h>

#include <iostream>
#include <optional>

namespace hc::props {
namespace {

// The model with CloseHandle in two parts: the call answers at once (ok for
// an open handle), but the entry goes only after the next call, which still
// sees it open.
class SplitClose : public engine::ModelBackend {
 public:
  proto::Reply perform(const proto::Request& q) override {
    std::optional<proto::Request> late = std::move(pending_);
    pending_.reset();
    proto::Reply r;
    if (q.op == proto::Op::Close) {
      proto::Request look = q;
      look.op = proto::Op::Query;
      r = engine::ModelBackend::perform(look);
      const bool open = !r.observations.empty() && r.observations.front().valid;
      r.ok = open;
      r.error = open ? 0 : 6;  // ERROR_INVALID_HANDLE
      if (open) pending_ = q;
    } else {
      r = engine::ModelBackend::perform(q);
    }
    if (late) engine::ModelBackend::perform(*late);
    return r;
  }

 private:
  std::optional<proto::Request> pending_;
};

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

TEST(Parallel, ASplitCloseIsCaughtAndShrunkToTwoBranchesOfTwoSteps) {
  ParallelOptions o;
  o.seed = 1;
  o.tests = 40;
  o.branches = 3;
  o.branchSteps = 4;
  o.runs = 10;
  o.makeSut = [] { return std::make_unique<SplitClose>(); };
  const ParallelResult r = runParallelCampaign(o);
  ASSERT_TRUE(r.failing);
  std::cout << scenario::print(*r.failing) << r.failure;
  const auto segs = scenario::segments(r.failing->steps);
  const scenario::Segment* block = nullptr;
  for (const auto& s : segs)
    if (s.block != 0) block = &s;
  ASSERT_NE(block, nullptr);
  EXPECT_LE(block->branches.size(), 2u) << scenario::print(*r.failing);
  for (const auto& b : block->branches) EXPECT_LE(b.size(), 2u) << scenario::print(*r.failing);
  EXPECT_NE(r.failure.find("not linearizable"), std::string::npos) << r.failure;
}

}  // namespace
}  // namespace hc::props
