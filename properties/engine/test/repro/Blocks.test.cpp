// What the reproducers of a scenario with parallel blocks hold, checked on
// the host: the block's steps as parts that record their results, the rows
// the model allows (every interleaving, BlockOutcomes.h), the run bound.
// (Repro::Wine::Block::* build and run them under Wine.)
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "../../src/BlockOutcomes.h"
#include "handlecheck/engine/Reproducer.h"

namespace hc::engine {
namespace {

::testing::AssertionResult written(const std::string& code, const std::string& what) {
  if (code.find(what) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the reproducer has no `" << what << "`";
}

// Close against a close-source dup of the same handle: exactly one wins.
constexpr const char* kCloseRace =
    "create event as E => ok\n"
    "spawn C1 noinherit as HP HT => ok\n"
    "dup E to C1 as EC => ok\n"
    "parallel\n"
    "  branch\n"
    "    P0.T1: dup EC from C1 close-source\n"
    "  branch\n"
    "    C1.T1: close EC\n"
    "end\n"
    "query E => count=1\n";

TEST(ReproducerBlocks, RowsAreEveryInterleavingsResults) {
  const auto rows = detail::blockOutcomes(scenario::parse(kCloseRace, "test.hcs"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::set<std::string>{"error=ERROR_INVALID_HANDLE | ok",
                                            "ok | error=ERROR_INVALID_HANDLE"}));
}

TEST(ReproducerBlocks, RowsOfALaterBlockFollowEveryEarlierSchedule) {
  // Which create comes first decides which one sees ERROR_ALREADY_EXISTS;
  // the second block closes A, whichever it is, from both worlds.
  const auto rows = detail::blockOutcomes(
      scenario::parse("parallel\n  branch\n    P0.T1: create event name=x as A\n"
                      "  branch\n    P0.T2: create event name=x as B\nend\n"
                      "parallel\n  branch\n    P0.T1: close A\n  branch\n    P0.T2: close B\nend\n",
                      "test.hcs"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::set<std::string>{"ok | ok, already-exists", "ok, already-exists | ok"}));
  EXPECT_EQ(rows[1], (std::set<std::string>{"ok | ok"}));
}

TEST(ReproducerBlocks, ProgramRunsBranchesOnThreadsAndChecksTheTable) {
  ReproOptions options;
  options.blockRuns = 7;
  const std::string code = writeReproducer(scenario::parse(kCloseRace, "test.hcs"), options);
  EXPECT_TRUE(written(code, "    \"error=ERROR_INVALID_HANDLE | ok\",\n"));
  EXPECT_TRUE(written(code, "    \"ok | error=ERROR_INVALID_HANDLE\",\n"));
  // Parts 3 and 4 (after create, spawn, dup): branch 0 is part 3, branch 1
  // part 4; C1 (bit 1) held open for the block: P0's DuplicateHandle names it.
  EXPECT_TRUE(written(code, "{ 3, 2, 2, { 0, 1, 2, 2 }, 0, 6, block_1_allowed, 2, NULL, 0, 2 },"));
  EXPECT_TRUE(written(code, "const int repro_blocks = 1;"));
  EXPECT_TRUE(written(code, "const int repro_runs = 7;"));
  EXPECT_TRUE(written(code, "record_result(&c);"));
  EXPECT_TRUE(written(code, "CreateThread(NULL, 0, branch_main"));
  EXPECT_TRUE(written(code, "return run_scenario();"));
}

TEST(ReproducerBlocks, WineTestUsesTheThreadedRuntime) {
  const std::string code = writeWineTest(
      scenario::parse("create event as E => ok\nparallel\n  branch\n    P0.T1: close E => ok\n"
                      "  branch\n    P0.T2: create event as F => ok\nend\n",
                      "test.hcs"));
  EXPECT_TRUE(written(code, "#include \"wine/test.h\""));
  EXPECT_TRUE(written(code, "START_TEST(handlecheck)"));
  EXPECT_TRUE(written(code, "report_block = ok_block;"));
  EXPECT_TRUE(
      written(code, "static const char *const block_1_allowed[] =\n{\n    \"ok | ok\",\n};"));
}

TEST(ReproducerBlocks, WineTestMarksRowsOnlyWinesQuirksGiveTodo) {
  // dup-null-target-close-fails: on the wine profile both close-source dups fail.
  const std::string code = writeWineTest(scenario::parse(
      "create event as E2\nspawn C1 noinherit as HP HT\ndup E2 to C1 as X1\nparallel\n"
      "  branch\n    P0.T1: dup X1 from C1 close-source\n"
      "  branch\n    P0.T2: dup X1 from C1 close-source\nend\n",
      "test.hcs"));
  EXPECT_TRUE(written(code,
                      "static const char *const block_1_wine[] =\n{\n"
                      "    \"error=ERROR_INVALID_HANDLE | error=ERROR_INVALID_HANDLE\",\n};"));
  EXPECT_TRUE(written(code, "block_1_allowed, 2, block_1_wine, 1, 2 },"));
  EXPECT_TRUE(written(code, "todo_wine ok(allowed,"));
}

TEST(ReproducerBlocks, ScenarioWithoutBlocksRunsOnce) {
  const std::string code = writeReproducer(scenario::parse("create event as E => ok\n", "t.hcs"));
  EXPECT_TRUE(written(code, "const int repro_blocks = 0;"));
  EXPECT_TRUE(written(code, "const int repro_runs = 1;"));
}

TEST(ReproducerBlocks, ChecksInAnotherProcessAreRefusedInABlock) {
  // A branch's thread checks its own steps: a dup's copy in C1 cannot be.
  EXPECT_THROW(writeReproducer(scenario::parse(
                   "create event as E => ok\nspawn C1 noinherit as HP HT => ok\nparallel\n"
                   "  branch\n    P0.T1: dup E to C1 as X => valid\n"
                   "  branch\n    P0.T2: create event as G\nend\n",
                   "test.hcs")),
               std::invalid_argument);
}

}  // namespace
}  // namespace hc::engine
