// SPEC 40-49: named pipes (instances, clients, states, counts, the name,
// message mode, inheritance).
#include "Outcomes.h"
#include "handlecheck/model/Invariants.h"

namespace hc::model::test {
namespace {

constexpr std::uint32_t kReadWrite = kGenericRead | kGenericWrite;

NamedPipeOptions options(std::uint32_t openMode = kPipeAccessDuplex, std::uint32_t pipeMode = 0,
                         std::uint32_t maxInstances = kPipeUnlimitedInstances) {
  return NamedPipeOptions{.openMode = openMode, .pipeMode = pipeMode, .maxInstances = maxInstances};
}

HandleValue server(System& system, std::string_view name, NamedPipeOptions o = options()) {
  const Outcome out = system.createNamedPipe(P0, name, o, false);
  EXPECT_TRUE(succeeded(out)) << "CreateNamedPipeW(" << name << ")";
  return out.handle;
}

HandleValue client(System& system, std::string_view name, std::uint32_t access = kReadWrite) {
  const Outcome out = system.openNamedPipe(P0, name, access, false);
  EXPECT_TRUE(succeeded(out)) << "CreateFileW(" << name << ")";
  return out.handle;
}

std::uint32_t instances(System& system, HandleValue h) {
  const Outcome out = system.getNamedPipeHandleState(P0, h);
  EXPECT_TRUE(succeeded(out)) << "GetNamedPipeHandleState";
  return out.instances.value_or(~0u);
}

void expectInvariants(const System& system) {
  const auto broken = brokenInvariant(system);
  EXPECT_FALSE(broken) << *broken;
}

TEST(Spec40, NewPipeHasOneListeningInstance) {
  System system;
  const HandleValue s = server(system, "p");
  EXPECT_EQ(instances(system, s), 1u);
  EXPECT_EQ(system.handleInfo(P0, s).kind, ObjectKind::NamedPipeServer);
  EXPECT_EQ(typeName(ObjectKind::NamedPipeServer), "File");
  EXPECT_EQ(system.handleInfo(P0, s).handleCount, 1u);
  EXPECT_TRUE(failedWith(system.readFile(P0, s), win32::kPipeListening)) << "ReadFile(listening)";
  EXPECT_TRUE(failedWith(system.writeFile(P0, s, "x"), win32::kPipeListening));
  expectInvariants(system);
}

TEST(Spec41, LimitThenFirstInstanceThenDirection) {
  System system;
  const HandleValue s = server(system, "p", options(kPipeAccessDuplex, 0, 2));
  EXPECT_TRUE(failedWith(system.createNamedPipe(P0, "p", options(kPipeAccessInbound), false),
                         win32::kAccessDenied))
      << "another direction";
  EXPECT_TRUE(
      failedWith(system.createNamedPipe(
                     P0, "p", options(kPipeAccessDuplex | kFileFlagFirstPipeInstance), false),
                 win32::kAccessDenied))
      << "FILE_FLAG_FIRST_PIPE_INSTANCE on an existing pipe";
  const HandleValue s2 = server(system, "p", options(kPipeAccessDuplex, kPipeTypeMessage, 9));
  EXPECT_EQ(instances(system, s), 2u) << "a later instance's type and limit are its own";
  const Outcome full = system.createNamedPipe(
      P0, "p", options(kPipeAccessInbound | kFileFlagFirstPipeInstance, 0, 9), false);
  EXPECT_TRUE(failedWith(full, win32::kPipeBusy)) << "the first instance's limit comes first";
  EXPECT_EQ(full.rule, RuleId::NamedPipeInstanceChecks);
  EXPECT_EQ(instances(system, s2), 2u);
}

TEST(Spec41, WineIgnoresFirstPipeInstance) {
  System system(windowsProfile().with(QuirkId::FirstPipeInstanceIgnored));
  const HandleValue s = server(system, "p", options(kPipeAccessDuplex, 0, 2));
  server(system, "p", options(kPipeAccessDuplex | kFileFlagFirstPipeInstance));
  EXPECT_EQ(instances(system, s), 2u);
  EXPECT_TRUE(
      failedWith(system.createNamedPipe(
                     P0, "p", options(kPipeAccessDuplex | kFileFlagFirstPipeInstance), false),
                 win32::kPipeBusy))
      << "the limit still holds";
}

TEST(Spec42, ByteTypeWithMessageReadModeIsInvalid) {
  System system;
  EXPECT_TRUE(failedWith(
      system.createNamedPipe(P0, "p", options(kPipeAccessDuplex, kPipeReadmodeMessage), false),
      win32::kInvalidParameter));
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kFileNotFound))
      << "no pipe was made";
  EXPECT_TRUE(system.createNamedPipe(P0, "q", options(kPipeAccessDuplex, 0, 0), false).unsettled)
      << "nMaxInstances 0";
  EXPECT_TRUE(system.createNamedPipe(P0, "q", options(kPipeAccessDuplex, 0, 256), false).unsettled);
}

