// Known from new, on the model alone: the system under test is the model
// under the wine profile, so every departure from the windows profile is a
// catalogue quirk, and the campaign runs past each one it attributes.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
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
  o.makeSut = [sut] { return std::make_unique<engine::ModelBackend>(model::standIn(sut)); };
  return o;
}

// The generator reaches every quirk of the catalogue within 2000 sequences;
// at seed 1 all of them within the 1200 of ./ci/check.sh's campaign (the
// rarest, handle-list-std-not-duplicated, after 1011).
TEST(Discovery, EveryDepartureOfTheWineModelIsAKnownQuirkOnce) {
  const CampaignResult r =
      runCampaign(against(model::wineProfile(), model::windowsProfile(), 1, 2000));
  ASSERT_EQ(r.backendFailure, "");
  ASSERT_FALSE(r.divergences.empty());
  // A departure is one quirk, or two or three that act together (a copy one
  // quirk makes that another then counts); each quirk is attributed once.
  std::set<std::string> quirks;
  for (const Divergence& d : r.divergences) {
    ASSERT_NE(d.quirk, nullptr) << "NEW: " << d.description << "\n"
                                << scenario::print(observedScenario(d.shrunk));
    std::string names;
    for (const model::Quirk* q : d.quirks) {
      names += (names.empty() ? "" : " + ") + std::string(q->name);
      EXPECT_TRUE(quirks.insert(std::string(q->name)).second) << q->name << " twice";
      EXPECT_TRUE(r.profile.has(q->id)) << q->name << " was not switched on";
    }
    EXPECT_EQ(d.signature, "quirk " + names);
    EXPECT_EQ(d.reproduced, d.replays) << names;
    std::cout << "  " << names << " after " << d.foundAfter << " sequences\n";
  }
  for (const model::Quirk& q : model::allQuirks())
    EXPECT_TRUE(quirks.count(std::string(q.name)))
        << "not reached: " << q.name << " (" << r.explored << " sequences explored)";
}

// ./ci/check.sh runs seed 1 for 1200 sequences: on the model under the wine
// profile that campaign meets every quirk, which is what the main job can
// report of Wine (a generator that draws differently has to keep this).
TEST(Discovery, TheMainJobsCampaignReachesEveryQuirk) {
  const CampaignResult r =
      runCampaign(against(model::wineProfile(), model::windowsProfile(), 1, 1200));
  ASSERT_EQ(r.backendFailure, "");
  std::map<std::string, int> firstAfter;
  for (const Divergence& d : r.divergences) {
    ASSERT_NE(d.quirk, nullptr) << "NEW: " << d.description;
    for (const model::Quirk* q : d.quirks) firstAfter.emplace(std::string(q->name), d.foundAfter);
  }
  for (const model::Quirk& q : model::allQuirks()) {
    const auto found = firstAfter.find(std::string(q.name));
    ASSERT_TRUE(found != firstAfter.end())
        << "./ci/check.sh's campaign no longer reaches " << q.name;
    std::cout << "  " << q.name << ": first after " << found->second << " sequences\n";
  }
}

TEST(Discovery, AQuirkLeftOutOfTheProfileIsReportedAsKnown) {
  const model::Quirk& left = *model::quirkByName("mailslot-server-never-inheritable");
  const CampaignResult r =
      runCampaign(against(model::wineProfile(), model::wineProfile().without(left.id), 3, 200));
  ASSERT_EQ(r.divergences.size(), 1u);
  EXPECT_EQ(r.divergences[0].quirk, &left) << r.divergences[0].description;
}

// A test-only profile with a deliberately wrong rule: the system under test
// lets CloseHandle close a protected handle. No quirk explains it.
TEST(Discovery, AWrongRuleIsNew) {
  class CloseIgnoresProtect : public engine::ModelBackend {
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
  // The calls that make, protect and close handles: the wrong rule is met
  // whatever the weights of the other operations.
  o.gen.ops = {"create", "set", "close", "dup"};
  o.makeSut = [] { return std::make_unique<CloseIgnoresProtect>(); };
  const CampaignResult r = runCampaign(o);
  ASSERT_EQ(r.divergences.size(), 1u);
  EXPECT_TRUE(r.divergences[0].isNew());
  EXPECT_EQ(r.divergences[0].rules,
            std::vector<model::RuleId>{model::RuleId::ProtectedHandleStaysOpen});
}

// The model under the wine profile, made by a factory that numbers its
// backends: those it names fail on their first call, as a loaded machine's
// tree can (a call that timed out, a process that would not start).
struct FailingBackends {
  std::function<bool(int)> fails;  // by the backend's number, from 1
  std::shared_ptr<int> made = std::make_shared<int>(0);
  std::function<std::unique_ptr<sut::Backend>()> factory() const {
    return [made = made, fails = fails] {
      class Failing : public engine::ModelBackend {
       public:
        explicit Failing(bool fails) : ModelBackend(model::wineProfile()), fails_(fails) {}
        proto::Reply perform(const proto::Request& r) override {
          if (fails_ && ++calls_ == 1) throw sut::BackendFailure("agent 0 did not answer in time");
          return engine::ModelBackend::perform(r);
        }

       private:
        bool fails_;
        int calls_ = 0;
      };
      return std::make_unique<Failing>(fails(++*made));
    };
  }
};

// The sequences run on the worker's backends, which never fail; makeSut
// makes the fresh ones each confirmation replays on.
CampaignOptions confirmingOn(const FailingBackends& backends) {
  CampaignOptions o = against(model::wineProfile(), model::windowsProfile(), 1, 40);
  o.makeWorkerSut = [](int) {
    return std::make_unique<engine::ModelBackend>(model::standIn(model::wineProfile()));
  };
  o.makeSut = backends.factory();
  return o;
}

// A confirmation that meets a backend failure has no verdict: it runs again,
// and does not read as a replay that failed to reproduce. Every odd backend
// fails once.
TEST(Discovery, ABackendFailureInAConfirmationIsRunAgain) {
  FailingBackends backends{[](int n) { return n % 2 == 1; }};
  const CampaignOptions o = confirmingOn(backends);
  const CampaignResult r = runCampaign(o);
  ASSERT_EQ(r.backendFailure, "");
  ASSERT_FALSE(r.divergences.empty());
  for (const Divergence& d : r.divergences) {
    EXPECT_EQ(d.replays, o.confirmations) << d.description;
    EXPECT_EQ(d.reproduced, o.confirmations) << d.description;
  }
  EXPECT_EQ(*backends.made, 2 * o.confirmations * static_cast<int>(r.divergences.size()));
}

// One that fails again ends the campaign with the backend failure, as a
// sequence's would; the divergence is reported with the replays that ran.
TEST(Discovery, ABackendThatKeepsFailingInConfirmationsEndsTheCampaign) {
  FailingBackends backends{[](int) { return true; }};
  const CampaignOptions o = confirmingOn(backends);
  const CampaignResult r = runCampaign(o);
  EXPECT_NE(r.backendFailure.find("agent 0 did not answer in time"), std::string::npos)
      << r.backendFailure;
  ASSERT_EQ(r.divergences.size(), 1u);
  EXPECT_EQ(r.divergences[0].replays, 0);
}

}  // namespace
}  // namespace hc::props
