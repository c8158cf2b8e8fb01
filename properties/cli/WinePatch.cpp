#include "WinePatch.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "handlecheck/model/Profile.h"

namespace hc::cli {
namespace fs = std::filesystem;
namespace {

struct Home {
  const char* file;
  const char* why;
};

// Where a scenario's behaviour is tested in Wine: the first object it uses.
Home homeOf(const std::string& scenario) {
  const auto uses = [&](const char* word) { return scenario.find(word) != std::string::npos; };
  if (uses("mailslot")) return {"dlls/kernel32/tests/mailslot.c", "it uses a mailslot"};
  if (uses("dup ") || uses(" only ") || uses("process-inherit") || uses("thread-inherit") ||
      uses("terminate "))
    return {"dlls/kernel32/tests/process.c",
            "it duplicates a handle, or starts or ends a process (test_DuplicateHandle and the "
            "process tests live there)"};
  if (uses("namedpipe") || uses("create pipe") || uses("peek"))
    return {"dlls/kernel32/tests/pipe.c", "it uses a pipe"};
  if (uses("spawn")) return {"dlls/kernel32/tests/process.c", "it starts a process"};
  if (uses("event") || uses("mutex") || uses("semaphore"))
    return {"dlls/kernel32/tests/sync.c", "it uses a synchronisation object"};
  return {"dlls/ntdll/tests/om.c", "it observes object types and counts"};
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return status == 0 ? 0 : 1;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The generated test's P0 function, when it is one function alone (no
// helpers, no children): its text and name.
bool testFunction(const std::string& test, std::string& text, std::string& name) {
  const auto start = test.find("\nstatic void test_");
  const auto entry = test.find("\nSTART_TEST(");
  if (start == std::string::npos || entry == std::string::npos) return false;
  if (test.find("\nstatic ", test.find("#include \"wine/test.h\"")) != start) return false;
  text = test.substr(start + 1, entry - start);
  name = text.substr(12, text.find('(') - 12);
  return true;
}

}  // namespace

std::string writeWinePatches(const CheckReport& report, const std::string& wineTree,
                             const std::string& outDir) {
  std::string log;
  const bool git = fs::exists(fs::path(wineTree) / ".git");
  for (const DivergenceEntry& e : report.divergences) {
    const std::string base = divergenceBase(e);
    const Home home = homeOf(e.scenario);
    std::string line = base + ": " + home.file + " (" + home.why + ")";
    // Already asserted there? The quirk's Windows evidence names the Wine test.
    std::string covered;
    for (const std::string& q : e.quirks)
      if (const model::Quirk* quirk = model::quirkByName(q);
          quirk && quirk->windows.source.find(home.file) != std::string_view::npos &&
          quirk->windows.assertion.find("ok(") != std::string_view::npos &&
          quirk->windows.assertion.find("no assertion") == std::string_view::npos &&
          quirk->windows.assertion.find("either passes") == std::string_view::npos)
        covered = std::string(quirk->windows.source) + ": " + std::string(quirk->windows.assertion);
    if (!covered.empty()) {
      log += line + ": already asserted there, no patch: " + covered + "\n";
      continue;
    }
    std::string function, name;
    const fs::path target = fs::path(wineTree) / home.file;
    if (!fs::exists(target)) {
      log += line + ": not in " + wineTree + ", no patch\n";
      continue;
    }
    if (!testFunction(e.wineTestText, function, name)) {
      log += line + ": no patch (the test needs helpers or child processes; see " + base +
             ".wine.c)\n";
      continue;
    }
    std::string text = slurp(target);
    const auto entry = text.rfind("\nSTART_TEST(");
    const auto close = text.rfind("\n}");
    if (entry == std::string::npos || close == std::string::npos || close < entry) {
      log += line + ": no START_TEST in it, no patch\n";
      continue;
    }
    std::string patched = text;
    patched.insert(close + 1, "    " + name + "();\n");
    patched.insert(entry + 1, function);
    const fs::path work = fs::path(outDir) / (base + ".wine-patch");
    fs::create_directories(work / fs::path(home.file).parent_path());
    std::ofstream(work / home.file, std::ios::binary) << patched;
    const fs::path patch = fs::path(outDir) / (base + ".wine.patch");
    const std::string diff = "diff -u --label " + quoted("a/" + std::string(home.file)) +
                             " --label " + quoted("b/" + std::string(home.file)) + " " +
                             quoted(target.string()) + " " + quoted((work / home.file).string()) +
                             " > " + quoted(patch.string());
    std::system(diff.c_str());
    fs::remove_all(work);
    if (!fs::exists(patch) || fs::file_size(patch) == 0) {
      line += ": no patch: `diff -u` through a POSIX shell made nothing (--wine-patch needs both)";
      log += line + "\n";
      continue;
    }
    line += ": " + patch.string() + " adds " + name + "() and its call in START_TEST";
    if (git)
      line += run("git -C " + quoted(wineTree) + " apply --check " +
                  quoted(fs::absolute(patch).string()))
                  ? " (git apply --check FAILED)"
                  : " (git apply --check: ok)";
    log += line + "\n";
  }
  return log;
}

}  // namespace hc::cli
