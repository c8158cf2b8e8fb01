// SPEC 13: anonymous pipes (two objects, byte stream, broken pipe).
#include "Outcomes.h"

namespace hc::model::test {
namespace {

struct PipeEnds {
  HandleValue read;
  HandleValue write;
};

PipeEnds makePipe(System& system, bool inherit = false) {
  const Outcome out = system.createPipe(P0, inherit);
  EXPECT_TRUE(succeeded(out)) << "CreatePipe";
  return {out.handle, out.handle2};
}

TEST(Spec13, CreatePipeMakesTwoEnds) {
  System system;
  const PipeEnds pipe = makePipe(system);
  EXPECT_NE(pipe.read, pipe.write);
  EXPECT_FALSE(system.sameObject(P0, pipe.read, pipe.write)) << "CreatePipe: two objects";
  EXPECT_EQ(system.handleInfo(P0, pipe.read).kind, ObjectKind::PipeRead);
  EXPECT_EQ(system.handleInfo(P0, pipe.write).kind, ObjectKind::PipeWrite);
  EXPECT_EQ(system.handleInfo(P0, pipe.read).handleCount, 1u);
  EXPECT_EQ(typeName(system.handleInfo(P0, pipe.write).kind), "File");
}

TEST(Spec13, BothEndsInheritPerSecurityAttributes) {
  System system;
  const PipeEnds yes = makePipe(system, true);
  const PipeEnds no = makePipe(system, false);
  EXPECT_TRUE(system.handleInfo(P0, yes.read).inherit) << "CreatePipe(sa.bInheritHandle=TRUE)";
  EXPECT_TRUE(system.handleInfo(P0, yes.write).inherit);
  EXPECT_FALSE(system.handleInfo(P0, no.read).inherit) << "CreatePipe(sa=NULL)";
  EXPECT_FALSE(system.handleInfo(P0, no.write).inherit);
}

TEST(Spec13, ReadReturnsEveryBufferedByte) {
  System system;
  const PipeEnds pipe = makePipe(system);
  ASSERT_TRUE(succeeded(system.writeFile(P0, pipe.write, "ab"))) << "WriteFile(write end)";
  ASSERT_TRUE(succeeded(system.writeFile(P0, pipe.write, "cd")));
  const Outcome out = system.readFile(P0, pipe.read);
  ASSERT_TRUE(succeeded(out)) << "ReadFile(read end)";
  EXPECT_EQ(out.data, "abcd") << "a byte-mode pipe returns the writes concatenated";
}

TEST(Spec13, WritesBeyondThePipeBufferBlock) {
  System system;
  const PipeEnds pipe = makePipe(system);
  const std::string first(3000, 'a');
  const std::string second(1096, 'b');
  ASSERT_TRUE(succeeded(system.writeFile(P0, pipe.write, first)));
  ASSERT_TRUE(succeeded(system.writeFile(P0, pipe.write, second)));
  EXPECT_TRUE(blocks(system.writeFile(P0, pipe.write, "c"))) << "WriteFile into a full pipe";
  system.writeFile(P0, pipe.write, "");
  EXPECT_EQ(system.readFile(P0, pipe.read).data->size(), System::kReadBufferSize);
  EXPECT_TRUE(blocks(system.readFile(P0, pipe.read)));
}

TEST(Spec13, EmptyReadBlocksWhileTheWriterLives) {
  System system;
  const PipeEnds pipe = makePipe(system);
  EXPECT_TRUE(blocks(system.readFile(P0, pipe.read))) << "ReadFile(empty pipe, writer open)";
}

TEST(Spec13, BufferedBytesOutliveTheWriter) {
  System system;
  const PipeEnds pipe = makePipe(system);
  system.writeFile(P0, pipe.write, "last");
  system.closeHandle(P0, pipe.write);
  EXPECT_EQ(system.readFile(P0, pipe.read).data, "last") << "ReadFile after the writer closed";
  const Outcome drained = system.readFile(P0, pipe.read);
  EXPECT_TRUE(failedWith(drained, win32::kBrokenPipe)) << "ReadFile(drained pipe, writer gone)";
  EXPECT_EQ(drained.rule, RuleId::EofIffPeerClosedAndBufferEmpty);
}

TEST(Spec13, WriterHeldByAChildKeepsThePipeOpen) {
  System system;
  const PipeEnds pipe = makePipe(system, true);
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  system.closeHandle(P0, pipe.write);
  EXPECT_TRUE(blocks(system.readFile(P0, pipe.read))) << "the child's inherited write end lives";
  system.exitProcess(child, 0);
  EXPECT_TRUE(failedWith(system.readFile(P0, pipe.read), win32::kBrokenPipe))
      << "ReadFile after the last writer's process exited";
}

TEST(Spec13, WriteAfterTheReaderIsGoneFailsWithNoData) {
  System system;
  const PipeEnds pipe = makePipe(system);
  system.closeHandle(P0, pipe.read);
  const Outcome write = system.writeFile(P0, pipe.write, "x");
  EXPECT_TRUE(failedWith(write, win32::kNoData)) << "WriteFile(write end, reader closed)";
  EXPECT_EQ(write.rule, RuleId::WriteWithoutReaderFails);
}

TEST(Spec13, WrongDirectionIsAccessDenied) {
  System system;
  const PipeEnds pipe = makePipe(system);
  EXPECT_TRUE(failedWith(system.writeFile(P0, pipe.read, "x"), win32::kAccessDenied))
      << "WriteFile(read end)";
  EXPECT_TRUE(failedWith(system.readFile(P0, pipe.write), win32::kAccessDenied))
      << "ReadFile(write end)";
}

}  // namespace
}  // namespace hc::model::test
