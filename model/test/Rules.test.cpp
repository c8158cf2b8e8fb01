// The rule table: every SPEC rule once, with the evidence tag each rule has earned.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "handlecheck/model/Rules.h"

namespace hc::model {
namespace {

TEST(Rules, EveryRuleOnceInOrder) {
  ASSERT_EQ(rules().size(), 29u);
  for (int n = 1; n <= 29; ++n) {
    EXPECT_EQ(rules()[static_cast<std::size_t>(n - 1)].number, n);
    EXPECT_EQ(rule(n).number, n);
    EXPECT_FALSE(rule(n).statement.empty()) << "SPEC " << n;
    EXPECT_EQ(rule(n).statement.find('\n'), std::string_view::npos) << "SPEC " << n;
  }
  EXPECT_FALSE(isRule(0));
  EXPECT_FALSE(isRule(30));
}

TEST(Rules, EvidenceAsInSpec) {
  // The tags each rule carries.
  const std::map<int, std::string> tags{
      {1, "[T]"},  {2, "[T]"},  {3, "[T]"},  {4, "[D]"},     {5, "[T]"},  {6, "[T]"},
      {7, "[T]"},  {8, "[T]"},  {9, "[K]"},  {10, "[T]"},    {11, "[T]"}, {12, "[D]"},
      {13, "[T]"}, {14, "[T]"}, {15, "[T]"}, {16, "[K]"},    {17, "[T]"}, {18, "[T]"},
      {19, "[T][K]"}, {20, "[T]"}, {21, "[K]"}, {22, "[T][K]"}, {23, "[T]"}, {24, "[D]"},
      {25, "[T]"}, {26, "[K]"}, {27, "[T]"}, {28, "[D]"},    {29, "[D]"}};
  for (const auto& [n, expected] : tags) EXPECT_EQ(evidenceTags(rule(n).evidence), expected) << "SPEC " << n;
}

TEST(Rules, CiteOne) {
  EXPECT_EQ(cite(22), "SPEC 22 [T][K]");
  EXPECT_EQ(cite(28), "SPEC 28 [D]");
}

TEST(Rules, CiteSeveralCollapsesRunsAndUnitesTags) {
  const int objects[] = {7, 4, 5, 6};
  EXPECT_EQ(cite(objects), "SPEC 4-7 [T][D]");
  const int io[] = {13, 11, 11};
  EXPECT_EQ(cite(io), "SPEC 11, 13 [T]");
  const int mixed[] = {22, 23, 24, 26};
  EXPECT_EQ(cite(mixed), "SPEC 22-24, 26 [T][K][D]");
  EXPECT_EQ(cite(std::span<const int>{}), "");
}

TEST(Rules, TextHasOneLinePerRule) {
  std::istringstream text(rulesText());
  std::string line;
  int n = 0;
  while (std::getline(text, line)) {
    ++n;
    EXPECT_EQ(line.rfind(cite(n) + " ", 0), 0u) << line;
  }
  EXPECT_EQ(n, 29);
}

}  // namespace
}  // namespace hc::model
