// The handle table alone: Wine's flat array with a free hint.
#include "handlecheck/model/HandleTable.h"

#include <gtest/gtest.h>

#include <vector>

namespace hc::model {
namespace {

HandleEntry to(ObjectId o) {
  return HandleEntry{.object = o};
}

TEST(HandleTable, FirstValueIsFour) {
  HandleTable table;
  EXPECT_EQ(table.add(to(7)), 4u) << "HandleTable::add: the first value is 4 (0 is never valid)";
  EXPECT_EQ(table.size(), 1u);
}

TEST(HandleTable, AddPicksLowestFreeValue) {
  HandleTable table;
  const HandleValue a = table.add(to(1));
  const HandleValue b = table.add(to(2));
  const HandleValue c = table.add(to(3));
  EXPECT_EQ(b, 8u);
  table.remove(a);
  table.remove(b);
  EXPECT_EQ(table.add(to(4)), a) << "HandleTable::add: the lowest freed value comes back first";
  EXPECT_EQ(table.add(to(5)), b);
  EXPECT_EQ(table.add(to(6)), c + 4);
}

TEST(HandleTable, LookupIgnoresLowBitsAndRejectsZeroAndPseudo) {
  HandleTable table;
  const HandleValue v = table.add(to(9));
  ASSERT_NE(table.lookup(v | 3), nullptr) << "lookup: the low two bits are ignored (SPEC 1)";
  EXPECT_EQ(table.lookup(v | 3)->object, 9u);
  EXPECT_EQ(table.lookup(0), nullptr);
  EXPECT_EQ(table.lookup(3), nullptr);
  EXPECT_EQ(table.lookup(kCurrentProcess), nullptr);
  EXPECT_EQ(table.lookup(kCurrentThread), nullptr);
  EXPECT_EQ(table.lookup(v + 4), nullptr);
}

TEST(HandleTable, AddAtKeepsTheValueAndRefusesATakenOne) {
  HandleTable table;
  EXPECT_TRUE(table.addAt(0x24, to(1)));
  EXPECT_FALSE(table.addAt(0x24, to(2))) << "addAt: a taken value is refused";
  EXPECT_EQ(table.lookup(0x24)->object, 1u);
  EXPECT_EQ(table.add(to(3)), 4u) << "add after addAt still fills the lowest free value";
  EXPECT_EQ(table.size(), 2u);
}

TEST(HandleTable, RemoveReturnsTheEntry) {
  HandleTable table;
  const HandleValue v = table.add(HandleEntry{.object = 5, .access = 7, .inherit = true});
  const HandleEntry old = table.remove(v);
  EXPECT_EQ(old.object, 5u);
  EXPECT_EQ(old.access, 7u);
  EXPECT_TRUE(old.inherit);
  EXPECT_EQ(table.lookup(v), nullptr);
  EXPECT_EQ(table.size(), 0u);
}

TEST(HandleTable, EqualityComparesContentsNotHistory) {
  HandleTable grown;
  const HandleValue a = grown.add(to(1));
  const HandleValue b = grown.add(to(2));
  grown.remove(b);
  HandleTable direct;
  EXPECT_EQ(direct.add(to(1)), a);
  EXPECT_EQ(grown, direct) << "tables with the same entries compare equal";
  grown.remove(a);
  EXPECT_EQ(grown, HandleTable{});
}

TEST(HandleTable, ForEachVisitsUsedValuesInOrder) {
  HandleTable table;
  table.add(to(1));
  const HandleValue hole = table.add(to(2));
  table.add(to(3));
  table.remove(hole);
  std::vector<HandleValue> seen;
  table.forEach([&](HandleValue v, const HandleEntry&) { seen.push_back(v); });
  EXPECT_EQ(seen, (std::vector<HandleValue>{4, 12}));
}

}  // namespace
}  // namespace hc::model
