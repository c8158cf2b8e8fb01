// check --wine-patch on a made-up Wine tree: the file a divergence belongs
// in, the patch that adds its test there, and the quirk whose evidence
// already asserts the behaviour in that file.
#include "WinePatch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

struct WinePatch : ::testing::Test {
  fs::path dir =
      fs::temp_directory_path() /
      ("hc-wine-patch-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir / "tree/dlls/kernel32/tests");
    std::ofstream(dir / "tree/dlls/kernel32/tests/mailslot.c")
        << "static int mailslot_test(void)\n{\n    return 0;\n}\n\nSTART_TEST(mailslot)\n{\n"
           "    mailslot_test();\n}\n";
    fs::create_directories(dir / "out");
  }
  void TearDown() override { fs::remove_all(dir); }
  static std::string read(const fs::path& p) {
    std::ostringstream s;
    s << std::ifstream(p).rdbuf();
    return s.str();
  }
};

DivergenceEntry entry(int number, std::string quirk, std::string scenario, std::string test) {
  DivergenceEntry e;
  e.number = number;
  e.quirk = quirk;
  e.quirks = {quirk};
  e.scenario = std::move(scenario);
  e.wineTestText = std::move(test);
  return e;
}

TEST_F(WinePatch, AddsTheTestFunctionAndItsCallToTheFileItBelongsIn) {
  CheckReport r;
  r.divergences.push_back(entry(
      1, "mailslot-server-never-inheritable", "create mailslot M inherit as H1 => ok, inherit\n",
      "#include \"wine/test.h\"\n\nstatic void test_x(void)\n{\n    ok(1, \"\\n\");\n}\n\n"
      "START_TEST(x)\n{\n    test_x();\n}\n"));
  const std::string log = writeWinePatches(r, (dir / "tree").string(), (dir / "out").string());
  EXPECT_NE(log.find("dlls/kernel32/tests/mailslot.c (it uses a mailslot)"), std::string::npos)
      << log;
  const std::string patch = read(dir / "out" / (divergenceBase(r.divergences[0]) + ".wine.patch"));
  EXPECT_NE(
      patch.find("--- a/dlls/kernel32/tests/mailslot.c\n+++ b/dlls/kernel32/tests/mailslot.c"),
      std::string::npos)
      << patch;
  EXPECT_NE(patch.find("+static void test_x(void)\n"), std::string::npos) << patch;
  EXPECT_NE(patch.find("     mailslot_test();\n+    test_x();\n }"), std::string::npos) << patch;
}

TEST_F(WinePatch, SaysWhenTheFileAlreadyAssertsIt) {
  CheckReport r;
  r.divergences.push_back(entry(2, "mailslot-message-count",
                                "create mailslot m as M => ok\nquery M => messages=1\n",
                                "static void test_x(void)\n{\n}\n\nSTART_TEST(x)\n{\n}\n"));
  const std::string log = writeWinePatches(r, (dir / "tree").string(), (dir / "out").string());
  EXPECT_NE(log.find("already asserted there, no patch: wine-mirror/wine "
                     "dlls/kernel32/tests/mailslot.c"),
            std::string::npos)
      << log;
  EXPECT_FALSE(fs::exists(dir / "out" / (divergenceBase(r.divergences[0]) + ".wine.patch")));
}

}  // namespace
}  // namespace hc::cli
