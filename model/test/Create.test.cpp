// SPEC 4-9: creating and opening named objects.
#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec4, CreateGivesNewObjectWithHandleCountOne) {
  System system;
  const Outcome out = system.createEvent(P0, "e", false);
  ASSERT_TRUE(succeeded(out)) << "CreateEvent(name=e)";
  const HandleInfo info = system.handleInfo(P0, out.handle);
  EXPECT_TRUE(info.valid);
  EXPECT_EQ(info.handleCount, 1u) << "CreateEvent: a new object has HandleCount 1";
  EXPECT_EQ(typeName(info.kind), "Event");
}

TEST(Spec4, EveryKindHasItsNtType) {
  System system;
  EXPECT_EQ(typeName(system.handleInfo(P0, system.createMutex(P0, "", false).handle).kind),
            "Mutant");
  EXPECT_EQ(typeName(system.handleInfo(P0, system.createSemaphore(P0, "", false).handle).kind),
            "Semaphore");
  EXPECT_EQ(typeName(system.handleInfo(P0, system.createFileMapping(P0, "", false).handle).kind),
            "Section");
}

TEST(Spec4, InheritFollowsSecurityAttributes) {
  System system;
  EXPECT_TRUE(system.handleInfo(P0, system.createEvent(P0, "", true).handle).inherit)
      << "CreateEvent(sa.bInheritHandle=TRUE)";
  EXPECT_FALSE(system.handleInfo(P0, system.createEvent(P0, "", false).handle).inherit)
      << "CreateEvent(sa=NULL)";
  EXPECT_FALSE(system.handleInfo(P0, system.createEvent(P0, "", false).handle).protect);
}

TEST(Spec4, UnnamedObjectsAreAlwaysNew) {
  System system;
  const Outcome a = system.createEvent(P0, "", false);
  const Outcome b = system.createEvent(P0, "", false);
  EXPECT_TRUE(succeeded(b)) << "CreateEvent(NULL name) never reports ERROR_ALREADY_EXISTS";
  EXPECT_FALSE(system.sameObject(P0, a.handle, b.handle));
}

TEST(Spec5, SameNameSameTypeOpensTheExistingObject) {
  System system;
  const Outcome first = system.createSemaphore(P0, "s", false);
  const Outcome second = system.createSemaphore(P0, "s", false);
  ASSERT_TRUE(succeededExisting(second)) << "CreateSemaphore(existing name)";
  EXPECT_NE(second.handle, first.handle);
  EXPECT_TRUE(system.sameObject(P0, first.handle, second.handle));
  EXPECT_EQ(system.handleInfo(P0, first.handle).handleCount, 2u);
}

TEST(Spec5, InheritComesFromThisCall) {
  System system;
  const Outcome first = system.createMutex(P0, "m", false);
  const Outcome second = system.createMutex(P0, "m", true);
  EXPECT_FALSE(system.handleInfo(P0, first.handle).inherit);
  EXPECT_TRUE(system.handleInfo(P0, second.handle).inherit) << "CreateMutex(existing, inherit)";
}

TEST(Spec6, SameNameOtherTypeFailsWithInvalidHandle) {
  System system;
  system.createEvent(P0, "x", false);
  const System before = system;
  EXPECT_TRUE(failedWith(system.createMutex(P0, "x", false), win32::kInvalidHandle))
      << "CreateMutex(name of an event)";
  EXPECT_TRUE(failedWith(system.createSemaphore(P0, "x", true), win32::kInvalidHandle));
  EXPECT_EQ(system, before) << "a failed create changes nothing";
}

TEST(Spec6, MappingsShareTheNamespaceWithEvents) {
  System system;
  system.createFileMapping(P0, "shared", false);
  EXPECT_TRUE(failedWith(system.createEvent(P0, "shared", false), win32::kInvalidHandle))
      << "CreateEvent(name of a file mapping)";
}

