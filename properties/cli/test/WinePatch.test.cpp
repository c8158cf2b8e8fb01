// check --wine-patch on a made-up Wine tree: the file a divergence belongs
// in, the patch that adds its test there, and the quirk whose evidence
// already asserts the behaviour in that file.
#include "WinePatch.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "handlecheck/engine/Reproducer.h"
#include "handlecheck/scenario/Scenario.h"

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
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir);
  }
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

// A test that starts processes: its helpers, children and test function before
// START_TEST with the test's name in front of every name they define, its
// children dispatched from the file's own child branch (process.c's myARGC).
TEST_F(WinePatch, AddsATestThatStartsProcessesThroughTheFilesChildBranch) {
  std::ofstream(dir / "tree/dlls/kernel32/tests/process.c")
      << "#include <stdarg.h>\n\n#include \"windef.h\"\n#include \"winbase.h\"\n"
         "#include \"wine/test.h\"\n\nstatic int myARGC;\nstatic char **myARGV;\n\n"
         "static BOOL init(void)\n{\n    myARGC = winetest_get_mainargs( &myARGV );\n"
         "    return TRUE;\n}\n\nSTART_TEST(process)\n{\n    BOOL b = init();\n\n"
         "    if (myARGC >= 3)\n    {\n        if (!strcmp(myARGV[2], \"exit\"))\n"
         "        {\n            return;\n        }\n    }\n    test_Startup();\n}\n";
  CheckReport r;
  const std::string scenario =
      "create event inherit as E => ok\nspawn C1 inherit as HP HT => ok\n"
      "dup E to C1 as EC => ok\nC1: query EC => count=3\n";
  engine::ReproOptions o;
  o.testName = "dup_into_child";
  r.divergences.push_back(entry(3, "new-console-host-inherits", scenario,
                                engine::writeWineTest(scenario::parse(scenario, "d.hcs"), o)));
  const std::string log = writeWinePatches(r, (dir / "tree").string(), (dir / "out").string());
  EXPECT_NE(log.find("adds test_dup_into_child() and its call in START_TEST, its helpers with "
                     "dup_into_child_ in front"),
            std::string::npos)
      << log;
  const std::string patch = read(dir / "out" / (divergenceBase(r.divergences[0]) + ".wine.patch"));
  EXPECT_NE(patch.find("+static void test_dup_into_child(void)\n"), std::string::npos) << patch;
  EXPECT_NE(patch.find("+static BOOL dup_into_child_child(int argc, char **argv)\n"),
            std::string::npos)
      << patch;
  EXPECT_NE(patch.find("     {\n+        if (dup_into_child_child(myARGC, myARGV)) return;\n"),
            std::string::npos)
      << patch;
  EXPECT_NE(patch.find("+static BOOL dup_into_child_start_child("), std::string::npos) << patch;
  EXPECT_NE(patch.find("dup_into_child_start_child(\"dup_into_child_C1\", "), std::string::npos)
      << patch;
  EXPECT_NE(patch.find("+    test_dup_into_child();\n }"), std::string::npos) << patch;
  EXPECT_NE(patch.find("+#include <stdlib.h>\n"), std::string::npos) << patch;
  EXPECT_EQ(patch.find("START_TEST(dup_into_child)"), std::string::npos) << patch;
  EXPECT_EQ(patch.find("\n+static DWORD test_pid;"), std::string::npos) << patch;
}

// One process with helpers: the helpers with the test's name in front, the
// set-up START_TEST made now opening the test function; no child branch needed.
TEST_F(WinePatch, AddsAOneProcessTestWithItsHelpers) {
  std::ofstream(dir / "tree/dlls/kernel32/tests/process.c")
      << "#include \"wine/test.h\"\n\nSTART_TEST(process)\n{\n    test_Startup();\n}\n";
  CheckReport r;
  const std::string scenario = "create mutex as M => ok\ndup M access=0x2 as D => ok, access=0x0\n";
  engine::ReproOptions o;
  o.testName = "dup_access";
  o.departures = {{2, {"access=0x0"}}};
  r.divergences.push_back(entry(6, "new-console-host-inherits", scenario,
                                engine::writeWineTest(scenario::parse(scenario, "d.hcs"), o)));
  const std::string log = writeWinePatches(r, (dir / "tree").string(), (dir / "out").string());
  EXPECT_NE(log.find("adds test_dup_access() and its call in START_TEST, its helpers with "
                     "dup_access_ in front\n"),
            std::string::npos)
      << log;
  const std::string patch = read(dir / "out" / (divergenceBase(r.divergences[0]) + ".wine.patch"));
  EXPECT_NE(patch.find("+static ACCESS_MASK dup_access_granted_access(HANDLE h)\n"),
            std::string::npos)
      << patch;
  EXPECT_NE(patch.find("+    dup_access_pNtQueryObject = (void *)GetProcAddress("),
            std::string::npos)
      << patch;
  EXPECT_EQ(patch.find("_child("), std::string::npos) << patch;
}

// Against Wine 8.0's own process.c and pipe.c (Debian's source package, as
// ci/setup.sh fetches it; a build configured without it has no such test):
// `git apply --check` takes each multi-process patch.
#ifdef HC_WINE_SOURCE
TEST_F(WinePatch, MultiProcessPatchesApplyToWinesOwnTestFiles) {
  const fs::path wine = HC_WINE_SOURCE, tree = dir / "wine";
  for (const char* file : {"dlls/kernel32/tests/process.c", "dlls/kernel32/tests/pipe.c"}) {
    ASSERT_TRUE(fs::exists(wine / file)) << wine / file << " is not there";
    fs::create_directories((tree / file).parent_path());
    fs::copy_file(wine / file, tree / file);
  }
  const std::string git = "git -C '" + tree.string() + "' ";
  ASSERT_EQ(std::system((git + "init -q && " + git + "add -A && " + git +
                         "-c user.name=t -c user.email=t@t commit -qm wine")
                            .c_str()),
            0);
  const auto divergence = [](int n, const std::string& quirk, const std::string& text) {
    return entry(n, quirk, text, engine::writeWineTest(scenario::parse(text, quirk + ".hcs"), {}));
  };
  CheckReport r;
  r.divergences.push_back(divergence(
      4, "new-console-host-inherits",
      "create pipe inherit as H1 H2 => ok\nspawn C1 inherit only H2 no-window as H5 H6 => ok\n"
      "query H2 => count=2\nC1: query H2 => count=2\n"));
  r.divergences.push_back(
      divergence(5, "spawn-handles-ignore-security-attributes",
                 "create pipe inherit as R W => ok\nspawn C1 inherit as HP HT => ok\n"
                 "C1: query W => count=2\nquery R => count=1\n"));
  const std::string log = writeWinePatches(r, tree.string(), (dir / "out").string());
  EXPECT_NE(log.find("dlls/kernel32/tests/process.c (it duplicates a handle, or starts"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("dlls/kernel32/tests/pipe.c (it uses a pipe)"), std::string::npos) << log;
  std::size_t applied = 0;
  for (std::size_t at = 0; (at = log.find("(git apply --check: ok)", at)) != std::string::npos;
       ++at)
    ++applied;
  EXPECT_EQ(applied, 2u) << log;
  // Both at once: the names of one do not clash with the other's or the file's.
  for (const auto& d : r.divergences)
    EXPECT_EQ(
        std::system((git + "apply '" +
                     fs::absolute(dir / "out" / (divergenceBase(d) + ".wine.patch")).string() + "'")
                        .c_str()),
        0);
}
#endif

}  // namespace
}  // namespace hc::cli
