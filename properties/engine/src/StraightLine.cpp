#include "handlecheck/engine/StraightLine.h"

#include <set>

#include "Ops.h"
#include "Protocol.h"
#include "handlecheck/engine/Runner.h"

namespace hc::engine {
namespace {

using scenario::Expect;
using scenario::ObjectType;
using scenario::OpKind;
using scenario::Step;
using K = Expect::Kind;

// Observing a handle (GetHandleInformation, NtQueryObject, GetMailslotInfo)
// and the checks every step shares.
constexpr const char* kPrelude = R"(#include <windows.h>
#include <stdio.h>
#include <string.h>

typedef LONG(WINAPI *query_object_fn)(HANDLE, int, void *, ULONG, ULONG *);
static query_object_fn query_object(void)
{
    return (query_object_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryObject");
}
/* NtQueryObject: ObjectBasicInformation's HandleCount, ObjectTypeInformation's name. */
static long count_of(HANDLE h)
{
    ULONG info[14] = {0};
    return query_object()(h, 0, info, sizeof info, NULL) ? -1 : (long)info[2];
}
static const char *type_of(HANDLE h)
{
    static char name[64];
    struct { USHORT Length, MaximumLength; WCHAR *Buffer; } *s;
    ULONG_PTR buf[128] = {0};
    *(void **)&s = buf;
    name[0] = 0;
    if (!query_object()(h, 2, buf, sizeof buf, NULL))
        WideCharToMultiByte(CP_ACP, 0, s->Buffer, s->Length / 2, name, sizeof name - 1, NULL, NULL);
    return name;
}
static SECURITY_ATTRIBUTES *sa(BOOL inherit)
{
    static SECURITY_ATTRIBUTES s = {sizeof s, NULL, TRUE};
    return inherit ? &s : NULL;
}
/* Object names get a per-run prefix; a mailslot's is its \\.\mailslot\ path. */
static const WCHAR *object_name(const char *name, BOOL mailslot)
{
    static WCHAR buf[4][128];
    static int next;
    WCHAR *out = buf[next++ % 4];
    swprintf(out, 128, L"%lshc%lu-%hs", mailslot ? L"\\\\.\\mailslot\\" : L"", GetCurrentProcessId(), name);
    return out;
}
static char got_text[256];
static const char *result_text(BOOL done, DWORD err)
{
    if (done) sprintf(got_text, err == ERROR_ALREADY_EXISTS ? "ok, already-exists" : "ok");
    else sprintf(got_text, "error=%lu", (unsigned long)err);
    return got_text;
}
/* want: 1 ok, 2 already-exists, 0 the error want_error. */
static void expect_result(int line, const char *step, BOOL done, DWORD err, int want, DWORD want_error,
                          const char *expected)
{
    BOOL held = want == 0 ? !done && err == want_error : done && (want == 1 || err == ERROR_ALREADY_EXISTS);
    check(line, step, held, expected, result_text(done, err));
}
/* -1: not expected. */
static void expect_handle(int line, const char *step, HANDLE h, int valid, int inherit, int protect,
                          long count, int at_least, const char *type, long messages)
{
    DWORD flags = 0, waiting = 0;
    BOOL is_valid = GetHandleInformation(h, &flags);
    long n = count_of(h);
    if (valid >= 0) check(line, step, is_valid == valid, valid ? "valid" : "invalid", is_valid ? "valid" : "invalid");
    if (!is_valid) return;
    if (inherit >= 0)
        check(line, step, !!(flags & HANDLE_FLAG_INHERIT) == inherit, inherit ? "inherit" : "noinherit",
              flags & HANDLE_FLAG_INHERIT ? "inherit" : "noinherit");
    if (protect >= 0)
        check(line, step, !!(flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) == protect, protect ? "protect" : "noprotect",
              flags & HANDLE_FLAG_PROTECT_FROM_CLOSE ? "protect" : "noprotect");
    sprintf(got_text, "count=%ld", n);
    if (count >= 0) check(line, step, at_least ? n >= count : n == count, at_least ? "count>=N" : "count=N", got_text);
    if (type) check(line, step, strcmp(type_of(h), type) == 0, type, type_of(h));
    if (messages >= 0) {
        GetMailslotInfo(h, NULL, NULL, &waiting, NULL);
        sprintf(got_text, "messages=%lu", (unsigned long)waiting);
        check(line, step, (long)waiting == messages, "messages=N", got_text);
    }
}
)";

constexpr const char* kStandaloneCheck = R"(static int departed;
static void check(int line, const char *step, int held, const char *expected, const char *got)
{
    if (held) return;
    printf("line %d: %s: expected %s, got %s\n", line, step, expected, got);
    departed++;
}
)";

constexpr const char* kWineCheck = R"(#include "wine/test.h"
#define check(line, step, held, expected, got) \
    ok(held, "line %d: %s: expected %s, got %s\n", line, step, expected, got)
)";

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string var(const std::string& name) { return "h_" + name; }

