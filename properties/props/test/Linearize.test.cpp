// The linearizability check of parallel blocks: histories only one
// non-obvious interleaving explains, histories none explains, an expectation
// some interleaving breaks, and SPEC 86's per-entry inheritance (accepted
// exactly as far as the table walk's order allows).
#include "handlecheck/props/Linearize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

namespace hc::props {
namespace {

using scenario::Step;

struct Block {
  engine::ModelBackend model;
  engine::Bindings bindings;
  std::vector<std::vector<Step>> branches;
};

// The sequential steps before the block run, the block's branches apart.
Block prepare(std::string_view text) {
  const scenario::Scenario sc = scenario::parse(text, "block.hcs");
  Block b;
  for (const scenario::Segment& seg : scenario::segments(sc.steps)) {
    if (seg.block == 0) {
      engine::runStep(b.model, b.bindings, sc.steps[seg.step]);
      continue;
    }
    b.branches = branchesOf(sc.steps, seg);
    break;
  }
  return b;
}

// A block run on the model as the system under test.
struct Observed {
  engine::ModelBackend model;
  engine::Bindings bindings;
  BlockHistory history;
};

// Runs the block on a copy of `b` with the steps in `order` (branch numbers,
// one per step), each spawn whole.
Observed runInOrder(const Block& b, const std::vector<std::size_t>& order) {
  Observed r{b.model, b.bindings, {}};
  r.history.branches = b.branches;
  r.history.observed.resize(b.branches.size());
  std::vector<std::size_t> pos(b.branches.size(), 0);
  for (const std::size_t branch : order) {
    const Step& step = b.branches[branch][pos[branch]++];
    r.history.observed[branch].push_back(engine::runStep(r.model, r.bindings, step));
  }
  r.history.after = observeState(r.model, r.bindings);
  return r;
}

std::vector<std::size_t> branchesIn(const Verdict& v) {
  std::vector<std::size_t> out;
  for (const Move& m : v.order)
    if (m.kind == Move::Kind::Step || m.kind == Move::Kind::SpawnEnd) out.push_back(m.branch);
  return out;
}

// Three slots: X then Y, or Y then X, take the lowest free values; X = 0x4
// and Y = 0x8 with X closed before Y's create only when T2's create ran
// between T1's two steps.
constexpr std::string_view kCreateClose =
    "parallel\n"
    "  branch\n"
    "    P0.T1: create event as X\n"
    "    P0.T1: close X\n"
    "  branch\n"
    "    P0.T2: create event as Y\n"
    "end\n";

TEST(Linearize, OnlyTheInterleavedOrderExplainsTheValues) {
  const Block b = prepare(kCreateClose);
  const Observed interleaved = runInOrder(b, {0, 1, 0});
  const Verdict v = checkBlock(b.model, b.bindings, interleaved.history);
  ASSERT_TRUE(v.linearizable) << describe(interleaved.history, v);
  EXPECT_EQ(branchesIn(v), (std::vector<std::size_t>{0, 1, 0}));
  // Neither branch-after-branch order gives Y = 0x8 with X closed.
  for (const auto& serial : {std::vector<std::size_t>{0, 0, 1}, {1, 0, 0}})
    EXPECT_NE(runInOrder(b, serial).history.after, interleaved.history.after);
}

// Three branches, each one step: the values bound say which order ran.
TEST(Linearize, ThreeBranchesFindTheOneOrderOfSix) {
  const Block b = prepare(
      "parallel\n"
      "  branch\n    P0.T1: create event as A\n"
      "  branch\n    P0.T2: create mutex as B\n"
      "  branch\n    P0.T3: create semaphore as C\n"
      "end\n");
  const Observed run = runInOrder(b, {2, 0, 1});
  const Verdict v = checkBlock(b.model, b.bindings, run.history);
  ASSERT_TRUE(v.linearizable) << describe(run.history, v);
  EXPECT_EQ(branchesIn(v), (std::vector<std::size_t>{2, 0, 1}));
}

// Two closes of one handle cannot both succeed: no interleaving explains it.
TEST(Linearize, TwoSuccessfulClosesOfOneHandleAreExplainedByNoOrder) {
  const Block b = prepare(
      "create event as H\n"
      "parallel\n"
      "  branch\n    P0.T1: close H\n"
      "  branch\n    P0.T2: close H\n"
      "end\n");
  Observed run = runInOrder(b, {0, 1});
  ASSERT_FALSE(run.history.observed[1][0].reply.ok);
  run.history.observed[1][0] = run.history.observed[0][0];  // as if both succeeded
  const Verdict v = checkBlock(b.model, b.bindings, run.history);
  EXPECT_FALSE(v.linearizable);
  EXPECT_FALSE(v.expectationBroken);
  EXPECT_EQ(branchesIn(v).size(), 1u);  // one close explained, never the second
  const std::string text = describe(run.history, v);
  EXPECT_NE(text.find("not linearizable"), std::string::npos) << text;
  EXPECT_NE(text.find("the model explains at most this prefix"), std::string::npos) << text;
  EXPECT_NE(text.find("close H"), std::string::npos) << text;
}

// Every step matches some order, but the state left matches none.
TEST(Linearize, AStateNoOrderLeavesIsNotExplained) {
  const Block b = prepare(kCreateClose);
  Observed run = runInOrder(b, {0, 1, 0});
  run.history.after.clear();  // Y vanished
  const Verdict v = checkBlock(b.model, b.bindings, run.history);
  EXPECT_FALSE(v.linearizable);
  EXPECT_NE(v.failure.find("state after the block differs"), std::string::npos) << v.failure;
}

// `=> ok` on a close another branch may close first breaks in that order,
// though the observed run was fine.
TEST(Linearize, AnExpectationMustHoldInEveryInterleaving) {
  const Block b = prepare(
      "create event as H\n"
      "parallel\n"
      "  branch\n    P0.T1: close H => ok\n"
      "  branch\n    P0.T2: close H\n"
      "end\n");
  const Observed run = runInOrder(b, {0, 1});
  EXPECT_TRUE(run.history.observed[0][0].passed());
  const Verdict v = checkBlock(b.model, b.bindings, run.history);
  EXPECT_FALSE(v.linearizable);
  ASSERT_TRUE(v.expectationBroken);
  EXPECT_EQ(branchesIn(v), (std::vector<std::size_t>{1, 0}));
  EXPECT_NE(v.failure.find("expected ok"), std::string::npos) << v.failure;
}

// SPEC 86. H1 starts without inherit, H2 (above it) with it; T1 turns H1's
// on, then H2's off, while T2 spawns. A walk that copies H1's slot before
// T1's first step and H2's after its second gives the child neither: no
// single instant of the parent's table has neither inheritable, so only
// per-entry copying explains it.
constexpr std::string_view kTwoFlags =
    "create event as H1\n"
    "create event inherit as H2\n"
    "parallel\n"
    "  branch\n"
    "    P0.T1: set H1 inherit=on\n"
    "    P0.T1: set H2 inherit=off\n"
    "  branch\n"
    "    P0.T2: spawn C inherit as HP HT\n"
    "end\n";

// The spawn held (SPEC 86): its walk up to and including the slot of P0's
// handle `upTo` (none: no copy), T1's whole branch, the rest of the walk.
Observed walkAroundBranch(const Block& b, const std::string& upTo) {
  const std::size_t before = upTo.empty() ? 0 : b.bindings.processes.at("P0").names.at(upTo) / 4;
  Observed r{b.model, b.bindings, {}};
  r.history.branches = b.branches;
  r.history.observed.resize(2);
  const Step& spawn = b.branches[1][0];
  r.model.holdNextSpawn(1);
  EXPECT_THROW(engine::runStep(r.model, r.bindings, spawn), engine::SpawnHeld);
  for (std::size_t i = 0; i < before; ++i) EXPECT_TRUE(r.model.copyNextEntry(1));
  for (const Step& s : b.branches[0])
    r.history.observed[0].push_back(engine::runStep(r.model, r.bindings, s));
  while (r.model.copyNextEntry(1)) {
  }
  r.model.finishNextSpawn(1);
  r.history.observed[1].push_back(engine::runStep(r.model, r.bindings, spawn));
  r.history.after = observeState(r.model, r.bindings);
  return r;
}

bool holds(const BlockHistory& h, const std::string& process, const std::string& name) {
  return std::any_of(h.after.begin(), h.after.end(), [&](const engine::NamedObservation& o) {
    return o.process == process && o.handle == name;
  });
}

bool childHolds(const BlockHistory& h, const std::string& name) {
  return holds(h, "C", name);
}

TEST(Linearize, PerEntryInheritanceExplainsAChildNoInstantGives) {
  const Block b = prepare(kTwoFlags);
  const Observed run = walkAroundBranch(b, "H1");  // H1 copied (not inheritable yet), T1, then H2
  ASSERT_FALSE(childHolds(run.history, "H1"));
  ASSERT_FALSE(childHolds(run.history, "H2"));
  const Verdict v = checkBlock(b.model, b.bindings, run.history);
  EXPECT_TRUE(v.linearizable) << describe(run.history, v);
  // A kernel that copied the table at one instant could not give it.
  CheckOptions atomic;
  atomic.perEntryInheritance = false;
  EXPECT_FALSE(checkBlock(b.model, b.bindings, run.history, atomic).linearizable);
}

// The walk goes up the table: with the flags changed the other way round
// (H2's on first, then H1's off), a child with neither needs H2's slot
// copied before H1's, which no walk up the table does.
TEST(Linearize, PerEntryInheritanceFollowsTheWalkOrder) {
  const Block b = prepare(
      "create event inherit as H1\n"
      "create event as H2\n"
      "parallel\n"
      "  branch\n"
      "    P0.T1: set H2 inherit=on\n"
      "    P0.T1: set H1 inherit=off\n"
      "  branch\n"
      "    P0.T2: spawn C inherit as HP HT\n"
      "end\n");
  Observed run = walkAroundBranch(b, "");  // T1 first: the child gets H2 only
  ASSERT_TRUE(childHolds(run.history, "H2"));
  EXPECT_TRUE(checkBlock(b.model, b.bindings, run.history).linearizable);
  // Claim the child got neither: drop its entries from what was observed.
  const auto inChild = [](const engine::NamedObservation& o) { return o.process == "C"; };
  auto& spawned = run.history.observed[1][0].observations;
  spawned.erase(std::remove_if(spawned.begin(), spawned.end(), inChild), spawned.end());
  run.history.after.erase(
      std::remove_if(run.history.after.begin(), run.history.after.end(), inChild),
      run.history.after.end());
  EXPECT_FALSE(checkBlock(b.model, b.bindings, run.history).linearizable);
}

// SPEC 87 on a real system: T1 closes E while T2's CreateProcess runs;
// the spawn holds the image file at E's freed value, so T1's look after its
// close finds a File there, and hProcess and hThread land above it, not at
// E's value. `E` is the name's handle value before the block.
constexpr std::string_view kCloseDuringSpawn =
    "create event as E\n"
    "parallel\n"
    "  branch\n"
    "    P0.T1: close E\n"
    "  branch\n"
    "    P0.T2: spawn K noinherit as HP HT\n"
    "end\n";

CheckOptions onRealThreads() {
  CheckOptions o;
  o.exactValues = false;
  o.requestsBeforeBlock = true;
  return o;
}

// The history such a run gives: the close, then the spawn; the spawn's
// request (made before the block) observed E too, at the value it freed.
Observed closeDuringSpawn(const Block& b, bool spawnLooksAtFile) {
  Observed run = runInOrder(b, {0, 1});
  const proto::Handle e = b.bindings.processes.at("P0").names.at("E");
  proto::Observation file;
  file.handle = e;
  file.valid = true;
  file.type = "File";
  file.handleCount = 1;
  proto::Observation freed;
  freed.handle = e;
  engine::StepReport& spawn = run.history.observed[1][0];
  spawn.reply.handle = e + 8;  // above the spawn's own file and section handles
  spawn.reply.handle2 = e + 12;
  spawn.observations.push_back({"P0", "E", spawnLooksAtFile ? file : freed});
  for (auto& o : run.history.observed[0][0].observations)
    if (o.process == "P0" && o.handle == "E") o.observation = spawnLooksAtFile ? freed : file;
  return run;
}

TEST(Linearize, AValueFreedWhileASpawnRunsMayHoldTheSpawnsOwnHandle) {
  const Block b = prepare(kCloseDuringSpawn);
  const Observed run = closeDuringSpawn(b, false);
  const Verdict v = checkBlock(b.model, b.bindings, run.history, onRealThreads());
  EXPECT_TRUE(v.linearizable) << describe(run.history, v);
  // Without the spawn in progress across the close (a spawn as one atomic
  // step), E's value is free or hProcess's after the close: never a File.
  CheckOptions atomic = onRealThreads();
  atomic.perEntryInheritance = false;
  EXPECT_FALSE(checkBlock(b.model, b.bindings, run.history, atomic).linearizable);
}

// Once the spawn has returned its own handles are closed: E's freed value
// is then free or a handle the block made, never a File nobody made.
TEST(Linearize, AValueFreedWhileASpawnRanHoldsNothingElseOnceItReturns) {
  const Block b = prepare(kCloseDuringSpawn);
  const Observed run = closeDuringSpawn(b, true);
  const Verdict v = checkBlock(b.model, b.bindings, run.history, onRealThreads());
  EXPECT_FALSE(v.linearizable);
  EXPECT_NE(describe(run.history, v).find("its look at E"), std::string::npos)
      << describe(run.history, v);
}

// T1 closes E, then sets inherit on E's freed value while T2's spawn holds
// its own file handle there (SPEC 87): the set succeeds and the handles the
// model knows keep their flags. A set that turns protect on is not
// explained that way: the spawn's own close would then fail.
Observed setDuringSpawn(const Block& b) {
  Observed run = runInOrder(b, {0, 0, 1});
  const proto::Handle e = b.bindings.processes.at("P0").names.at("E");
  proto::Observation file;
  file.handle = e;
  file.valid = true;
  file.inherit = true;
  file.type = "File";
  file.handleCount = 1;
  engine::StepReport& set = run.history.observed[0][1];
  set.reply.ok = true;
  set.reply.error = 0;
  for (auto& o : set.observations)
    if (o.process == "P0" && o.handle == "E") o.observation = file;
  engine::StepReport& spawn = run.history.observed[1][0];
  spawn.reply.handle = e + 8;
  spawn.reply.handle2 = e + 12;
  // Its request, made before the block, observes E too: free once it ended.
  proto::Observation freed;
  freed.handle = e;
  spawn.observations.push_back({"P0", "E", freed});
  return run;
}

TEST(Linearize, ASetOfAValueFreedWhileASpawnRunsMayActOnTheSpawnsOwnHandle) {
  for (const bool protect : {false, true}) {
    const Block b = prepare(std::string("create event as E\n"
                                        "parallel\n"
                                        "  branch\n"
                                        "    P0.T1: close E\n"
                                        "    P0.T1: set E ") +
                            (protect ? "protect=on" : "inherit=on") +
                            "\n"
                            "  branch\n"
                            "    P0.T2: spawn K noinherit as HP HT\n"
                            "end\n");
    const Observed run = setDuringSpawn(b);
    ASSERT_TRUE(run.history.observed[0][1].reply.ok);
    const Verdict v = checkBlock(b.model, b.bindings, run.history, onRealThreads());
    EXPECT_EQ(v.linearizable, !protect)
        << (protect ? "protect=on\n" : "inherit=on\n") << describe(run.history, v);
  }
}

// The textbook race (the corpus's race-inherit-handle-list.hcs) on the model
// as the system under test: every schedule is linearizable, the same seed
// gives the same schedule, and some schedule leaks the write end into C2 (the
// handle list alone does not stop it).
TEST(Linearize, TheTextbookRaceLeaksUnderSomeScheduleAndIsAlwaysExplained) {
  std::ifstream in(HC_CORPUS_DIR "/race-inherit-handle-list.hcs");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_NE(text.find("parallel"), std::string::npos) << "race-inherit-handle-list.hcs unread";
  const Block b = prepare(text);
  ASSERT_EQ(b.branches.size(), 2u);
  bool leaked = false, clean = false;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    engine::ModelBackend sut = b.model;
    engine::Bindings bound = b.bindings;
    const BlockHistory h = runBlockOnModel(sut, bound, b.branches, seed);
    engine::ModelBackend again = b.model;
    engine::Bindings boundAgain = b.bindings;
    EXPECT_EQ(runBlockOnModel(again, boundAgain, b.branches, seed).schedule, h.schedule);
    const Verdict v = checkBlock(b.model, b.bindings, h);
    EXPECT_TRUE(v.linearizable) << "seed " << seed << "\n" << describe(h, v);
    EXPECT_TRUE(holds(h, "C1", "W")) << "seed " << seed;
    (holds(h, "C2", "W") ? leaked : clean) = true;
    for (const auto& o : h.after)
      if (o.process == "C2" && o.handle == "W") {
        EXPECT_EQ(o.observation.handleCount, 3u)  // P0, C1 and C2 hold the write end
            << "seed " << seed << "\n"
            << describe(h, v);
      }
  }
  EXPECT_TRUE(leaked);
  EXPECT_TRUE(clean);
}

}  // namespace
}  // namespace hc::props
