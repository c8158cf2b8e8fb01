// The quirk catalogue: data complete, names unique, profiles built from names.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/model/Profile.h"
#include "handlecheck/model/Rules.h"

namespace hc::model {
namespace {

TEST(Quirks, CatalogueIsComplete) {
  ASSERT_EQ(allQuirks().size(), static_cast<std::size_t>(QuirkId::Count));
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < allQuirks().size(); ++i) {
    const Quirk& q = allQuirks()[i];
    EXPECT_EQ(static_cast<std::size_t>(q.id), i) << q.name;
    EXPECT_TRUE(names.insert(q.name).second) << "duplicate " << q.name;
    EXPECT_TRUE(isRule(q.specRule)) << q.name;
    EXPECT_EQ(q.scenario, std::string(q.name) + ".hcs");
    EXPECT_FALSE(q.description.empty()) << q.name;
    EXPECT_FALSE(q.windows.source.empty()) << q.name;
    EXPECT_FALSE(q.windows.assertion.empty()) << q.name;
  }
}

TEST(Quirks, InheritedHandleKeepsProtectIsWindowsBehaviour) {
  EXPECT_EQ(quirkByName("inherited-handle-keeps-protect"), nullptr);
}

TEST(Quirks, ByName) {
  const Quirk* q = quirkByName("handle-list-null-inherits");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->id, QuirkId::HandleListNullInherits);
  EXPECT_EQ(q->specRule, RuleId::CreateProcessValidatesHandleList);
  EXPECT_EQ(quirkByName("no-such-quirk"), nullptr);
}

TEST(Quirks, WineHasEveryQuirk) {
  const Profile wine = wineProfile();
  for (const Quirk& q : allQuirks()) EXPECT_TRUE(wine.has(q.id)) << q.name;
  EXPECT_EQ(windowsProfile().quirks.count(), 0u);
}

TEST(Quirks, ProfileFromExplicitNames) {
  const std::vector<std::string_view> names{"mailslot-message-count",
                                            "terminate-exited-process-succeeds"};
  const auto profile = profileWithQuirks(names);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->name, "custom");
  EXPECT_EQ(profile->quirks.count(), 2u);
  EXPECT_TRUE(profile->has(QuirkId::MailslotMessageCount));
  EXPECT_TRUE(profile->has(QuirkId::TerminateExitedProcessSucceeds));
  const std::vector<std::string_view> unknown{"mailslot-message-count", "typo"};
  EXPECT_FALSE(profileWithQuirks(unknown));
  EXPECT_TRUE(profileWithQuirks(std::span<const std::string_view>{})->quirks.none());
}

TEST(Quirks, WineWithoutOne) {
  Profile p = wineProfile();
  p.without(quirkByName("mailslot-single-client")->id);
  EXPECT_FALSE(p.has(QuirkId::MailslotSingleClient));
  EXPECT_EQ(p.quirks.count(), static_cast<std::size_t>(QuirkId::Count) - 1);
}

}  // namespace
}  // namespace hc::model
