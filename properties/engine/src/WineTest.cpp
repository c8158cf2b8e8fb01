// The scenario as a test in Wine's own style (writeWineTest, Reproducer.h):
// each process's steps as straight-line Win32 calls written from the table
// of operations' call templates (Ops.h), each checked expectation one ok() on
// its own line after SetLastError(0xdeadbeef), the departures the system is
// known to make wrapped in todo_wine. P0 is `static void test_NAME(void)`;
// every other process is the test started again the way
// dlls/kernel32/tests/process.c does it (winetest_get_mainargs, the role on
// the command line, wait_child_process), woken by a named event only where
// its steps alternate with P0's (a child whose steps follow its spawn and end
// the test runs them as it starts), handle values crossing processes through a
// small named mapping. A child another child started is paced by P0 through
// its events and waited for by its parent. Steps after the last check assert
// nothing and are left out. Where the scenario touches standard
// handles (std, setstd, a spawn's std fields or console word), start_child
// passes dwCreationFlags and STARTF_USESTDHANDLES as the agent's spawn does,
// waits until the child runs, and each child reports through the first
// process's output, whatever its own std handles are. Scenarios outside that
// shape (a designated parent, signal, map, same= across processes, a check in a
// third process) get nothing here: the caller falls back to the straight-line
// writer or the runtime reproducer.
#include "WineTest.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "CString.h"
#include "Ops.h"
#include "Protocol.h"
#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine::detail {
namespace {

using scenario::Expect;
using scenario::Step;
using K = Expect::Kind;

struct Unsupported {};

std::string var(const std::string& name) {
  return "h_" + name;
}

std::string cIdentifier(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "t_" + s;
  return s;
}

bool returnsHandle(proto::Op op) {
  return op == proto::Op::CreateEvent || op == proto::Op::CreateMutex ||
         op == proto::Op::CreateSemaphore || op == proto::Op::CreateMapping ||
         op == proto::Op::CreateMailslot || op == proto::Op::OpenEvent ||
         op == proto::Op::OpenMutex || op == proto::Op::OpenSemaphore ||
         op == proto::Op::OpenMapping || op == proto::Op::OpenMailslot ||
         op == proto::Op::CreateNamedPipe || op == proto::Op::OpenNamedPipe ||
         op == proto::Op::GetStd;
}

// CreateFileW, CreateMailslotW and CreateNamedPipeW fail with INVALID_HANDLE_VALUE.
std::string failedHandle(proto::Op op) {
  return op == proto::Op::CreateMailslot || op == proto::Op::OpenMailslot ||
                 op == proto::Op::CreateNamedPipe || op == proto::Op::OpenNamedPipe ||
                 op == proto::Op::GetStd
             ? "INVALID_HANDLE_VALUE"
             : "NULL";
}

bool callExpect(K k) {
  return k == K::Ok || k == K::Error || k == K::AlreadyExists || k == K::Data || k == K::ExitCode ||
         k == K::Avail || k == K::Instances || k == K::Value || k == K::AttributeListSize;
}

// A spawn's STARTUPINFO std fields, in hStdInput, hStdOutput, hStdError order.
std::vector<const std::optional<scenario::HandleRef>*> stdFields(const Step& s) {
  return {&s.stdInput, &s.stdOutput, &s.stdError};
}

bool usesStdHandles(const Step& s) {
  return s.stdInput || s.stdOutput || s.stdError;
}

// `value=W` / `value=P0.W`: the process whose W it names (empty: the step's own), and W.
std::pair<std::string, std::string> valueOperand(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos) return {"", text};
  return {text.substr(0, dot), text.substr(dot + 1)};
}

// One process's function: its declarations (in first-use order) and body.
struct Function {
  std::vector<std::string> decls;
  std::string body;
  std::set<std::string> loaded;  // cross-process names read from the mapping in this run
  void declare(const std::string& d) {
    if (std::find(decls.begin(), decls.end(), d) == decls.end()) decls.push_back(d);
  }
};

class Generator {
 public:
  Generator(const scenario::Scenario& sc, const ReproOptions& o) : sc_(sc), o_(o) {}

  std::string write() {
    // Two dry runs: the steps after the last one that checks anything assert nothing
    // and are left out; then which children need no pacing (freeRunning).
    steps_ = probe(sc_.steps.size()).lastChecking_ + 1;
    if (steps_ == 0) steps_ = sc_.steps.size();
    const Generator dry = probe(steps_);
    freeRunning_ = dry.freeRunning();
    lastRun_ = dry.lastRun(freeRunning_);
    byCommandLine_ = dry.byCommandLine_;
    findCrossings();
    for (std::size_t i = 0; i < steps_; ++i) step(i);
    finish();
    return text();
  }

  // The generator run over the first `steps` steps, for what it learns.
  Generator probe(std::size_t steps) const {
    Generator g(sc_, o_);
    g.steps_ = steps;
    g.findCrossings();
    for (std::size_t i = 0; i < steps; ++i) g.step(i);
    return g;
  }

 private:
  // Which names cross processes: a name read in a process other than the
  // one whose step bound it.
  void findCrossings() {
    std::map<std::string, std::string> binder;
    const auto use = [&](const std::string& where, const std::string& name) {
      if (name.empty()) return;
      const auto it = binder.find(name);
      if (it != binder.end() && it->second != where) cross_.insert(name);
    };
    for (std::size_t i = 0; i < steps_; ++i) {
      const Step& s = sc_.steps[i];
      if (s.op == proto::Op::Spawn && (s.parent || s.parentSize || s.unknownAttribute))
        throw Unsupported{};
      if (s.op == proto::Op::Spawn && (s.console & proto::kConsoleGui)) usesGui_ = true;
      if (s.op == proto::Op::Spawn && s.process != "P0") nested_ = true;
      if (s.op == proto::Op::GetStd || s.op == proto::Op::SetStd ||
          (s.op == proto::Op::Spawn && (s.console || usesStdHandles(s))))
        usesStd_ = true;
      // signal and map are written by the straight-line writer, whose call
      // layer picks the call by the object's type.
      if (s.op == proto::Op::Signal || s.op == proto::Op::Map) throw Unsupported{};
      // Sizing is checked for start_child's one attribute, the handle list.
      for (const Expect& e : s.expects)
        if (e.kind == K::AttributeListSize && !s.only) throw Unsupported{};
      if (s.only) usesList_ = true;
      if (s.sameAttributes) sameAttributes_ = true;
      const std::vector<const Expect*> checks = checked(s, reproLine(s, i));
      const bool stateChecked = std::any_of(checks.begin(), checks.end(),
                                            [](const Expect* e) { return !callExpect(e->kind); });
      for (const Expect* checkedExpect : checks) {
        const Expect& e = *checkedExpect;
        if (e.kind == K::Same && e.text.find('.') != std::string::npos) throw Unsupported{};
        if (e.kind == K::Same) {
          usesCompare_ = true;
          use(homeOf(s), e.text);
        }
        if (e.kind == K::Value && !e.text.starts_with("#")) {
          const auto [label, name] = valueOperand(e.text);
          if (!label.empty() && label != "P0" && label != s.process) throw Unsupported{};
          use(s.process, name);
        }
      }
      if (s.op == proto::Op::Spawn)
        for (const auto* field : stdFields(s))
          if (*field && !(*field)->raw) use(s.process, (*field)->name);
      if (!s.target.empty() && s.target != "P0" && s.process != "P0") throw Unsupported{};
      if (!s.source.empty() && s.source != "P0" && s.process != "P0") throw Unsupported{};
      if (!s.handle.raw && (s.op != proto::Op::Query || stateChecked))
        use(s.process, s.handle.name);
      if (s.only)
        for (const auto& r : *s.only)
          if (!r.raw) use(s.process, r.name);
      const std::string home = homeOf(s);
      if (home != "P0" && !childProcess_.count(home)) throw Unsupported{};
      if (!(s.op == proto::Op::Dup && !s.source.empty()))
        for (const auto& n : s.as) binder[n] = s.process;
      if (home != s.process && stateChecked) use(home, s.as.empty() ? s.handle.name : s.as[0]);
      if (s.op == proto::Op::Spawn) {
        children_.push_back(s.child);
        childProcess_[s.child] = s.as.at(0);
        spawner_[s.child] = s.process;
      }
    }
    for (const std::string& n : cross_) slot_[n] = static_cast<int>(slot_.size());
  }

