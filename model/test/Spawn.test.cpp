// SPEC 22-25: CreateProcess and handle inheritance.
#include <vector>

#include "Outcomes.h"

namespace hc::model::test {
namespace {

SpawnOptions inheriting() {
  return SpawnOptions{.inheritHandles = true};
}

SpawnOptions onlyList(std::vector<HandleValue> list) {
  return SpawnOptions{.inheritHandles = true, .handleList = std::move(list)};
}

TEST(Spec22, InheritedHandleKeepsValue) {
  System system;
  system.createEvent(P0, "", false);
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const Outcome spawn = system.spawn(P0, inheriting());
  ASSERT_TRUE(succeeded(spawn)) << "CreateProcess(bInheritHandles=TRUE)";
  const HandleInfo child = system.handleInfo(spawn.child, h);
  ASSERT_TRUE(child.valid) << "the inherited handle is valid at the parent's value";
  EXPECT_EQ(child.object, system.handleInfo(P0, h).object);
  EXPECT_EQ(system.process(spawn.child).table.lookup(h)->access,
            system.process(P0).table.lookup(h)->access)
      << "same access";
}

TEST(Spec22, EachCopyAddsToHandleCount) {
  System system;
  const HandleValue h = system.createMutex(P0, "", true).handle;
  system.spawn(P0, inheriting());
  system.spawn(P0, inheriting());
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 3u) << "CreateProcess: HandleCount + 1 per child";
}

TEST(Spec22, TheCopyKeepsInheritSoGrandchildrenInheritToo) {
  System system;
  const HandleValue h = system.createSemaphore(P0, "", true).handle;
  const ProcessId child = system.spawn(P0, inheriting()).child;
  EXPECT_TRUE(system.handleInfo(child, h).inherit) << "the child's copy keeps inherit";
  EXPECT_FALSE(system.handleInfo(child, h).protect);
  const ProcessId grandchild = system.spawn(child, inheriting()).child;
  EXPECT_TRUE(system.handleInfo(grandchild, h).valid) << "a grandchild inherits it again";
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 3u);
}

TEST(Spec22, TheCopyKeepsProtect) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const Outcome spawn = system.spawn(P0, inheriting());
  EXPECT_EQ(spawn.rule, RuleId::InheritCopiesEntry);
  const HandleInfo copy = system.handleInfo(spawn.child, h);
  EXPECT_TRUE(copy.inherit && copy.protect) << "the whole entry is copied: inherit and protect";
  EXPECT_TRUE(failedWith(system.closeHandle(spawn.child, h), win32::kInvalidHandle))
      << "the child cannot close an inherited protected handle";
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 2u);
}

TEST(Spec23, HandlesWithoutInheritAreNotCopied) {
  System system;
  const HandleValue no = system.createEvent(P0, "", false).handle;
  const HandleValue yes = system.createEvent(P0, "", true).handle;
  const ProcessId child = system.spawn(P0, inheriting()).child;
  EXPECT_FALSE(system.handleInfo(child, no).valid) << "a non-inheritable handle is never copied";
  EXPECT_TRUE(system.handleInfo(child, yes).valid);
  EXPECT_EQ(system.process(child).table.size(), 1u);
}

TEST(Spec23, InheritHandlesFalseCopiesNothing) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const ProcessId child = system.spawn(P0, SpawnOptions{}).child;
  EXPECT_FALSE(system.handleInfo(child, h).valid) << "CreateProcess(bInheritHandles=FALSE)";
  EXPECT_EQ(system.process(child).table.size(), 0u);
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 1u);
}

TEST(Spec24, ProcessAndThreadHandlesAreNewInTheParent) {
  System system;
  const Outcome spawn = system.spawn(P0, SpawnOptions{});
  ASSERT_TRUE(succeeded(spawn)) << "CreateProcess";
  const HandleInfo process = system.handleInfo(P0, spawn.handle);
  const HandleInfo thread = system.handleInfo(P0, spawn.handle2);
  EXPECT_EQ(process.object, system.process(spawn.child).object);
  EXPECT_EQ(thread.object, system.process(spawn.child).thread);
  EXPECT_EQ(typeName(process.kind), "Process");
  EXPECT_EQ(typeName(thread.kind), "Thread");
  EXPECT_FALSE(process.inherit);
  EXPECT_FALSE(thread.inherit);
  EXPECT_EQ(system.process(spawn.child).parent, P0);
  EXPECT_TRUE(system.process(spawn.child).running);
}

