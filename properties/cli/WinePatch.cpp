#include "WinePatch.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

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

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// A test with helpers, or one that starts processes, made ready for another test file: every
// name it defines at file scope and every child's role get the test's name in front (no clash
// with the file's names or another such test's), START_TEST's child branch becomes
// `<name>_child(argc, argv)` (TRUE when this process is one of the test's children, which it
// then ran), and START_TEST's set-up of the first process opens test_<name>.
struct MultiProcess {
  std::string name;                   // START_TEST's name
  std::string code;                   // helpers, children, test_<name>, <name>_child
  std::string childCall;              // `<name>_child`
  int threshold = 0;                  // the arguments its children have at least; 0: it starts none
  std::vector<std::string> includes;  // its #include lines
};

bool multiProcess(const std::string& test, MultiProcess& out) {
  const auto header = test.find("#include \"wine/test.h\"\n");
  const auto entry = test.find("\nSTART_TEST(");
  if (header == std::string::npos || entry == std::string::npos) return false;
  out.name = test.substr(entry + 12, test.find(')', entry) - entry - 12);
  const std::string& t = out.name;
  std::smatch m;
  for (const std::string& l : lines(test.substr(0, header + 1)))
    if (l.rfind("#include ", 0) == 0) out.includes.push_back(l);
  std::string code = test.substr(header + 22, entry + 1 - header - 22);
  code.erase(0, code.find_first_not_of('\n'));
  // START_TEST: set-up, the child branch (its threshold and body), the first process's set-up.
  std::vector<std::string> setUp, child, first;
  int threshold = 0;
  int where = 0;  // 0 before the branch, 1 in it, 2 after it
  for (const std::string& l : lines(test.substr(test.find("{", entry) + 2))) {
    if (l == "}" || l == "    char **argv;" || l.empty() || l == "    {" ||
        l == "        return;" || l.rfind("    test_" + t + "();", 0) == 0)
      continue;
    if (std::regex_search(l, m, std::regex(R"(winetest_get_mainargs\(&argv\) >= (\d+)\))"))) {
      out.threshold = threshold = std::stoi(m[1]);
      where = 1;
      continue;
    }
    if (where == 1 && l == "    }") {
      where = 2;
      continue;
    }
    (where == 0 ? setUp : where == 1 ? child : first).push_back(l);
  }
  // The names it defines at file scope, and the roles of its children.
  std::set<std::string> names;
  for (const std::string& l : lines(code))
    if (std::regex_search(l, m, std::regex(R"(^static .*\(WINAPI \*(\w+)\))")) ||
        std::regex_search(l, m, std::regex(R"(^static [^=;(]*?\b(\w+)\()")) ||
        std::regex_search(l, m, std::regex(R"(^static [^=;(]*?\b(\w+)(\[\d+\])?( = [^;]*)?;)")) ||
        std::regex_search(l, m, std::regex(R"(^struct (\w+))")))
      if (m[1] != "test_" + t) names.insert(m[1]);
  std::set<std::string> roles;
  const std::regex spawn(R"(start_child\("(\w+)\")");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), spawn);
       it != std::sregex_iterator(); ++it)
    roles.insert((*it)[1]);
  out.childCall = t + "_child";
  const auto dedent = [](const std::string& l) { return l.size() > 4 ? l.substr(4) : l; };
  std::string dispatch = "/* The processes test_" + t +
                         " starts: each runs its part and returns TRUE. */\n"
                         "static BOOL " +
                         out.childCall +
                         "(int argc, char **argv)\n{\n"
                         "    if (argc < " +
                         std::to_string(threshold) + " || strncmp(argv[2], \"" + t + "_\", " +
                         std::to_string(t.size() + 1) + ")) return FALSE;\n";
  for (const std::string& l : setUp) dispatch += l + "\n";
  for (const std::string& l : child) dispatch += dedent(l) + "\n";
  dispatch += "    return TRUE;\n}\n\n";
  if (!threshold) dispatch.clear();  // one process: no children to dispatch
  // The first process's set-up opens the test function, after its declarations.
  std::string opening;
  for (const std::string& l : setUp) opening += l + "\n";
  for (const std::string& l : first) opening += l + "\n";
  const std::string fn = "static void test_" + t + "(void)\n{\n";
  const auto at = code.find(fn);
  if (at == std::string::npos) return false;
  // After its declarations (the first blank line), a blank line between them.
  const auto open = at + fn.size() - 1;
  const auto blank = code.find("\n\n", open);
  if (blank == std::string::npos) return false;
  code.insert(blank + 1, blank == open ? opening : "\n" + opening);
  code += dispatch;
  for (const std::string& n : names)
    code = std::regex_replace(code, std::regex("\\b" + n + "\\b"), t + "_" + n);
  for (const std::string& r : roles)
    code = std::regex_replace(code, std::regex("\"" + r + "\""), "\"" + t + "_" + r + "\"");
  out.code = code;
  return true;
}