std::string handleExpr(const scenario::HandleRef& ref) {
  if (ref.raw) return "(HANDLE)(ULONG_PTR)" + proto::hex(*ref.raw);
  return var(ref.name);
}

std::uint32_t setMask(const Step& s) {
  return (s.setInherit ? proto::kFlagInherit : 0u) | (s.setProtect ? proto::kFlagProtect : 0u);
}
std::uint32_t setFlags(const Step& s) {
  return (s.setInherit.value_or(false) ? proto::kFlagInherit : 0u) |
         (s.setProtect.value_or(false) ? proto::kFlagProtect : 0u);
}

bool straightLine(const Step& s) {
  if (s.process != "P0") return false;
  switch (s.op) {
    case OpKind::Spawn:
    case OpKind::Exit:
    case OpKind::Terminate:
    case OpKind::Wait: return false;
    case OpKind::Dup: return s.target.empty() || s.target == "P0";
    default: return true;
  }
}

// The call, setting `done` (BOOL) and `err` (GetLastError()).
std::string call(const Step& s) {
  const std::string as0 = s.as.empty() ? std::string() : var(s.as[0]);
  const std::string name = s.objectName.empty() ? "NULL" : "object_name(" + quoted(s.objectName) + ", FALSE)";
  const std::string mailslot = "object_name(" + quoted(s.objectName) + ", TRUE)";
  const std::string inherit = s.inherit ? "TRUE" : "FALSE";
  const std::string h = handleExpr(s.handle);
  auto handle = [&](const std::string& expr, const char* failed) {
    return as0 + " = " + expr + ";\n    done = " + as0 + " != " + failed + ";";
  };
  switch (s.op) {
    case OpKind::Create:
      switch (s.type) {
        case ObjectType::Event: return handle("CreateEventW(sa(" + inherit + "), FALSE, FALSE, " + name + ")", "NULL");
        case ObjectType::Mutex: return handle("CreateMutexW(sa(" + inherit + "), FALSE, " + name + ")", "NULL");
        case ObjectType::Semaphore: return handle("CreateSemaphoreW(sa(" + inherit + "), 0, 1, " + name + ")", "NULL");
        case ObjectType::Mapping:
          return handle("CreateFileMappingW(INVALID_HANDLE_VALUE, sa(" + inherit + "), PAGE_READWRITE, 0, 4096, " + name + ")", "NULL");
        case ObjectType::Mailslot:
          return handle("CreateMailslotW(" + mailslot + ", 0, 0, sa(" + inherit + "))", "INVALID_HANDLE_VALUE");
        case ObjectType::Pipe:
          return "done = CreatePipe(&" + as0 + ", &" + var(s.as.at(1)) + ", sa(" + inherit + "), 0);";
      }
      break;
    case OpKind::Open:
      switch (s.type) {
        case ObjectType::Event: return handle("OpenEventW(EVENT_ALL_ACCESS, " + inherit + ", " + name + ")", "NULL");
        case ObjectType::Mutex: return handle("OpenMutexW(MUTEX_ALL_ACCESS, " + inherit + ", " + name + ")", "NULL");
        case ObjectType::Semaphore:
          return handle("OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, " + inherit + ", " + name + ")", "NULL");
        case ObjectType::Mapping:
          return handle("OpenFileMappingW(FILE_MAP_ALL_ACCESS, " + inherit + ", " + name + ")", "NULL");
        case ObjectType::Mailslot:
        case ObjectType::Pipe: {
          return handle("CreateFileW(" + mailslot + ", GENERIC_WRITE, " + proto::shareText(shareMode(s)) +
                            ", sa(" + inherit + "), OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)",
                        "INVALID_HANDLE_VALUE");
        }
      }
      break;
    case OpKind::Close: return "done = CloseHandle(" + h + ");";
    case OpKind::Dup: {
      std::string options = "DUPLICATE_SAME_ACCESS";
      if (s.closeSource) options += "|DUPLICATE_CLOSE_SOURCE";
      if (s.sameAttributes) options += "|DUPLICATE_SAME_ATTRIBUTES";
      return "done = DuplicateHandle(GetCurrentProcess(), " + h + ", GetCurrentProcess(), &" + as0 +
             ", 0, " + inherit + ", " + options + ");";
    }
    case OpKind::Set:
      return "done = SetHandleInformation(" + h + ", " + proto::handleFlagsText(setMask(s)) + ", " +
             proto::handleFlagsText(setFlags(s)) + ");";
    case OpKind::Write:
      return "done = WriteFile(" + h + ", " + quoted(s.text) + ", " + std::to_string(s.text.size()) +
             ", &bytes, NULL);";
    case OpKind::Read: return "done = ReadFile(" + h + ", data, sizeof data, &bytes, NULL);";
    case OpKind::Query: return "done = TRUE; /* observation only */";
    default: break;
  }
  return "";
}

