// Every quirk of the wine profile is data with a minimal scenario in the
// corpus, and the corpus names no quirk the model does not know.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "handlecheck/model/Profile.h"

namespace {

namespace fs = std::filesystem;

TEST(Quirks, EachQuirkHasItsCorpusScenario) {
  ASSERT_FALSE(hc::model::allQuirks().empty());
  for (const auto& q : hc::model::allQuirks()) {
    const fs::path file = fs::path(HC_CORPUS_DIR) / q.scenario;
    EXPECT_TRUE(fs::exists(file)) << q.name << ": " << file;
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.rfind("# quirk " + std::string(q.name), 0), 0u) << file << ": " << first;
    EXPECT_TRUE(hc::model::wineProfile().has(q.id)) << q.name;
    EXPECT_FALSE(hc::model::windowsProfile().has(q.id)) << q.name;
    EXPECT_GE(q.specRule, 1);
    EXPECT_LE(q.specRule, 29);
  }
}

TEST(Quirks, CorpusNamesOnlyKnownQuirks) {
  std::set<std::string> known;
  for (const auto& q : hc::model::allQuirks()) known.insert(std::string(q.name));
  for (const auto& entry : fs::directory_iterator(HC_CORPUS_DIR)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("# quirk ", 0) != 0) continue;
      const std::string name = line.substr(8, line.find(' ', 8) - 8);
      EXPECT_TRUE(known.count(name)) << entry.path() << " names unknown quirk " << name;
    }
  }
}

}  // namespace
