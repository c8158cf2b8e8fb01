// Types and profiles: NT type names, scenario kind names, the two profiles.
#include <gtest/gtest.h>

#include "handlecheck/model/Profile.h"
#include "handlecheck/model/Rules.h"
#include "handlecheck/model/System.h"
#include "handlecheck/model/Types.h"

namespace hc::model {
namespace {

TEST(Vocabulary, TypeNamesAreWhatNtQueryObjectReports) {
  EXPECT_EQ(typeName(ObjectKind::Event), "Event");
  EXPECT_EQ(typeName(ObjectKind::Mutex), "Mutant");
  EXPECT_EQ(typeName(ObjectKind::Semaphore), "Semaphore");
  EXPECT_EQ(typeName(ObjectKind::Mapping), "Section");
  EXPECT_EQ(typeName(ObjectKind::MailslotServer), "File");
  EXPECT_EQ(typeName(ObjectKind::MailslotClient), "File");
  EXPECT_EQ(typeName(ObjectKind::PipeRead), "File");
  EXPECT_EQ(typeName(ObjectKind::PipeWrite), "File");
  EXPECT_EQ(typeName(ObjectKind::Process), "Process");
  EXPECT_EQ(typeName(ObjectKind::Thread), "Thread");
}

TEST(Vocabulary, KindNamesFollowTheScenarioFormat) {
  EXPECT_EQ(kindName(ObjectKind::Event), "event");
  EXPECT_EQ(kindName(ObjectKind::Mapping), "mapping");
  EXPECT_EQ(kindName(ObjectKind::MailslotServer), "mailslot");
  EXPECT_EQ(kindName(ObjectKind::MailslotClient), "mailslot-client");
  EXPECT_EQ(kindName(ObjectKind::PipeRead), "pipe-read");
  EXPECT_EQ(kindName(ObjectKind::PipeWrite), "pipe-write");
  EXPECT_EQ(kindName(ObjectKind::Thread), "thread");
}

TEST(Vocabulary, WindowsProfileHasNoQuirk) {
  const Profile windows = windowsProfile();
  EXPECT_EQ(windows.name, "windows");
  EXPECT_TRUE(windows.quirks.none()) << "the windows profile is the rule table, no quirk";
}

TEST(Vocabulary, WineProfileHasEveryKnownQuirk) {
  const Profile wine = wineProfile();
  EXPECT_EQ(wine.name, "wine");
  for (const Quirk& quirk : allQuirks())
    EXPECT_TRUE(wine.has(quirk.id)) << "wine profile lacks quirk " << quirk.name;
  EXPECT_EQ(wine.quirks.count(), allQuirks().size());
}

TEST(Vocabulary, QuirkTableIsIndexedById) {
  const auto quirks = allQuirks();
  ASSERT_EQ(quirks.size(), static_cast<std::size_t>(QuirkId::Count));
  for (std::size_t i = 0; i < quirks.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(quirks[i].id), i) << "allQuirks()[" << i << "]";
    EXPECT_FALSE(quirks[i].name.empty());
    EXPECT_TRUE(isRule(quirks[i].specRule)) << quirks[i].name;
  }
}

TEST(Vocabulary, ProfileByName) {
  EXPECT_EQ(profileByName("windows"), windowsProfile());
  EXPECT_EQ(profileByName("wine"), wineProfile());
  EXPECT_EQ(profileByName("windows7"), windows7Profile());
  EXPECT_TRUE(windows7Profile().windows7);
  EXPECT_FALSE(wineProfile().windows7) << "wine is windows plus quirks";
  EXPECT_EQ(profileByName("Wine"), std::nullopt) << "profile names are exact";
  EXPECT_EQ(profileByName(""), std::nullopt);
}

TEST(Vocabulary, SystemStartsWithRootProcessRunning) {
  const System system(wineProfile());
  EXPECT_EQ(system.profile().name, "wine");
  ASSERT_EQ(system.processes().size(), 1u);
  const Process& root = system.process(0);
  EXPECT_TRUE(root.running);
  EXPECT_EQ(root.table.size(), 0u);
  EXPECT_EQ(root.exitCode, win32::kStillActive);
  EXPECT_EQ(system.object(root.object).kind, ObjectKind::Process);
  EXPECT_EQ(system.object(root.thread).kind, ObjectKind::Thread);
  EXPECT_TRUE(system.object(root.object).running);
  EXPECT_EQ(system.object(root.object).handleCount, 0u);
}

}  // namespace
}  // namespace hc::model
