// The real backend against Wine, driven with raw Requests (no scenario
// layer): every result below comes from real Win32 calls in real agent
// processes. One backend (hub + P0) per test.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "WineTest.h"

namespace hc::sut::test {
namespace {

using proto::Op;
using proto::Reply;
using proto::Request;

class Smoke : public ::testing::Test {
 protected:
  void SetUp() override { backend_ = startWine(agent_); }
  void TearDown() override {
    backend_.reset();
    EXPECT_EQ(leftoverProcesses(agent_.token()), std::vector<std::string>{})
        << "agents left behind";
  }
  Reply ok(const Request& q) {
    Reply r = backend_->perform(q);
    EXPECT_TRUE(r.ok) << proto::opName(q.op) << " failed with error " << r.error;
    return r;
  }
  proto::Observation observe(proto::AgentId process, proto::Handle h) {
    Request q = request(process, Op::Observe);
    q.observe = {h};
    const Reply r = ok(q);
    EXPECT_EQ(r.observations.size(), 1u);
    return r.observations.empty() ? proto::Observation{} : r.observations[0];
  }
  proto::Handle createEvent(bool inherit, std::string name = {}) {
    Request q = request(0, Op::CreateEvent);
    q.inherit = inherit;
    q.name = name.empty() ? std::string() : backend_->objectName(name);
    return ok(q).handle;
  }

