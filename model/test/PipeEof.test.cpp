// SPEC 30-38, 50: the two ends of an anonymous pipe count apart, PeekNamedPipe
// says whether the writer lives, and every call that moves the write end's
// HandleCount feeds the end-of-file predicate of SPEC 36.
#include "Outcomes.h"

namespace hc::model::test {
namespace {

struct PipeEnds {
  HandleValue read;
  HandleValue write;
};

PipeEnds makePipe(System& system, bool inherit) {
  const Outcome out = system.createPipe(P0, inherit);
  EXPECT_TRUE(succeeded(out)) << "CreatePipe";
  return {out.handle, out.handle2};
}

// PeekNamedPipe succeeded with avail = n.
::testing::AssertionResult peeks(const Outcome& out, std::uint32_t n) {
  if (!succeeded(out)) return ::testing::AssertionFailure() << describe(out) << ", expected ok";
  if (out.available != n)
    return ::testing::AssertionFailure()
           << "avail=" << (out.available ? std::to_string(*out.available) : "none")
           << ", expected avail=" << n;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult atEndOfFile(const Outcome& out) {
  return failedWith(out, win32::kBrokenPipe);
}

TEST(Spec30, TheEndsCountApart) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  system.duplicateHandle(P0, pipe.write, P0, false, false);
  EXPECT_EQ(system.handleInfo(P0, pipe.write).handleCount, 2u) << "DuplicateHandle(write end)";
  EXPECT_EQ(system.handleInfo(P0, pipe.read).handleCount, 1u) << "the read end is not copied";
  system.spawn(P0, {.inheritHandles = true});
  EXPECT_EQ(system.handleInfo(P0, pipe.write).handleCount, 3u) << "inherited copy of W";
  EXPECT_EQ(system.handleInfo(P0, pipe.read).handleCount, 2u) << "inherited copy of R";
}

TEST(Spec33, PeekReportsTheBufferedBytesWhileTheWriterLives) {
  System system;
  const PipeEnds pipe = makePipe(system, false);
  const Outcome empty = system.peekNamedPipe(P0, pipe.read);
  EXPECT_TRUE(peeks(empty, 0)) << "PeekNamedPipe(empty pipe, writer open) does not wait";
  EXPECT_EQ(empty.rule, RuleId::PeekWhilePeerOpenSucceeds);
  system.writeFile(P0, pipe.write, "hello");
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 5));
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 5)) << "Peek consumes nothing";
}

TEST(Spec34, PeekReportsWhatTheDeadWriterLeft) {
  System system;
  const PipeEnds pipe = makePipe(system, false);
  system.writeFile(P0, pipe.write, "abc");
  system.closeHandle(P0, pipe.write);
  const Outcome left = system.peekNamedPipe(P0, pipe.read);
  EXPECT_TRUE(peeks(left, 3)) << "PeekNamedPipe after the writer closed, bytes buffered";
  EXPECT_EQ(left.rule, RuleId::BufferedDataOutlivesWriter);
}

TEST(Spec35, PeekAtEndOfFileFailsEveryTime) {
  System system;
  const PipeEnds pipe = makePipe(system, false);
  system.writeFile(P0, pipe.write, "abc");
  system.closeHandle(P0, pipe.write);
  system.readFile(P0, pipe.read);
  const Outcome eof = system.peekNamedPipe(P0, pipe.read);
  EXPECT_TRUE(atEndOfFile(eof)) << "PeekNamedPipe(drained, writer gone)";
  EXPECT_EQ(eof.rule, RuleId::EofIffPeerClosedAndBufferEmpty);
  EXPECT_FALSE(eof.available) << "the out-parameter is left alone";
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read))) << "and again";
}

TEST(Spec38, PeekOnTheWriteEndIsAccessDenied) {
  System system;
  const PipeEnds pipe = makePipe(system, false);
  const Outcome out = system.peekNamedPipe(P0, pipe.write);
  EXPECT_TRUE(failedWith(out, win32::kAccessDenied)) << "PeekNamedPipe(write end)";
  EXPECT_EQ(out.rule, RuleId::AnonymousEndsAreOneWay);
  EXPECT_TRUE(failedWith(system.peekNamedPipe(P0, 0x400), win32::kInvalidHandle))
      << "PeekNamedPipe(a value that is not open)";
}

