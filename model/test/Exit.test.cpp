// SPEC 26-29: process exit, process objects, waits, TerminateProcess.
#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec26, ExitClosesEveryHandleProtectedOnesToo) {
  System system;
  const ProcessId child = system.spawn(P0, SpawnOptions{}).child;
  const HandleValue h = system.createEvent(child, "e", false).handle;
  system.setHandleInformation(child, h, 2, 2);
  const HandleValue mine = system.openEvent(P0, "e", false).handle;
  ASSERT_TRUE(succeeded(system.exitProcess(child, 0))) << "ExitProcess";
  EXPECT_EQ(system.process(child).table.size(), 0u) << "ExitProcess closes every handle";
  EXPECT_EQ(system.handleInfo(P0, mine).handleCount, 1u);
}

TEST(Spec26, ObjectsOnlyTheExitingProcessHeldAreDestroyed) {
  System system;
  const ProcessId child = system.spawn(P0, SpawnOptions{}).child;
  system.createMutex(child, "only", false);
  system.createMailslot(child, "slot", false);
  system.exitProcess(child, 0);
  EXPECT_TRUE(failedWith(system.openMutex(P0, "only", false), win32::kFileNotFound))
      << "OpenMutex after its only holder exited";
  EXPECT_TRUE(failedWith(system.openMailslot(P0, "slot", false), win32::kFileNotFound))
      << "CreateFile(mailslot) after its server's process exited";
}

TEST(Spec27, TheProcessObjectOutlivesTheProcess) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  system.exitProcess(spawn.child, 42);
  EXPECT_FALSE(system.process(spawn.child).running);
  EXPECT_TRUE(system.handleInfo(P0, spawn.handle).valid) << "hProcess stays valid after exit";
  const Outcome wait = system.waitForSingleObject(P0, spawn.handle);
  ASSERT_TRUE(succeeded(wait)) << "WaitForSingleObject(exited process)";
  EXPECT_EQ(wait.exitCode, 42u) << "GetExitCodeProcess";
  EXPECT_EQ(system.waitForSingleObject(P0, spawn.handle2).exitCode, 42u) << "the main thread";
}

TEST(Spec27, WaitingOnARunningProcessBlocks) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  EXPECT_TRUE(blocks(system.waitForSingleObject(P0, spawn.handle)))
      << "WaitForSingleObject(running process)";
  EXPECT_TRUE(blocks(system.waitForSingleObject(P0, spawn.handle2)));
  EXPECT_TRUE(blocks(system.waitForSingleObject(P0, kCurrentProcess)))
      << "WaitForSingleObject(GetCurrentProcess())";
}

TEST(Spec27, EventsAndSemaphoresAreNeverSignalled) {
  System system;
  EXPECT_TRUE(blocks(system.waitForSingleObject(P0, system.createEvent(P0, "", false).handle)))
      << "WaitForSingleObject(event created non-signalled)";
  EXPECT_TRUE(blocks(system.waitForSingleObject(P0, system.createSemaphore(P0, "", false).handle)))
      << "WaitForSingleObject(semaphore with count 0)";
}

TEST(Spec27, AMutexIsAcquiredByItsFirstWaiterOnly) {
  System system;
  const HandleValue m = system.createMutex(P0, "m", false).handle;
  const ProcessId child = system.spawn(P0, SpawnOptions{}).child;
  const HandleValue theirs = system.openMutex(child, "m", false).handle;
  EXPECT_TRUE(succeeded(system.waitForSingleObject(P0, m))) << "WaitForSingleObject(unowned mutex)";
  EXPECT_TRUE(succeeded(system.waitForSingleObject(P0, m))) << "the owner waits again (recursive)";
  EXPECT_TRUE(blocks(system.waitForSingleObject(child, theirs))) << "owned by another process";
}

TEST(Spec27, AnAbandonedMutexIsAcquired) {
  System system;
  const HandleValue m = system.createMutex(P0, "m", false).handle;
  const ProcessId child = system.spawn(P0, SpawnOptions{}).child;
  const HandleValue theirs = system.openMutex(child, "m", false).handle;
  system.waitForSingleObject(child, theirs);
  system.exitProcess(child, 0);
  EXPECT_TRUE(succeeded(system.waitForSingleObject(P0, m)))
      << "WaitForSingleObject(mutex whose owner exited): WAIT_ABANDONED";
}

