// Every quirk of the wine profile is data with a minimal scenario in the
// corpus, and the corpus names no quirk the model does not know.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "handlecheck/model/Profile.h"
#include "handlecheck/model/Rules.h"

namespace {

namespace fs = std::filesystem;

// The `# quirk: NAME` line of a corpus file's header, or "".
std::string quirkOf(const fs::path& file) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
    if (line.rfind("# quirk: ", 0) == 0) return line.substr(9, line.find(' ', 9) - 9);
  }
  return "";
}

TEST(Quirks, EachQuirkHasItsCorpusScenario) {
  ASSERT_FALSE(hc::model::allQuirks().empty());
  for (const auto& q : hc::model::allQuirks()) {
    const fs::path file = fs::path(HC_CORPUS_DIR) / q.scenario;
    EXPECT_TRUE(fs::exists(file)) << q.name << ": " << file;
    EXPECT_EQ(quirkOf(file), q.name) << file;
    EXPECT_TRUE(hc::model::wineProfile().has(q.id)) << q.name;
    EXPECT_FALSE(hc::model::windowsProfile().has(q.id)) << q.name;
    EXPECT_TRUE(hc::model::isRule(q.specRule)) << q.name;
  }
}

TEST(Quirks, CorpusNamesOnlyKnownQuirks) {
  std::set<std::string> known;
  for (const auto& q : hc::model::allQuirks()) known.insert(std::string(q.name));
  for (const auto& entry : fs::directory_iterator(HC_CORPUS_DIR)) {
    const std::string name = quirkOf(entry.path());
    if (name.empty()) continue;
    EXPECT_TRUE(known.count(name)) << entry.path() << " names unknown quirk " << name;
  }
}

}  // namespace