std::string expectations(const Step& s, int line, const std::string& text) {
  std::string out;
  const std::string where = std::to_string(line) + ", " + quoted(text);
  int valid = -1, inherit = -1, protect = -1, atLeast = 0;
  long count = -1, messages = -1;
  std::string type = "NULL";
  for (const Expect& e : s.expects) {
    const std::string expected = quoted(expectText(e));
    switch (e.kind) {
      case K::Ok:
        if (s.op != OpKind::Query) out += "    expect_result(" + where + ", done, err, 1, 0, " + expected + ");\n";
        break;
      case K::AlreadyExists: out += "    expect_result(" + where + ", done, err, 2, 0, " + expected + ");\n"; break;
      case K::Error:
        out += "    expect_result(" + where + ", done, err, 0, " + std::to_string(e.number) + ", " + expected + ");\n";
        break;
      case K::Data:
        out += "    check(" + where + ", done && bytes == " + std::to_string(e.text.size()) + " && !memcmp(data, " +
               quoted(e.text) + ", bytes), " + expected + ", done ? \"other data\" : result_text(done, err));\n";
        break;
      case K::Valid: valid = 1; break;
      case K::Invalid: valid = 0; break;
      case K::Inherit: inherit = 1; break;
      case K::NoInherit: inherit = 0; break;
      case K::Protect: protect = 1; break;
      case K::NoProtect: protect = 0; break;
      case K::Count: count = e.number; break;
      case K::CountAtLeast: count = e.number; atLeast = 1; break;
      case K::Type: type = quoted(e.text); break;
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

std::optional<std::string> writeStraightLine(const scenario::Scenario& sc, const ReproOptions& o,
                                             Flavour flavour) {
  std::set<std::string> names;
  for (const Step& s : sc.steps) {
    if (!straightLine(s)) return std::nullopt;
    names.insert(s.as.begin(), s.as.end());
  }
  std::string out = "/*\n * " + (o.title.empty() ? sc.file : o.title) + "\n";
  for (const auto& note : o.notes) out += " * " + note + "\n";
  out += flavour == Flavour::WineTest
             ? " *\n * A test in the conventions of Wine's conformance tests (dlls/kernel32/tests):\n"
               " * each ok() checks the documented outcome.\n"
             : " *\n * Build: x86_64-w64-mingw32-gcc -static -O1 -o repro.exe repro.c (or cl repro.c).\n"
               " * Prints \"line N: STEP: expected X, got Y\" per departure; exits 1 on any.\n";
  if (o.divergingLine) out += " * The system departs at line " + std::to_string(o.divergingLine) + ".\n";
  out += " */\n";
  out += std::string(kPrelude).substr(0, std::string(kPrelude).find("typedef"));
  out += flavour == Flavour::WineTest ? kWineCheck : kStandaloneCheck;
  out += std::string(kPrelude).substr(std::string(kPrelude).find("typedef"));
  out += flavour == Flavour::WineTest ? "\nSTART_TEST(handlecheck)\n{\n" : "\nint main(void)\n{\n";
  out += "    BOOL done;\n    DWORD err, bytes = 0;\n    char data[4096];\n";
  for (const auto& n : names) out += "    HANDLE " + var(n) + " = NULL;\n";
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    Step s = sc.steps[i];
    s.comment.clear();
    s.expects.clear();
    const std::string text = scenario::print(s);
    const int line = static_cast<int>(i) + 1;
    out += "\n    /* line " + std::to_string(line) + ": " + scenario::print(sc.steps[i]) + " */\n";
    out += "    SetLastError(0xdeadbeef);\n    " + call(s) + "\n    err = GetLastError();\n";
    s.expects = sc.steps[i].expects;
    out += expectations(s, line, text);
  }
  out += "    (void)done; (void)err; (void)bytes; (void)data;\n";
  out += flavour == Flavour::WineTest ? "}\n" : "    return departed ? 1 : 0;\n}\n";
  return out;
}

}  // namespace hc::engine