  Function& fn(const std::string& p) { return functions_[p]; }

  // Where the step's handle lives: a dup's target, or with `from` its source
  // (SPEC 50), else the process that runs it.
  static std::string homeOf(const Step& s) {
    if (s.op == proto::Op::Dup && !s.source.empty()) return s.source;
    if (s.op == proto::Op::Dup && !s.target.empty()) return s.target;
    return s.process;
  }

  // A name's variable in process p, read from the mapping first when
  // another process bound it.
  std::string handle(const std::string& p, const scenario::HandleRef& ref) {
    if (ref.raw) return "(HANDLE)(ULONG_PTR)" + proto::hex(*ref.raw);
    Function& f = fn(p);
    f.declare("HANDLE " + var(ref.name) + " = NULL;");
    if (cross_.count(ref.name) && boundIn_[ref.name] != p && !f.loaded.count(ref.name)) {
      byCommandLine_ &= knownAtStart(p, ref.name);
      f.body += "    " + var(ref.name) + " = shared[" + std::to_string(slot_[ref.name]) +
                "];  /* " + ref.name + ", from " + boundIn_[ref.name] + " */\n";
      f.loaded.insert(ref.name);
    }
    return var(ref.name);
  }

  void bound(const std::string& p, const std::string& name) {
    if (cross_.count(name) && boundAt_.count(name)) byCommandLine_ = false;  // bound again
    boundAt_[name] = currentStep_;
    boundIn_[name] = p;
    fn(p).declare("HANDLE " + var(name) + " = NULL;");
    if (cross_.count(name))
      fn(p).body += "    shared[" + std::to_string(slot_[name]) + "] = " + var(name) + ";\n";
  }

  // Whether process p holds the value of `name` from its start: an ancestor bound it before it
  // started the child p descends from (each child's command line carries what its parent knows).
  bool knownAtStart(std::string p, const std::string& name) const {
    const auto binder = boundIn_.find(name);
    const auto at = boundAt_.find(name);
    if (binder == boundIn_.end() || at == boundAt_.end()) return false;
    for (; p != "P0"; p = spawner_.at(p))
      if (spawner_.at(p) == binder->second) {
        const auto spawned = spawnedAt_.find(p);
        return spawned != spawnedAt_.end() && at->second < spawned->second;
      }
    return false;
  }

  // Where process p's next steps begin after another process ran.
  void switchTo(const std::string& p) {
    if (p == current_) return;
    runs_.push_back({p, p == afterSpawn_});
    for (auto& [label, f] : functions_) f.loaded.clear();
    if (current_ != "P0" && !current_.empty() && !exited_.count(current_) &&
        !freeRunning_.count(current_) && current_ != lastRun_)
      fn(current_).body += "    SetEvent(events.done);\n";
    if (p != "P0") runsSteps_.insert(p);
    if (p == lastRun_) {
      // The handle P0 opens stays open until the child has its own: a signal is not lost.
      fn(p).body += "    WaitForSingleObject(child_event(\"" + p + "\", \"go\"), INFINITE);\n";
      fn("P0").body += "    SetEvent(child_event(\"" + p + "\", \"go\"));  /* " + p +
                       "'s steps, then it returns */\n";
    } else if (p != "P0" && !freeRunning_.count(p)) {
      usesEvents_.insert(p);
      fn(p).body += "    WaitForSingleObject(events.go, INFINITE);\n";
      fn("P0").body +=
          "    run_child(" + processVar(p) + ", &events_" + p + ");  /* " + p + "'s steps */\n";
    }
    current_ = p;
  }

  // The children that need no pacing: each one's steps come in one run, right after its
  // spawn (whose checks are of the call alone), and only its descendants' runs follow, none
  // an exit. It runs them as it starts, waits for its own children and returns.
  std::set<std::string> freeRunning() const {
    std::set<std::string> out;
    for (auto k = runs_.size(); k-- > 0;) {
      const std::string& child = runs_[k].first;  // a lambda may not capture a binding
      const bool afterSpawn = runs_[k].second;
      const auto visits = std::count_if(runs_.begin(), runs_.end(),
                                        [&](const auto& run) { return run.first == child; });
      if (child == "P0" || !afterSpawn || visits != 1 || exited_.count(child) ||
          !std::all_of(runs_.begin() + static_cast<std::ptrdiff_t>(k) + 1, runs_.end(),
                       [&](const auto& run) { return descends(run.first, child); }))
        break;
      out.insert(child);
    }
    // Started by P0 or by a child that runs freely, so that waiting for it waits for them all.
    for (bool changed = true; changed;) {
      changed = false;
      for (const std::string& child : std::set<std::string>(out))
        if (spawner_.at(child) != "P0" && !out.count(spawner_.at(child)))
          changed = out.erase(child) > 0;
    }
    return out;
  }

  // The child whose steps come in one run, the test's last, after its spawn's checks: woken
  // once, it runs them and returns, and P0 only waits for it. Started by P0, it starts none.
  std::string lastRun(const std::set<std::string>& freeRunning) const {
    if (runs_.empty()) return {};
    const std::string& child = runs_.back().first;
    if (child == "P0" || freeRunning.count(child) || exited_.count(child) ||
        spawner_.at(child) != "P0" ||
        std::count_if(runs_.begin(), runs_.end(),
                      [&](const auto& r) { return r.first == child; }) != 1 ||
        std::any_of(spawner_.begin(), spawner_.end(),
                    [&](const auto& s) { return s.second == child; }))
      return {};
    return child;
  }

  bool descends(std::string child, const std::string& ancestor) const {
    for (; child != "P0"; child = spawner_.at(child))
      if (child == ancestor) return true;
    return false;
  }

  // A child's process handle as P0 names it: NULL for one another child started.
  std::string processVar(const std::string& child) {
    return spawner_[child] == "P0" ? var(childProcess_[child]) : "NULL";
  }

  std::string sa(const std::string& p) {
    fn(p).declare("SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};");
    return "&sa";
  }

