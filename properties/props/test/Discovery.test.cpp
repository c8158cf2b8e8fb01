// Known from new, on the model alone: the system under test is the model
// under the wine profile, so every departure from the windows profile is a
// catalogue quirk, and the campaign runs past each one it attributes.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/props/Campaign.h"

namespace hc::props {
namespace {

CampaignOptions against(model::Profile sut, model::Profile inUse, std::uint64_t seed, int tests) {
  CampaignOptions o;
  o.profile = inUse;
  o.seed = seed;
  o.tests = tests;
  o.maxSteps = 40;
  o.makeSut = [sut] { return std::make_unique<engine::ModelBackend>(sut); };
  return o;
}

// The generator reaches every quirk of the catalogue within 300 sequences.
TEST(Discovery, EveryDepartureOfTheWineModelIsAKnownQuirkOnce) {
  const CampaignResult r = runCampaign(against(model::wineProfile(), model::windowsProfile(), 1, 300));
  ASSERT_EQ(r.backendFailure, "");
  ASSERT_FALSE(r.divergences.empty());
  std::set<std::string> quirks;
  for (const Divergence& d : r.divergences) {
    ASSERT_NE(d.quirk, nullptr) << "NEW: " << d.description << "\n"
                                << scenario::print(observedScenario(d.shrunk));
    EXPECT_TRUE(quirks.insert(std::string(d.quirk->name)).second) << d.quirk->name << " twice";
    EXPECT_EQ(d.signature, "quirk " + std::string(d.quirk->name));
    EXPECT_EQ(d.reproduced, d.replays) << d.quirk->name;
    EXPECT_TRUE(r.profile.has(d.quirk->id)) << d.quirk->name << " was not switched on";
    std::cout << "  " << d.quirk->name << " after " << d.foundAfter << " sequences\n";
  }
  for (const model::Quirk& q : model::allQuirks())
    EXPECT_TRUE(quirks.count(std::string(q.name))) << "not reached: " << q.name;
}

TEST(Discovery, AQuirkLeftOutOfTheProfileIsReportedAsKnown) {
  const model::Quirk& left = *model::quirkByName("mailslot-server-never-inheritable");
  const CampaignResult r = runCampaign(
      against(model::wineProfile(), model::wineProfile().without(left.id), 3, 200));
  ASSERT_EQ(r.divergences.size(), 1u);
  EXPECT_EQ(r.divergences[0].quirk, &left) << r.divergences[0].description;
}

// A test-only profile with a deliberately wrong rule: the system under test
// lets CloseHandle close a protected handle. No quirk explains it.
TEST(Discovery, AWrongRuleIsNew) {
  class ProtectIgnored : public engine::ModelBackend {
   public:
    proto::Reply perform(const proto::Request& r) override {
      if (r.op == proto::Op::Close) {
        proto::Request unprotect;
        unprotect.process = r.process;
        unprotect.op = proto::Op::Set;
        unprotect.handle = r.handle;
        unprotect.setMask = proto::kFlagProtect;
        engine::ModelBackend::perform(unprotect);
      }
      return engine::ModelBackend::perform(r);
    }
  };
  CampaignOptions o = against(model::windowsProfile(), model::windowsProfile(), 7, 200);
  o.makeSut = [] { return std::make_unique<ProtectIgnored>(); };
  const CampaignResult r = runCampaign(o);
  ASSERT_EQ(r.divergences.size(), 1u);
  EXPECT_TRUE(r.divergences[0].isNew());
  EXPECT_EQ(r.divergences[0].rules,
            std::vector<model::RuleId>{model::RuleId::ProtectedHandleStaysOpen});
}

}  // namespace
}  // namespace hc::props
