// SPEC 14-17: CloseHandle and the handle flags.
#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec14, CloseRemovesTheEntryAndLowersHandleCount) {
  System system;
  const HandleValue a = system.createEvent(P0, "e", false).handle;
  const HandleValue b = system.openEvent(P0, "e", false).handle;
  ASSERT_TRUE(succeeded(system.closeHandle(P0, a))) << "CloseHandle(valid)";
  EXPECT_FALSE(system.handleInfo(P0, a).valid);
  EXPECT_EQ(system.handleInfo(P0, b).handleCount, 1u) << "CloseHandle: HandleCount - 1";
}

TEST(Spec14, LastCloseDestroysTheObject) {
  System system;
  const HandleValue h = system.createSemaphore(P0, "", false).handle;
  const ObjectId o = system.handleInfo(P0, h).object;
  system.closeHandle(P0, h);
  EXPECT_TRUE(system.object(o).destroyed) << "usage count 0: the object is destroyed";
  EXPECT_EQ(system.object(o).handleCount, 0u);
}

TEST(Spec15, ClosingNullFailsWithInvalidHandle) {
  System system;
  EXPECT_TRUE(failedWith(system.closeHandle(P0, 0), win32::kInvalidHandle)) << "CloseHandle(NULL)";
}

TEST(Spec15, ClosingANeverOpenedValueFails) {
  System system;
  system.createEvent(P0, "", false);
  EXPECT_TRUE(failedWith(system.closeHandle(P0, 0x1000), win32::kInvalidHandle))
      << "CloseHandle(never opened)";
}

TEST(Spec15, ClosingTwiceFailsAndChangesNothing) {
  System system;
  const HandleValue h = system.createEvent(P0, "e", false).handle;
  system.createMutex(P0, "m", true);
  system.closeHandle(P0, h);
  const System before = system;
  EXPECT_TRUE(failedWith(system.closeHandle(P0, h), win32::kInvalidHandle))
      << "CloseHandle(already closed)";
  EXPECT_EQ(system, before) << "a failed CloseHandle changes nothing";
}

TEST(Spec16, AProtectedHandleCannotBeClosed) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  ASSERT_TRUE(succeeded(system.setHandleInformation(P0, h, 2, 2)))
      << "SetHandleInformation(HANDLE_FLAG_PROTECT_FROM_CLOSE)";
  const System before = system;
  EXPECT_TRUE(failedWith(system.closeHandle(P0, h), win32::kInvalidHandle))
      << "CloseHandle(protected)";
  EXPECT_EQ(system, before);
  EXPECT_TRUE(system.handleInfo(P0, h).valid) << "the protected handle stays valid";
}

TEST(Spec16, UnprotectThenClose) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.setHandleInformation(P0, h, 2, 2);
  system.setHandleInformation(P0, h, 2, 0);
  EXPECT_TRUE(succeeded(system.closeHandle(P0, h))) << "CloseHandle after clearing protect";
}

TEST(Spec17, SetChangesExactlyTheMaskedBits) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  ASSERT_TRUE(succeeded(system.setHandleInformation(P0, h, 2, 3)))
      << "SetHandleInformation(mask=PROTECT, flags=INHERIT|PROTECT)";
  EXPECT_TRUE(system.handleInfo(P0, h).protect);
  EXPECT_TRUE(system.handleInfo(P0, h).inherit) << "inherit is outside the mask: unchanged";
  system.setHandleInformation(P0, h, 1, 2);
  EXPECT_FALSE(system.handleInfo(P0, h).inherit) << "mask=INHERIT, flags=PROTECT clears inherit";
  EXPECT_TRUE(system.handleInfo(P0, h).protect);
  system.setHandleInformation(P0, h, 3, 1);
  EXPECT_TRUE(system.handleInfo(P0, h).inherit);
  EXPECT_FALSE(system.handleInfo(P0, h).protect);
}

TEST(Spec17, ZeroMaskChangesNothing) {
  System system;
  const HandleValue h = system.createMutex(P0, "", true).handle;
  const System before = system;
  EXPECT_TRUE(succeeded(system.setHandleInformation(P0, h, 0, 3)));
  EXPECT_EQ(system, before);
}

TEST(Spec17, SetOnAnInvalidHandleFails) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.closeHandle(P0, h);
  EXPECT_TRUE(failedWith(system.setHandleInformation(P0, h, 1, 1), win32::kInvalidHandle))
      << "SetHandleInformation(closed handle)";
  EXPECT_TRUE(failedWith(system.setHandleInformation(P0, 0, 1, 1), win32::kInvalidHandle))
      << "SetHandleInformation(NULL)";
}

}  // namespace
}  // namespace hc::model::test