  // The step's call, from the table's template, and the statement that makes it.
  std::string call(const std::string& p, const Step& s) {
    const proto::Request q = callShape(s);
    proto::CallOperands operands;
    if (!s.objectName.empty()) operands.name = "L\"hc_" + s.objectName + "\"";
    const std::string objectName = "hc_" + s.objectName;
    proto::Request named = q;
    if (!s.objectName.empty()) named.name = objectName;
    if (proto::takes(s.op, proto::Arg::Operand) && s.op != proto::Op::Query)
      operands.handle = handle(p, s.handle);
    const auto processOf = [&](const std::string& label) {
      if (label == p) return std::string("GetCurrentProcess()");
      if (label == "P0") {
        parentHandle_.insert(p);
        return std::string("parent");
      }
      return var(childProcess_[label]);
    };
    if (!s.target.empty())
      operands.target = processOf(s.target);
    else
      operands.target = "GetCurrentProcess()";
    if (!s.source.empty()) operands.source = processOf(s.source);
    std::string c = proto::callText(named, operands);
    // The table's SECURITY_ATTRIBUTES as traces show them: here, the function's `sa`.
    for (std::size_t at; (at = c.find("&sa{bInheritHandle=TRUE}")) != std::string::npos;)
      c.replace(at, 24, sa(p));
    // The table writes device paths as traces show them; C needs the backslashes escaped.
    for (const std::string device : {"mailslot", "pipe"}) {
      const std::string shown = R"(\\.\)" + device + R"(\)";
      if (const auto at = c.find(shown); at != std::string::npos)
        c.replace(at, shown.size(), R"(\\\\.\\)" + device + R"(\\)");
    }
    Function& f = fn(p);
    switch (s.op) {
      case proto::Op::CreatePipe:
        c = std::regex_replace(c, std::regex("&r, &w"), "&" + var(s.as[0]) + ", &" + var(s.as[1]));
        break;
      case proto::Op::Dup:
        c = std::regex_replace(c, std::regex("&out"), s.as.empty() ? "NULL" : "&" + var(s.as[0]));
        break;
      case proto::Op::Write:
        f.declare("DWORD count;");
        c = "WriteFile(" + operands.handle + ", " + cString(s.text) + ", " +
            std::to_string(s.text.size()) + ", &count, NULL)";
        break;
      case proto::Op::Read:
        f.declare("DWORD count;");
        f.declare("char buf[4096];");
        c = "ReadFile(" + operands.handle + ", buf, sizeof(buf), &count, NULL)";
        break;
      case proto::Op::Peek:
        f.declare("DWORD avail;");
        break;
      case proto::Op::PipeState:
        f.declare("DWORD state, instances;");
        break;
      case proto::Op::Wait:
        c = "WaitForSingleObject(" + operands.handle + ", INFINITE)";
        break;
      default:
        break;
    }
    if (returnsHandle(s.op)) return var(s.as.at(0)) + " = " + c;
    f.declare("BOOL ret;");
    return "ret = " + c;
  }

  // SPEC 54-55: the console word's dwCreationFlags, as the agent maps them.
  static std::string consoleFlags(std::uint32_t console) {
    // No console word: the harness's own spawn; inherit-console alone: "0".
    return console ? proto::creationFlagsText(console) : std::string("DETACHED_PROCESS");
  }

  std::string spawn(const Step& s) {
    const std::string& p = s.process;
    Function& f = fn(p);
    usesSpawn_ = true;
    std::string list = usesList_ ? "NULL, 0, " : "";
    if (s.only && s.only->size() == 1 && !s.only->front().raw && !s.listSize) {
      usesList_ = true;
      list = "&" + handle(p, s.only->front()) + ", sizeof(HANDLE), ";
    } else if (s.only) {
      usesList_ = true;
      const std::string name = "list_" + s.child;
      f.declare("HANDLE " + name + "[" + std::to_string(std::max<std::size_t>(1, s.only->size())) +
                "];");
      for (std::size_t i = 0; i < s.only->size(); ++i)
        f.body +=
            "    " + name + "[" + std::to_string(i) + "] = " + handle(p, (*s.only)[i]) + ";\n";
      // SPEC 79: the list's cbSize, sizeof(HANDLE) per entry unless the step gives it.
      list = name + ", " +
             (s.listSize ? std::to_string(*s.listSize)
                         : std::to_string(s.only->size()) + " * sizeof(HANDLE)") +
             ", ";
    }
    // SPEC 55: STARTF_USESTDHANDLES with the fields given, an omitted one NULL; the
    // harness's own spawn (no console word) passes it with three NULL fields.
    std::string console;
    if (usesStd_) {
      const std::uint32_t flags = proto::consoleFlagWords(s.console);
      console =
          consoleFlags(flags) + ", " + (usesStdHandles(s) || !flags ? "STARTF_USESTDHANDLES" : "0");
      for (const auto* field : stdFields(s))
        console += ", " + (*field ? handle(p, **field) : std::string("NULL"));
      console += ", ";
    }
    if (usesGui_) console += (s.console & proto::kConsoleGui) ? "TRUE, " : "FALSE, ";
    const std::string psa = s.processInherit ? sa(p) : "NULL";
    const std::string tsa = s.threadInherit ? sa(p) : "NULL";
    f.declare("BOOL ret;");
    return "ret = start_child(\"" + s.child + "\", " + (s.inherit ? "TRUE" : "FALSE") + ", " + psa +
           ", " + tsa + ", " + list + console + "&" + var(s.as.at(0)) + ", &" + var(s.as.at(1)) +
           ")";
  }

  std::string errorName(const Expect& e) {
    return e.text.empty() ? std::to_string(e.number) : e.text;
  }

