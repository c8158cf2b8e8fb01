// SPEC 51-62: std slots and the slots CreateProcess gives a child.
#include <array>

#include "Outcomes.h"

namespace hc::model::test {
namespace {

// A process attached to a console: P0's console is unknown (SPEC 54).
ProcessId consoleChild(System& system) {
  const Outcome spawn = system.spawn(P0, SpawnOptions{.console = kSpawnNoWindow});
  EXPECT_TRUE(succeeded(spawn));
  return spawn.child;
}

TEST(Spec51, SlotStoresAnyValueAndOpensNothing) {
  System system;
  const HandleValue e = system.createEvent(P0, "", false).handle;
  ASSERT_TRUE(succeeded(system.setStdHandle(P0, 1, e)));
  EXPECT_EQ(system.getStdHandle(P0, 1).handle, e);
  EXPECT_EQ(system.handleInfo(P0, e).handleCount, 1u);
  ASSERT_TRUE(succeeded(system.setStdHandle(P0, 1, 0x10000)));
  EXPECT_EQ(system.getStdHandle(P0, 1).handle, 0x10000u);
  EXPECT_TRUE(system.handleInfo(P0, e).valid) << "the old value stays open";
}

TEST(Spec51, P0SlotBeforeSetIsUnsettled) {
  System system;
  EXPECT_TRUE(system.getStdHandle(P0, 0).unsettled);
}

TEST(Spec54, InheritModeFromUnknownConsoleIsUnsettled) {
  System system;
  EXPECT_TRUE(system.spawn(P0, SpawnOptions{.console = kSpawnInheritConsole}).unsettled);
}

TEST(Spec54, NewConsoleWithDetachedRefused) {
  System system;
  const Outcome out = system.spawn(P0, SpawnOptions{.console = kSpawnNewConsole | kSpawnDetached});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, win32::kInvalidParameter);
  System wine(wineProfile());
  EXPECT_TRUE(
      succeeded(wine.spawn(P0, SpawnOptions{.console = kSpawnNewConsole | kSpawnDetached})));
}

TEST(Spec57, DuplicatesKeepFlagsOneEntryPerSlot) {
  System system;
  const ProcessId c1 = consoleChild(system);
  const HandleValue w = system.createPipe(c1, false).handle2;
  system.setHandleInformation(c1, w, kHandleFlagProtect, kHandleFlagProtect);
  system.setStdHandle(c1, 1, w);
  system.setStdHandle(c1, 2, w);
  system.setStdHandle(c1, 0, 0);
  const Outcome spawn = system.spawn(c1, SpawnOptions{.console = kSpawnInheritConsole});
  ASSERT_TRUE(succeeded(spawn));
  const HandleValue out = system.process(spawn.child).std[1].value;
  const HandleValue err = system.process(spawn.child).std[2].value;
  EXPECT_NE(out, err);
  const HandleInfo info = system.handleInfo(spawn.child, out);
  EXPECT_TRUE(info.valid);
  EXPECT_FALSE(info.inherit);
  EXPECT_TRUE(info.protect);
  EXPECT_EQ(info.handleCount, 3u);
  EXPECT_EQ(system.process(spawn.child).std[0].value, 0u);
}

TEST(Spec55, UseStdHandlesWithoutInheritGivesNull) {
  System system;
  const ProcessId c1 = consoleChild(system);
  const HandleValue w = system.createPipe(c1, true).handle2;
  const Outcome spawn =
      system.spawn(c1, SpawnOptions{.stdHandles = std::array<HandleValue, kStdSlots>{0, w, w},
                                    .console = kSpawnInheritConsole});
  ASSERT_TRUE(succeeded(spawn));
  EXPECT_EQ(system.process(spawn.child).std[1].value, 0u);
  EXPECT_EQ(system.handleInfo(c1, w).handleCount, 1u);
  // Windows 7: the field verbatim.
  System win7(windows7Profile());
  const ProcessId d1 = consoleChild(win7);
  const HandleValue w7 = win7.createPipe(d1, true).handle2;
  const Outcome spawn7 =
      win7.spawn(d1, SpawnOptions{.stdHandles = std::array<HandleValue, kStdSlots>{0, w7, w7},
                                  .console = kSpawnInheritConsole});
  ASSERT_TRUE(succeeded(spawn7));
  EXPECT_EQ(win7.process(spawn7.child).std[1].value, w7);
}

TEST(Spec61, NewConsoleGivesFreshInheritableHandles) {
  System system;
  const ProcessId c1 = consoleChild(system);
  const Process& child = system.process(c1);
  const HandleInfo out = system.handleInfo(c1, child.std[1].value);
  EXPECT_TRUE(out.valid);
  EXPECT_TRUE(out.inherit);
  EXPECT_TRUE(system.sameObject(c1, child.std[1].value, child.std[2].value));
  EXPECT_NE(child.std[1].value, child.std[2].value);
  System win7(windows7Profile());
  const ProcessId d1 = consoleChild(win7);
  EXPECT_EQ(win7.process(d1).std[1].value, 7u) << "SPEC 66: 0x3, 0x7, 0xb";
}

// SPEC 59: a GUI child sharing nothing gets NULL where a console child gets
// a duplicate, and no console; with bInheritHandles the value verbatim.
TEST(Spec59, GuiChildGetsNullWhereConsoleChildGetsDuplicate) {
  for (const Profile& profile : {windowsProfile(), windows7Profile()}) {
    System system(profile);
    const ProcessId c1 = consoleChild(system);
    const HandleValue w = system.createPipe(c1, true).handle2;
    system.setStdHandle(c1, 1, w);
    const Outcome spawn =
        system.spawn(c1, SpawnOptions{.console = kSpawnInheritConsole | kSpawnGui});
    ASSERT_TRUE(succeeded(spawn)) << profile.name;
    EXPECT_EQ(spawn.rule, RuleId::GuiChildStdSlots) << profile.name;
    EXPECT_EQ(system.process(spawn.child).std[1].value, 0u) << profile.name;
    EXPECT_EQ(system.process(spawn.child).console, ConsoleState::None) << profile.name;
    EXPECT_TRUE(system.process(spawn.child).gui) << profile.name;
    EXPECT_EQ(system.handleInfo(c1, w).handleCount, 1u) << profile.name;
    const Outcome inherit = system.spawn(
        c1, SpawnOptions{.inheritHandles = true, .console = kSpawnInheritConsole | kSpawnGui});
    ASSERT_TRUE(succeeded(inherit)) << profile.name;
    EXPECT_EQ(system.process(inherit.child).std[1].value, w) << profile.name;
    EXPECT_EQ(system.handleInfo(c1, w).handleCount, 2u) << profile.name;
  }
}

TEST(Spec59, GuiChildDoesNotDependOnTheParentsConsole) {
  System system;
  // P0's console and slots are the harness's: a GUI child gets NULL anyway.
  const Outcome spawn = system.spawn(P0, SpawnOptions{.console = kSpawnInheritConsole | kSpawnGui});
  ASSERT_TRUE(succeeded(spawn));
  EXPECT_EQ(system.process(spawn.child).std[0].value, 0u);
  // Its own console children would get a new console: not predicted.
  EXPECT_TRUE(system.spawn(spawn.child, SpawnOptions{.console = kSpawnInheritConsole}).unsettled);
  // Whether CREATE_NEW_CONSOLE gives a GUI child a console is not settled.
  EXPECT_TRUE(system.spawn(P0, SpawnOptions{.console = kSpawnNewConsole | kSpawnGui}).unsettled);
  EXPECT_TRUE(system.spawn(P0, SpawnOptions{.console = kSpawnNoWindow | kSpawnGui}).unsettled);
}

TEST(Spec59, WineDuplicatesForAGuiChild) {
  System wine(wineProfile());
  const ProcessId c1 = consoleChild(wine);
  const HandleValue w = wine.createPipe(c1, true).handle2;
  wine.setStdHandle(c1, 1, w);
  const Outcome spawn = wine.spawn(c1, SpawnOptions{.console = kSpawnInheritConsole | kSpawnGui});
  ASSERT_TRUE(succeeded(spawn));
  const HandleValue out = wine.process(spawn.child).std[1].value;
  EXPECT_TRUE(wine.handleInfo(spawn.child, out).valid);
  EXPECT_EQ(wine.handleInfo(c1, w).handleCount, 2u) << "the slot is a copy of W";
  EXPECT_EQ(wine.process(spawn.child).console, ConsoleState::Attached);
  System fixed(wineProfile().without(QuirkId::GuiChildStdDuplicated));
  const ProcessId d1 = consoleChild(fixed);
  const HandleValue w2 = fixed.createPipe(d1, true).handle2;
  fixed.setStdHandle(d1, 1, w2);
  const Outcome spawn2 = fixed.spawn(d1, SpawnOptions{.console = kSpawnInheritConsole | kSpawnGui});
  ASSERT_TRUE(succeeded(spawn2));
  EXPECT_EQ(fixed.process(spawn2.child).std[1].value, 0u);
}

// SPEC 25, 58, 61: a CREATE_NO_WINDOW child given a handle list inherits
// the listed handle only and gets fresh console handles in its slots. Quirk
// handle-list-std-not-duplicated: Wine also inherits every inheritable std
// handle at its value, all of them before the child's console handles take
// the free values (here the ones just above R's), and its console host
// inherits them again.
TEST(Spec61, NoWindowChildWithAListInheritsEveryStdSlotUnderWine) {
  for (const Profile& profile : {windowsProfile(), wineProfile()}) {
    const bool wine = profile.has(QuirkId::HandleListStdNotDuplicated);
    System system(profile);
    // The harness's child has no console: its entries take the lowest values.
    const ProcessId c1 = system.spawn(P0, SpawnOptions{}).child;
    const Outcome pipe = system.createPipe(c1, true);
    const HandleValue f = system.createEvent(c1, "", true).handle;
    system.setStdHandle(c1, 0, pipe.handle);
    system.setStdHandle(c1, 1, pipe.handle2);
    const Outcome spawn = system.spawn(c1, SpawnOptions{.inheritHandles = true,
                                                        .handleList = std::vector<HandleValue>{f},
                                                        .console = kSpawnNoWindow});
    ASSERT_TRUE(succeeded(spawn)) << profile.name;
    for (const HandleValue end : {pipe.handle, pipe.handle2}) {
      const ObjectId object = system.handleInfo(c1, end).object;
      EXPECT_EQ(system.handleInfo(c1, end).handleCount, wine ? 3u : 1u) << profile.name;
      const HandleInfo there = system.handleInfo(spawn.child, end);
      EXPECT_EQ(there.valid && there.object == object, wine) << profile.name;
    }
    for (std::uint32_t i = 0; i < 2; ++i) {
      const HandleInfo slot =
          system.handleInfo(spawn.child, system.process(spawn.child).std[i].value);
      EXPECT_TRUE(slot.valid) << profile.name;
      EXPECT_EQ(slot.kind, ObjectKind::Console) << profile.name;
    }
  }
}

}  // namespace
}  // namespace hc::model::test