TEST(Spec36, AnInheritedWriteEndLivesUntilTheChildExits) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 0)) << "the child's copy lives";
  system.exitProcess(child, 0);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read))) << "after the child's exit";
}

TEST(Spec36, AGrandchildsCopyCountsToo) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  const ProcessId grandchild = system.spawn(child, {.inheritHandles = true}).child;
  system.closeHandle(P0, pipe.write);
  system.exitProcess(child, 0);
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 0)) << "the grandchild's copy lives";
  system.exitProcess(grandchild, 0);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read)));
}

TEST(Spec36, AHandleListWithoutTheWriteEndKeepsTheChildOut) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  system.spawn(P0, {.inheritHandles = true, .handleList = std::vector<HandleValue>{pipe.read}});
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read))) << "the child got only R";
}

TEST(Spec36, ClearingInheritBeforeTheSpawnKeepsTheChildOut) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  system.setHandleInformation(P0, pipe.write, kHandleFlagInherit, 0);
  system.spawn(P0, {.inheritHandles = true});
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read)));
}

TEST(Spec36, NoInheritanceCopiesNothing) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  system.spawn(P0, {.inheritHandles = false});
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read)));
}

TEST(Spec36, ADuplicateInAnotherProcessCountsUntilItCloses) {
  System system;
  const PipeEnds pipe = makePipe(system, false);
  const ProcessId child = system.spawn(P0, {}).child;
  const HandleValue copy = system.duplicateHandle(P0, pipe.write, child, false, true).handle;
  EXPECT_FALSE(system.handleInfo(P0, pipe.write).valid) << "close-source closed the original";
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 0)) << "the child's duplicate lives";
  system.closeHandle(child, copy);
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read)));
}

TEST(Spec36, TerminatingTheHolderClosesItsCopy) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const HandleValue hProcess = system.spawn(P0, {.inheritHandles = true}).handle;
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 0));
  ASSERT_TRUE(succeeded(system.terminateProcess(P0, hProcess, 1))) << "TerminateProcess";
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read)));
}

TEST(Spec50, CloseSourceWithoutTargetClosesTheChildsCopy) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  system.closeHandle(P0, pipe.write);
  const Outcome out = system.duplicateHandleCloseSource(P0, child, pipe.write);
  EXPECT_TRUE(succeeded(out)) << "DuplicateHandle(hChild, W, NULL, ..., CLOSE_SOURCE)";
  EXPECT_EQ(out.rule, RuleId::CloseSourceInAnotherProcess);
  EXPECT_FALSE(system.handleInfo(child, pipe.write).valid) << "gone from the child's table";
  EXPECT_TRUE(atEndOfFile(system.peekNamedPipe(P0, pipe.read))) << "the last writer closed";
  EXPECT_TRUE(
      failedWith(system.duplicateHandleCloseSource(P0, child, pipe.write), win32::kInvalidHandle))
      << "a value not open in the source process";
}

TEST(Spec50, ProtectedOrPseudoSourcesAreUnsettled) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  system.setHandleInformation(child, pipe.write, kHandleFlagProtect, kHandleFlagProtect);
  EXPECT_TRUE(system.duplicateHandleCloseSource(P0, child, pipe.write).unsettled);
  EXPECT_TRUE(system.duplicateHandleCloseSource(P0, child, kCurrentProcess).unsettled);
  system.exitProcess(child, 0);
  EXPECT_TRUE(system.duplicateHandleCloseSource(P0, child, pipe.read).unsettled)
      << "a source that has exited";
}

TEST(QuirkDupNullTargetCloseFails, AnotherProcessKeepsItsHandle) {
  System system(wineProfile());
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(
      failedWith(system.duplicateHandleCloseSource(P0, child, pipe.write), win32::kInvalidHandle));
  EXPECT_TRUE(system.handleInfo(child, pipe.write).valid) << "Wine leaves the child's copy open";
  EXPECT_TRUE(peeks(system.peekNamedPipe(P0, pipe.read), 0)) << "so the writer lives";
  EXPECT_TRUE(
      failedWith(system.duplicateHandleCloseSource(P0, P0, pipe.read), win32::kInvalidHandle));
  EXPECT_FALSE(system.handleInfo(P0, pipe.read).valid) << "the caller's own handle is closed";
}

}  // namespace
}  // namespace hc::model::test