  PrivateAgent agent_;
  std::unique_ptr<Backend> backend_;
};

// SPEC 4, 22: the child sees the parent's inheritable event at the same
// value, inherit still set, one more handle; and so does the grandchild.
TEST_F(Smoke, Spec22_ChildAndGrandchildInheritEvent) {
  const proto::Handle ev = createEvent(true);
  EXPECT_EQ(observe(0, ev).handleCount, 1u);
  const Reply child = ok(spawn(0, 1, true));
  EXPECT_NE(child.handle, 0u);
  EXPECT_NE(child.childPid, 0u);
  const proto::Observation inChild = observe(1, ev);
  EXPECT_TRUE(inChild.valid);
  EXPECT_TRUE(inChild.inherit);
  EXPECT_EQ(inChild.handleCount, 2u);
  EXPECT_EQ(inChild.type, "Event");
  ok(spawn(1, 2, true));
  const proto::Observation inGrandchild = observe(2, ev);
  EXPECT_TRUE(inGrandchild.valid);
  EXPECT_TRUE(inGrandchild.inherit);
  EXPECT_EQ(inGrandchild.handleCount, 3u);
}

// A request naming thread N runs on a real thread of the agent, made the
// first time N is named and kept after: GetCurrentThread() duplicated there
// is another thread object than the main thread's, and the same one the
// next time. The thread leaves no handle of its own in the table.
TEST_F(Smoke, RequestOnANamedThreadRunsOnItsOwnThread) {
  const auto currentThread = [&](std::uint32_t thread) {
    Request q = onHandle(0, Op::Dup, proto::kCurrentThread);
    q.target = 0;
    q.thread = thread;
    return ok(q).handle;
  };
  const proto::Handle before = createEvent(false);
  const proto::Handle mainThread = currentThread(0);
  const proto::Handle t1 = currentThread(1);
  const proto::Handle t1Again = currentThread(1);
  EXPECT_EQ(observe(0, t1).type, "Thread");
  Request same = onHandle(0, Op::Query, t1);
  same.compareWith = t1Again;
  EXPECT_EQ(ok(same).same, 1);
  same.compareWith = mainThread;
  EXPECT_EQ(ok(same).same, 0);
  // Values are handed out lowest first: the thread made for T2 takes none.
  for (const proto::Handle h : {mainThread, t1, t1Again}) ok(onHandle(0, Op::Close, h));
  Request onT2 = request(0, Op::CreateEvent);
  onT2.thread = 2;
  EXPECT_EQ(ok(onT2).handle, before + 4);
}

// A block: each thread gets its steps at once and runs them in order; the
// replies come back one per step, in the order of the steps, on threads of
// two processes.
TEST_F(Smoke, BlockRunsEachThreadsStepsInOrder) {
  ok(spawn(0, 1, false));
  std::vector<Request> steps;
  for (const proto::AgentId process : {0u, 1u})
    for (std::uint32_t thread = 1; thread <= 2; ++thread)
      for (int i = 0; i < 2; ++i) {
        Request q = request(process, Op::CreateEvent);
        q.thread = thread;
        steps.push_back(q);
      }
  Request close = request(0, Op::Close);  // nothing: ERROR_INVALID_HANDLE
  close.handle = 0x7ffc;
  close.thread = 3;
  steps.push_back(close);
  const std::vector<Reply> replies = backend_->performBlock(steps);
  ASSERT_EQ(replies.size(), steps.size());
  std::map<proto::AgentId, std::set<proto::Handle>> made;
  for (std::size_t i = 0; i + 1 < replies.size(); ++i) {
    EXPECT_TRUE(replies[i].ok) << i;
    EXPECT_TRUE(made[steps[i].process].insert(replies[i].handle).second) << i;
    EXPECT_TRUE(observe(steps[i].process, replies[i].handle).valid) << i;
  }
  EXPECT_FALSE(replies.back().ok);
  EXPECT_EQ(replies.back().error, 6u);
  EXPECT_EQ(made[0].size(), 4u);
  EXPECT_EQ(made[1].size(), 4u);
}

// SPEC 23: nothing crosses with bInheritHandles = FALSE.
TEST_F(Smoke, Spec23_NoInheritSpawnCopiesNothing) {
  const proto::Handle ev = createEvent(true);
  ok(spawn(0, 1, false));
  EXPECT_FALSE(observe(1, ev).valid);
  EXPECT_EQ(observe(0, ev).handleCount, 1u);
}

// A reset root holds its start-up std slots again: a value one run set with
// SetStdHandle would otherwise name a handle of the next run (a CREATE_NO_WINDOW
// child under Wine gets a copy of whatever the slot names).
TEST_F(Smoke, ResetRestoresTheRootsStdSlots) {
  Request get = request(0, Op::GetStd);
  get.stdSlot = proto::kStdOutput;
  const proto::Handle atStart = ok(get).handle;
  Request set = request(0, Op::SetStd);
  set.stdSlot = proto::kStdOutput;
  set.handle = createEvent(false);
  ok(set);
  EXPECT_EQ(ok(get).handle, set.handle);
  ASSERT_TRUE(backend_->reset());
  EXPECT_EQ(ok(get).handle, atStart);
}

// The agent's own pipe is never a user handle: whatever value it has, a
// scenario clearing protect on every value and closing it (`set #0x...
// protect=off`, `close #0x...`) cannot cut it.
TEST_F(Smoke, HarnessPipeSurvivesClosingEveryValue) {
  ok(spawn(0, 1, false));
  for (proto::Handle h = 4; h < 0x200; h += 4) {
    Request unprotect = onHandle(1, Op::Set, h);
    unprotect.setMask = proto::kFlagProtect;
    backend_->perform(unprotect);
    backend_->perform(onHandle(1, Op::Close, h));
  }
  ok(request(1, Op::Ping));
  const proto::Handle ev = ok(request(1, Op::CreateEvent)).handle;
  EXPECT_EQ(observe(1, ev).type, "Event");
}

// The values open in P0's table, 0x4..0x1000, in one batched observation.
std::vector<proto::Handle> openValues(Backend& backend, proto::AgentId process) {
  Request q = request(process, Op::Observe);
  for (proto::Handle h = 4; h <= 0x1000; h += 4) q.observe.push_back(h);
  std::vector<proto::Handle> open;
  for (const auto& o : backend.perform(q).observations)
    if (o.valid) open.push_back(o.handle);
  return open;
}

// Nothing but the scenario's own calls changes a process's handle table: a
// first named-object call, mailslot, pipe, spawn, dup or wait opens no
// lasting handle behind the scenario's back (kernelbase caches a handle to
// \BaseNamedObjects on first use; the agent takes it before the scenario).
TEST_F(Smoke, FirstUseOfEachCallOpensNoHiddenHandle) {
  const std::vector<proto::Handle> before = openValues(*backend_, 0);
  std::vector<proto::Handle> mine;
  auto keep = [&](const Reply& r) {
    for (proto::Handle h : {r.handle, r.handle2})
      if (h) mine.push_back(h);
  };
  Request open = request(0, Op::OpenSemaphore);
  open.name = backend_->objectName("missing");
  EXPECT_EQ(backend_->perform(open).error, 2u);
  open.op = Op::OpenEvent;
  backend_->perform(open);
  open.op = Op::OpenMailslot;
  backend_->perform(open);
  Request named = request(0, Op::CreateMutex);
  named.name = backend_->objectName("named");
  keep(ok(named));
  Request slot = request(0, Op::CreateMailslot);
  slot.name = backend_->objectName("slot");
  keep(ok(slot));
  slot.op = Op::OpenMailslot;
  keep(ok(slot));
  keep(ok(request(0, Op::CreatePipe)));
  const Reply child = ok(spawn(0, 1, true));
  keep(child);
  keep(ok(onHandle(0, Op::Dup, child.handle)));
  Request kill = onHandle(0, Op::Terminate, child.handle);
  ok(kill);
  ok(onHandle(0, Op::Wait, child.handle));
  for (proto::Handle h : mine) ok(onHandle(0, Op::Close, h));
  EXPECT_EQ(openValues(*backend_, 0), before);
}

// SPEC 18: DuplicateHandle into another agent's process; the hub supplies
// the target's pid.
TEST_F(Smoke, Spec18_CrossProcessDup) {
  const proto::Handle ev = createEvent(false);
  ok(spawn(0, 1, false));
  Request dup = onHandle(0, Op::Dup, ev);
  dup.target = 1;
  dup.inherit = true;
  const Reply r = ok(dup);
  ASSERT_NE(r.handle, 0u);
  const proto::Observation there = observe(1, r.handle);
  EXPECT_TRUE(there.valid);
  EXPECT_TRUE(there.inherit);
  EXPECT_EQ(there.handleCount, 2u);
  EXPECT_EQ(there.type, "Event");
}

// SPEC 3: same-process dup with DUPLICATE_CLOSE_SOURCE returns the source's
// value; CompareObjectHandles sees one object for a plain dup.
TEST_F(Smoke, Spec3_DupCloseSourceKeepsValue) {
  const proto::Handle ev = createEvent(false);
  Request dup = onHandle(0, Op::Dup, ev);
  const Reply copy = ok(dup);
  Request query = onHandle(0, Op::Query, ev);
  query.compareWith = copy.handle;
  EXPECT_EQ(ok(query).same, 1);
  dup.closeSource = true;
  EXPECT_EQ(ok(dup).handle, ev);
}

// SPEC 5: a second create of the same name opens the same object.
TEST_F(Smoke, Spec5_NamedEventAlreadyExists) {
  const proto::Handle first = createEvent(false, "Spec5");
  Request again = request(0, Op::CreateEvent);
  again.name = backend_->objectName("Spec5");
  const Reply r = ok(again);
  EXPECT_TRUE(r.alreadyExists);
  EXPECT_EQ(r.error, 183u);
  EXPECT_EQ(observe(0, first).handleCount, 2u);
}

// SPEC 10, 11: a child opens the mailslot as a client and writes; the
// server reads the message; then the mailslot is empty.
TEST_F(Smoke, Spec11_MailslotMessageFromChild) {
  Request create = request(0, Op::CreateMailslot);
  create.name = backend_->objectName("demo");
  const proto::Handle ms = ok(create).handle;
  EXPECT_EQ(observe(0, ms).type, "File");
  ok(spawn(0, 1, false));
  Request open = request(1, Op::OpenMailslot);
  open.name = create.name;
  const proto::Handle client = ok(open).handle;
  Request write = request(1, Op::Write);
  write.handle = client;
  write.text = "hello";
  ok(write);
  const Reply got = ok(onHandle(0, Op::Read, ms));
  EXPECT_TRUE(got.hasData);
  EXPECT_EQ(got.data, "hello");
  const Reply empty = backend_->perform(onHandle(0, Op::Read, ms));
  EXPECT_FALSE(empty.ok);
  EXPECT_EQ(empty.error, 121u);  // ERROR_SEM_TIMEOUT: read timeout 0
}

// SPEC 11: the client's share mode reaches CreateFileW (FILE_SHARE_READ is
// the textbook's; a client without it is refused), and the server's
// observation counts the messages waiting (GetMailslotInfo).
TEST_F(Smoke, Spec11_ShareModeAndWaitingMessages) {
  Request create = request(0, Op::CreateMailslot);
  create.name = backend_->objectName("share");
  const proto::Handle ms = ok(create).handle;
  EXPECT_EQ(observe(0, ms).messages, 0);
  Request open = request(0, Op::OpenMailslot);
  open.name = create.name;
  open.share = proto::kShareRead | proto::kShareWrite;
  const proto::Handle client = ok(open).handle;
  EXPECT_EQ(observe(0, client).messages, -1) << "a client handle is no mailslot server";
  Request write = request(0, Op::Write);
  write.handle = client;
  write.text = "one";
  ok(write);
  EXPECT_EQ(observe(0, ms).messages, 1);
  open.share = 0;
  const Reply refused = backend_->perform(open);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.error, 32u);  // ERROR_SHARING_VIOLATION
}

// SPEC 13: a pipe carries bytes; an empty pipe with a live writer would block
// forever, so the agent answers blocks=1 instead of hanging.
TEST_F(Smoke, Spec13_PipeReadAndWouldBlock) {
  const Reply pipe = ok(request(0, Op::CreatePipe));
  Request write = request(0, Op::Write);
  write.handle = pipe.handle2;
  write.text = "bytes";
  ok(write);
  EXPECT_EQ(ok(onHandle(0, Op::Read, pipe.handle)).data, "bytes");
  const Reply blocked = backend_->perform(onHandle(0, Op::Read, pipe.handle));
  EXPECT_TRUE(blocked.blocks);
  EXPECT_FALSE(blocked.ok);
}

// SPEC 26-28: terminate then wait gives the exit code; so does exit.
TEST_F(Smoke, Spec28_TerminateThenWait) {
  const Reply child = ok(spawn(0, 1, false));
  Request kill = onHandle(0, Op::Terminate, child.handle);
  kill.code = 7;
  ok(kill);
  const Reply waited = ok(onHandle(0, Op::Wait, child.handle));
  EXPECT_TRUE(waited.hasExitCode);
  EXPECT_EQ(waited.exitCode, 7u);
  const Reply done = ok(spawn(0, 2, false));
  Request exit = request(2, Op::Exit);
  exit.code = 3;
  ok(exit);
  const Reply exited = ok(onHandle(0, Op::Wait, done.handle));
  EXPECT_EQ(exited.exitCode, 3u);
}

// SPEC 25: with PROC_THREAD_ATTRIBUTE_HANDLE_LIST only the listed
// inheritable handle crosses.
TEST_F(Smoke, Spec25_HandleListLimitsInheritance) {
  const proto::Handle listed = createEvent(true);
  const proto::Handle other = createEvent(true);
  Request q = spawn(0, 1, true);
  q.useHandleList = true;
  q.handleList = {listed};
  ok(q);
  EXPECT_TRUE(observe(1, listed).valid);
  EXPECT_EQ(observe(0, listed).handleCount, 2u);
  EXPECT_EQ(observe(0, other).handleCount, 1u);  // its value in the child may be another handle
}

// SPEC 15: closing a value never opened fails with ERROR_INVALID_HANDLE.
TEST_F(Smoke, Spec15_BadCloseIsInvalidHandle) {
  const Reply r = backend_->perform(onHandle(0, Op::Close, 0x1234));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, 6u);
  const Reply zero = backend_->perform(onHandle(0, Op::Close, 0));
  EXPECT_FALSE(zero.ok);
  EXPECT_EQ(zero.error, 6u);
}