TEST(Spec7, NamesAreCaseSensitive) {
  System system;
  const Outcome lower = system.createEvent(P0, "name", false);
  const Outcome upper = system.createEvent(P0, "NAME", false);
  EXPECT_TRUE(succeeded(upper)) << "CreateEvent(NAME) after CreateEvent(name)";
  EXPECT_FALSE(system.sameObject(P0, lower.handle, upper.handle));
  EXPECT_TRUE(failedWith(system.openEvent(P0, "Name", false), win32::kFileNotFound))
      << "OpenEvent(Name)";
}

TEST(Spec8, OpenWithoutSuchNameFailsWithFileNotFound) {
  System system;
  EXPECT_TRUE(failedWith(system.openEvent(P0, "none", false), win32::kFileNotFound)) << "OpenEvent";
  EXPECT_TRUE(failedWith(system.openMutex(P0, "none", false), win32::kFileNotFound)) << "OpenMutex";
  EXPECT_TRUE(failedWith(system.openSemaphore(P0, "none", false), win32::kFileNotFound))
      << "OpenSemaphore";
  EXPECT_TRUE(failedWith(system.openFileMapping(P0, "none", false), win32::kFileNotFound))
      << "OpenFileMapping";
}

TEST(Spec8, OpenOtherTypeFailsWithInvalidHandle) {
  System system;
  system.createSemaphore(P0, "sem", false);
  EXPECT_TRUE(failedWith(system.openEvent(P0, "sem", false), win32::kInvalidHandle))
      << "OpenEvent(name of a semaphore)";
  EXPECT_TRUE(failedWith(system.openFileMapping(P0, "sem", false), win32::kInvalidHandle))
      << "OpenFileMapping(name of a semaphore)";
}

TEST(Spec8, OpenAddsAHandleToTheSameObject) {
  System system;
  const HandleValue created = system.createFileMapping(P0, "map", false).handle;
  const Outcome opened = system.openFileMapping(P0, "map", true);
  ASSERT_TRUE(succeeded(opened)) << "OpenFileMapping";
  EXPECT_TRUE(system.sameObject(P0, created, opened.handle));
  EXPECT_EQ(system.handleInfo(P0, created).handleCount, 2u);
  EXPECT_TRUE(system.handleInfo(P0, opened.handle).inherit) << "OpenFileMapping(bInheritHandle)";
}

TEST(Spec8, OpenFromAnotherProcess) {
  System system;
  const HandleValue created = system.createMutex(P0, "m", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  const Outcome opened = system.openMutex(child, "m", false);
  ASSERT_TRUE(succeeded(opened)) << "OpenMutex in a child";
  EXPECT_EQ(system.handleInfo(child, opened.handle).object, system.handleInfo(P0, created).object);
  EXPECT_EQ(system.handleInfo(P0, created).handleCount, 2u);
}

TEST(Spec9, LastCloseFreesTheName) {
  System system;
  const HandleValue a = system.createEvent(P0, "gone", false).handle;
  const HandleValue b = system.openEvent(P0, "gone", false).handle;
  system.closeHandle(P0, a);
  EXPECT_TRUE(succeeded(system.openEvent(P0, "gone", false))) << "OpenEvent with one handle left";
  system.closeHandle(P0, b);
  system.closeHandle(P0, a);  // the value reused by the open above
  EXPECT_FALSE(system.lookupName("gone").has_value());
  EXPECT_TRUE(failedWith(system.openEvent(P0, "gone", false), win32::kFileNotFound))
      << "OpenEvent after the last close";
}

TEST(Spec9, CreatingAgainMakesAFreshObject) {
  System system;
  const Outcome first = system.createEvent(P0, "again", false);
  const ObjectId old = system.handleInfo(P0, first.handle).object;
  system.closeHandle(P0, first.handle);
  const Outcome second = system.createEvent(P0, "again", false);
  EXPECT_TRUE(succeeded(second)) << "CreateEvent after the last close: no ERROR_ALREADY_EXISTS";
  EXPECT_NE(system.handleInfo(P0, second.handle).object, old) << "object ids are never reused";
  EXPECT_TRUE(system.object(old).destroyed);
  EXPECT_TRUE(succeeded(system.createMutex(P0, "", false)));
}

}  // namespace
}  // namespace hc::model::test
