#include "handlecheck/engine/StraightLine.h"

#include <iterator>
#include <regex>
#include <set>
#include <vector>

#include "CString.h"
#include "CallLayer.h"

#include "Ops.h"
#include "Protocol.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {
namespace {

using scenario::Expect;
using scenario::Step;
using K = Expect::Kind;

// What a straight-line program adds to the call layer, each piece written
// only when the program uses it (a static function it never calls would
// not build warning-free): object names, and the checks of what a call
// returned and of a handle's state (hc_observe). `needs`: the pieces it uses.
struct Piece {
  const char* name;
  const char* needs;
  const char* text;
};
constexpr Piece kPieces[] = {
    {"check", "", R"(static void check(int line, const char *step, int held, const char *expected, const char *got)
{
    if (held) return;
    printf("line %d: %s: expected %s, got %s\n", line, step, expected, got);
    departed++;
}
)"},
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
    {"got_text", "", "static char got_text[256];\n"},
    {"result_text", "got_text", R"(static const char *result_text(const struct hc_call *c)
{
    if (c->succeeded) sprintf(got_text, c->already_exists ? "ok, already-exists" : "ok");
    else sprintf(got_text, "error=%lu", (unsigned long)c->error);
    return got_text;
}
)"},
    {"expect_result", "result_text check", R"(/* want: 1 ok, 2 already-exists, 0 the error want_error. */
static void expect_result(int line, const char *step, const struct hc_call *c, int want, DWORD want_error,
                          const char *expected)
{
    BOOL held = want == 0 ? !c->succeeded && c->error == want_error
                          : c->succeeded && (want == 1 || c->already_exists);
    check(line, step, held, expected, result_text(c));
}
)"},
    {"expect_handle", "got_text check", R"(/* -1: not expected. */
static void expect_handle(int line, const char *step, HANDLE h, int valid, int inherit, int protect,
                          long count, int at_least, const char *type, long messages)
{
    struct hc_observation o;
    hc_observe(h, &o);
    if (valid >= 0) check(line, step, o.valid == valid, valid ? "valid" : "invalid", o.valid ? "valid" : "invalid");
    if (!o.valid) return;
    if (inherit >= 0)
        check(line, step, !!(o.flags & HANDLE_FLAG_INHERIT) == inherit, inherit ? "inherit" : "noinherit",
              o.flags & HANDLE_FLAG_INHERIT ? "inherit" : "noinherit");
    if (protect >= 0)
        check(line, step, !!(o.flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) == protect, protect ? "protect" : "noprotect",
              o.flags & HANDLE_FLAG_PROTECT_FROM_CLOSE ? "protect" : "noprotect");
    if (o.has_count) sprintf(got_text, "count=%lu", (unsigned long)o.count);
    else sprintf(got_text, "no count");
    if (count >= 0)
        check(line, step, o.has_count && (at_least ? (long)o.count >= count : (long)o.count == count),
              at_least ? "count>=N" : "count=N", got_text);
    if (type) check(line, step, strcmp(o.type, type) == 0, type, o.type);
    if (messages >= 0) {
        sprintf(got_text, "messages=%lu", (unsigned long)o.messages);
        check(line, step, (long)o.messages == messages, "messages=N", got_text);
    }
}
)"},
};

// Standalone, check() is a function (a piece) counting departures for main's exit status.
constexpr const char* kStandaloneCheck = "static int departed;\n";

constexpr const char* kWineCheck = R"(#include "wine/test.h"
#define check(line, step, held, expected, got) \
    ok(held, "line %d: %s: expected %s, got %s\n", line, step, expected, got)
)";

std::string var(const std::string& name) { return "h_" + name; }

std::string handleExpr(const scenario::HandleRef& ref) {
  if (ref.raw) return "(HANDLE)(ULONG_PTR)" + proto::hex(*ref.raw);
  return var(ref.name);
}

bool straightLine(const Step& s) {
  if (s.process != "P0") return false;
  // An observation, or a call through the call layer in P0.
  if (s.op == proto::Op::Query) return true;
  if (proto::opInfo(s.op).layer.empty()) return false;
  return s.target.empty() || s.target == "P0";
}

// The step's call through the call layer, on `struct hc_call c`, then the
// handles it makes bound to the step's names.
std::string call(const Step& s) {
  const proto::Request q = callShape(s);
  if (s.op == proto::Op::Query) return {};  // an observation only: its checks follow
  proto::CallOperands operands;
  operands.handle = handleExpr(s.handle);
  operands.target = "GetCurrentProcessId()";
  operands.name = s.objectName.empty() ? "NULL" : "object_name(" + detail::cString(s.objectName) + ")";
  operands.text = detail::cString(s.text);
  std::string out = "memset(&c, 0, sizeof c);\n    " + proto::layerCallText(q, operands) + ";\n";
  if (!s.as.empty()) out += "    " + var(s.as[0]) + " = c.handle;\n";
  if (s.as.size() > 1) out += "    " + var(s.as[1]) + " = c.handle2;\n";
  return out;
}

