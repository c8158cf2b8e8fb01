#include "handlecheck/engine/StraightLine.h"

#include <iterator>
#include <regex>
#include <set>
#include <vector>

#include "CString.h"
#include "CallLayer.h"
#include "CheckCalls.h"
#include "Ops.h"
#include "Protocol.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {
namespace {

using scenario::Expect;
using scenario::Step;
using K = Expect::Kind;

// What a straight-line program adds to the call layer and the check library
// (sut/win32/ReproChecks.h), each piece written only when the program uses
// it (a static function it never calls would not build warning-free).
// `needs`: the pieces it uses.
struct Piece {
  const char* name;
  const char* needs;
  const char* text;
};
constexpr Piece kPieces[] = {
    {"object_name", "", R"(/* Object names get a per-run prefix. */
static const WCHAR *object_name(const char *name)
{
    static WCHAR buf[4][128];
    static int next;
    WCHAR *out = buf[next++ % 4];
    swprintf(out, 128, L"hc%lu-%hs", GetCurrentProcessId(), name);
    return out;
}
)"},
};

// The check library's fail(): which step's expectations run (set before
// them), and where a departure goes. Standalone: one line each, counted for
// main's exit status.
constexpr const char* kStandaloneCheck = R"(static int departed;
static int step_line;
static const char *step_text;

void fail(const char *format, ...)
{
    va_list args;
    printf("line %d: %s: ", step_line, step_text);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf("\n");
    departed++;
}
)";

// Wine-style: each departure is a failed ok().
constexpr const char* kWineCheck = R"(#include "wine/test.h"

static int step_line;
static const char *step_text;

void fail(const char *format, ...)
{
    char why[512];
    va_list args;
    va_start(args, format);
    vsnprintf(why, sizeof(why), format, args);
    va_end(args);
    why[sizeof(why) - 1] = 0;
    ok(0, "line %d: %s: %s\n", step_line, step_text, why);
}
)";

std::string var(const std::string& name) {
  return "h_" + name;
}

std::string handleExpr(const scenario::HandleRef& ref) {
  if (ref.raw) return "(HANDLE)(ULONG_PTR)" + proto::hex(*ref.raw);
  return var(ref.name);
}

bool straightLine(const Step& s) {
  // A parallel block needs the runtime's threads (Reproducer.cpp).
  if (s.process != "P0" || s.block != 0) return false;
  // An observation, or a call through the call layer in P0.
  if (s.op == proto::Op::Query) return true;
  if (proto::opInfo(s.op).layer.empty()) return false;
  return (s.target.empty() || s.target == "P0") && (s.source.empty() || s.source == "P0");
}

// The step's call through the call layer, on `struct hc_call c`, then the
// handles it makes bound to the step's names.
std::string call(const Step& s) {
  const proto::Request q = callShape(s);
  if (s.op == proto::Op::Query) return {};  // an observation only: its checks follow
  proto::CallOperands operands;
  operands.handle = handleExpr(s.handle);
  operands.target = "GetCurrentProcessId()";
  operands.source = "GetCurrentProcessId()";
  operands.name =
      s.objectName.empty() ? "NULL" : "object_name(" + detail::cString(s.objectName) + ")";
  operands.text = detail::cString(s.text);
  std::string out = "memset(&c, 0, sizeof c);\n    " + proto::layerCallText(q, operands) + ";\n";
  if (!s.as.empty()) out += "    " + var(s.as[0]) + " = c.handle;\n";
  if (s.as.size() > 1) out += "    " + var(s.as[1]) + " = c.handle2;\n";
  return out;
}

// The call layer's function a step calls: its layer call text up to "(".
std::string layerFunction(const Step& s) {
  const std::string layer = proto::layerCallText(callShape(s));
  return layer.substr(0, layer.find('('));
}

// The step's expectations as calls of the check library, after the step's
// line and text for fail(). Same and exitcode are out of a one-process
// scenario's reach: left out.
std::string expectations(const Step& s, int line, const std::string& text) {
  std::string checks;
  const auto subject = subjectOf(s);
  for (const Expect& e : s.expects) {
    if (e.kind == K::ExitCode || (e.kind == K::Ok && s.op == proto::Op::Query)) continue;
    if (e.kind == K::Value) {
      // One process: `W` and `P0.W` are the same variable.
      const auto dot = e.text.find('.');
      checks += detail::valueCheck(
          e, e.text.starts_with("#")
                 ? "(HANDLE)(ULONG_PTR)" + e.text.substr(1)
                 : var(dot == std::string::npos ? e.text : e.text.substr(dot + 1)));
      continue;
    }
    checks += detail::callCheck(e);
    if (subject) checks += detail::handleCheck(e, handleExpr(*subject));
  }
  if (checks.empty()) return {};
  return "    step_line = " + std::to_string(line) + ";\n    step_text = " + detail::cString(text) +
         ";\n" + checks;
}

}  // namespace

