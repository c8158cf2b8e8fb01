// Slices and shards without running a campaign: which shard the options and
// the GoogleTest / Bazel variables choose, how mergeSlices joins slices, and
// that a shard's JSON report gives merge back what the shard had.
#include "Shards.h"

#include <gtest/gtest.h>

#include <map>

#include "CheckReport.h"
#include "Commands.h"

namespace hc::cli {
namespace {

Environment variables(std::map<std::string, std::string> set) {
  return [set](const std::string& name) -> std::optional<std::string> {
    const auto it = set.find(name);
    return it == set.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string refusal(const std::string& option, std::map<std::string, std::string> set) {
  try {
    chooseShard(option, variables(std::move(set)));
  } catch (const CommandLineError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Shards, OptionThenGTestThenBazel) {
  EXPECT_FALSE(chooseShard("", variables({})));
  const auto option =
      chooseShard("2/5", variables({{"GTEST_SHARD_INDEX", "0"}, {"GTEST_TOTAL_SHARDS", "2"}}));
  ASSERT_TRUE(option);
  EXPECT_EQ(option->index, 2);
  EXPECT_EQ(option->count, 5);
  const auto gtest =
      chooseShard("", variables({{"GTEST_SHARD_INDEX", "1"}, {"GTEST_TOTAL_SHARDS", "3"}}));
  ASSERT_TRUE(gtest);
  EXPECT_EQ(gtest->index, 1);
  EXPECT_EQ(gtest->count, 3);
  const auto bazel =
      chooseShard("", variables({{"TEST_SHARD_INDEX", "0"}, {"TEST_TOTAL_SHARDS", "4"}}));
  ASSERT_TRUE(bazel);
  EXPECT_EQ(bazel->count, 4);
}

TEST(Shards, MalformedIsRefusedNamingWhat) {
  EXPECT_EQ(refusal("3/3", {}), "--shard 3/3: the index must be below the number of shards (0..2)");
  EXPECT_EQ(refusal("0/0", {}), "--shard 0/0: the number of shards must be >= 1");
  EXPECT_NE(refusal("-1/2", {}).find("--shard `-1/2`: wants I/N"), std::string::npos);
  EXPECT_NE(refusal("1/2/3", {}).find("wants I/N"), std::string::npos);
  EXPECT_NE(refusal(" 1/2", {}).find("wants I/N"), std::string::npos);
  EXPECT_EQ(refusal("", {{"GTEST_SHARD_INDEX", "1"}}),
            "GTEST_SHARD_INDEX is set but GTEST_TOTAL_SHARDS is not");
  EXPECT_EQ(refusal("", {{"TEST_TOTAL_SHARDS", "x"}, {"TEST_SHARD_INDEX", "0"}}),
            "TEST_TOTAL_SHARDS=`x`: wants a whole number of shards >= 1");
  EXPECT_EQ(refusal("", {{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "2"}}),
            "TEST_SHARD_INDEX=`2`: wants a whole number below TEST_TOTAL_SHARDS=2");
  EXPECT_EQ(refusal("", {{"TEST_TOTAL_SHARDS", "2"},
                         {"TEST_SHARD_INDEX", "1"},
                         {"GTEST_TOTAL_SHARDS", "2"},
                         {"GTEST_SHARD_INDEX", "0"}}),
            "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS say shard 0/2, "
            "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS say 1/2");
  EXPECT_EQ(refusal("", {{"TEST_TOTAL_SHARDS", "2"},
                         {"TEST_SHARD_INDEX", "1"},
                         {"GTEST_TOTAL_SHARDS", "2"},
                         {"GTEST_SHARD_INDEX", "1"}}),
            "(accepted)");
}

DivergenceEntry divergence(std::string signature, int occurrences, int foundAfter,
                           std::string scenario, std::vector<std::string> quirks = {}) {
  DivergenceEntry d;
  d.signature = std::move(signature);
  d.occurrences = occurrences;
  d.foundAfter = foundAfter;
  d.scenario = std::move(scenario);
  d.quirks = quirks;
  for (const auto& q : quirks) d.quirk += (d.quirk.empty() ? "" : " + ") + q;
  return d;
}

SliceReport slice(int k, int explored, std::vector<DivergenceEntry> found) {
  SliceReport s;
  s.slice = k;
  s.seed = 100u + static_cast<unsigned>(k);
  s.tests = explored;
  s.sequences = explored + 5;
  s.passed = explored - static_cast<int>(found.size());
  s.explored = explored;
  s.steps = 10L * explored;
  s.coverage = {{"op:create", explored}, {"slice:" + std::to_string(k), 1}};
  s.divergences = std::move(found);
  return s;
}

Campaign campaign(int slices) {
  Campaign c;
  c.backend = "wine";
  c.profile = "windows";
  c.seed = 1;
  c.tests = 30;
  c.slices = slices;
  return c;
}

TEST(MergeSlices, FirstCopyKeptOccurrencesSummedFoundOnTheCampaignsIndex) {
  const CheckReport r = mergeSlices(
      campaign(3), {slice(2, 7, {divergence("C", 1, 2, "c2")}),
                    slice(0, 10,
                          {divergence("A", 1, 3, "a0", {"mailslot-single-client"}),
                           divergence("B", 2, 5, "b0")}),
                    slice(1, 8, {divergence("B", 4, 1, "b1"), divergence("C", 1, 6, "c1")})});
  ASSERT_EQ(r.divergences.size(), 3u);
  EXPECT_EQ(r.divergences[0].signature, "A");
  EXPECT_EQ(r.divergences[0].foundAfter, 3);
  EXPECT_EQ(r.divergences[1].signature, "B");
  EXPECT_EQ(r.divergences[1].scenario, "b0");
  EXPECT_EQ(r.divergences[1].occurrences, 6);
  EXPECT_EQ(r.divergences[1].foundAfter, 5);
  EXPECT_EQ(r.divergences[2].signature, "C");
  EXPECT_EQ(r.divergences[2].scenario, "c1");  // slice 1 before slice 2
  EXPECT_EQ(r.divergences[2].occurrences, 2);
  EXPECT_EQ(r.divergences[2].foundAfter, 10 + 6);
  EXPECT_EQ(r.divergences[2].number, 3);
  EXPECT_EQ(r.sequences, 25 + 15);
  EXPECT_EQ(r.steps, 250);
  EXPECT_EQ(r.coverage.at("op:create"), 25);
  EXPECT_EQ(r.coverage.at("slice:2"), 1);
  EXPECT_EQ(reportStatus(r), kExitFailed);
  bool seen = false;
  for (const QuirkRow& q : r.quirks)
    if (q.name == "mailslot-single-client") {
      seen = true;
      EXPECT_EQ(q.status, "seen");
      EXPECT_EQ(q.divergence, 1);
    }
  EXPECT_TRUE(seen);
}

TEST(MergeSlices, BackendFailureOrCtrlCEndsTheCampaignThere) {
  SliceReport failed = slice(1, 4, {});
  failed.backendFailure = "agent P0 crashed";
  CheckReport r = mergeSlices(
      campaign(3), {slice(0, 10, {}), failed, slice(2, 9, {divergence("A", 1, 1, "a")})});
  EXPECT_EQ(r.backendFailure, "agent P0 crashed");
  EXPECT_TRUE(r.divergences.empty());
  EXPECT_EQ(r.sequences, 15 + 9);
  EXPECT_EQ(reportStatus(r), kExitBackend);
  SliceReport stopped = slice(0, 3, {divergence("A", 1, 1, "a")});
  stopped.interrupted = true;
  r = mergeSlices(campaign(2), {stopped, slice(1, 9, {})});
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.sequences, 8);
  EXPECT_EQ(reportStatus(r), kExitInterrupted);
}

TEST(MergeSlices, AShardsJsonGivesItsSlicesBack) {
  Campaign c = campaign(4);
  c.shard = Shard{1, 2};
  const std::vector<SliceReport> slices = {
      slice(1, 10,
            {divergence("A", 1, 3, "a1", {"mailslot-single-client"}), divergence("B", 2, 5, "b1")}),
      slice(3, 8, {divergence("B", 4, 1, "b3")})};
  CheckReport shard = mergeSlices(c, slices);
  shard.sliceReports = slices;
  const CheckReport read = reportFromJson(nlohmann::json::parse(reportJson(shard).dump()));
  ASSERT_TRUE(read.shard);
  EXPECT_EQ(read.shard->index, 1);
  ASSERT_EQ(read.sliceReports.size(), 2u);
  EXPECT_EQ(read.sliceReports[1].divergences.at(0).occurrences, 4);
  EXPECT_EQ(read.sliceReports[1].divergences.at(0).foundAfter, 1);
  EXPECT_EQ(read.sliceReports[0].divergences.at(0).quirks,
            std::vector<std::string>{"mailslot-single-client"});
  c.shard.reset();
  EXPECT_EQ(reportJson(mergeSlices(c, read.sliceReports)).dump(),
            reportJson(mergeSlices(c, slices)).dump());
}

}  // namespace
}  // namespace hc::cli