// The call layer's function a step calls: the table of operations' layer text up to "(".
std::string layerFunction(const Step& s) {
  const std::string_view layer = proto::opInfo(callShape(s).op).layer;
  return std::string(layer.substr(0, layer.find('(')));
}

std::string expectations(const Step& s, int line, const std::string& text) {
  std::string out;
  const std::string where = std::to_string(line) + ", " + detail::cString(text);
  int valid = -1, inherit = -1, protect = -1, atLeast = 0;
  long count = -1, messages = -1;
  std::string type = "NULL";
  for (const Expect& e : s.expects) {
    const std::string expected = detail::cString(expectText(e));
    switch (e.kind) {
      case K::Ok:
        if (s.op != proto::Op::Query) out += "    expect_result(" + where + ", &c, 1, 0, " + expected + ");\n";
        break;
      case K::AlreadyExists: out += "    expect_result(" + where + ", &c, 2, 0, " + expected + ");\n"; break;
      case K::Error:
        out += "    expect_result(" + where + ", &c, 0, " + std::to_string(e.number) + ", " + expected + ");\n";
        break;
      case K::Data:
        out += "    check(" + where + ", c.has_data && c.data_len == " + std::to_string(e.text.size()) +
               " && !memcmp(c.data, " + detail::cString(e.text) + ", c.data_len), " + expected +
               ", c.has_data ? \"other data\" : result_text(&c));\n";
        break;
      case K::Valid: valid = 1; break;
      case K::Invalid: valid = 0; break;
      case K::Inherit: inherit = 1; break;
      case K::NoInherit: inherit = 0; break;
      case K::Protect: protect = 1; break;
      case K::NoProtect: protect = 0; break;
      case K::Count: count = e.number; break;
      case K::CountAtLeast: count = e.number; atLeast = 1; break;
      case K::Type: type = detail::cString(e.text); break;
      case K::Messages: messages = e.number; break;
      case K::Same:
      case K::ExitCode: break;  // not in a one-process scenario's reach: left out
    }
  }
  const auto subject = subjectOf(s);
  if (subject && (valid >= 0 || inherit >= 0 || protect >= 0 || count >= 0 || type != "NULL" || messages >= 0))
    out += "    expect_handle(" + where + ", " + handleExpr(*subject) + ", " + std::to_string(valid) + ", " +
           std::to_string(inherit) + ", " + std::to_string(protect) + ", " + std::to_string(count) + ", " +
           std::to_string(atLeast) + ", " + type + ", " + std::to_string(messages) + ");\n";
  return out;
}

}  // namespace

// The pieces `code` calls and the pieces they use, in kPieces order; the
// Wine-style flavour's check is wine/test.h's ok(), not a piece.
std::string piecesFor(const std::string& code, Flavour flavour) {
  std::set<std::string> used;
  for (auto it = std::rbegin(kPieces); it != std::rend(kPieces); ++it) {
    const std::string name = it->name;
    if (name == "check" && flavour == Flavour::WineTest) continue;
    bool needed = code.find(name + "(") != std::string::npos;
    for (const Piece& p : kPieces)
      needed |= used.count(p.name) && (" " + std::string(p.needs) + " ").find(" " + name + " ") != std::string::npos;
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
      return std::distance(std::sregex_iterator(code.begin(), code.end(), re), std::sregex_iterator());
    };
    if (count(any) == count(set)) code = std::regex_replace(code, set, "");
    else declarations += "    HANDLE " + var(n) + " = NULL;\n";
  }
  code = declarations + code;
  const std::string pieces = piecesFor(code, flavour);
  if (pieces.find("hc_observe(") != std::string::npos) layer.push_back("hc_observe");
  if (layer.empty()) layer.push_back("hc_call");

  std::string out = "/*\n * " + (o.title.empty() ? sc.file : o.title) + "\n";
  for (const auto& note : o.notes) out += " * " + note + "\n";
  out += flavour == Flavour::WineTest
             ? " *\n * A test in the conventions of Wine's conformance tests (dlls/kernel32/tests):\n"
               " * each ok() checks the documented outcome.\n"
             : " *\n * Build: x86_64-w64-mingw32-gcc -static -O1 -o repro.exe repro.c (or cl repro.c).\n"
               " * Prints \"line N: STEP: expected X, got Y\" per departure; exits 1 on any.\n";
  out += " * The hc_* functions are handlecheck's Win32 call layer (sut/win32), the same\n"
         " * code its agent runs: each call with SetLastError(0xdeadbeef) before it.\n";
  if (o.divergingLine) out += " * The system departs at line " + std::to_string(o.divergingLine) + ".\n";
  out += " */\n#include <windows.h>\n#include <stdio.h>\n#include <string.h>\n";
  out += flavour == Flavour::WineTest ? kWineCheck : kStandaloneCheck;
  out += "\n" + detail::callLayerExcerpt(layer) + pieces;
  out += flavour == Flavour::WineTest ? "\nSTART_TEST(handlecheck)\n{\n" : "\nint main(void)\n{\n";
  out += code;
  out += flavour == Flavour::WineTest ? "}\n" : "    return departed ? 1 : 0;\n}\n";
  return out;
}

}  // namespace hc::engine