  // The ok() line of one expectation, "" when it is not checked here.
  std::string check(const std::string& p, const Step& s, const Expect& e, const std::string& fname,
                    const std::string& subject) {
    const bool handleOp = returnsHandle(s.op);
    const std::string result = handleOp ? var(s.as.at(0)) + " != " + failedHandle(s.op) : "ret";
    Function& f = fn(p);
    switch (e.kind) {
      case K::Ok:
        // GetStdHandle's value is whatever the slot holds, NULL included (SPEC 51).
        if (s.op == proto::Op::Query || s.op == proto::Op::Exit || s.op == proto::Op::GetStd)
          return {};
        if (s.op == proto::Op::Wait)
          return "ok(!ret, \"WaitForSingleObject returned %lu\\n\", (DWORD)ret);";
        return "ok(" + result + ", \"" + fname + " failed, error %lu\\n\", GetLastError());";
      case K::Error:
        return "ok(!(" + result + ") && GetLastError() == " + errorName(e) + ", \"" + fname +
               ": expected " + errorName(e) + ", got error %lu\\n\", GetLastError());";
      case K::AlreadyExists:
        return "ok(GetLastError() == ERROR_ALREADY_EXISTS, \"" + fname +
               ": got error %lu\\n\", GetLastError());";
      case K::Data:
        usesString_ = true;
        return "ok(ret && count == " + std::to_string(e.text.size()) + " && !memcmp(buf, " +
               cString(e.text) + ", count), \"got %lu bytes\\n\", count);";
      case K::ExitCode: {
        f.declare("DWORD code;");
        const bool thread = threads_.count(s.handle.name) > 0;
        return std::string("ok(") + (thread ? "GetExitCodeThread" : "GetExitCodeProcess") + "(" +
               subject + ", &code) && code == " + std::to_string(e.number) +
               ", \"got exit code %lu\\n\", code);";
      }
      case K::Avail:
        return "ok(avail == " + std::to_string(e.number) + ", \"got %lu bytes\\n\", avail);";
      case K::Instances:
        return "ok(instances == " + std::to_string(e.number) +
               ", \"got %lu instances\\n\", instances);";
      case K::AttributeListSize:
        // SPEC 78: the sizing call start_child made, made again (it changes nothing).
        f.declare("SIZE_T size;");
        f.declare("BOOL sized;");
        return "size = 0;\n    sized = InitializeProcThreadAttributeList(NULL, 1, 0, &size);\n    "
               "ok(!sized && GetLastError() == ERROR_INSUFFICIENT_BUFFER && size == " +
               std::to_string(e.number) +
               ", \"got %d, error %lu, size %lu\\n\", sized, GetLastError(), (DWORD)size);";
      case K::Valid:
        f.declare("DWORD flags;");
        return "ok(GetHandleInformation(" + subject + ", &flags), \"" + subject +
               " is not valid, error %lu\\n\", GetLastError());";
      case K::Invalid:
        f.declare("DWORD flags;");
        return "ok(!GetHandleInformation(" + subject + ", &flags), \"" + subject +
               " is still valid\\n\");";
      case K::Inherit:
      case K::NoInherit:
      case K::Protect:
      case K::NoProtect: {
        f.declare("DWORD flags;");
        const std::string bit = e.kind == K::Inherit || e.kind == K::NoInherit
                                    ? "HANDLE_FLAG_INHERIT"
                                    : "HANDLE_FLAG_PROTECT_FROM_CLOSE";
        const bool set = e.kind == K::Inherit || e.kind == K::Protect;
        return std::string("ok(") + (set ? "" : "!") + "(flags & " + bit + "), \"" + subject +
               ": got flags %#lx\\n\", flags);";
      }
      case K::Count:
      case K::CountAtLeast:
        usesCount_ = true;
        return "ok(handle_count(" + subject + ") " + (e.kind == K::Count ? "==" : ">=") + " " +
               std::to_string(e.number) + ", \"" + subject +
               ": got %lu handles\\n\", handle_count(" + subject + "));";
      case K::Access:
        usesAccess_ = true;
        return "ok(granted_access(" + subject + ") == " + proto::hex(e.number) + ", \"" + subject +
               ": got access %#lx\\n\", granted_access(" + subject + "));";
      case K::Type:
        usesType_ = usesString_ = true;
        return "ok(!wcscmp(type_name(" + subject + "), L\"" + e.text + "\"), \"" + subject +
               ": got type %s\\n\", wine_dbgstr_w(type_name(" + subject + ")));";
      case K::Value: {
        const std::string want = e.text.starts_with("#")
                                     ? "(HANDLE)(ULONG_PTR)" + e.text.substr(1)
                                     : handle(p, {valueOperand(e.text).second, {}});
        return "ok(" + var(s.as.at(0)) + " == " + want + ", \"got %p, expected %p\\n\", " +
               var(s.as.at(0)) + ", " + want + ");";
      }
      case K::Same: {
        const std::string other = handle(p, {e.text, {}});
        return "ok(pCompareObjectHandles(" + subject + ", " + other + "), \"" + subject + " and " +
               other + " are different objects\\n\");";
      }
      case K::Messages:
        f.declare("DWORD messages;");
        return "ok(GetMailslotInfo(" + subject +
               ", NULL, NULL, &messages, NULL) && messages == " + std::to_string(e.number) +
               ", \"" + subject + ": got %lu messages\\n\", messages);";
      default:
        return {};
    }
  }

  void step(std::size_t i) {
    currentStep_ = static_cast<int>(i);
    const Step& s = sc_.steps[i];
    const int line = reproLine(s, i);
    const std::string& p = s.process;
    if (p != "P0" && !childProcess_.count(p)) throw Unsupported{};
    switchTo(p);
    Step bare = s;
    bare.expects.clear();
    bare.comment.clear();
    fn(p).body += "\n    /* line " + std::to_string(line) + ": " + scenario::print(bare) + " */\n";
    afterSpawn_.clear();
    if (!stepCall(s)) return;
    checks(s, line);
    // A spawn whose checks are of the call alone: its child may start on its steps at once.
    const auto expected = checked(s, line);
    if (s.op == proto::Op::Spawn &&
        std::all_of(expected.begin(), expected.end(),
                    [](const Expect* e) { return callExpect(e->kind); }))
      afterSpawn_ = s.child;
  }

  // The step's call after SetLastError(0xdeadbeef), and what it binds; false when the
  // process ends there (nothing after it runs).
  bool stepCall(const Step& s) {
    const std::string& p = s.process;
    Function& f = fn(p);
    if (s.op == proto::Op::Exit) {
      f.body += "    ExitProcess(" + std::to_string(s.code.value_or(0)) + ");\n";
      exited_.insert(p);
      return false;
    }
    if (s.op == proto::Op::Terminate && !s.handle.raw)
      for (const auto& [child, name] : childProcess_)
        if (name == s.handle.name) exited_.insert(child);
    if (s.op == proto::Op::Close && !s.handle.raw)
      for (const auto& [child, name] : childProcess_)
        if (name == s.handle.name) closed_.insert(child);
    std::string statement;
    if (s.op == proto::Op::Spawn)
      statement = spawn(s);
    else if (s.op != proto::Op::Query)
      statement = call(p, s);
    // start_child sets the last error to 0xdeadbeef itself, after its own set-up.
    if (!statement.empty())
      f.body += std::string(s.op == proto::Op::Spawn ? "" : "    SetLastError(0xdeadbeef);\n") +
                "    " + statement + ";\n";
    if (s.op == proto::Op::Spawn) {
      f.declare("HANDLE " + var(s.as[0]) + " = NULL;");
      f.declare("HANDLE " + var(s.as[1]) + " = NULL;");
      threads_.insert(s.as[1]);
      boundIn_[s.as[0]] = boundIn_[s.as[1]] = p;
      spawnedAt_[s.child] = boundAt_[s.as[0]] = boundAt_[s.as[1]] = currentStep_;
      spawned_.push_back(s.child);
    } else {
      for (const auto& n : s.as) bound(p, n);
    }
    return true;
  }

  // A departure the system is known to make at this line: its check is todo_wine.
  bool todo(int line, const Expect& e) const {
    const auto departs = o_.departures.find(line);
    return departs != o_.departures.end() && departs->second.count(expectText(e));
  }

  // The expectations of a step the test checks: all of the call's; of its handle's
  // state, on a divergence, what departs and whether the handle is valid; nothing more
  // of the state when the call's own result departs (the rest follows) or when the
  // handle departs invalid (its flags read 0: noinherit would hold by accident).
  std::vector<const Expect*> checked(const Step& s, int line) const {
    const bool diverging = o_.divergingLine == 0 || o_.divergingLine == line ||
                           o_.departures.find(line) != o_.departures.end();
    bool resultDeparts = false;
    bool validDeparts = false;
    for (const Expect& e : s.expects) {
      resultDeparts |= (e.kind == K::Ok || e.kind == K::Error) && todo(line, e);
      validDeparts |= e.kind == K::Valid && todo(line, e);
    }
    std::vector<const Expect*> out;
    for (const Expect& e : s.expects) {
      if (!callExpect(e.kind) && o_.divergingLine != 0 && resultDeparts) continue;
      if (!callExpect(e.kind) && validDeparts && e.kind != K::Valid) continue;
      if (!callExpect(e.kind) && !todo(line, e) &&
          (!diverging || (o_.divergingLine != 0 && e.kind != K::Valid && e.kind != K::Invalid)))
        continue;
      out.push_back(&e);
    }
    return out;
  }