TEST(Spec24, InheritFlagsComeFromTheAttributes) {
  System system;
  const Outcome spawn =
      system.spawn(P0, SpawnOptions{.processInherit = true, .threadInherit = false});
  EXPECT_TRUE(system.handleInfo(P0, spawn.handle).inherit) << "lpProcessAttributes->bInheritHandle";
  EXPECT_FALSE(system.handleInfo(P0, spawn.handle2).inherit) << "lpThreadAttributes";
}

TEST(Spec24, TheChildDoesNotInheritItsOwnHandles) {
  System system;
  const Outcome spawn = system.spawn(
      P0, SpawnOptions{.inheritHandles = true, .processInherit = true, .threadInherit = true});
  EXPECT_EQ(system.process(spawn.child).table.size(), 0u)
      << "hProcess/hThread are made after the inherited copies";
  const ProcessId second = system.spawn(P0, inheriting()).child;
  EXPECT_TRUE(system.handleInfo(second, spawn.handle).valid) << "a later child inherits them";
}

TEST(Spec25, HandleListLimitsInheritance) {
  System system;
  const HandleValue a = system.createEvent(P0, "", true).handle;
  const HandleValue b = system.createEvent(P0, "", true).handle;
  const Outcome spawn = system.spawn(P0, onlyList({b}));
  ASSERT_TRUE(succeeded(spawn)) << "CreateProcess(PROC_THREAD_ATTRIBUTE_HANDLE_LIST)";
  EXPECT_FALSE(system.handleInfo(spawn.child, a).valid) << "an unlisted inheritable handle";
  EXPECT_TRUE(system.handleInfo(spawn.child, b).valid) << "the listed handle, at its value";
  EXPECT_EQ(spawn.rule, RuleId::HandleListInheritsListedOnly);
}

TEST(Spec78, TheSizingCallReportsTwentyFourBytesPerAttribute) {
  System system;
  const HandleValue a = system.createEvent(P0, "", true).handle;
  EXPECT_FALSE(system.spawn(P0, inheriting()).attributeListSize) << "no attribute list";
  EXPECT_EQ(system.spawn(P0, onlyList({a})).attributeListSize, 48u) << "one attribute";
  const HandleValue hp = system.spawn(P0, SpawnOptions{}).handle;
  SpawnOptions both = onlyList({a});
  both.parentProcess = hp;
  EXPECT_EQ(system.spawn(P0, both).attributeListSize, 72u) << "the list and a parent";
  both.unknownAttribute = true;
  const Outcome refused = system.spawn(P0, both);
  EXPECT_TRUE(failedWith(refused, win32::kNotSupported));
  EXPECT_EQ(refused.attributeListSize, 96u) << "sized before UpdateProcThreadAttribute refuses";
  SpawnOptions pseudo = onlyList({kCurrentProcess});
  const Outcome invalid = system.spawn(P0, pseudo);
  EXPECT_TRUE(failedWith(invalid, win32::kInvalidParameter));
  EXPECT_EQ(invalid.attributeListSize, 48u) << "sized before CreateProcess refuses";
}

TEST(Spec25, ANonInheritableListedHandleFailsWithInvalidParameter) {
  System system;
  const HandleValue yes = system.createEvent(P0, "", true).handle;
  const HandleValue no = system.createEvent(P0, "", false).handle;
  const System before = system;
  EXPECT_TRUE(failedWith(system.spawn(P0, onlyList({yes, no})), win32::kInvalidParameter))
      << "CreateProcess(handle list with a non-inheritable handle)";
  EXPECT_EQ(system, before) << "no process is created, no handle added";
}

TEST(Spec25, APseudoHandleInTheListFailsWithInvalidParameter) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const System before = system;
  for (const HandleValue pseudo : {kCurrentProcess, kCurrentThread}) {
    const Outcome spawn = system.spawn(P0, onlyList({h, pseudo}));
    EXPECT_TRUE(failedWith(spawn, win32::kInvalidParameter)) << "handle list with a pseudo handle";
    EXPECT_EQ(spawn.rule, RuleId::CreateProcessValidatesHandleList);
  }
  EXPECT_EQ(system, before) << "no process is created";
}

