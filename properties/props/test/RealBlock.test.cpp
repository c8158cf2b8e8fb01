// A block on a backend with threads (runBlockOnBackend), its steps run in an
// order the test chooses: how the names a block binds come out of it when
// values are freed and taken again while it runs.
#include <gtest/gtest.h>

#include <algorithm>

#include "handlecheck/props/Linearize.h"

namespace hc::props {
namespace {

using scenario::Step;

// The model as a system with threads whose block runs its requests in
// `order` (indices into the block's requests), each call whole.
class OrderedThreads final : public engine::ModelBackend {
 public:
  explicit OrderedThreads(std::vector<std::size_t> order) : order_(std::move(order)) {}
  std::vector<proto::Reply> performBlock(const std::vector<proto::Request>& steps) override {
    std::vector<proto::Reply> replies(steps.size());
    for (const std::size_t i : order_) replies.at(i) = perform(steps.at(i));
    return replies;
  }

 private:
  std::vector<std::size_t> order_;
};

// The model as a system with threads where the block's second request
// runs first and the first request runs between the second's look at its
// handles: the second's last handle is looked at again after the first call.
class LastLookAfterTheOtherCall final : public engine::ModelBackend {
 public:
  std::vector<proto::Reply> performBlock(const std::vector<proto::Request>& steps) override {
    std::vector<proto::Reply> replies(steps.size());
    replies.at(1) = perform(steps.at(1));
    replies.at(0) = perform(steps.at(0));
    proto::Request look;
    look.process = steps.at(1).process;
    look.op = proto::Op::Observe;
    look.observe.push_back(replies.at(1).observations.back().handle);
    replies.at(1).observations.back() = perform(look).observations.at(0);
    return replies;
  }
};

// The model as a system with threads where the block's spawn (its second
// request) copies every entry of its parent's table, then the first
// request runs, then the spawn ends (SPEC 86).
class FirstCallWhileTheSpawnCopies final : public engine::ModelBackend {
 public:
  std::vector<proto::Reply> performBlock(const std::vector<proto::Request>& steps) override {
    std::vector<proto::Reply> replies(steps.size());
    holdNextSpawn(0);
    EXPECT_THROW(perform(steps.at(1)), engine::SpawnHeld);
    while (copyNextEntry(0)) {
    }
    replies.at(0) = perform(steps.at(0));
    finishNextSpawn(0);
    replies.at(1) = perform(steps.at(1));
    return replies;
  }
};

struct BlockRun {
  engine::Bindings bindings;
  BlockHistory history;
  Verdict verdict;
};

// The scenario's steps before its block on `sut` and on a reference model,
// then the block on `sut`'s threads, judged as a real system's block is.
BlockRun runBlock(std::string_view text, engine::ModelBackend& sut) {
  const scenario::Scenario sc = scenario::parse(text, "block.hcs");
  engine::ModelBackend reference;
  engine::Bindings refBound;
  BlockRun r;
  for (const scenario::Segment& seg : scenario::segments(sc.steps)) {
    if (seg.block == 0) {
      engine::runStep(sut, r.bindings, sc.steps[seg.step]);
      engine::runStep(reference, refBound, sc.steps[seg.step]);
      continue;
    }
    r.history = runBlockOnBackend(sut, r.bindings, branchesOf(sc.steps, seg));
    CheckOptions options;
    options.exactValues = false;
    options.requestsBeforeBlock = true;
    r.verdict = checkBlock(reference, refBound, r.history, options);
  }
  return r;
}

// The close runs first and the spawn's hProcess takes E1's freed value; the
// close, taken through after the spawn, looked at that value before the
// spawn made HP11 there: HP11 is open after the block all the same, and E1
// (observed by its value, HP11's now) is closed.
TEST(RealBlock, ANewHandleAtAValueAnotherStepClosedStaysOpen) {
  OrderedThreads sut({1, 0});
  const BlockRun r = runBlock(
      "create event inherit as E1\n"
      "parallel\n"
      "  branch\n    P0.T1: spawn K11 inherit as HP11 HT11\n"
      "  branch\n    P0.T2: close E1\n"
      "end\n",
      sut);
  const engine::ProcessBinding& p0 = r.bindings.processes.at("P0");
  ASSERT_EQ(p0.names.at("HP11"), p0.names.at("E1")) << "the spawn took another value";
  ASSERT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
  const engine::ProcessBinding& judged = r.verdict.bindings.processes.at("P0");
  EXPECT_TRUE(judged.open.count("HP11"));
  EXPECT_TRUE(judged.open.count("HT11"));
  EXPECT_FALSE(judged.open.count("E1"));
}

constexpr std::string_view kCloseAgainstSpawn =
    "create event inherit as E1\n"
    "parallel\n"
    "  branch\n    P0.T1: close E1\n"
    "  branch\n    P0.T2: spawn K22 inherit as HP22 HT22\n"
    "end\n";

// The close runs after the spawn: the child holds E1, though the close,
// taken through first, said E1 closed in P0.
TEST(RealBlock, AHandleClosedAfterASpawnCopiedItStaysInTheChild) {
  OrderedThreads sut({1, 0});
  const BlockRun r = runBlock(kCloseAgainstSpawn, sut);
  EXPECT_TRUE(r.bindings.processes.at("K22").open.count("E1"));
  EXPECT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
}

// The spawn copies E1, T1 closes it, and the spawn then ends: its
// hProcess takes E1's freed value, and the child holds E1 all the same.
TEST(RealBlock, AHandleClosedWhileASpawnRanAfterItsCopyStaysInTheChild) {
  FirstCallWhileTheSpawnCopies sut;
  const BlockRun r = runBlock(kCloseAgainstSpawn, sut);
  ASSERT_TRUE(r.bindings.processes.at("K22").open.count("E1")) << "the child did not inherit E1";
  const engine::ProcessBinding& p0 = r.bindings.processes.at("P0");
  ASSERT_EQ(p0.names.at("HP22"), p0.names.at("E1")) << "the spawn took another value";
  ASSERT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
  EXPECT_TRUE(r.verdict.bindings.processes.at("K22").open.count("E1"));
}

// The close runs first: the child inherits nothing at E1's value.
TEST(RealBlock, ASpawnAfterACloseOfTheHandleItWouldInheritIsExplained) {
  OrderedThreads sut({0, 1});
  const BlockRun r = runBlock(kCloseAgainstSpawn, sut);
  EXPECT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
}

// The spawn copies E1, then E1 is closed and a duplicate takes its value:
// the child's entry at that value is E1's copy, not D12's.
TEST(RealBlock, AValueTakenAgainAfterASpawnCopiedItIsTheOldHandleInTheChild) {
  OrderedThreads sut({2, 0, 1});
  const BlockRun r = runBlock(
      "create event inherit as E1\n"
      "create pipe as R W\n"
      "parallel\n"
      "  branch\n    P0.T1: close E1\n    P0.T1: dup W as D12\n"
      "  branch\n    P0.T2: spawn K31 inherit as HP31 HT31\n"
      "end\n",
      sut);
  const engine::ProcessBinding& p0 = r.bindings.processes.at("P0");
  ASSERT_EQ(p0.names.at("D12"), p0.names.at("E1")) << "the duplicate took another value";
  ASSERT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
  EXPECT_TRUE(r.verdict.bindings.processes.at("K31").open.count("E1"));
}

// `dup X1 from C1` looks at X1 in C1 with a request of its own, made once
// the whole block has run: by then T1's copy may hold X1's freed value. In
// each order the three calls run in, the block is explained.
TEST(RealBlock, ALookInAnotherProcessIsJudgedAfterTheBlock) {
  for (const std::vector<std::size_t>& order :
       {std::vector<std::size_t>{0, 1, 2}, {1, 0, 2}, {1, 2, 0}}) {
    OrderedThreads sut(order);
    const BlockRun r = runBlock(
        "create event as E2\n"
        "spawn C1 noinherit as HP HT\n"
        "dup E2 to C1 as X1\n"
        "parallel\n"
        "  branch\n    P0.T1: dup E2 to C1 close-source as Y21\n"
        "  branch\n    P0.T2: dup X1 from C1 close-source\n"
        "    P0.T2: spawn K33 inherit as HP33 HT33\n"
        "end\n",
        sut);
    EXPECT_TRUE(r.verdict.linearizable) << "order " << order[0] << order[1] << order[2] << "\n"
                                        << describe(r.history, r.verdict);
  }
}

// T2's duplicate runs first; T2 looks at R (two handles to the pipe's read
// end), T1 closes R, then T2 looks at D21 (one handle now). No order of the
// three calls explains both counts; one that puts T1's close between T2's
// two looks does.
TEST(RealBlock, AStepsLookAtTwoHandlesMayStraddleAnotherThreadsClose) {
  LastLookAfterTheOtherCall sut;
  const BlockRun r = runBlock(
      "create pipe as R W\n"
      "parallel\n"
      "  branch\n    P0.T1: close R\n"
      "  branch\n    P0.T2: dup R as D21\n"
      "end\n",
      sut);
  const std::vector<engine::NamedObservation>& dup = r.history.observed.at(1).at(0).observations;
  ASSERT_EQ(dup.size(), 2u);
  ASSERT_EQ(dup[0].handle, "R");
  ASSERT_EQ(dup[0].observation.handleCount, 2u) << "R was not looked at before the close";
  ASSERT_EQ(dup[1].handle, "D21");
  ASSERT_EQ(dup[1].observation.handleCount, 1u) << "D21 was not looked at after the close";
  ASSERT_TRUE(r.verdict.linearizable) << describe(r.history, r.verdict);
  const std::vector<Move>& order = r.verdict.order;
  const auto at = [&](std::size_t branch, Move::Kind kind, const std::string& handle) {
    return std::find(order.begin(), order.end(), Move{branch, 0, kind, handle}) - order.begin();
  };
  EXPECT_LT(at(1, Move::Kind::Look, "R"), at(0, Move::Kind::Step, ""));
  EXPECT_LT(at(0, Move::Kind::Step, ""), at(1, Move::Kind::Look, "D21"));
}

}  // namespace
}  // namespace hc::props
