// A campaign cut into slices (Campaign.h): one slice is the campaign itself,
// the shares add up to the tests, every slice has a seed of its own, and
// divergences are found on the index of sequences run outside shrinking.
#include <gtest/gtest.h>

#include <set>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/props/Campaign.h"

namespace hc::props {
namespace {

TEST(Slices, OneSliceIsTheCampaign) {
  CampaignOptions o;
  o.seed = 42;
  o.tests = 300;
  const CampaignOptions one = sliceOptions(o, 1, 0);
  EXPECT_EQ(one.seed, 42u);
  EXPECT_EQ(one.tests, 300);
}

TEST(Slices, SharesAddUpToTheTestsFirstSlicesOneMore) {
  for (const int tests : {0, 1, 7, 100, 301})
    for (const int slices : {1, 2, 3, 8}) {
      int sum = 0;
      for (int k = 0; k < slices; ++k) {
        const int share = sliceTests(tests, slices, k);
        EXPECT_EQ(share, tests / slices + (k < tests % slices ? 1 : 0)) << tests << "/" << slices;
        sum += share;
      }
      EXPECT_EQ(sum, tests) << tests << " tests in " << slices << " slices";
    }
}

TEST(Slices, EverySliceHasItsOwnSeed) {
  std::set<std::uint64_t> seeds;
  for (int k = 0; k < 1000; ++k) seeds.insert(sliceSeed(7, k));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_EQ(sliceSeed(7, 0), 7u);
}

// The model under the wine profile standing in for the real system: every
// departure is found after some sequences explored, none while shrinking.
TEST(Slices, DivergencesAreFoundOnTheExploredIndex) {
  CampaignOptions o;
  o.seed = 3;
  o.tests = 40;
  o.maxSteps = 30;
  o.makeSut = [] {
    return std::make_unique<engine::ModelBackend>(model::standIn(model::wineProfile()));
  };
  const CampaignResult r = runCampaign(sliceOptions(o, 2, 1));
  ASSERT_FALSE(r.divergences.empty());
  EXPECT_GE(r.explored, r.passed);
  EXPECT_LE(r.explored, r.sequences);
  EXPECT_GE(r.explored, 20);  // its share passed, plus the failures
  for (const Divergence& d : r.divergences) EXPECT_LE(d.foundAfter, r.explored) << d.signature;
}

}  // namespace
}  // namespace hc::props