TEST(Spec42, NamesCompareCaseInsensitively) {
  System system;
  const HandleValue s = server(system, "Pipe");
  client(system, "pIPE");
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kPipeConnected));
}

TEST(Spec43, ClientErrors) {
  System system;
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kFileNotFound));
  server(system, "p", options(kPipeAccessDuplex, 0, 1));
  const HandleValue c = client(system, "p");
  EXPECT_EQ(system.handleInfo(P0, c).kind, ObjectKind::NamedPipeClient);
  EXPECT_EQ(system.handleInfo(P0, c).handleCount, 1u) << "a client end is its own object";
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kPipeBusy));
  ASSERT_TRUE(succeeded(system.closeHandle(P0, c)));
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kPipeBusy))
      << "closing: not listening until disconnected and connected again";
}

TEST(Spec43, AccessTheDirectionRefusesIsUnsettled) {
  System system;
  server(system, "in", options(kPipeAccessInbound));
  EXPECT_TRUE(system.openNamedPipe(P0, "in", kGenericRead, false).unsettled);
  const HandleValue c = client(system, "in", kGenericWrite);
  EXPECT_TRUE(failedWith(system.readFile(P0, c), win32::kAccessDenied));
}

TEST(Spec43, ClientGoesToTheInstanceListeningLongest) {
  System system;
  const HandleValue s1 = server(system, "p", options(kPipeAccessDuplex, kPipeNowait));
  const HandleValue s2 = server(system, "p", options(kPipeAccessDuplex, kPipeNowait));
  const HandleValue c1 = client(system, "p");
  ASSERT_TRUE(succeeded(system.writeFile(P0, c1, "one")));
  ASSERT_TRUE(succeeded(system.disconnectNamedPipe(P0, s1)));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s1), win32::kPipeListening));
  const HandleValue c2 = client(system, "p");
  ASSERT_TRUE(succeeded(system.writeFile(P0, c2, "two")));
  EXPECT_EQ(system.readFile(P0, s2).data, "two") << "s2 listened since its creation";
  EXPECT_TRUE(failedWith(system.readFile(P0, s1), win32::kPipeListening));
  expectInvariants(system);
}

TEST(Spec44, DisconnectDropsDataAndKillsTheClient) {
  System system;
  const HandleValue s = server(system, "p");
  const HandleValue c = client(system, "p");
  ASSERT_TRUE(succeeded(system.writeFile(P0, c, "lost")));
  ASSERT_TRUE(succeeded(system.writeFile(P0, s, "lost too")));
  ASSERT_TRUE(succeeded(system.disconnectNamedPipe(P0, s)));
  EXPECT_TRUE(failedWith(system.readFile(P0, s), win32::kPipeNotConnected));
  EXPECT_TRUE(failedWith(system.writeFile(P0, s, "x"), win32::kPipeNotConnected));
  EXPECT_TRUE(failedWith(system.readFile(P0, c), win32::kPipeNotConnected));
  EXPECT_TRUE(failedWith(system.writeFile(P0, c, "x"), win32::kPipeNotConnected));
  EXPECT_TRUE(failedWith(system.getNamedPipeHandleState(P0, c), win32::kPipeNotConnected));
  EXPECT_TRUE(failedWith(system.disconnectNamedPipe(P0, s), win32::kPipeNotConnected));
  EXPECT_EQ(system.handleInfo(P0, c).handleCount, 1u) << "the client handle stays open";
  EXPECT_TRUE(system.disconnectNamedPipe(P0, c).unsettled) << "DisconnectNamedPipe on a client end";
  expectInvariants(system);
}

TEST(Spec44, ClosingInstanceFollowsThePipeRules) {
  System system;
  const HandleValue s = server(system, "p");
  const HandleValue c = client(system, "p");
  ASSERT_TRUE(succeeded(system.writeFile(P0, c, "left")));
  ASSERT_TRUE(succeeded(system.closeHandle(P0, c)));
  EXPECT_EQ(system.readFile(P0, s).data, "left") << "data outlives the writer";
  EXPECT_TRUE(failedWith(system.readFile(P0, s), win32::kBrokenPipe));
  EXPECT_TRUE(failedWith(system.writeFile(P0, s, "x"), win32::kNoData));
  EXPECT_TRUE(system.writeFile(P0, s, "").unsettled) << "0 bytes into a closing pipe";
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kNoData));
  ASSERT_TRUE(succeeded(system.disconnectNamedPipe(P0, s)));
  EXPECT_TRUE(blocks(system.connectNamedPipe(P0, s))) << "PIPE_WAIT ConnectNamedPipe waits";
  expectInvariants(system);
}

TEST(Spec45, NowaitConnectInEveryState) {
  System system;
  const HandleValue s = server(system, "p", options(kPipeAccessDuplex, kPipeNowait));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kPipeListening));
  const HandleValue c = client(system, "p");
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kPipeConnected));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, c), win32::kInvalidFunction));
  ASSERT_TRUE(succeeded(system.closeHandle(P0, c)));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kNoData));
  ASSERT_TRUE(succeeded(system.disconnectNamedPipe(P0, s)));
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kPipeBusy));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kPipeListening));
  client(system, "p");  // listening again
  expectInvariants(system);
}