// The pieces `code` calls and the pieces they use, in kPieces order.
std::string piecesFor(const std::string& code) {
  std::set<std::string> used;
  for (auto it = std::rbegin(kPieces); it != std::rend(kPieces); ++it) {
    const std::string name = it->name;
    bool needed = code.find(name + "(") != std::string::npos;
    for (const Piece& p : kPieces)
      needed |= used.count(p.name) &&
                (" " + std::string(p.needs) + " ").find(" " + name + " ") != std::string::npos;
    if (needed) used.insert(name);
  }
  std::string out;
  for (const Piece& p : kPieces)
    if (used.count(p.name)) out += p.text;
  return out;
}

std::optional<std::string> writeStraightLine(const scenario::Scenario& sc, const ReproOptions& o,
                                             Flavour flavour) {
  std::set<std::string> names;
  std::vector<std::string> layer;
  for (const Step& s : sc.steps) {
    if (!straightLine(s)) return std::nullopt;
    names.insert(s.as.begin(), s.as.end());
    if (s.op != proto::Op::Query) layer.push_back(layerFunction(s));
    if (s.sameAttributes) layer.push_back("DUPLICATE_SAME_ATTRIBUTES");
  }
  std::string code;
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    Step s = sc.steps[i];
    s.comment.clear();
    s.expects.clear();
    const std::string text = scenario::print(s);
    const int line = reproLine(sc.steps[i], i);
    code += "\n    /* line " + std::to_string(line) + ": " + scenario::print(sc.steps[i]) + " */\n";
    if (const std::string made = call(s); !made.empty()) code += "    " + made;
    s.expects = sc.steps[i].expects;
    code += expectations(s, line, text);
  }
  // A handle no later line reads is not kept (C compilers warn about a
  // variable only ever set).
  std::string declarations = code.find("&c") != std::string::npos ? "    struct hc_call c;\n" : "";
  for (const auto& n : names) {
    const std::regex any("\\b" + var(n) + "\\b");
    const std::regex set("    " + var(n) + " = c\\.handle2?;\n");
    const auto count = [&](const std::regex& re) {
      return std::distance(std::sregex_iterator(code.begin(), code.end(), re),
                           std::sregex_iterator());
    };
    if (count(any) == count(set))
      code = std::regex_replace(code, set, "");
    else
      declarations += "    HANDLE " + var(n) + " = NULL;\n";
  }
  code = declarations + code;
  const std::string pieces = piecesFor(code);
  // The check library and what it uses of the call layer.
  const std::string checks = detail::reproChecksText() +
                             "\n/* Error names for the log (winerror.h). */\n" +
                             detail::reproErrorNamesText();
  for (std::string& name : detail::callLayerNamesIn(checks)) layer.push_back(std::move(name));

  std::string out = "/*\n * " + (o.title.empty() ? sc.file : o.title) + "\n";
  for (const auto& note : o.notes) out += " * " + note + "\n";
  out +=
      flavour == Flavour::WineTest
          ? " *\n * A test in the conventions of Wine's conformance tests (dlls/kernel32/tests):\n"
            " * each ok() checks the documented outcome.\n"
          : " *\n * Build: x86_64-w64-mingw32-gcc -static -O1 -o repro.exe repro.c (or cl "
            "repro.c).\n"
            " * Prints \"line N: STEP: expected X, got Y\" per departure; exits 1 on any.\n";
  out +=
      " * The hc_* functions are handlecheck's Win32 call layer (sut/win32), the same\n"
      " * code its agent runs: each call with SetLastError(0xdeadbeef) before it.\n";
  if (o.divergingLine)
    out += " * The system departs at line " + std::to_string(o.divergingLine) + ".\n";
  out +=
      " */\n#include <windows.h>\n#include <stdarg.h>\n#include <stdio.h>\n#include <string.h>\n";
  out += flavour == Flavour::WineTest ? kWineCheck : kStandaloneCheck;
  out += "\n" + detail::callLayerExcerpt(layer) + checks + pieces;
  out += flavour == Flavour::WineTest ? "\nSTART_TEST(handlecheck)\n{\n" : "\nint main(void)\n{\n";
  out += code;
  out += flavour == Flavour::WineTest ? "}\n" : "    return departed ? 1 : 0;\n}\n";
  return out;
}

}  // namespace hc::engine
