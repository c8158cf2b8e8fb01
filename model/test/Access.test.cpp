// SPEC 67-77: granted access in each handle entry.
#include "handlecheck/model/Access.h"

#include "Outcomes.h"

namespace hc::model::test {
namespace {

std::uint32_t accessOf(const System& system, ProcessId p, HandleValue h) {
  return system.handleInfo(p, h).access.value_or(0xdeadbeef);
}

TEST(Spec69, CreationGrantsAllAccessAndAMappingFollowsItsProtection) {
  System system;
  EXPECT_EQ(accessOf(system, P0, system.createEvent(P0, "", false).handle), 0x1F0003u);
  EXPECT_EQ(accessOf(system, P0, system.createMutex(P0, "", false).handle), 0x1F0001u);
  EXPECT_EQ(accessOf(system, P0, system.createSemaphore(P0, "", false).handle), 0x1F0003u);
  EXPECT_EQ(accessOf(system, P0, system.createFileMapping(P0, "", false).handle), 0xF0007u)
      << "CreateFileMapping(PAGE_READWRITE): no SECTION_EXTEND_SIZE, no SYNCHRONIZE";
  const Outcome pipe = system.createPipe(P0, false);
  EXPECT_EQ(accessOf(system, P0, pipe.handle), 0x120189u);
  EXPECT_EQ(accessOf(system, P0, pipe.handle2), 0x120196u);
  EXPECT_FALSE(system.handleInfo(P0, system.createMailslot(P0, "m", false).handle).access)
      << "a mailslot's mask is unsettled";
}

TEST(Spec68, OpenMapsGenericRightsByType) {
  System system;
  system.createEvent(P0, "e", false);
  system.createMutex(P0, "m", false);
  EXPECT_EQ(accessOf(system, P0, system.openEvent(P0, "e", false, access::kGenericRead).handle),
            0x20001u)
      << "OpenEvent(GENERIC_READ): no SYNCHRONIZE";
  EXPECT_EQ(accessOf(system, P0, system.openMutex(P0, "m", false, access::kGenericWrite).handle),
            0x20000u)
      << "OpenMutex(GENERIC_WRITE): READ_CONTROL only";
  EXPECT_EQ(accessOf(system, P0, system.openEvent(P0, "e", false).handle), 0x1F0003u)
      << "OpenEvent(EVENT_ALL_ACCESS)";
}

TEST(Spec70, FileMapCopyOpensForReading) {
  System system;
  system.createFileMapping(P0, "s", false);
  EXPECT_EQ(accessOf(system, P0, system.openFileMapping(P0, "s", false, 0x1).handle), 0x4u)
      << "OpenFileMapping(FILE_MAP_COPY) grants SECTION_MAP_READ";
}

TEST(Spec71, OpenWithZeroAccessFailsButDuplicateStoresZero) {
  System system;
  const HandleValue e = system.createEvent(P0, "e", false).handle;
  const System before = system;
  EXPECT_TRUE(failedWith(system.openEvent(P0, "e", false, 0u), win32::kAccessDenied))
      << "OpenEvent(0)";
  EXPECT_EQ(system, before) << "OpenEvent(0) adds no handle";
  EXPECT_TRUE(failedWith(system.openEvent(P0, "none", false, 0u), win32::kFileNotFound))
      << "a missing name is ERROR_FILE_NOT_FOUND first";
  const Outcome dup = system.duplicateHandle(P0, e, P0, false, false, false, 0u);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(access 0)";
  EXPECT_EQ(accessOf(system, P0, dup.handle), 0u);
}

TEST(Spec71, QuirkOpenZeroAccessSucceeds) {
  System system(windowsProfile().with(QuirkId::OpenZeroAccessSucceeds));
  system.createEvent(P0, "e", false);
  const Outcome open = system.openEvent(P0, "e", false, 0u);
  ASSERT_TRUE(succeeded(open)) << "Wine: OpenEvent(0) opens";
  EXPECT_EQ(accessOf(system, P0, open.handle), 0u);
}

TEST(Spec72, OpenMutexRefusesRightsAMutexLacks) {
  System system;
  system.createMutex(P0, "m", false);
  EXPECT_TRUE(failedWith(system.openMutex(P0, "m", false, 0x2u), win32::kAccessDenied));
  EXPECT_TRUE(failedWith(system.openMutex(P0, "m", false, access::kSystemSecurity),
                         win32::kPrivilegeNotHeld));
  EXPECT_TRUE(succeeded(system.openMutex(P0, "m", false, access::kDelete)));
  system.createEvent(P0, "e", false);
  EXPECT_TRUE(system.openEvent(P0, "e", false, 0x80u).unsettled)
      << "invalid bits on OpenEvent are unsettled";
  EXPECT_TRUE(system.openEvent(P0, "e", false, access::kMaximumAllowed).unsettled);
}

TEST(Spec72, QuirkOpenAcceptsInvalidAccessBits) {
  System system(windowsProfile().with(QuirkId::OpenAcceptsInvalidAccessBits));
  system.createMutex(P0, "m", false);
  const Outcome open = system.openMutex(P0, "m", false, 0x2u);
  ASSERT_TRUE(succeeded(open));
  EXPECT_EQ(accessOf(system, P0, open.handle), 0x2u) << "Wine keeps the bogus bit";
}

TEST(Spec73, DuplicateWithAccessIsNotIntersectedWithTheSource) {
  System system;
  const HandleValue e = system.createEvent(P0, "", false).handle;
  const HandleValue sync =
      system.duplicateHandle(P0, e, P0, false, false, false, access::kSynchronize).handle;
  const Outcome up =
      system.duplicateHandle(P0, sync, P0, false, false, false, access::kEventModifyState);
  ASSERT_TRUE(succeeded(up));
  EXPECT_EQ(accessOf(system, P0, up.handle), access::kEventModifyState);
  EXPECT_EQ(accessOf(system, P0, system.duplicateHandle(P0, sync, P0, false, false).handle),
            access::kSynchronize)
      << "DUPLICATE_SAME_ACCESS copies the mask";
}

TEST(Spec73, AFileCopyGetsNoMoreThanItsSource) {
  System system;
  const Outcome pipe = system.createPipe(P0, false);
  const System before = system;
  EXPECT_TRUE(failedWith(
      system.duplicateHandle(P0, pipe.handle, P0, false, false, false, access::kGenericWrite),
      win32::kAccessDenied))
      << "a file copy asking for more than its source";
  EXPECT_EQ(system, before);
  EXPECT_TRUE(succeeded(
      system.duplicateHandle(P0, pipe.handle2, P0, false, false, false, access::kSynchronize)));
  System wine(windowsProfile().with(QuirkId::FileDupEscalationAllowed));
  const Outcome wpipe = wine.createPipe(P0, false);
  const Outcome up =
      wine.duplicateHandle(P0, wpipe.handle, P0, false, false, false, access::kGenericWrite);
  ASSERT_TRUE(succeeded(up)) << "Wine grants the superset";
  EXPECT_EQ(accessOf(wine, P0, up.handle), 0x120116u);
}

TEST(Spec72, DuplicateDropsBitsTheTypeLacks) {
  System system;
  const HandleValue e = system.createEvent(P0, "", false).handle;
  EXPECT_EQ(
      accessOf(system, P0, system.duplicateHandle(P0, e, P0, false, false, false, 0x80).handle),
      0u);
  System wine(windowsProfile().with(QuirkId::DupKeepsInvalidAccessBits));
  const HandleValue we = wine.createEvent(P0, "", false).handle;
  EXPECT_EQ(accessOf(wine, P0, wine.duplicateHandle(P0, we, P0, false, false, false, 0x80).handle),
            0x80u);
}

TEST(Spec68, ProcessGenericRightsAreUnsettled) {
  System system;
  const Outcome child = system.spawn(P0, {});
  EXPECT_TRUE(
      system.duplicateHandle(P0, child.handle, P0, false, false, false, access::kGenericRead)
          .unsettled);
}

TEST(Spec75, InheritanceCopiesTheMask) {
  System system;
  const HandleValue e = system.createEvent(P0, "", false).handle;
  const HandleValue s =
      system.duplicateHandle(P0, e, P0, true, false, false, access::kSynchronize).handle;
  const Outcome child = system.spawn(P0, {.inheritHandles = true});
  EXPECT_EQ(accessOf(system, child.child, s), access::kSynchronize);
}

TEST(Spec76, CallsCheckTheirRights) {
  System system;
  const HandleValue e = system.createEvent(P0, "", false).handle;
  const HandleValue s =
      system.duplicateHandle(P0, e, P0, false, false, false, access::kSynchronize).handle;
  const System before = system;
  EXPECT_TRUE(failedWith(system.signalObject(P0, s), win32::kAccessDenied))
      << "SetEvent(SYNCHRONIZE)";
  EXPECT_EQ(system, before);
  const HandleValue m =
      system.duplicateHandle(P0, e, P0, false, false, false, access::kEventModifyState).handle;
  EXPECT_TRUE(failedWith(system.waitForSingleObject(P0, m), win32::kAccessDenied))
      << "WaitForSingleObject(EVENT_MODIFY_STATE)";
  EXPECT_TRUE(succeeded(system.signalObject(P0, m)));
  EXPECT_TRUE(succeeded(system.waitForSingleObject(P0, s)));
  EXPECT_TRUE(system.waitForSingleObject(P0, s).blocks) << "an auto-reset event";
  const HandleValue map = system.createFileMapping(P0, "", false).handle;
  const HandleValue read =
      system.duplicateHandle(P0, map, P0, false, false, false, access::kSectionMapRead).handle;
  EXPECT_TRUE(failedWith(system.mapViewOfFile(P0, read, true), win32::kAccessDenied));
  EXPECT_TRUE(succeeded(system.mapViewOfFile(P0, read, false)));
}

TEST(Spec76, ReleaseMutexNeedsOwnershipNotARight) {
  System system;
  const HandleValue m = system.createMutex(P0, "", false).handle;
  const HandleValue none = system.duplicateHandle(P0, m, P0, false, false, false, 0u).handle;
  EXPECT_TRUE(failedWith(system.signalObject(P0, none), win32::kNotOwner));
  ASSERT_TRUE(succeeded(system.waitForSingleObject(P0, m)));
  ASSERT_TRUE(succeeded(system.waitForSingleObject(P0, m)));
  EXPECT_TRUE(succeeded(system.signalObject(P0, none)));
  EXPECT_TRUE(succeeded(system.signalObject(P0, m)));
  EXPECT_TRUE(failedWith(system.signalObject(P0, m), win32::kNotOwner))
      << "two waits, two releases";
}

TEST(Spec77, QueryInformationImpliesLimited) {
  System system;
  const Outcome child = system.spawn(P0, {});
  EXPECT_EQ(accessOf(system, P0,
                     system
                         .duplicateHandle(P0, child.handle, P0, false, false, false,
                                          access::kProcessQueryInformation)
                         .handle),
            0x1400u);
  EXPECT_EQ(accessOf(system, P0,
                     system
                         .duplicateHandle(P0, child.handle2, P0, false, false, false,
                                          access::kThreadQueryInformation)
                         .handle),
            0x840u);
}

TEST(AccessNames, MasksParseFromHexAndNames) {
  EXPECT_EQ(parseAccessMask("0x1f0003"), 0x1F0003u);
  EXPECT_EQ(parseAccessMask("SYNCHRONIZE|EVENT_MODIFY_STATE"), 0x100002u);
  EXPECT_EQ(parseAccessMask("0"), 0u);
  EXPECT_FALSE(parseAccessMask("SYNCHRONISE"));
  EXPECT_FALSE(parseAccessMask("0x1ffffffff"));
  EXPECT_FALSE(parseAccessMask("SYNCHRONIZE|"));
}

}  // namespace
}  // namespace hc::model::test
