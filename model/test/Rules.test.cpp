// The rule table: every SPEC rule once, with the evidence tag each rule has earned.
#include "handlecheck/model/Rules.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hc::model {
namespace {

// The rule numbered n: this test is about the numbering itself.
RuleId numbered(int n) {
  return static_cast<RuleId>(n);
}

// The numbers the model follows: SPEC 1-29, the pipes 30-49, closing a
// handle in another process, 50, the standard handles, 51-66, access,
// 67-77, attribute lists and the designated parent, 78-85, per-entry
// inheritance under a race, 86, and a spawn's own handles under a race, 87.
std::vector<int> modelNumbers() {
  std::vector<int> out;
  for (int n = 1; n <= 87; ++n) out.push_back(n);
  return out;
}

TEST(Rules, EveryRuleOnceInOrder) {
  const std::vector<int> numbers = modelNumbers();
  ASSERT_EQ(rules().size(), numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const int n = numbers[i];
    EXPECT_EQ(rules()[i].number(), n);
    EXPECT_TRUE(isRule(numbered(n))) << "SPEC " << n;
    EXPECT_EQ(rule(numbered(n)).number(), n);
    EXPECT_FALSE(rule(numbered(n)).statement.empty()) << "SPEC " << n;
    EXPECT_EQ(rule(numbered(n)).statement.find('\n'), std::string_view::npos) << "SPEC " << n;
  }
  EXPECT_FALSE(isRule(RuleId::None));
  EXPECT_FALSE(isRule(numbered(88)));
  EXPECT_EQ(number(kLastRule), 87);
}

TEST(Rules, StdHandleRulesSayWhichWindows) {
  EXPECT_EQ(rule(RuleId::StdSlotIsPlainValue).versions, Versions::All);
  EXPECT_EQ(rule(RuleId::ChildStdSlotRule).versions, Versions::Windows8Plus);
  EXPECT_EQ(rule(RuleId::TraditionalConsoleHandles).versions, Versions::Windows7Only);
  EXPECT_EQ(cite(RuleId::DuplicatedStdSlotKeepsFlags), "SPEC 57 [T][K]");
  const RuleId slots[] = {numbered(55), numbered(56), numbered(57)};
  EXPECT_EQ(cite(slots), "SPEC 55-57 [T][K]");
}

TEST(Rules, NamesReadAsTheNumbersPeopleCite) {
  EXPECT_EQ(spec(RuleId::InheritCopiesEntry), "SPEC 22");
  EXPECT_EQ(cite(RuleId::HandleListLimitsInheritance), "SPEC 25 [T]");
  EXPECT_EQ(rule(RuleId::CloseNotOpenFails).statement.rfind("CloseHandle on NULL", 0), 0u);
  EXPECT_EQ(numbered(18), RuleId::DuplicateAddsHandle);
  EXPECT_EQ(numbered(20), RuleId::PseudoSourceGivesRealHandle);
  EXPECT_EQ(numbered(36), RuleId::EofIffPeerClosedAndBufferEmpty);
  EXPECT_EQ(spec(RuleId::CloseSourceInAnotherProcess), "SPEC 50");
  EXPECT_EQ(numbered(78), RuleId::AttributeListSizing);
  EXPECT_EQ(numbered(80), RuleId::CreateProcessValidatesHandleList);
  EXPECT_EQ(numbered(81), RuleId::HandleListInheritsListedOnly);
}

TEST(Rules, EvidenceAsInSpec) {
  // The tags each rule carries.
  const std::map<int, std::string> tags{
      {1, "[T]"},        {2, "[T]"},        {3, "[T]"},        {4, "[D]"},     {5, "[T]"},
      {6, "[T]"},        {7, "[T]"},        {8, "[T]"},        {9, "[K]"},     {10, "[T]"},
      {11, "[T]"},       {12, "[D]"},       {13, "[T]"},       {14, "[T]"},    {15, "[T]"},
      {16, "[K]"},       {17, "[T]"},       {18, "[T]"},       {19, "[T][K]"}, {20, "[T]"},
      {21, "[K]"},       {22, "[T][K]"},    {23, "[T]"},       {24, "[D]"},    {25, "[T]"},
      {26, "[K]"},       {27, "[T]"},       {28, "[D]"},       {29, "[D]"},    {30, "[T][K]"},
      {31, "[T][K]"},    {32, "[T][K]"},    {33, "[T][D]"},    {34, "[T]"},    {35, "[T]"},
      {36, "[T]"},       {37, "[T]"},       {38, "[K][D]"},    {39, "[T]"},    {40, "[T]"},
      {41, "[T][K][D]"}, {42, "[T][D]"},    {43, "[T]"},       {44, "[T][K]"}, {45, "[T][K]"},
      {46, "[T]"},       {47, "[T][K]"},    {48, "[T]"},       {49, "[T]"},    {50, "[K][D]"},
      {67, "[T]"},       {68, "[T]"},       {69, "[T]"},       {70, "[T]"},    {71, "[T]"},
      {72, "[T][K]"},    {73, "[T][K][D]"}, {74, "[K][D]"},    {75, "[K][D]"}, {76, "[T][D]"},
      {77, "[T]"},       {78, "[T]"},       {79, "[T]"},       {80, "[T]"},    {81, "[T]"},
      {82, "[T][D]"},    {83, "[T]"},       {84, "[T][K][D]"}, {85, "[D]"},    {86, "[K]"},
      {87, "[K]"}};
  for (const auto& [n, expected] : tags)
    EXPECT_EQ(evidenceTags(rule(numbered(n)).evidence), expected) << "SPEC " << n;
}

TEST(Rules, CiteOne) {
  EXPECT_EQ(cite(RuleId::InheritCopiesEntry), "SPEC 22 [T][K]");
  EXPECT_EQ(cite(RuleId::TerminateIsAsynchronous), "SPEC 28 [D]");
}

TEST(Rules, CiteSeveralCollapsesRunsAndUnitesTags) {
  const RuleId objects[] = {numbered(7), numbered(4), numbered(5), numbered(6)};
  EXPECT_EQ(cite(objects), "SPEC 4-7 [T][D]");
  const RuleId io[] = {numbered(13), numbered(11), numbered(11)};
  EXPECT_EQ(cite(io), "SPEC 11, 13 [T]");
  const RuleId mixed[] = {numbered(22), numbered(23), numbered(24), numbered(26)};
  EXPECT_EQ(cite(mixed), "SPEC 22-24, 26 [T][K][D]");
  const RuleId pipes[] = {numbered(50), numbered(36), numbered(35)};
  EXPECT_EQ(cite(pipes), "SPEC 35-36, 50 [T][K][D]");
  EXPECT_EQ(cite(std::span<const RuleId>{}), "");
}

TEST(Rules, TextHasOneLinePerRule) {
  std::istringstream text(rulesText());
  std::string line;
  const std::vector<int> numbers = modelNumbers();
  std::size_t i = 0;
  while (std::getline(text, line)) {
    ASSERT_LT(i, numbers.size()) << line;
    EXPECT_EQ(line.rfind(cite(numbered(numbers[i])) + " ", 0), 0u) << line;
    ++i;
  }
  EXPECT_EQ(i, numbers.size());
}

}  // namespace
}  // namespace hc::model