  // The step's ok() lines: those of the call where it runs, those of its handle's
  // state where the handle lives (homeOf).
  void checks(const Step& s, int line) {
    const std::string& p = s.process;
    const std::string fname =
        s.op == proto::Op::Spawn ? "CreateProcessA" : std::string(proto::opInfo(s.op).function);
    const std::string home = homeOf(s);
    std::string subject;
    const auto subjectRef = subjectOf(s);
    std::vector<std::string> here, there;
    for (const Expect* checkedExpect : checked(s, line)) {
      const Expect& e = *checkedExpect;
      const bool inHome = !callExpect(e.kind) && home != p;
      if (!callExpect(e.kind) || e.kind == K::ExitCode) {
        if (!subjectRef) continue;
        subject = subjectRef->raw ? "(HANDLE)(ULONG_PTR)" + proto::hex(*subjectRef->raw)
                  : inHome        ? var(subjectRef->name)
                                  : handle(p, *subjectRef);
      }
      std::string okLine = check(inHome ? home : p, s, e, fname, subject);
      if (okLine.empty()) continue;
      // todo_wine marks the ok() line, the last of a check that prepares its call.
      if (todo(line, e)) {
        const auto cut = okLine.rfind("\n    ");
        okLine.insert(cut == std::string::npos ? 0 : cut + 5, "todo_wine ");
      }
      (inHome ? there : here).push_back(okLine);
    }
    if (!here.empty()) emit(p, subject, here);
    if (!there.empty()) {
      switchTo(home);
      fn(home).body += "\n    /* line " + std::to_string(line) + ", in " + home +
                       ": the checks of its handle, which lives here */\n";
      emit(home, handle(home, {subjectRef->name, {}}), there);
    }
  }

  // A step's ok() lines in process `where`, the flags read once before the first check
  // of them, the note above the first todo_wine.
  void emit(const std::string& where, const std::string& subject, std::vector<std::string>& lines) {
    Function& g = fn(where);
    lastChecking_ = currentStep_;
    bool flagsRead = std::none_of(lines.begin(), lines.end(), [](const std::string& l) {
      return l.find("(flags & ") != std::string::npos;
    });
    for (std::string& l : lines) {
      if (flagsRead || l.find("flags") == std::string::npos) continue;
      flagsRead = true;
      std::string pre = "flags = 0;\n    ";
      if (l.find("GetHandleInformation") == std::string::npos)
        pre += "GetHandleInformation(" + subject + ", &flags);\n    ";
      l = pre + l;
    }
    bool noted = false;
    for (const std::string& l : lines) {
      if (l.find("todo_wine ") != std::string::npos && !noted) {
        if (!notesWritten_++) g.body += note();  // the later ones depart the same way
        noted = true;
      }
      g.body += "    " + l + "\n";
    }
  }