// Where the file's START_TEST dispatches its children: the line `if (ARGC >= N)` (or `> N`)
// whose ARGC is set from winetest_get_mainargs, and its ARGV. Inserts the call of the test's
// own dispatch as the branch's first statement, or before it when the branch needs more
// arguments than the test's children have. False when the file has no such branch.
bool hookChildren(std::string& text, std::size_t entry, const MultiProcess& test) {
  std::smatch m;
  if (!std::regex_search(text, m,
                         std::regex(R"((\w+)\s*=\s*winetest_get_mainargs\(\s*&\s*(\w+)\s*\))")))
    return false;
  const std::string argc = m[1], argv = m[2];
  const std::string tail = text.substr(entry);
  if (!std::regex_search(tail, m,
                         std::regex("\\n( *)if \\(" + argc + R"( *(>=|>) *(\d+)\)\n *\{\n)")))
    return false;
  const std::string indent = m[1];
  const int needs = std::stoi(m[3]) + (m[2] == ">" ? 1 : 0);
  const std::string call = "if (" + test.childCall + "(" + argc + ", " + argv + ")) return;\n";
  const std::size_t branch = entry + static_cast<std::size_t>(m.position(0)) + 1;
  if (needs <= test.threshold)
    text.insert(branch + static_cast<std::size_t>(m.length(0)) - 1, indent + "    " + call);
  else
    text.insert(branch, indent + call);
  return true;
}

// The assertion of Wine's file that already covers a divergence, "source:
// assertion", or "" (a quirk's Windows evidence names the Wine test).
std::string alreadyAsserted(const DivergenceEntry& e, const Home& home) {
  std::string covered;
  for (const std::string& q : e.quirks)
    if (const model::Quirk* quirk = model::quirkByName(q);
        quirk && quirk->windows.source.find(home.file) != std::string_view::npos &&
        quirk->windows.assertion.find("ok(") != std::string_view::npos &&
        quirk->windows.assertion.find("no assertion") == std::string_view::npos &&
        quirk->windows.assertion.find("either passes") == std::string_view::npos)
      covered = std::string(quirk->windows.source) + ": " + std::string(quirk->windows.assertion);
  return covered;
}

// Puts a test with helpers or children into `text` (a Wine test file whose
// START_TEST begins at `entry`): its code before START_TEST, its call at the
// end of START_TEST, its children's dispatch in START_TEST's child branch and
// the #include lines the file lacks. Returns what was added, or "" with
// `error` set.
std::string insertSeveral(std::string& text, std::size_t entry, const MultiProcess& several,
                          std::string& error) {
  if (several.threshold && !hookChildren(text, entry, several)) {
    error =
        "its START_TEST has no child branch (`if (ARGC >= N)` on winetest_get_mainargs' "
        "count) for the test's children";
    return "";
  }
  text.insert(text.rfind("\n}") + 1, "    test_" + several.name + "();\n");
  text.insert(entry + 1, several.code);
  // What the test includes and the file does not, after the file's last #include.
  const auto last = text.rfind("\n#include ", entry);
  const auto after = last == std::string::npos ? 0 : text.find('\n', last + 1) + 1;
  std::string more;
  for (const std::string& include : several.includes)
    if (text.find("\n" + include + "\n") == std::string::npos) more += include + "\n";
  text.insert(after, more);
  std::string how = " and its call in START_TEST, its helpers with " + several.name + "_ in front";
  if (several.threshold)
    how += ", its children through " + several.childCall + "() in START_TEST's child branch";
  return how;
}