// SPEC 16, 17: protect set by SetHandleInformation stops CloseHandle.
TEST_F(Smoke, Spec16_ProtectedHandleSurvivesClose) {
  const proto::Handle ev = createEvent(false);
  Request set = onHandle(0, Op::Set, ev);
  set.setMask = proto::kFlagProtect;
  set.setFlags = proto::kFlagProtect;
  EXPECT_TRUE(ok(set).observations.at(0).protect);
  const Reply closed = backend_->perform(onHandle(0, Op::Close, ev));
  EXPECT_FALSE(closed.ok);
  EXPECT_EQ(closed.error, 6u);
  EXPECT_TRUE(closed.observations.at(0).valid);
}

// Where Wine 8.0 departs from SPEC, the driver must report exactly what a
// direct Win32 program sees under the same Wine (sut/test/probe/
// WineDivergences.cpp, ctest Wine::Probe::*): these tests pin Wine's behaviour as
// reported through the whole harness, and fail the day Wine (or the
// harness) changes. The SPEC side is checked by the replay scenarios.
using WineDivergence = Smoke;

// SPEC 24: hProcess/hThread inherit flags follow lpProcess/ThreadAttributes.
TEST_F(WineDivergence, Spec24_ProcessAttributesInheritIgnored) {
  Request q = spawn(0, 1, false);
  q.processInherit = true;
  const Reply r = ok(q);
  Request look = request(0, Op::Observe);
  look.observe = {r.handle, r.handle2};
  const Reply seen = ok(look);
  ASSERT_EQ(seen.observations.size(), 2u);
  EXPECT_FALSE(seen.observations[0].inherit);  // SPEC 24: true on Windows
  EXPECT_EQ(seen.observations[0].type, "Process");
  EXPECT_FALSE(seen.observations[1].inherit);
  EXPECT_EQ(seen.observations[1].type, "Thread");
}