TEST(Spec25, AListWithoutInheritHandlesFailsWithInvalidParameter) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const System before = system;
  EXPECT_TRUE(failedWith(
      system.spawn(P0, SpawnOptions{.inheritHandles = false, .handleList = std::vector{h}}),
      win32::kInvalidParameter))
      << "CreateProcess(bInheritHandles=FALSE, handle list)";
  EXPECT_TRUE(failedWith(system.spawn(P0, SpawnOptions{.inheritHandles = false,
                                                       .handleList = std::vector<HandleValue>{0}}),
                         win32::kInvalidParameter))
      << "a NULL entry does not make bInheritHandles=FALSE acceptable";
  EXPECT_EQ(system, before);
}

TEST(Spec25, ANullEntryAnywhereInheritsNothing) {
  for (const auto& list : {std::vector<HandleValue>{0}, std::vector<HandleValue>{0, 4},
                           std::vector<HandleValue>{4, 0}}) {
    System system;
    const HandleValue h = system.createEvent(P0, "", true).handle;
    ASSERT_EQ(h, 4u);
    const Outcome spawn = system.spawn(P0, onlyList(list));
    ASSERT_TRUE(succeeded(spawn)) << "CreateProcess(handle list with NULL)";
    EXPECT_EQ(system.process(spawn.child).table.size(), 0u) << "nothing is inherited";
    EXPECT_EQ(system.handleInfo(P0, h).handleCount, 1u);
  }
}

TEST(Spec25, AListedValueNotOpenIsUnsettled) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  system.closeHandle(P0, h);
  const System before = system;
  const Outcome spawn = system.spawn(P0, onlyList({h}));
  EXPECT_TRUE(spawn.unsettled) << "SPEC 80 does not say what a closed listed value does";
  EXPECT_FALSE(spawn.ok);
  EXPECT_EQ(spawn.rule, RuleId::CreateProcessValidatesHandleList);
  EXPECT_EQ(system, before) << "an unsettled call changes nothing in the model";
}

TEST(Spec80, AHandleListedTwiceIsUnsettled) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const System before = system;
  for (const auto& list : {std::vector<HandleValue>{h, h}, std::vector<HandleValue>{h, h | 1}}) {
    const Outcome spawn = system.spawn(P0, onlyList(list));
    EXPECT_TRUE(spawn.unsettled) << "SPEC 80 leaves a duplicate entry open";
    EXPECT_EQ(spawn.rule, RuleId::CreateProcessValidatesHandleList);
  }
  EXPECT_TRUE(succeeded(system.spawn(P0, onlyList({0, 0})))) << "two NULLs: inherit nothing";
  EXPECT_TRUE(failedWith(system.spawn(P0, onlyList({kCurrentProcess, kCurrentThread})),
                         win32::kInvalidParameter))
      << "two different pseudo handles are no duplicate";
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, before.handleInfo(P0, h).handleCount);
}

TEST(Spec25, AnEmptyListIsRefusedWithBadLength) {
  System system;
  system.createEvent(P0, "", true);
  const System before = system;
  EXPECT_TRUE(failedWith(system.spawn(P0, onlyList({})), win32::kBadLength))
      << "UpdateProcThreadAttribute(empty handle list)";
  EXPECT_EQ(system, before);
}

TEST(Spec25, WineQuirksAcceptWhatWindowsRefuses) {
  System system(wineProfile());
  const HandleValue yes = system.createEvent(P0, "", true).handle;
  const HandleValue no = system.createEvent(P0, "", false).handle;
  const Outcome listed = system.spawn(P0, onlyList({yes, no, kCurrentProcess, 0}));
  ASSERT_TRUE(succeeded(listed)) << "handle-list-never-rejected, handle-list-null-inherits";
  EXPECT_TRUE(system.handleInfo(listed.child, yes).valid) << "Wine skips the NULL entry";
  EXPECT_FALSE(system.handleInfo(listed.child, no).valid);
  const Outcome unlisted =
      system.spawn(P0, SpawnOptions{.inheritHandles = false, .handleList = std::vector{yes}});
  ASSERT_TRUE(succeeded(unlisted)) << "handle-list-without-inherit-accepted";
  EXPECT_EQ(system.process(unlisted.child).table.size(), 0u);
}

}  // namespace
}  // namespace hc::model::test
