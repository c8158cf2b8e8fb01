// Who holds the other end of a pipe, and which step gave it to them: the
// model finds the entries, the bindings' Origins say where each came from.
// SPEC 13: a read end sees end-of-file only when the last handle to the
// write end, in any process, has closed.
#include "handlecheck/engine/Holders.h"

#include <gtest/gtest.h>

#include "handlecheck/engine/ModelBackend.h"

namespace hc::engine {
namespace {

struct World {
  ModelBackend backend;
  Bindings b;

  // Runs every step of `text` (expectations must hold).
  explicit World(std::string_view text) {
    for (const auto& step : scenario::parse(text, "t.hcs").steps) {
      const StepReport r = runStep(backend, b, step);
      EXPECT_TRUE(r.passed()) << "line " << step.line << ": " << r.failures.front();
    }
  }
  // Who holds the other end of `name` in `process`, as one sentence.
  std::string peerOf(const std::string& name, const std::string& process = "P0") const {
    const ProcessBinding& p = b.processes.at(process);
    return holdersText(peerHolders(backend, b, p.agent, p.names.at(name)));
  }
};

TEST(Holders, TheCreatorHoldsBothEnds) {
  const World w("create pipe as R W\n");
  EXPECT_EQ(w.peerOf("R"), "P0 as W (created at line 1)");
  EXPECT_EQ(w.peerOf("W"), "P0 as R (created at line 1)");
}

TEST(Holders, SiblingsSpawnedWhileInheritableHoldTheWriteEnd) {
  const World w(
      "create pipe inherit as R W\n"
      "spawn C1 inherit as H1 T1\n"
      "spawn C2 inherit as H2 T2\n"
      "close W\n"
      "C1: close W\n");
  EXPECT_EQ(w.peerOf("R"), "C2 as W (inherited from P0 at line 3)");
}

TEST(Holders, AGrandchildHoldsWhatItsParentInherited) {
  const World w(
      "create pipe inherit as R W\n"
      "spawn C1 inherit as H1 T1\n"
      "C1: spawn G1 inherit as H2 T2\n"
      "close W\n");
  EXPECT_EQ(w.peerOf("R"),
            "C1 as W (inherited from P0 at line 2) and G1 as W (inherited from C1 at line 3)");
}

TEST(Holders, AHandleListKeepsTheWriteEndOutOfTheChild) {
  const World w(
      "create pipe inherit as R W\n"
      "create event inherit as E\n"
      "spawn C1 inherit only E as H1 T1\n");
  EXPECT_EQ(w.peerOf("R"), "P0 as W (created at line 1)");
  // SPEC 25: W was not listed, so closing P0's copy ends the pipe.
  const World closed(
      "create pipe inherit as R W\n"
      "create event inherit as E\n"
      "spawn C1 inherit only E as H1 T1\n"
      "close W\n");
  EXPECT_EQ(closed.peerOf("R"), "");
}

TEST(Holders, ADuplicateInAnotherProcessNamesItsSource) {
  const World w(
      "create pipe as R W\n"
      "spawn C1 as H1 T1\n"
      "dup W to C1 as W2\n"
      "dup W as W3\n");
  EXPECT_EQ(w.peerOf("R"),
            "P0 as W (created at line 1), P0 as W3 (duplicated at line 4) and C1 as W2 "
            "(duplicated from P0 at line 3)");
}

TEST(Holders, CloseSourceLeavesOnlyTheCopy) {
  const World w(
      "create pipe as R W\n"
      "spawn C1 as H1 T1\n"
      "dup W to C1 close-source as W2\n");
  EXPECT_EQ(w.peerOf("R"), "C1 as W2 (duplicated from P0 at line 3)");
}

TEST(Holders, AnExitedHolderHoldsNothing) {
  const World w(
      "create pipe inherit as R W\n"
      "spawn C1 inherit as H1 T1\n"
      "spawn C2 inherit as H2 T2\n"
      "close W\n"
      "C1: exit 0\n");
  EXPECT_EQ(w.peerOf("R"), "C2 as W (inherited from P0 at line 3)");
  const World gone(
      "create pipe inherit as R W\n"
      "spawn C1 inherit as H1 T1\n"
      "close W\n"
      "terminate H1 1\n"
      "read R => error=ERROR_BROKEN_PIPE\n");
  EXPECT_EQ(gone.peerOf("R"), "");
}

TEST(Holders, AValueReusedAfterCloseHasItsNewOrigin) {
  const World w(
      "create pipe as R W\n"
      "spawn C1 as H1 T1\n"
      "dup W to C1 as W2\n"
      "C1: close W2\n"
      "create pipe as R2 W3\n"
      "dup W3 to C1 as W4\n");
  EXPECT_EQ(w.peerOf("R"), "P0 as W (created at line 1)");
  EXPECT_EQ(w.peerOf("R2"),
            "P0 as W3 (created at line 5) and C1 as W4 (duplicated from P0 at line 6)");
}

TEST(Holders, NotAPipeEndHasNoPeerHolders) {
  const World w("create event as E\ncreate mailslot m as MS\nopen mailslot m as CL\n");
  EXPECT_TRUE(peerHolders(w.backend, w.b, 0, w.b.processes.at("P0").names.at("E")).empty());
  EXPECT_TRUE(peerHolders(w.backend, w.b, 0, w.b.processes.at("P0").names.at("CL")).empty());
  EXPECT_TRUE(peerHolders(w.backend, w.b, 0, 0x400).empty()) << "a value that is not open";
}

// The blocked read itself: runStep throws StepBlocks, its report and message
// name every holder.
TEST(Holders, ABlockedReadNamesEveryHolderOfTheWriteEnd) {
  World w(
      "create pipe inherit as R W\n"
      "spawn C1 inherit as H1 T1\n"
      "C1: spawn G1 inherit as H2 T2\n");
  try {
    runStep(w.backend, w.b, scenario::parse("\n\n\nread R").steps[0]);
    FAIL() << "an empty pipe's read returned";
  } catch (const StepBlocks& e) {
    EXPECT_TRUE(e.report.reply.blocks);
    ASSERT_EQ(e.report.peerHolders.size(), 3u);
    EXPECT_EQ(e.report.peerHolders[1].process, "C1");
    ASSERT_TRUE(e.report.peerHolders[2].origin.has_value());
    EXPECT_EQ(e.report.peerHolders[2].origin->line, 3);
    EXPECT_STREQ(e.what(),
                 "line 4: read R would block forever: the pipe's write end is still open in P0 "
                 "as W (created at line 1), C1 as W (inherited from P0 at line 2) and G1 as W "
                 "(inherited from C1 at line 3)");
  }
}

}  // namespace
}  // namespace hc::engine
