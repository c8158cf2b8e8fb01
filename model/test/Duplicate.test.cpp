// SPEC 18-21: DuplicateHandle.
#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec18, DuplicateAddsAHandleToTheSameObject) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, false);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle";
  EXPECT_NE(dup.handle, h);
  EXPECT_TRUE(system.sameObject(P0, h, dup.handle));
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 2u) << "DuplicateHandle: HandleCount + 1";
}

TEST(Spec18, InheritComesFromBInheritAndProtectIsNeverCopied) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const HandleValue dup = system.duplicateHandle(P0, h, P0, true, false).handle;
  EXPECT_TRUE(system.handleInfo(P0, dup).inherit) << "DuplicateHandle(bInheritHandle=TRUE)";
  EXPECT_FALSE(system.handleInfo(P0, dup).protect) << "DuplicateHandle never copies protect";
  const HandleValue back = system.duplicateHandle(P0, dup, P0, false, false).handle;
  EXPECT_FALSE(system.handleInfo(P0, back).inherit) << "DuplicateHandle(bInheritHandle=FALSE)";
}

TEST(Spec18, DuplicateIntoAnotherProcess) {
  System system;
  const HandleValue h = system.createMutex(P0, "", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  const Outcome dup = system.duplicateHandle(P0, h, child, false, false);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle into a child";
  EXPECT_EQ(system.handleInfo(child, dup.handle).object, system.handleInfo(P0, h).object);
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 2u);
}

TEST(Spec18, AnInvalidSourceFailsAndChangesNothing) {
  System system;
  system.createEvent(P0, "", false);
  const System before = system;
  EXPECT_TRUE(failedWith(system.duplicateHandle(P0, 0x800, P0, false, true), win32::kInvalidHandle))
      << "DuplicateHandle(never opened, CLOSE_SOURCE)";
  EXPECT_TRUE(failedWith(system.duplicateHandle(P0, 0, P0, false, false), win32::kInvalidHandle))
      << "DuplicateHandle(NULL)";
  EXPECT_EQ(system, before);
}

TEST(Spec19, CloseSourceClosesTheSourceAcrossProcesses) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  const Outcome dup = system.duplicateHandle(P0, h, child, false, true);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(CLOSE_SOURCE) into a child";
  EXPECT_FALSE(system.handleInfo(P0, h).valid) << "DUPLICATE_CLOSE_SOURCE closes the source";
  EXPECT_EQ(system.handleInfo(child, dup.handle).handleCount, 1u);
}

TEST(Spec19, CloseSourceClosesEvenWhenDuplicationFails) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  system.exitProcess(child, 0);
  EXPECT_TRUE(failedWith(system.duplicateHandle(P0, h, child, false, true), win32::kAccessDenied))
      << "DuplicateHandle(CLOSE_SOURCE) into an exited process";
  EXPECT_FALSE(system.handleInfo(P0, h).valid)
      << "the source is closed although duplication failed";
}

TEST(Spec19, AProtectedSourceStaysOpenAndProtected) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const Outcome dup = system.duplicateHandle(P0, h, P0, true, true);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(protected source, CLOSE_SOURCE)";
  EXPECT_EQ(dup.rule, RuleId::CloseSourceClosesEvenOnFailure);
  EXPECT_NE(dup.handle, h) << "the copy gets another value";
  EXPECT_TRUE(system.handleInfo(P0, h).valid) << "protect wins over DUPLICATE_CLOSE_SOURCE";
  EXPECT_TRUE(system.handleInfo(P0, h).protect) << "the source stays protected";
  const HandleInfo copy = system.handleInfo(P0, dup.handle);
  EXPECT_TRUE(copy.inherit && !copy.protect) << "the copy: inherit from bInherit, no protect";
  EXPECT_EQ(copy.handleCount, 2u);
}

TEST(Spec18, SameAttributesCopiesInheritAndProtect) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, false, true);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(DUPLICATE_SAME_ATTRIBUTES)";
  const HandleInfo copy = system.handleInfo(P0, dup.handle);
  EXPECT_TRUE(copy.inherit) << "bInheritHandle=FALSE is ignored";
  EXPECT_TRUE(copy.protect) << "protect is copied too";
  const HandleValue plain = system.createEvent(P0, "", false).handle;
  const HandleValue bare = system.duplicateHandle(P0, plain, P0, true, false, true).handle;
  EXPECT_FALSE(system.handleInfo(P0, bare).inherit)
      << "no flags to copy, bInheritHandle=TRUE ignored";
}

TEST(Spec18, SameAttributesOfAPseudoSourceGivesNoFlags) {
  System system;
  const Outcome dup = system.duplicateHandle(P0, kCurrentProcess, P0, true, false, true);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_EQ(dup.rule, RuleId::PseudoSourceGivesRealHandle);
  EXPECT_FALSE(system.handleInfo(P0, dup.handle).inherit);
  EXPECT_FALSE(system.handleInfo(P0, dup.handle).protect);
}

TEST(Spec19, AProtectedSourceWithSameAttributesGivesAProtectedCopy) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, true, true);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_TRUE(system.handleInfo(P0, h).protect);
  EXPECT_TRUE(system.handleInfo(P0, dup.handle).protect);
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 2u);
}

TEST(Spec20, PseudoProcessHandleYieldsARealProcessHandle) {
  System system;
  const Outcome dup = system.duplicateHandle(P0, kCurrentProcess, P0, false, false);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(GetCurrentProcess())";
  const HandleInfo info = system.handleInfo(P0, dup.handle);
  EXPECT_TRUE(info.valid);
  EXPECT_EQ(info.kind, ObjectKind::Process);
  EXPECT_EQ(info.object, system.process(P0).object);
  EXPECT_EQ(info.handleCount, 1u);
  EXPECT_TRUE(system.sameObject(P0, dup.handle, kCurrentProcess));
}

TEST(Spec20, PseudoThreadHandleYieldsARealThreadHandle) {
  System system;
  const ProcessId child = system.spawn(P0, {}).child;
  const Outcome dup = system.duplicateHandle(child, kCurrentThread, P0, false, true);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(GetCurrentThread()) into the parent";
  EXPECT_EQ(system.handleInfo(P0, dup.handle).object, system.process(child).thread);
  EXPECT_EQ(system.object(system.process(child).thread).handleCount, 2u);
}

TEST(Spec21, DuplicatingIntoAnExitedProcessFailsWithAccessDenied) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  system.exitProcess(child, 3);
  const System before = system;
  EXPECT_TRUE(failedWith(system.duplicateHandle(P0, h, child, false, false), win32::kAccessDenied))
      << "DuplicateHandle into an exited process";
  EXPECT_EQ(system, before);
}

}  // namespace
}  // namespace hc::model::test