// SPEC 25: a non-inheritable handle in PROC_THREAD_ATTRIBUTE_HANDLE_LIST
// must fail CreateProcess with ERROR_INVALID_PARAMETER; Wine creates the child
// and does not give it the handle.
TEST_F(WineDivergence, Spec25_NonInheritableListedHandleAccepted) {
  const proto::Handle plain = createEvent(false);
  Request q = spawn(0, 1, true);
  q.useHandleList = true;
  q.handleList = {plain};
  const Reply r = backend_->perform(q);
  EXPECT_TRUE(r.ok) << "error " << r.error;  // SPEC 25: ok=0, error 87
  EXPECT_EQ(observe(0, plain).handleCount, 1u);
}

// SPEC 10, 22: CreateMailslotW under Wine ignores sa.bInheritHandle: the
// server handle is not inheritable, so no child gets it.
TEST_F(WineDivergence, Spec22_MailslotServerNotInherited) {
  Request create = request(0, Op::CreateMailslot);
  create.name = backend_->objectName("inherited");
  create.inherit = true;
  const Reply ms = ok(create);
  EXPECT_FALSE(ok(onHandle(0, Op::Query, ms.handle)).observations.at(0).inherit);  // SPEC 10: set
  ok(spawn(0, 1, true));
  EXPECT_EQ(observe(0, ms.handle).handleCount, 1u);  // SPEC 22: 2
}

