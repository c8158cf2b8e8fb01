// SPEC 1-3: handle values.
#include <set>
#include <vector>

#include "Outcomes.h"

namespace hc::model::test {
namespace {

TEST(Spec1, ValuesAreNonZeroMultiplesOfFour) {
  System system;
  for (int i = 0; i < 20; ++i) {
    const Outcome out = system.createEvent(P0, "", false);
    ASSERT_TRUE(succeeded(out)) << "CreateEvent";
    EXPECT_NE(out.handle, 0u) << "CreateEvent: 0 is never a valid handle";
    EXPECT_EQ(out.handle % 4, 0u) << "CreateEvent: handle values are multiples of 4";
  }
}

TEST(Spec1, LowTwoBitsAreIgnored) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  EXPECT_TRUE(system.handleInfo(P0, h | 1).valid) << "GetHandleInformation(h|1)";
  EXPECT_TRUE(succeeded(system.closeHandle(P0, h | 3))) << "CloseHandle(h|3) closes h";
  EXPECT_FALSE(system.handleInfo(P0, h).valid);
}

TEST(Spec1, PseudoHandlesAreNeverInTheTable) {
  System system;
  EXPECT_FALSE(system.handleInfo(P0, kCurrentProcess).valid);
  EXPECT_FALSE(system.handleInfo(P0, kCurrentThread).valid);
  EXPECT_TRUE(system.sameObject(P0, kCurrentProcess, kCurrentProcess))
      << "CompareObjectHandles(GetCurrentProcess(), GetCurrentProcess())";
  EXPECT_FALSE(system.sameObject(P0, kCurrentProcess, kCurrentThread));
}

TEST(Spec15, ClosingAPseudoHandleSucceedsAndChangesNothing) {
  System system;
  system.createEvent(P0, "e", false);
  const System before = system;
  EXPECT_TRUE(succeeded(system.closeHandle(P0, kCurrentProcess)))
      << "CloseHandle(GetCurrentProcess())";
  EXPECT_TRUE(succeeded(system.closeHandle(P0, kCurrentThread)))
      << "CloseHandle(GetCurrentThread())";
  EXPECT_EQ(system.closeHandle(P0, kCurrentProcess).rule, RuleId::CloseNotOpenFails);
  EXPECT_EQ(system, before) << "CloseHandle on a pseudo handle changes nothing";
  EXPECT_TRUE(system.process(P0).running);
}

TEST(Spec2, OpenHandlesNeverShareAValue) {
  System system;
  std::vector<HandleValue> open;
  for (int i = 0; i < 30; ++i) {
    open.push_back(system.createMutex(P0, "", false).handle);
    if (i % 3 == 2) {
      ASSERT_TRUE(succeeded(system.closeHandle(P0, open[open.size() - 2])));
      open.erase(open.end() - 2);
    }
  }
  const std::set<HandleValue> distinct(open.begin(), open.end());
  EXPECT_EQ(distinct.size(), open.size()) << "two open handles share a value";
  for (const HandleValue h : open) EXPECT_TRUE(system.handleInfo(P0, h).valid);
}

TEST(Spec2, ValuesArePerProcess) {
  System system;
  const HandleValue mine = system.createEvent(P0, "", false).handle;
  const ProcessId child = system.spawn(P0, {}).child;
  const HandleValue theirs = system.createSemaphore(child, "", false).handle;
  EXPECT_EQ(theirs, mine) << "a fresh table hands out the same first value: values are per process";
  EXPECT_NE(system.handleInfo(P0, mine).object, system.handleInfo(child, theirs).object)
      << "one value, two processes, two objects";
}

TEST(Spec3, DuplicateWithCloseSourceInOneProcessKeepsTheValue) {
  System system;
  system.createEvent(P0, "", false);  // occupy the lowest value
  const HandleValue h = system.createEvent(P0, "", false).handle;
  const Outcome dup = system.duplicateHandle(P0, h, P0, true, true);
  ASSERT_TRUE(succeeded(dup)) << "DuplicateHandle(DUPLICATE_CLOSE_SOURCE)";
  EXPECT_EQ(dup.handle, h)
      << "DuplicateHandle+CLOSE_SOURCE in one process returns the source's value";
  EXPECT_EQ(system.handleInfo(P0, h).handleCount, 1u);
  EXPECT_TRUE(system.handleInfo(P0, h).inherit) << "the new handle's inherit comes from bInherit";
}

TEST(Spec3, CloseSourceKeepsTheValueEvenWithALowerValueFree) {
  System system;
  const HandleValue low = system.createEvent(P0, "", false).handle;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.closeHandle(P0, low);  // a lower slot is free now
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, true);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_EQ(dup.rule, RuleId::NewHandleValueNotContractual);
  EXPECT_EQ(dup.handle, h) << "not the first free value: the source's";
  EXPECT_FALSE(system.handleInfo(P0, low).valid);
}

TEST(Spec3, AProtectedSourceGivesTheCopyAnotherValue) {
  System system;
  const HandleValue h = system.createEvent(P0, "", false).handle;
  system.setHandleInformation(P0, h, 2, 2);
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, true);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_NE(dup.handle, h) << "SPEC 19: the protected source stays, so the copy needs a value";
}

TEST(Spec3, SameAttributesWithCloseSourceKeepsValueAndFlags) {
  System system;
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const Outcome dup = system.duplicateHandle(P0, h, P0, false, true, true);
  ASSERT_TRUE(succeeded(dup));
  EXPECT_EQ(dup.handle, h);
  EXPECT_TRUE(system.handleInfo(P0, h).inherit) << "DUPLICATE_SAME_ATTRIBUTES kept inherit";
}

TEST(Spec3, InheritedValueEqualsParentValue) {
  System system;
  system.createEvent(P0, "", false);
  system.createEvent(P0, "", false);
  const HandleValue h = system.createEvent(P0, "", true).handle;
  const ProcessId child = system.spawn(P0, {.inheritHandles = true}).child;
  EXPECT_TRUE(system.handleInfo(child, h).valid) << "CreateProcess: inherited at the same value";
  EXPECT_EQ(system.handleInfo(child, h).object, system.handleInfo(P0, h).object);
}

}  // namespace
}  // namespace hc::model::test