// `diff -u` of `file` in the Wine tree against `patched`, written to `patch`;
// false when nothing came out.
bool writeDiff(const fs::path& target, const std::string& file, const std::string& patched,
               const fs::path& work, const fs::path& patch) {
  fs::create_directories(work / fs::path(file).parent_path());
  std::ofstream(work / file, std::ios::binary) << patched;
  const std::string diff = "diff -u --label " + quoted("a/" + file) + " --label " +
                           quoted("b/" + file) + " " + quoted(target.string()) + " " +
                           quoted((work / file).string()) + " > " + quoted(patch.string());
  std::system(diff.c_str());
  fs::remove_all(work);
  return fs::exists(patch) && fs::file_size(patch) > 0;
}

// One divergence's patch against the Wine tree: the log line saying where it
// went, or why there is none.
std::string patchOne(const DivergenceEntry& e, const std::string& wineTree,
                     const std::string& outDir, bool git) {
  const std::string base = divergenceBase(e);
  const Home home = homeOf(e.scenario);
  std::string line = base + ": " + home.file + " (" + home.why + ")";
  if (const std::string covered = alreadyAsserted(e, home); !covered.empty())
    return line + ": already asserted there, no patch: " + covered;
  std::string function, name;
  fs::path target = fs::path(wineTree) / home.file;
  if (!fs::exists(target)) return line + ": not in " + wineTree + ", no patch";
  MultiProcess several;
  const bool alone = testFunction(e.wineTestText, function, name);
  if (!alone && !multiProcess(e.wineTestText, several))
    return line + ": no patch (no START_TEST in the test; see " + base + ".wine.c)";
  // A test that starts processes needs a file whose START_TEST dispatches children.
  std::string file = home.file;
  if (several.threshold && slurp(target).find("winetest_get_mainargs") == std::string::npos &&
      fs::exists(fs::path(wineTree) / "dlls/kernel32/tests/process.c")) {
    file = "dlls/kernel32/tests/process.c";
    target = fs::path(wineTree) / file;
    line += ", but the test starts processes and " + std::string(home.file) +
            " starts none: " + file + ", whose START_TEST dispatches its children";
  }
  std::string patched = slurp(target);
  const auto entry = patched.rfind("\nSTART_TEST(");
  const auto close = patched.rfind("\n}");
  if (entry == std::string::npos || close == std::string::npos || close < entry)
    return line + ": no START_TEST in it, no patch";
  std::string how = " and its call in START_TEST", error;
  if (alone) {
    patched.insert(close + 1, "    " + name + "();\n");
    patched.insert(entry + 1, function);
  } else {
    name = "test_" + several.name;
    how = insertSeveral(patched, entry, several, error);
    if (!error.empty()) return line + ": no patch: " + error;
  }
  const fs::path patch = fs::path(outDir) / (base + ".wine.patch");
  if (!writeDiff(target, file, patched, fs::path(outDir) / (base + ".wine-patch"), patch))
    return line +
           ": no patch: `diff -u` through a POSIX shell made nothing (--wine-patch needs both)";
  line += ": " + patch.string() + " adds " + name + "()" + how;
  if (git)
    line +=
        run("git -C " + quoted(wineTree) + " apply --check " + quoted(fs::absolute(patch).string()))
            ? " (git apply --check FAILED)"
            : " (git apply --check: ok)";
  return line;
}

}  // namespace

std::string writeWinePatches(const CheckReport& report, const std::string& wineTree,
                             const std::string& outDir) {
  std::string log;
  const bool git = fs::exists(fs::path(wineTree) / ".git");
  for (const DivergenceEntry& e : report.divergences)
    log += patchOne(e, wineTree, outDir, git) + "\n";
  return log;
}

}  // namespace hc::cli