  // The comment above a step's todo_wine checks: why Windows is expected to differ.
  // Its lines wrap at 107 columns.
  std::string note() const {
    std::vector<std::string> lines;
    for (std::string text : o_.departureNote) {
      for (const auto& [from, to] : {std::pair{"/*", "/ *"}, std::pair{"*/", "* /"}})
        for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, 2, to);
      while (text.size() > 100) {
        auto cut = text.rfind(' ', 100);
        if (cut == std::string::npos || cut == 0) cut = 100;
        lines.push_back(text.substr(0, cut));
        text = "  " + text.substr(cut + 1);
      }
      lines.push_back(text);
    }
    if (lines.empty()) return "    /* Wine departs from Windows here. */\n";
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i)
      out += std::string(i ? "     * " : "    /* ") + lines[i] +
             (i + 1 == lines.size() ? " */\n" : "\n");
    return out;
  }

  void finish() {
    switchTo("P0");
    Function& f = fn("P0");
    // A child another child started ends first; its parent waits for it (ending()).
    for (const std::string& child : spawned_)
      if (spawner_[child] != "P0" && usesEvents_.count(child) && !exited_.count(child))
        f.body += "\n    SetEvent(events_" + child + ".go);  /* " + child + " returns */\n";
    f.body += ending("P0");
  }

  // The end of process p's function: the children it started end, those that run freely
  // first (they may still be checking), then the others.
  std::string ending(const std::string& p) {
    std::string last, first, then;
    for (const std::string& child : spawned_) {
      if (spawner_[child] != p || closed_.count(child) || exited_.count(child)) continue;
      const std::string h = var(childProcess_[child]);
      const std::string wait = "    if (" + h + ") wait_child_process(" + h + ");\n";
      if (child == lastRun_)
        last = wait;  // right after its wake-up
      else if (freeRunning_.count(child))
        first += wait;
      else if (usesEvents_.count(child))
        then += p == "P0" ? "\n    run_child(" + h + ", &events_" + child + ");  /* " + child +
                                " returns */\n" + wait
                          : wait;
      else
        then += std::string(p == "P0" ? "\n" : "") + "    if (" + h + ") TerminateProcess(" + h +
                ", 0);  /* " + child + " only holds handles */\n" + wait;
    }
    return last + (first.empty() || p != "P0" ? "" : "\n") + first + then;
  }

  std::string helpers() const {
    return queryHelpers() + childHelpers() + relayHelpers() + guiHelper() + startChild();
  }

  // What NtQueryObject and CompareObjectHandles read: only the helpers the checks use.
  std::string queryHelpers() const {
    std::string out;
    if (usesNtQueryObject())
      out +=
          "static NTSTATUS (WINAPI *pNtQueryObject)(HANDLE, OBJECT_INFORMATION_CLASS, void *, "
          "ULONG, ULONG *);\n\n";
    if (usesCompare_) out += "static BOOL (WINAPI *pCompareObjectHandles)(HANDLE, HANDLE);\n\n";
    if (usesCount_)
      out +=
          "static ULONG handle_count(HANDLE h)\n{\n"
          "    ULONG info[14] = {0};  /* OBJECT_BASIC_INFORMATION: HandleCount is the third */\n\n"
          "    pNtQueryObject(h, ObjectBasicInformation, info, sizeof(info), NULL);\n"
          "    return info[2];\n}\n\n";
    if (usesAccess_)
      out +=
          "static ACCESS_MASK granted_access(HANDLE h)\n{\n"
          "    ULONG info[14] = {0};  /* OBJECT_BASIC_INFORMATION: GrantedAccess is the second "
          "*/\n\n"
          "    pNtQueryObject(h, ObjectBasicInformation, info, sizeof(info), NULL);\n"
          "    return info[1];\n}\n\n";
    if (usesType_)
      out +=
          "static const WCHAR *type_name(HANDLE h)\n{\n"
          "    static WCHAR type[64];\n"
          "    ULONG_PTR info[64] = {0};  /* OBJECT_TYPE_INFORMATION starts with its name */\n"
          "    const UNICODE_STRING *name = (const UNICODE_STRING *)info;\n\n"
          "    pNtQueryObject(h, ObjectTypeInformation, info, sizeof(info), NULL);\n"
          "    lstrcpynW(type, name->Buffer ? name->Buffer : L\"\", "
          "name->Length / sizeof(WCHAR) < 63 ? name->Length / sizeof(WCHAR) + 1 : 64);\n"
          "    return type;\n}\n\n";
    return out;
  }

  // What the processes of a test share, named after its first process's id: the
  // mapping that carries handle values across, and the events that pace a child.
  std::string childHelpers() const {
    if (children_.empty()) return {};
    std::string out =
        "static DWORD test_pid;  /* the test's first process, which names what they share */\n";
    if (relays())
      out +=
          "static HANDLE test_output;  /* its stdout, where every process of the test reports */\n";
    if (!cross_.empty() && byCommandLine_)
      out += "static HANDLE shared[" + std::to_string(cross_.size()) +
             "];  /* handle values that cross processes, on a child's command line */\n";
    out += "\n";
    if (!cross_.empty() && !byCommandLine_)
      out +=
          "static HANDLE *shared;  /* handle values that cross processes */\n\n"
          "static HANDLE *map_shared(void)\n{\n"
          "    char name[64];\n    HANDLE mapping;\n\n"
          "    sprintf(name, \"" +
          test_ +
          "_%lu\", test_pid);\n"
          "    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, "
          "name);\n"
          "    ok(mapping != NULL, \"CreateFileMappingA failed, error %lu\\n\", GetLastError());\n"
          "    return MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 4096);\n}\n\n";
    if (!usesEvents_.empty() || !lastRun_.empty() || relays())
      out +=
          "/* The event `what` of the child `role`: one object, whichever process makes it first. "
          "*/\n"
          "static HANDLE child_event(const char *role, const char *what)\n{\n"
          "    char name[MAX_PATH];\n\n"
          "    sprintf(name, \"" +
          test_ +
          "_%lu_%s_%s\", test_pid, role, what);\n"
          "    return CreateEventA(NULL, FALSE, FALSE, name);\n}\n\n";
    if (!usesEvents_.empty())
      out +=
          "struct child_events { HANDLE go, done; };\n\n"
          "/* Lets the child run its next steps, and waits until they are done (or it exits). */\n"
          "static void run_child(HANDLE process, struct child_events *events)\n{\n"
          "    HANDLE wait[2] = {events->done, process};\n\n"
          "    SetEvent(events->go);\n"
          "    ok(WaitForMultipleObjects(" +
          std::string(nested_ ? "process ? 2 : 1" : "2") +
          ", wait, FALSE, 30000) != WAIT_TIMEOUT, \"child timed out\\n\");\n"
          "}\n\n";
    return out;
  }

  // A child whose std handles are under test reports through the first process's output.
  std::string relayHelpers() const {
    if (!relays()) return {};
    // A child passes the output on to its own children.
    const std::string output =
        nested_ ? "test_output" : "(HANDLE)(ULONG_PTR)strtoul(argv[4], NULL, 10)";
    return "/* The child's ok() lines go to the test's output (a copy, not inherited); it runs. "
           "*/\n"
           "static void child_output(char **argv)\n{\n"
           "    HANDLE parent, out, ready;\n\n"
           "    test_pid = strtoul(argv[3], NULL, 10);\n" +
           std::string(nested_
                           ? "    test_output = (HANDLE)(ULONG_PTR)strtoul(argv[4], NULL, 10);\n"
                           : "") +
           "    parent = OpenProcess(PROCESS_DUP_HANDLE, FALSE, test_pid);\n"
           "    if (DuplicateHandle(parent, " +
           output +
           ", GetCurrentProcess(), &out, 0, FALSE, "
           "DUPLICATE_SAME_ACCESS))\n"
           "        stdout->_file = _open_osfhandle((INT_PTR)out, 0);  /* not _dup2(), which "
           "closes "
           "the std handle behind fd 1 */\n"
           "    CloseHandle(parent);\n"
           "    SetEvent(ready = child_event(argv[2], \"ready\"));\n"
           "    CloseHandle(ready);\n}\n\n";
  }

  std::string guiHelper() const {
    if (!usesGui_) return {};
    return "/* A GUI-subsystem copy of this test beside it (SPEC 59): the same image with\n"
           " * the PE header's Subsystem set to IMAGE_SUBSYSTEM_WINDOWS_GUI. */\n"
           "static void gui_image(char *image)\n{\n"
           "    char self[MAX_PATH];\n    IMAGE_DOS_HEADER dos;\n"
           "    WORD subsystem = IMAGE_SUBSYSTEM_WINDOWS_GUI;\n    DWORD done = 0;\n"
           "    LARGE_INTEGER at;\n    HANDLE file;\n\n"
           "    GetModuleFileNameA(NULL, self, MAX_PATH);\n"
           "    sprintf(image, \"%s-gui.exe\", self);\n"
           "    if (!CopyFileA(self, image, FALSE)) return;  /* a running child holds this run's "
           "copy */\n"
           "    file = CreateFileA(image, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, "
           "NULL);\n"
           "    ok(file != INVALID_HANDLE_VALUE, \"cannot open %s, error %lu\\n\", image, "
           "GetLastError());\n"
           "    ReadFile(file, &dos, sizeof(dos), &done, NULL);\n"
           "    at.QuadPart = dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +\n"
           "                  FIELD_OFFSET(IMAGE_OPTIONAL_HEADER, Subsystem);\n"
           "    SetFilePointerEx(file, at, NULL, FILE_BEGIN);\n"
           "    WriteFile(file, &subsystem, sizeof(subsystem), &done, NULL);\n"
           "    CloseHandle(file);\n}\n\n";
  }

  // start_child: its parameters, only those the scenario's spawns use.
  std::string startChildSignature() const {
    return "/* Starts this test again as the process `role`" +
           std::string(relays() ? ", and waits until it runs" : "") +
           ". */\n"
           "static BOOL start_child(const char *role, BOOL inherit, SECURITY_ATTRIBUTES "
           "*process_sa,\n                        SECURITY_ATTRIBUTES *thread_sa, " +
           std::string(usesList_ ? "HANDLE *list, SIZE_T bytes, " : "") +
           std::string(usesStd_ ? "DWORD flags,\n                        DWORD startf, HANDLE in, "
                                  "HANDLE out, HANDLE err, "
                                : "") +
           std::string(usesGui_ ? "BOOL gui, " : "") + "HANDLE *process, HANDLE *thread)\n";
  }

  // The child's command line and STARTUPINFO(EX), an attribute list holding the handle list.
  std::string startChildSetUp() const {
    std::string out =
        std::string(usesStd_
                        ? "    STARTUPINFOEXA si = {.StartupInfo = {.cb = sizeof(si.StartupInfo), "
                          ".dwFlags = startf,\n"
                          "                                         .hStdInput = in, "
                          ".hStdOutput = out, .hStdError = err}};\n"
                        : "    STARTUPINFOEXA si = {.StartupInfo.cb = sizeof(si.StartupInfo)};\n") +
        "    PROCESS_INFORMATION pi = {0};\n" + "    char cmdline[MAX_PATH + " +
        std::to_string(128 + (byCommandLine_ ? 11 * cross_.size() : 0)) + "], **argv;\n" +
        std::string(usesGui_ ? "    char image[MAX_PATH + 16];\n" : "");
    if (relays()) out += "    HANDLE ready = child_event(role, \"ready\");\n";
    if (usesList_) out += "    SIZE_T size = 0;\n";
    out += std::string(usesList_ ? "    BOOL ret = TRUE;\n" : "    BOOL ret;\n") +
           "\n"
           "    winetest_get_mainargs(&argv);\n" +
           commandLine();
    if (usesList_)
      out +=
          "    if (list) si.StartupInfo.cb = sizeof(si);\n"
          "    InitializeProcThreadAttributeList(NULL, 1, 0, &size);\n"
          "    si.lpAttributeList = HeapAlloc(GetProcessHeap(), 0, size);\n"
          "    InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size);\n";
    if (usesGui_) out += "    if (gui) gui_image(image);\n";
    return out;
  }

  // The child's command line: the test, its role, the first process's id, with relays() its
  // output, and with byCommandLine_ the values that cross.
  std::string commandLine() const {
    std::string format = R"(\"%s\" %s %s %lu)", args = "argv[0], argv[1], role, test_pid";
    if (relays()) {
      format += " %lu";
      args += ", (DWORD)(ULONG_PTR)test_output";
    }
    for (std::size_t i = 0; byCommandLine_ && i < cross_.size(); ++i) {
      format += " %lu";
      args += ", (DWORD)(ULONG_PTR)shared[" + std::to_string(i) + "]";
    }
    return "    sprintf(cmdline, \"" + format + "\", " + args + ");\n";
  }

  std::string startChild() const {
    if (!usesSpawn_) return {};
    // With relays(), it waits until the child runs (its process is set up, a console host
    // included), as the harness's spawn waits for the child agent.
    std::string out =
        startChildSignature() + "{\n" + startChildSetUp() + "    SetLastError(0xdeadbeef);\n";
    if (usesList_)
      out +=
          "    if (list) ret = UpdateProcThreadAttribute(si.lpAttributeList, 0, "
          "PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list, bytes, NULL, NULL);\n";
    out += "    " + std::string(usesList_ ? "if (ret) ret = " : "ret = ") + "CreateProcessA(" +
           std::string(usesGui_ ? "gui ? image : NULL" : "NULL") +
           ", cmdline, process_sa, thread_sa, inherit, " +
           std::string(usesList_  ? (usesStd_ ? "flags | (list ? EXTENDED_STARTUPINFO_PRESENT : 0)"
                                              : "list ? EXTENDED_STARTUPINFO_PRESENT : 0")
                       : usesStd_ ? "flags"
                                  : "0") +
           ", NULL, NULL, &si.StartupInfo, &pi);\n"
           "    *process = pi.hProcess;\n"
           "    *thread = pi.hThread;\n";
    // Neither the wait nor the clean-up changes the last error when it succeeds.
    if (relays())
      out += "    if (ret) WaitForSingleObject(ready, 30000);\n    CloseHandle(ready);\n";
    if (usesList_)
      out +=
          "    DeleteProcThreadAttributeList(si.lpAttributeList);\n"
          "    HeapFree(GetProcessHeap(), 0, si.lpAttributeList);\n";
    return out + "    return ret;\n}\n\n";
  }

  // Drops what the code never reads: a variable only ever assigned.
  static std::string body(const Function& f) {
    std::string code = f.body;
    std::vector<std::string> decls;
    for (const std::string& d : f.decls) {
      std::smatch m;
      std::regex_search(d, m, std::regex(R"((\w+)(\[\d+\])?( = .*)?;$)"));
      const std::string name = m[1];
      const std::regex any("\\b" + name + "\\b");
      const std::regex set("\\b" + name + " = ");
      const auto count = [&](const std::regex& re) {
        return std::distance(std::sregex_iterator(code.begin(), code.end(), re),
                             std::sregex_iterator());
      };
      if (count(any) == 0) continue;
      if (name.rfind("h_", 0) == 0 || name == "ret") {
        if (count(any) == count(set)) {
          code = std::regex_replace(code, std::regex("    " + name + " = "), "    ");
          continue;
        }
        decls.push_back(name.rfind("h_", 0) == 0 ? "HANDLE " + name + ";" : d);
        continue;
      }
      decls.push_back(d);
    }
    // One line per type for the plain ones, as Wine writes them.
    std::string out;
    std::vector<std::string> handles;
    for (const std::string& d : decls)
      if (d.rfind("HANDLE h_", 0) == 0)
        handles.push_back(d.substr(7, d.size() - 8));
      else
        out += "    " + d + "\n";
    if (!handles.empty()) {
      std::string line = "    HANDLE";
      for (std::size_t i = 0; i < handles.size(); ++i) line += (i ? ", " : " ") + handles[i];
      out = line + ";\n" + out;
    }
    return out + code;
  }

  std::string text() {
    test_ = o_.testName.empty() ? cIdentifier(testNameOf(sc_.file)) : cIdentifier(o_.testName);
    std::string out = header() + helpers();
    for (const std::string& child : children_)
      if (runsSteps_.count(child)) out += childFunction(child);
    return out + testFunction() + startTest();
  }

  // The comment that says what the test is, and the includes it needs.
  std::string header() const {
    std::string out =
        "/*\n * " + (o_.title.empty() ? "handlecheck scenario " + sc_.file : o_.title) + "\n";
    for (const auto& n : o_.notes) out += " * " + n + "\n";
    out +=
        " * Generated by handlecheck; `line N` comments are the scenario's lines. Run it as `EXE " +
        test_ + "`.\n */\n";
    out += "#include <stdarg.h>\n";
    if (relays()) out += "#include <io.h>\n";
    if (!children_.empty()) out += "#include <stdio.h>\n#include <stdlib.h>\n";
    if (!children_.empty() || usesString_) out += "#include <string.h>\n";
    out += "\n#include \"windef.h\"\n#include \"winbase.h\"\n";
    if (usesNtQueryObject()) out += "#include \"winternl.h\"\n";
    out += "#include \"wine/test.h\"\n\n";
    if (sameAttributes_)
      out +=
          "#ifndef DUPLICATE_SAME_ATTRIBUTES\n#define DUPLICATE_SAME_ATTRIBUTES 0x00000004\n"
          "#endif\n\n";
    return out;
  }

  // Declarations first (C89, as Wine's tests are written), then the statements.
  static std::pair<std::string, std::string> declsAndStatements(const std::string& code) {
    std::string declLines, stmt;
    for (const std::string& l : split(code))
      ((stmt.empty() && isDecl(l)) ? declLines : stmt) += l + "\n";
    return {declLines, stmt};
  }

  // A child that runs steps: opens its events and the mapping, runs them, waits for the end.
  std::string childFunction(const std::string& child) {
    Function& f = fn(child);
    const bool paced = usesEvents_.count(child) > 0;
    std::string pre, setup;
    if (parentHandle_.count(child))
      pre += "    HANDLE parent = OpenProcess(PROCESS_DUP_HANDLE, FALSE, test_pid);\n";
    if (paced) {
      pre += "    struct child_events events;\n";
      setup = "    events.go = child_event(\"" + child +
              "\", \"go\");\n    events.done = child_event(\"" + child + "\", \"done\");\n";
    }
    if (!cross_.empty() && !byCommandLine_) setup += "    shared = map_shared();\n";
    if (paced && !exited_.count(child))
      f.body += "    WaitForSingleObject(events.go, INFINITE);  /* until the test is done with " +
                child + " */\n";
    f.body += ending(child);
    const auto [declLines, stmt] = declsAndStatements(pre + body(f));
    std::string code = setup + stmt;  // a step opens with a blank line, set-up or not
    if (code.starts_with("\n")) code.erase(0, 1);
    return "static void child_" + child + "(void)\n{\n" + declLines +
           (declLines.empty() ? "" : "\n") + code + "}\n\n";
  }

  std::string testFunction() {
    auto [declLines, stmt] = declsAndStatements(body(fn("P0")));
    std::string setup;
    for (const std::string& child : children_)
      if (usesEvents_.count(child)) {
        declLines += "    struct child_events events_" + child + ";\n";
        setup += "    events_" + child + ".go = child_event(\"" + child + "\", \"go\");\n" +
                 "    events_" + child + ".done = child_event(\"" + child + "\", \"done\");\n";
      }
    if (!cross_.empty() && !byCommandLine_) setup = "    shared = map_shared();\n" + setup;
    return "static void test_" + test_ + "(void)\n{\n" + declLines +
           (declLines.empty() || setup.empty() ? "" : "\n") + setup + stmt + "}\n\n";
  }

  // START_TEST: a child's branch by its role on the command line, else the test.
  std::string startTest() const {
    std::string out = "START_TEST(" + test_ + ")\n{\n";
    if (!children_.empty()) out += "    char **argv;\n\n";
    if (usesNtQueryObject())
      out +=
          "    pNtQueryObject = (void *)GetProcAddress(GetModuleHandleA(\"ntdll.dll\"), "
          "\"NtQueryObject\");\n";
    if (usesCompare_)
      out +=
          "    pCompareObjectHandles = (void "
          "*)GetProcAddress(GetModuleHandleA(\"kernelbase.dll\"), "
          "\"CompareObjectHandles\");\n";
    if (!children_.empty()) {
      out += "    if (winetest_get_mainargs(&argv) >= " + std::string(relays() ? "5" : "4") +
             ")\n    {\n" +
             (relays() ? "        child_output(argv);\n"
                       : "        test_pid = strtoul(argv[3], NULL, 10);\n");
      for (std::size_t i = 0; byCommandLine_ && i < cross_.size(); ++i)
        out += "        shared[" + std::to_string(i) + "] = (HANDLE)(ULONG_PTR)strtoul(argv[" +
               std::to_string((relays() ? 5 : 4) + i) + "], NULL, 10);\n";
      // The children that run steps by role; the others hold what they inherited.
      std::string branches, holders;
      for (const std::string& child : children_)
        if (runsSteps_.count(child))
          branches += std::string(branches.empty() ? "        if" : "        else if") +
                      " (!strcmp(argv[2], \"" + child + "\")) child_" + child + "();\n";
        else
          holders += (holders.empty() ? "" : ", ") + child;
      if (!holders.empty())
        branches += std::string(branches.empty() ? "        " : "        else ") +
                    "Sleep(INFINITE);  /* " + holders +
                    ": hold what they inherited until the test ends them */\n";
      out += branches;
      out += "        return;\n    }\n    test_pid = GetCurrentProcessId();\n";
    }
    if (relays()) out += "    test_output = GetStdHandle(STD_OUTPUT_HANDLE);\n";
    return out + "    test_" + test_ + "();\n}\n";
  }

  static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> lines;
    std::string::size_type at = 0;
    while (at < s.size()) {
      const auto nl = s.find('\n', at);
      lines.push_back(s.substr(at, nl - at));
      at = nl == std::string::npos ? s.size() : nl + 1;
    }
    return lines;
  }
  static bool isDecl(const std::string& l) {
    static const std::regex decl(
        R"(^    (HANDLE|BOOL|DWORD|SIZE_T|char|SECURITY_ATTRIBUTES|PROCESS_INFORMATION|struct child_events) )");
    return std::regex_search(l, decl) && l.find(" = map_shared") == std::string::npos &&
           l.find(" = shared[") == std::string::npos;
  }

  static std::string testNameOf(const std::string& file) {
    std::string stem = file.substr(file.find_last_of("/\\") + 1);
    if (const auto dot = stem.find('.'); dot != std::string::npos) stem.resize(dot);
    return stem.empty() ? "handlecheck" : stem;
  }

  const scenario::Scenario& sc_;
  const ReproOptions& o_;
  std::string test_ = "handlecheck";
  std::map<std::string, Function> functions_;
  std::set<std::string> cross_;
  std::map<std::string, int> slot_;
  std::map<std::string, std::string> boundIn_;
  std::vector<std::string> children_, spawned_;
  std::map<std::string, std::string> childProcess_;  // child label -> its process handle's name
  std::map<std::string, std::string> spawner_;       // child label -> the process that spawned it
  std::set<std::string> threads_, exited_, closed_, usesEvents_, parentHandle_;
  std::string current_ = "P0";
  std::string lastRun_;  // the child run once, last (lastRun())
  // Every value that crosses is known to the reader when it starts (knownAtStart): the
  // values go on the command line, no mapping.
  bool byCommandLine_ = true;
  std::map<std::string, int> boundAt_, spawnedAt_;  // the step that bound a name, spawned a child
  bool sameAttributes_ = false;
  bool usesString_ = false;                         // memcmp or wcscmp: a `data` or `type` check
  std::vector<std::pair<std::string, bool>> runs_;  // each switch: to whom, right after its spawn
  std::string afterSpawn_;                          // the child the previous step spawned
  std::size_t steps_ = 0;                           // the steps written: through the last check
  int currentStep_ = -1, lastChecking_ = -1;
  std::set<std::string> freeRunning_, runsSteps_;
  int notesWritten_ = 0;
  bool usesCount_ = false, usesType_ = false, usesAccess_ = false, usesSpawn_ = false,
       usesList_ = false, usesCompare_ = false;
  bool usesStd_ = false;  // std, setstd, or a spawn's std fields or console word
  bool usesGui_ = false;  // a `gui` spawn: a GUI-subsystem copy of the test (SPEC 59)
  bool nested_ = false;   // a child spawns
  // Children pass on the first process's id and output (child_output).
  bool relays() const { return (usesStd_ || nested_) && !children_.empty(); }
  // HandleCount, the type name and GrantedAccess all come from NtQueryObject.
  bool usesNtQueryObject() const { return usesCount_ || usesType_ || usesAccess_; }
};

}  // namespace

