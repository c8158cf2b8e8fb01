// Threads and parallel blocks (properties/scenario/README.md "Threads and
// parallel blocks"): how a block reads, and every way one is malformed.
#include <gtest/gtest.h>

#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

constexpr std::string_view kTextbookRace =
    "create pipe as R W\n"
    "parallel\n"
    "  branch\n"
    "    P0.T1: set W inherit=on\n"
    "    P0.T1: spawn C1 inherit only W as HP1 HT1\n"
    "    P0.T1: set W inherit=off\n"
    "  branch\n"
    "    P0.T2: spawn C2 inherit as HP2 HT2\n"
    "end\n"
    "close W => ok\n";

TEST(Blocks, TheTextbookRaceParsesIntoTwoBranches) {
  const Scenario sc = parse(kTextbookRace);
  ASSERT_EQ(sc.steps.size(), 6u);
  EXPECT_EQ(sc.steps[0].block, 0u);
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(sc.steps[i].block, 1u);
    EXPECT_EQ(sc.steps[i].branch, 0u);
    EXPECT_EQ(sc.steps[i].thread, "T1");
    EXPECT_EQ(sc.steps[i].process, "P0");
  }
  EXPECT_EQ(sc.steps[4].branch, 1u);
  EXPECT_EQ(sc.steps[4].thread, "T2");
  EXPECT_EQ(sc.steps[5].block, 0u);
  EXPECT_TRUE(hasParallel(sc));
  const auto segs = segments(sc.steps);
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[1].branches, (std::vector<std::vector<std::size_t>>{{1, 2, 3}, {4}}));
  EXPECT_EQ(print(sc), kTextbookRace);
}

TEST(Blocks, AThreadOutsideABlockIsKeptAndPrinted) {
  const Scenario sc = parse("P0.T1: close H\nclose H\n");
  EXPECT_EQ(sc.steps[0].thread, "T1");
  EXPECT_TRUE(sc.steps[1].thread.empty());
  EXPECT_FALSE(hasParallel(sc));
  EXPECT_EQ(print(sc), "P0.T1: close H\nclose H\n");
}

struct Bad {
  std::string_view text;
  int line;
  std::string_view message;
};

TEST(Blocks, MalformedBlocksNameTheLine) {
  const Bad cases[] = {
      {"branch\n", 1, "`branch` outside a parallel block"},
      {"end\n", 1, "`end` outside a parallel block"},
      {"parallel\nparallel\n", 2, "`parallel` inside a parallel block (blocks do not nest)"},
      {"parallel\nbranch\nP0.T1: close H\nend\n", 4, "a parallel block has at least 2 branches"},
      {"parallel\nbranch\nP0.T1: close H\nbranch\nend\n", 5, "an empty parallel branch"},
      {"parallel\nP0.T1: close H\n", 2, "a step of a parallel block before its first `branch`"},
      {"parallel\nbranch\nclose H\n", 3,
       "a step of a parallel branch names its thread (`P0.T1: ...`)"},
      {"parallel\nbranch\nP0.T1: close H\nP0.T2: close H\n", 4,
       "a branch runs on one thread: P0.T1, not P0.T2"},
      {"parallel\nbranch\nP0.T1: close H\nbranch\nP0.T1: close H\n", 5,
       "thread P0.T1 runs another branch of this block"},
      {"parallel\nbranch\nP0.T1: close H\nbranch\nP0.T2: close H\nbranch\nP0.T3: close "
       "H\nbranch\n",
       8, "a parallel block has at most 3 branches"},
      {"parallel\nbranch\nP0.T1: close H\nbranch\nP0.T2: close H\n", 5,
       "the parallel block opened on line 1 has no `end`"},
  };
  for (const Bad& c : cases) {
    try {
      parse(c.text, "bad.hcs");
      ADD_FAILURE() << "parsed without error: " << c.text;
    } catch (const ParseError& e) {
      EXPECT_EQ(e.line, c.line) << c.text;
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos)
          << c.text << "\n -> " << e.what();
    }
  }
}

TEST(Blocks, ABranchHasAtMostEightSteps) {
  std::string text = "parallel\nbranch\n";
  for (std::size_t i = 0; i <= kMaxBranchSteps; ++i) text += "P0.T1: close H\n";
  EXPECT_THROW(parse(text + "branch\nP0.T2: close H\nend\n"), ParseError);
}

TEST(Blocks, ThePrinterRefusesWhatWouldNotParseBack) {
  Scenario sc = parse(kTextbookRace);
  Scenario lone = sc;
  lone.steps.erase(lone.steps.begin() + 4);  // one branch left
  EXPECT_THROW(print(lone), std::invalid_argument);
  Scenario unthreaded = sc;
  unthreaded.steps[4].thread.clear();
  EXPECT_THROW(print(unthreaded), std::invalid_argument);
  Scenario shuffled = sc;
  std::swap(shuffled.steps[3], shuffled.steps[4]);
  EXPECT_THROW(print(shuffled), std::invalid_argument);
}

}  // namespace
}  // namespace hc::scenario