TEST(Spec27, WaitingOnAnInvalidOrUnwaitableHandleFails) {
  System system;
  EXPECT_TRUE(failedWith(system.waitForSingleObject(P0, 0x40), win32::kInvalidHandle))
      << "WaitForSingleObject(never opened)";
  EXPECT_TRUE(
      failedWith(system.waitForSingleObject(P0, system.createFileMapping(P0, "", false).handle),
                 win32::kInvalidHandle))
      << "WaitForSingleObject(section)";
}

TEST(Spec28, TerminateTakesEffectBeforeTheNextStep) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  const HandleValue h = system.createEvent(spawn.child, "", false).handle;
  ASSERT_TRUE(succeeded(system.terminateProcess(P0, spawn.handle, 7))) << "TerminateProcess";
  EXPECT_FALSE(system.process(spawn.child).running);
  EXPECT_FALSE(system.handleInfo(spawn.child, h).valid);
  EXPECT_EQ(system.waitForSingleObject(P0, spawn.handle).exitCode, 7u);
}

TEST(Spec28, TerminatingAProcessSeenExitedFailsWithAccessDenied) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  system.exitProcess(spawn.child, 1);
  ASSERT_EQ(system.waitForSingleObject(P0, spawn.handle).exitCode, 1u);
  const Outcome again = system.terminateProcess(P0, spawn.handle, 9);
  EXPECT_TRUE(failedWith(again, win32::kAccessDenied)) << "TerminateProcess(exited, waited)";
  EXPECT_EQ(again.rule, RuleId::TerminateIsAsynchronous);
  EXPECT_EQ(system.process(spawn.child).exitCode, 1u) << "the first exit code stays";
}

TEST(Spec28, ASecondTerminateBeforeAnyWaitIsUnsettled) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  ASSERT_TRUE(succeeded(system.terminateProcess(P0, spawn.handle, 1)));
  const System before = system;
  const Outcome again = system.terminateProcess(P0, spawn.handle, 2);
  EXPECT_TRUE(again.unsettled) << "the process may still be torn down: not contractual";
  EXPECT_EQ(again.rule, RuleId::TerminateIsAsynchronous);
  EXPECT_EQ(system, before);
}

TEST(Spec28, WaitingOnTheThreadAlsoObservesTheExit) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  system.exitProcess(spawn.child, 3);
  ASSERT_TRUE(succeeded(system.waitForSingleObject(P0, spawn.handle2)));
  EXPECT_TRUE(failedWith(system.terminateProcess(P0, spawn.handle, 9), win32::kAccessDenied));
}

TEST(Spec28, WineTerminatesAnExitedProcessWithTrue) {
  System system(wineProfile());
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  system.terminateProcess(P0, spawn.handle, 1);
  system.waitForSingleObject(P0, spawn.handle);
  EXPECT_TRUE(succeeded(system.terminateProcess(P0, spawn.handle, 2)))
      << "terminate-exited-process-succeeds";
  EXPECT_EQ(system.process(spawn.child).exitCode, 1u);
}

TEST(Spec28, TerminateNeedsAProcessHandle) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  EXPECT_TRUE(failedWith(system.terminateProcess(P0, spawn.handle2, 1), win32::kInvalidHandle))
      << "TerminateProcess(thread handle)";
  EXPECT_TRUE(failedWith(system.terminateProcess(P0, 0x400, 1), win32::kInvalidHandle))
      << "TerminateProcess(never opened)";
  EXPECT_TRUE(system.process(spawn.child).running);
}

TEST(Spec29, ProcessHandleCountCountsTheHandlesTheModelKnows) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  system.duplicateHandle(P0, spawn.handle, P0, false, false);
  EXPECT_EQ(system.handleInfo(P0, spawn.handle).handleCount, 2u)
      << "the model's count is the lower bound the real HandleCount must reach";
  EXPECT_EQ(system.object(system.process(P0).object).handleCount, 0u)
      << "nobody holds a handle to P0";
}

TEST(Spec29, AProcessObjectDiesWithItsLastHandleAfterExit) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  const ObjectId process = system.process(spawn.child).object;
  system.closeHandle(P0, spawn.handle);
  EXPECT_FALSE(system.object(process).destroyed) << "a running process keeps its object alive";
  system.exitProcess(spawn.child, 0);
  EXPECT_TRUE(system.object(process).destroyed) << "no handle, not running: usage count 0";
  EXPECT_FALSE(system.object(system.process(spawn.child).thread).destroyed) << "hThread is open";
}

}  // namespace
}  // namespace hc::model::test