std::optional<std::string> writeWineStyle(const scenario::Scenario& sc, const ReproOptions& o) {
  try {
    return Generator(sc, o).write();
  } catch (const Unsupported&) {
    return std::nullopt;
  }
}

}  // namespace hc::engine::detail

namespace hc::engine {

std::map<int, std::set<std::string>> departuresBetween(const scenario::Scenario& predicted,
                                                       const scenario::Scenario& observed) {
  std::map<int, std::set<std::string>> out;
  for (std::size_t i = 0; i < predicted.steps.size() && i < observed.steps.size(); ++i)
    for (const scenario::Expect& e : predicted.steps[i].expects) {
      const auto& seen = observed.steps[i].expects;
      if (std::find(seen.begin(), seen.end(), e) == seen.end())
        out[reproLine(predicted.steps[i], i)].insert(expectText(e));
    }
  return out;
}

std::map<int, std::set<std::string>> departuresOn(const scenario::Scenario& sc,
                                                  model::Profile profile) {
  std::map<int, std::set<std::string>> out;
  ModelBackend model(profile);
  Bindings bindings;
  try {
    for (std::size_t i = 0; i < sc.steps.size(); ++i)
      for (const Mismatch& m : runStep(model, bindings, sc.steps[i]).mismatches)
        out[reproLine(sc.steps[i], i)].insert(m.expected);
  } catch (const std::exception&) {
    // A step the model cannot run (it blocks): the departures so far.
  }
  return out;
}

std::vector<std::string> departureNote(const std::vector<const model::Quirk*>& quirks) {
  std::vector<std::string> out;
  for (const model::Quirk* q : quirks) {
    // What Wine does, in the description's first sentence; the rest is the model's business.
    std::string_view what = q->description;
    for (std::size_t at = 0; (at = what.find(". ", at)) != std::string_view::npos; ++at)
      if (at + 2 < what.size() && std::isupper(static_cast<unsigned char>(what[at + 2]))) {
        what = what.substr(0, at + 1);
        break;
      }
    out.push_back(model::cite(q->specRule) + ", Wine's " + std::string(q->name) + ": " +
                  std::string(what));
    out.push_back("Windows: " + std::string(q->windows.source) + ": " +
                  std::string(q->windows.assertion));
  }
  return out;
}

}  // namespace hc::engine