// Backend::objectName: per-run prefix, case kept (SPEC 7).
TEST_F(Smoke, ObjectNamesArePerRun) {
  const std::string a = backend_->objectName("Demo");
  EXPECT_EQ(a.substr(0, 2), "hc");
  EXPECT_EQ(a.substr(a.size() - 5), "_Demo");
  auto second = startWine(agent_);
  EXPECT_NE(second->objectName("Demo"), a);
}

// DUPLICATE_SAME_ATTRIBUTES: NtDuplicateObject gives the copy the source's
// handle attributes (OBJ_INHERIT) instead of the call's bInheritHandle; the
// Wine 8 server takes bInheritHandle and ignores the option.
TEST_F(WineDivergence, Spec18_DupSameAttributesIgnored) {
  const proto::Handle ev = createEvent(true);
  Request dup = onHandle(0, Op::Dup, ev);
  dup.inherit = false;
  dup.sameAttributes = true;
  const proto::Observation copy = observe(0, ok(dup).handle);
  EXPECT_TRUE(copy.valid);
  EXPECT_FALSE(copy.inherit);  // Windows: inherit, as the source
}

// GetMailslotInfo's lpMessageCount counts the waiting messages; the Wine 8
// server only polls its socket and says 1 for any number of them.
TEST_F(WineDivergence, Spec11_MailslotMessageCountAtMostOne) {
  Request create = request(0, Op::CreateMailslot);
  create.name = backend_->objectName("count");
  const proto::Handle ms = ok(create).handle;
  Request open = request(0, Op::OpenMailslot);
  open.name = create.name;
  Request write = request(0, Op::Write);
  write.handle = ok(open).handle;
  write.text = "m";
  ok(write);
  ok(write);
  EXPECT_EQ(observe(0, ms).messages, 1);  // Windows: 2
}

// FILE_FLAG_FIRST_PIPE_INSTANCE on a pipe that exists: Windows refuses the
// instance with ERROR_ACCESS_DENIED (SPEC 41b); Wine 8's kernelbase
// CreateNamedPipeW passes FILE_OPEN_IF whatever the flag and adds it.
TEST_F(WineDivergence, Spec41_FirstPipeInstanceIgnored) {
  Request create = request(0, Op::CreateNamedPipe);
  create.name = backend_->objectName("first");
  create.openMode = model::kPipeAccessDuplex;
  create.maxInstances = 2;
  const proto::Handle server = ok(create).handle;
  create.openMode |= model::kFileFlagFirstPipeInstance;
  EXPECT_TRUE(backend_->perform(create).ok);                       // Windows: ERROR_ACCESS_DENIED
  EXPECT_EQ(ok(onHandle(0, Op::PipeState, server)).instances, 2);  // Windows: 1
}

}  // namespace
}  // namespace hc::sut::test
