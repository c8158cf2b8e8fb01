// SPEC 79, 82-85: PROC_THREAD_ATTRIBUTE_PARENT_PROCESS, the designated parent.
#include <vector>

#include "Outcomes.h"
#include "handlecheck/model/Access.h"

namespace hc::model::test {
namespace {

// P0 spawns C1 (nothing inherited): returns C1 and P0's handle to it.
struct Helper {
  ProcessId child = kNoProcess;
  HandleValue process = 0;
};
Helper spawnHelper(System& system) {
  const Outcome out = system.spawn(P0, SpawnOptions{});
  return Helper{out.child, out.handle};
}

SpawnOptions from(HandleValue parent, bool inherit = true) {
  return SpawnOptions{.inheritHandles = inherit, .parentProcess = parent};
}

TEST(Spec82, TheChildInheritsTheDesignatedParentsTable) {
  System system;
  const HandleValue mine = system.createEvent(P0, "", true).handle;
  const Helper helper = spawnHelper(system);
  const HandleValue theirs = system.createEvent(helper.child, "", true).handle;
  const Outcome spawn = system.spawn(P0, from(helper.process));
  ASSERT_TRUE(succeeded(spawn)) << "CreateProcess with a designated parent";
  EXPECT_EQ(spawn.rule, RuleId::DesignatedParentTableInherited);
  EXPECT_TRUE(system.handleInfo(spawn.child, theirs).valid) << "the designated parent's handle";
  EXPECT_EQ(system.handleInfo(helper.child, theirs).handleCount, 2u);
  EXPECT_EQ(system.handleInfo(P0, mine).handleCount, 1u) << "the caller's handle is not copied";
  EXPECT_EQ(system.process(spawn.child).parent, helper.child) << "the child's parent in the tree";
}

TEST(Spec82, WithoutBInheritHandlesNothingIsCopied) {
  System system;
  const Helper helper = spawnHelper(system);
  const HandleValue theirs = system.createEvent(helper.child, "", true).handle;
  const Outcome spawn = system.spawn(P0, from(helper.process, false));
  ASSERT_TRUE(succeeded(spawn));
  EXPECT_FALSE(system.handleInfo(spawn.child, theirs).valid);
  EXPECT_EQ(system.process(spawn.child).table.size(), 0u);
}

TEST(Spec83, ProcessInformationHandlesGoToTheCaller) {
  System system;
  const Helper helper = spawnHelper(system);
  const std::size_t theirsBefore = system.process(helper.child).table.size();
  const Outcome spawn = system.spawn(P0, from(helper.process));
  ASSERT_TRUE(succeeded(spawn));
  EXPECT_EQ(system.handleInfo(P0, spawn.handle).kind, ObjectKind::Process);
  EXPECT_EQ(system.handleInfo(P0, spawn.handle2).kind, ObjectKind::Thread);
  EXPECT_EQ(system.process(helper.child).table.size(), theirsBefore)
      << "the designated parent's table gains nothing";
}

TEST(Spec84, TheParentHandleNeedsProcessCreateProcess) {
  System system;
  const Helper helper = spawnHelper(system);
  const HandleValue sync = system
                               .duplicateHandle(P0, helper.process, P0, false, false, false,
                                                access::kSynchronize | access::kProcessQueryLimited)
                               .handle;
  const HandleValue create = system
                                 .duplicateHandle(P0, helper.process, P0, false, false, false,
                                                  access::kProcessCreateProcess)
                                 .handle;
  const std::size_t processes = system.processes().size();
  EXPECT_TRUE(failedWith(system.spawn(P0, from(sync)), win32::kAccessDenied));
  EXPECT_EQ(system.processes().size(), processes) << "no process is made";
  EXPECT_TRUE(succeeded(system.spawn(P0, from(create)))) << "PROCESS_CREATE_PROCESS alone";
}

TEST(Spec84, NullInvalidAndNonProcessParentsAreInvalidHandles) {
  System system;
  const HandleValue event = system.createEvent(P0, "", true).handle;
  for (const HandleValue parent : {HandleValue{0}, HandleValue{0xdeadbeef}, event, kCurrentThread})
    EXPECT_TRUE(failedWith(system.spawn(P0, from(parent)), win32::kInvalidHandle))
        << "parent " << parent;
  EXPECT_EQ(system.handleInfo(P0, event).handleCount, 1u) << "nothing inherited";
}

TEST(Spec84, CurrentProcessAndAnExitedParentAreUnsettled) {
  System system;
  const Helper helper = spawnHelper(system);
  EXPECT_TRUE(system.spawn(P0, from(kCurrentProcess)).unsettled) << "GetCurrentProcess()";
  system.exitProcess(helper.child, 0);
  const System before = system;
  EXPECT_TRUE(system.spawn(P0, from(helper.process)).unsettled) << "with bInheritHandles";
  EXPECT_TRUE(system.spawn(P0, from(helper.process, false)).unsettled) << "without";
  EXPECT_EQ(system, before) << "an unsettled call changes nothing";
}

TEST(Spec85, TheListNamesTheDesignatedParentsHandles) {
  System system;
  const Helper helper = spawnHelper(system);
  const HandleValue listed = system.createEvent(helper.child, "", true).handle;
  const HandleValue other = system.createEvent(helper.child, "", true).handle;
  SpawnOptions options = from(helper.process);
  options.handleList = std::vector<HandleValue>{listed};
  const Outcome spawn = system.spawn(P0, options);
  ASSERT_TRUE(succeeded(spawn));
  EXPECT_TRUE(system.handleInfo(spawn.child, listed).valid);
  EXPECT_FALSE(system.handleInfo(spawn.child, other).valid) << "not listed";
}

TEST(Spec85, AListedValueThatIsNoInheritableHandleThereIsUnsettled) {
  System system;
  const Helper helper = spawnHelper(system);
  const HandleValue callerOnly = system.createEvent(P0, "", true).handle;
  const HandleValue notInheritable = system.createEvent(helper.child, "", false).handle;
  for (const HandleValue listed : {callerOnly, notInheritable}) {
    SpawnOptions options = from(helper.process);
    options.handleList = std::vector<HandleValue>{listed};
    EXPECT_TRUE(system.spawn(P0, options).unsettled) << "listed " << listed;
  }
}

TEST(Spec79, AnEmptyListIsRefusedBeforeTheParentIsLookedAt) {
  System system;
  SpawnOptions options = from(0);
  options.handleList = std::vector<HandleValue>{};
  const Outcome out = system.spawn(P0, options);
  EXPECT_TRUE(failedWith(out, win32::kBadLength));
  EXPECT_EQ(out.rule, RuleId::UpdateProcThreadAttributeChecks);
}

}  // namespace
}  // namespace hc::model::test