TEST(Spec46, InstancesCountOpenServerEnds) {
  System system;
  const HandleValue s1 = server(system, "p");
  const HandleValue s2 = server(system, "p");
  const HandleValue c = client(system, "p");
  EXPECT_EQ(instances(system, c), 2u) << "from the client end too";
  ASSERT_TRUE(succeeded(system.closeHandle(P0, s1)));
  EXPECT_EQ(instances(system, c), 1u) << "the client's instance left the count";
  EXPECT_TRUE(failedWith(system.readFile(P0, c), win32::kBrokenPipe));
  ASSERT_TRUE(succeeded(system.closeHandle(P0, s2)));
  EXPECT_EQ(instances(system, c), 0u);
  expectInvariants(system);
}

TEST(Spec46, DuplicatesDoNotAddInstances) {
  System system;
  const HandleValue s = server(system, "p");
  const Outcome dup = system.duplicateHandle(P0, s, P0, false, false);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_EQ(instances(system, s), 1u);
  ASSERT_TRUE(succeeded(system.closeHandle(P0, s)));
  EXPECT_EQ(instances(system, dup.handle), 1u) << "the duplicate keeps the server end open";
}

// Wine refuses it with ERROR_ACCESS_DENIED; the call needs
// FILE_READ_ATTRIBUTES, which the model's ends do not record.
TEST(Spec46, EndsThatMayNotReadAreUnsettled) {
  System system;
  const HandleValue s = server(system, "out", options(kPipeAccessOutbound));
  EXPECT_TRUE(system.getNamedPipeHandleState(P0, s).unsettled);
  server(system, "in", options(kPipeAccessInbound));
  const HandleValue c = client(system, "in", kGenericWrite);
  EXPECT_TRUE(system.getNamedPipeHandleState(P0, c).unsettled);
}

TEST(Spec47, NameLivesAsLongAsAServerEnd) {
  System system;
  const HandleValue s = server(system, "p", options(kPipeAccessDuplex, 0, 1));
  const HandleValue c = client(system, "p");
  ASSERT_TRUE(succeeded(system.closeHandle(P0, s)));
  EXPECT_TRUE(failedWith(system.openNamedPipe(P0, "p", kReadWrite, false), win32::kFileNotFound))
      << "even with a client open";
  const HandleValue fresh = server(system, "p", options(kPipeAccessInbound, 0, 3));
  EXPECT_EQ(instances(system, fresh), 1u) << "a fresh pipe: another direction and limit";
  EXPECT_TRUE(system.getNamedPipeHandleState(P0, c).unsettled)
      << "the old client while a new pipe holds the name";
  EXPECT_TRUE(failedWith(system.writeFile(P0, c, "x"), win32::kNoData));
  expectInvariants(system);
}

TEST(Spec48, MessageReadModeReadsOneMessage) {
  System system;
  const HandleValue s =
      server(system, "p", options(kPipeAccessDuplex, kPipeTypeMessage | kPipeReadmodeMessage));
  const HandleValue c = client(system, "p");
  ASSERT_TRUE(succeeded(system.writeFile(P0, c, "one")));
  ASSERT_TRUE(succeeded(system.writeFile(P0, c, "two")));
  EXPECT_EQ(system.readFile(P0, s).data, "one");
  EXPECT_EQ(system.readFile(P0, s).data, "two");
  ASSERT_TRUE(succeeded(system.writeFile(P0, s, "three")));
  ASSERT_TRUE(succeeded(system.writeFile(P0, s, "four")));
  EXPECT_EQ(system.readFile(P0, c).data, "threefour") << "a client reads in byte mode";
  EXPECT_TRUE(system.writeFile(P0, s, "").unsettled) << "an empty message";
}

TEST(Spec49, ChildCopyKeepsTheClientEndOpen) {
  System system;
  const HandleValue s = server(system, "p", options(kPipeAccessDuplex, kPipeNowait));
  const Outcome c = system.openNamedPipe(P0, "p", kReadWrite, true);
  ASSERT_TRUE(succeeded(c));
  const Outcome child = system.spawn(P0, SpawnOptions{.inheritHandles = true});
  ASSERT_TRUE(succeeded(child));
  EXPECT_EQ(system.handleInfo(child.child, c.handle).kind, ObjectKind::NamedPipeClient);
  ASSERT_TRUE(succeeded(system.closeHandle(P0, c.handle)));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kPipeConnected))
      << "the child's copy keeps the client end open";
  ASSERT_TRUE(succeeded(system.writeFile(child.child, c.handle, "hi")));
  EXPECT_EQ(system.readFile(P0, s).data, "hi");
  ASSERT_TRUE(succeeded(system.closeHandle(child.child, c.handle)));
  EXPECT_TRUE(failedWith(system.connectNamedPipe(P0, s), win32::kNoData));
  expectInvariants(system);
}

}  // namespace
}  // namespace hc::model::test
