// The reproducer generator: a scenario becomes one file that performs its
// steps for real, a C++ program or a Wine-style test in C. Layout of the
// file: a comment with the scenario, the Win32 call layer's definitions the
// rest uses (CallLayer.h) and the reproducer runtime (sut/win32, embedded at
// build time as hc::embedded::kWin32Sources), the scenario's shape (processes, handle-name slots,
// error names), one function per step, the table of parts, then the entry point (kReproMain or
// kReproWineTest).
#include "handlecheck/engine/Reproducer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "BlockOutcomes.h"
#include "CString.h"
#include "CallLayer.h"
#include "CheckCalls.h"
#include "Errors.h"
#include "Ops.h"
#include "WineTest.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/engine/StraightLine.h"
#include "handlecheck/win32/EmbeddedMain.h"
#include "handlecheck/win32/EmbeddedWineTest.h"

namespace hc::engine {

namespace detail {

std::string cString(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '?') {
      out += "\\?";  // no trigraphs
    } else if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

}  // namespace detail

namespace {

using detail::callCheck;
using detail::cBool;
using detail::cString;
using detail::handleCheck;

using scenario::Expect;
using scenario::HandleRef;
using scenario::Step;
using K = Expect::Kind;

[[noreturn]] void malformed(const Step& step, const std::string& what) {
  throw std::invalid_argument("line " + std::to_string(step.line) + ": " + what);
}

// Text that goes inside a /* */ comment.
std::string commentText(std::string s) {
  for (std::size_t at; (at = s.find("*/")) != std::string::npos;) s.replace(at, 2, "* /");
  return s;
}

// The step as its line spells it, without expectations and comment.
std::string stepText(const Step& step) {
  Step bare = step;
  bare.expects.clear();
  bare.comment.clear();
  return scenario::print(bare);
}

bool isCallExpect(K kind) {
  return kind == K::Ok || kind == K::Value || kind == K::Error || kind == K::AlreadyExists ||
         kind == K::Data || kind == K::ExitCode || kind == K::Avail || kind == K::Instances ||
         kind == K::AttributeListSize;
}

// Processes and handle-name slots, found by walking the steps the way the
// runner binds names (properties/scenario/README.md): `as` names in the
// caller (for `dup ... to C`, in C), and after `spawn ... inherit` every name
// the parent has.
struct Shape {
  std::vector<std::string> labels{"P0"};
  std::map<std::string, int> process{{"P0", 0}};
  std::vector<std::pair<int, std::string>> slots;  // slot -> (process, handle name)
  std::map<std::pair<int, std::string>, int> slotOf;
  std::vector<std::string> identifiers;          // slot -> C identifier
  std::vector<std::set<std::string>> known{{}};  // names bound so far, per process

  int processIndex(const Step& step, const std::string& label) const {
    const auto it = process.find(label);
    if (it == process.end()) malformed(step, "unknown process " + label);
    return it->second;
  }
  int slot(int p, const std::string& name) {
    const auto key = std::make_pair(p, name);
    if (const auto it = slotOf.find(key); it != slotOf.end()) return it->second;
    const int index = static_cast<int>(slots.size());
    slots.push_back(key);
    slotOf[key] = index;
    std::string id = "slot_" + labels[p] + "_" + name;
    while (std::find(identifiers.begin(), identifiers.end(), id) != identifiers.end()) id += "_";
    identifiers.push_back(id);
    return index;
  }
  void bind(int p, const std::string& name) {
    slot(p, name);
    known[p].insert(name);
  }
  int boundSlot(const Step& step, int p, const std::string& name) {
    if (!known[p].count(name)) malformed(step, "unknown handle " + name + " in " + labels[p]);
    return slot(p, name);
  }
  int addProcess(const Step& step, const std::string& label) {
    if (process.count(label)) malformed(step, "process " + label + " is spawned twice");
    const int index = static_cast<int>(labels.size());
    labels.push_back(label);
    process[label] = index;
    known.emplace_back();
    return index;
  }
};

class Writer {
 public:
  Writer(const scenario::Scenario& scenario, const ReproOptions& options, bool wineTest)
      : scenario_(scenario), options_(options), wineTest_(wineTest) {}

  std::string write() {
    if (scenario::hasParallel(scenario_)) {
      allowed_ = detail::blockOutcomes(scenario_);
      if (wineTest_) wineOnly_ = wineOnlyRows();
    }
    for (std::size_t i = 0; i < scenario_.steps.size(); ++i) writeStep(scenario_.steps[i], i);
    if (shape_.slots.size() > kMaxSlots)
      throw std::invalid_argument("at most " + std::to_string(kMaxSlots) +
                                  " handle names in a reproducer");
    if (parts_.size() > kMaxParts)
      throw std::invalid_argument("at most " + std::to_string(kMaxParts) +
                                  " step parts in a reproducer");
    std::string entry;
    for (const std::string_view chunk : wineTest_ ? embedded::kReproWineTest : embedded::kReproMain)
      entry += chunk;
    // The runtime, the steps and the entry point need these of the call layer.
    std::string own =
        detail::reproRuntimeText() + shapeText() +
        "\n/* ---------------------------------------------------------------------------\n"
        " * The scenario's steps, one function each (a second one when a step's\n"
        " * handle is checked in another process).\n */\n" +
        steps_ + partsText() + blocksText() + entry;
    return header() +
           "\n/* ---- sut/win32: the call layer's functions this program uses ---- */\n\n" +
           detail::callLayerExcerpt(detail::callLayerNamesIn(own)) + own;
  }

 private:
  static constexpr std::size_t kMaxSlots = 512;      // REPRO_MAX_SLOTS (sut/win32/ReproRuntime.h)
  static constexpr std::size_t kMaxParts = 1024;     // REPRO_MAX_PARTS
  static constexpr std::size_t kMaxBlocks = 16;      // REPRO_MAX_BLOCKS
  static constexpr std::size_t kMaxBlockSteps = 64;  // REPRO_MAX_BLOCK_STEPS

  // A parallel block's parts (one per step, branch by branch): where it
  // starts in parts_, where each branch starts (from `first`), and each
  // branch's process.
  struct BlockParts {
    std::size_t block = 0;
    int first = 0, line = 0;
    int count = 0;  // its parts
    std::vector<int> start;
    std::vector<int> process;
    unsigned hold = 0;  // bit i: a DuplicateHandle of the block names process i
  };

  struct Part {
    int process;
    int line;
    std::string text;
    bool first, last;
    std::string function;
  };

  static int lineOf(const Step& step, std::size_t index) { return reproLine(step, index); }

  std::string header() const {
    std::string out = "/*\n";
    out += " * " +
           commentText(options_.title.empty()
                           ? "Reproducer for the handlecheck scenario " +
                                 (scenario_.file.empty() ? "<input>" : scenario_.file)
                           : options_.title) +
           "\n";
    for (const std::string& note : options_.notes) out += " * " + commentText(note) + "\n";
    out +=
        wineTest_
            ? " *\n"
              " * Generated by handlecheck: a test in the conventions of Wine's conformance\n"
              " * tests, in C, as dlls/kernel32/tests/handlecheck.c would be. Outside Wine's\n"
              " * tree, against a stand-in wine/test.h (handlecheck's "
              "properties/engine/winetest):\n"
              " *   x86_64-w64-mingw32-gcc -static -O1 -I DIR -o handlecheck.exe "
              "handlecheck.wine.c\n"
              " *   handlecheck.exe handlecheck\n"
              " * ok() checks each step's expectations, the documented outcome: a failure\n"
              " * (\"line N: <step>: expected X, got Y\") is where the system departs.\n"
              " *\n"
              " * The scenario (.hcs); each process label is this same test, started\n"
              " * as `handlecheck.exe handlecheck child INDEX MAPPING`:\n"
            : " *\n"
              " * Generated by handlecheck. Self-contained: only <windows.h> and the C runtime.\n"
              " *   MinGW-w64: x86_64-w64-mingw32-g++ -static -O1 -o repro.exe repro.cpp\n"
              " *   MSVC:      cl /nologo /EHsc repro.cpp\n"
              " * Run repro.exe without arguments. It prints one line per step, \"line N: <step>: "
              "ok\"\n"
              " * or \"line N: <step>: expected X, got Y\", and exits 0 when every expectation "
              "holds,\n"
              " * 1 when the system departs from one, 2 on harness trouble.\n"
              " *\n"
              " * The scenario (.hcs); each process label is this same program,\n"
              " * started as `repro.exe child INDEX MAPPING`:\n";
    for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
      const Step& step = scenario_.steps[i];
      char num[16];
      std::snprintf(num, sizeof num, "%4d  ", lineOf(step, i));
      out += " * " + std::string(num) + commentText(scenario::print(step));
      if (step.block != 0)
        out += "    [block " + std::to_string(step.block) + ", branch " +
               std::to_string(step.branch + 1) + "]";
      if (options_.divergingLine != 0 && options_.divergingLine == lineOf(step, i) &&
          step.comment.find("<--") == std::string::npos)
        out += "    <-- the model and the system part here";
      out += "\n";
    }
    out +=
        " *\n"
        " * How it runs: a coordinator (the program as started) creates a\n"
        " * named file mapping shared by every process (whose turn it is, the handle\n"
        " * value of each scenario name, a log) and a job object that ends every\n"
        " * process with it, then starts P0 without inheritance. Each step runs in\n"
        " * its own process when its turn comes; children are created with the\n"
        " * step's own CreateProcess flavour and find inherited handles at the\n"
        " * parent's value. A step's checks run where the step runs and reach the\n"
        " * coordinator through the mapping, which reports them. Object names get a\n"
        " * per-run prefix.\n"
        " *\n"
        " * The Win32 calls (hc_*) and the runtime that follow are handlecheck's own\n"
        " * call layer (sut/win32), the very code its agents run.\n"
        " */\n\n"
        "#define _CRT_SECURE_NO_WARNINGS\n"
        "#ifndef _WIN32_WINNT\n"
        "#define _WIN32_WINNT 0x0601  /* STARTUPINFOEX, PROC_THREAD_ATTRIBUTE_HANDLE_LIST */\n"
        "#endif\n";
    out += "#include <windows.h>\n";
    if (wineTest_) out += "#include \"wine/test.h\"\n";
    return out;
  }

  std::string shapeText() const {
    std::string out =
        "\n/* ---------------------------------------------------------------------------\n"
        " * The scenario's shape: its processes and the handle names they bind.\n */\n";
    out += "enum process_index\n{\n";
    for (std::size_t p = 0; p < shape_.labels.size(); ++p)
      out += "    proc_" + shape_.labels[p] + (p + 1 < shape_.labels.size() ? ",\n" : "\n");
    out += "};\nenum slot_index\n{\n";
    if (shape_.slots.empty()) out += "    slot_none\n";
    for (std::size_t s = 0; s < shape_.slots.size(); ++s)
      out += "    " + shape_.identifiers[s] + ",  /* " + shape_.slots[s].second + " in " +
             shape_.labels[shape_.slots[s].first] + " */\n";
    out += "};\n";
    out += "const int repro_processes = " + std::to_string(shape_.labels.size()) + ";\n";
    out +=
        "const int repro_slots = " + std::to_string(std::max<std::size_t>(1, shape_.slots.size())) +
        ";\n";
    out += "const int repro_parts = " + std::to_string(parts_.size()) + ";\n";
    out += "const DWORD repro_step_timeout_ms = " + std::to_string(options_.stepTimeoutMs) + ";\n";
    out += "const char *const process_label[] =\n{\n   ";
    for (const std::string& label : shape_.labels) out += " " + cString(label) + ",";
    out += "\n};\nconst char *const slot_name[] =\n{\n   ";
    if (shape_.slots.empty()) out += " \"(none)\",";
    for (const auto& [p, name] : shape_.slots) out += " " + cString(name) + ",";
    out += "\n};\n\n/* Error names for the log (winerror.h). */\n";
    return out + detail::reproErrorNamesText();
  }

  std::string partsText() const {
    std::string out =
        "\n/* The run, in order: which process runs each part of each step. */\n"
        "const struct part parts[] =\n{\n";
    for (const Part& p : parts_)
      out += "    { proc_" + shape_.labels[p.process] + ", " + std::to_string(p.line) + ", " +
             cString(p.text) + ", " + (p.first ? "1" : "0") + ", " + (p.last ? "1" : "0") + ", " +
             p.function + " },\n";
    out += "    { -1, 0, \"\", 0, 0, NULL }\n};\n";
    return out;
  }

  // The parallel blocks: each one's parts and the rows the model allows
  // (BlockOutcomes.h), and how often a scenario with blocks runs.
  std::string blocksText() const {
    std::string out =
        "\n/* The parallel blocks: their parts, and the rows the model allows (each\n"
        " * interleaving's step results in part order), which a run's row must be. */\n";
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      out += "static const char *const block_" + std::to_string(b + 1) + "_allowed[] =\n{\n";
      for (const std::string& row : allowed_[b]) out += "    " + cString(row) + ",\n";
      out += "};\n";
      if (!wineOnly_.empty() && !wineOnly_[b].empty()) {
        out += "/* Rows only Wine's known quirks give (the model's wine profile): todo_wine. */\n";
        out += "static const char *const block_" + std::to_string(b + 1) + "_wine[] =\n{\n";
        for (const std::string& row : wineOnly_[b]) out += "    " + cString(row) + ",\n";
        out += "};\n";
      }
    }
    out += "const struct block blocks[] =\n{\n";
    int records = 0;
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const BlockParts& k = blocks_[b];
      const int end = k.count;
      std::string start;
      for (std::size_t i = 0; i <= scenario::kMaxBranches; ++i)
        start += (i ? ", " : "") + std::to_string(i < k.start.size() ? k.start[i] : end);
      out += "    { " + std::to_string(k.first) + ", " + std::to_string(end) + ", " +
             std::to_string(k.start.size()) + ", { " + start + " }, " + std::to_string(records) +
             ", " + std::to_string(k.line) + ", block_" + std::to_string(b + 1) + "_allowed, " +
             std::to_string(allowed_[b].size()) + ", " + wineOnlyText(b) + ", " +
             std::to_string(k.hold) + " },\n";
      records += end;
    }
    if (blocks_.empty()) out += "    { -1, 0, 0, { 0, 0, 0, 0 }, 0, 0, NULL, 0, NULL, 0, 0 },\n";
    out += "};\nconst int repro_blocks = " + std::to_string(blocks_.size()) + ";\n";
    out += "const int repro_runs = " + std::to_string(blocks_.empty() ? 1 : options_.blockRuns) +
           ";\n";
    return out;
  }

  // The Wine-style test: per block, the rows only the model's wine profile
  // (Wine's named quirks) allows, which its ok() marks todo_wine. None when
  // the wine profile cannot run the scenario as far.
  std::vector<std::set<std::string>> wineOnlyRows() const {
    std::vector<std::set<std::string>> wine;
    try {
      wine = detail::blockOutcomes(scenario_, model::wineProfile());
    } catch (const std::invalid_argument&) {
    }
    wine.resize(allowed_.size());
    for (std::size_t b = 0; b < allowed_.size(); ++b)
      for (const std::string& row : allowed_[b]) wine[b].erase(row);
    return wine;
  }

  // The `wine_only, wine_only_count` fields of block b.
  std::string wineOnlyText(std::size_t b) const {
    if (wineOnly_.empty() || wineOnly_[b].empty()) return "NULL, 0";
    return "block_" + std::to_string(b + 1) + "_wine, " + std::to_string(wineOnly_[b].size());
  }

  // A step of a parallel block: its part noted in blocks_; what the runtime
  // cannot do on a branch's thread refused.
  void noteBlockPart(const Step& step, int p, int line) {
    if (step.op == proto::Op::Exit) malformed(step, "exit in a parallel block");
    if (blocks_.empty() || blocks_.back().block != step.block) {
      if (blocks_.size() == kMaxBlocks)
        throw std::invalid_argument("at most " + std::to_string(kMaxBlocks) +
                                    " parallel blocks in a reproducer");
      blocks_.push_back({step.block, static_cast<int>(parts_.size()), line, 0, {}, {}});
    }
    BlockParts& k = blocks_.back();
    if (k.start.size() <= step.branch) {
      k.start.push_back(static_cast<int>(parts_.size()) - k.first);
      k.process.push_back(p);
    } else if (k.process[step.branch] != p) {
      malformed(step, "a branch of a parallel block runs in one process");
    }
    k.count = static_cast<int>(parts_.size()) - k.first + 1;
    if (step.op == proto::Op::Dup && !(step.source.empty() && step.target.empty())) {
      const int other = shape_.processIndex(step, step.source.empty() ? step.target : step.source);
      if (other >= 32)
        malformed(step, "a parallel block's DuplicateHandle names a process after the 32nd");
      k.hold |= 1u << other;
    }
    if (++blockSteps_ > kMaxBlockSteps)
      throw std::invalid_argument("at most " + std::to_string(kMaxBlockSteps) +
                                  " steps in parallel blocks in a reproducer");
  }

  // A handle operand as a C expression in process p.
  std::string handleExpr(const Step& step, int p, const HandleRef& ref) {
    if (ref.raw) return "(HANDLE)(ULONG_PTR)" + proto::hex(*ref.raw);
    return "handle_of(" + shape_.identifiers[shape_.boundSlot(step, p, ref.name)] + ")";
  }

  // The checks on what the call returned (`struct hc_call c`) in process p.
  std::string callChecks(const Step& step, int p) {
    std::string out;
    for (const Expect& e : step.expects)
      out += e.kind == K::Value ? detail::valueCheck(e, valueExpr(step, p, e.text)) : callCheck(e);
    return out;
  }

  // What `value=` names, as a C expression: `#0x10000` (a raw value), `W`
  // (W's value in process p), `P0.W` (W's value in P0, read from the mapping).
  std::string valueExpr(const Step& step, int p, const std::string& text) {
    if (text.starts_with("#")) return "(HANDLE)(ULONG_PTR)" + text.substr(1);
    const auto dot = text.find('.');
    if (dot == std::string::npos) return handleExpr(step, p, HandleRef{text, {}});
    return handleExpr(step, shape_.processIndex(step, text.substr(0, dot)),
                      HandleRef{text.substr(dot + 1), {}});
  }

  // `std in|out|err as O`: the runtime's get_std binds the value as it is.
  std::string getStd(const Step& step, int p) {
    if (step.as.size() != 1) malformed(step, "std binds one name");
    proto::CallOperands operands;
    operands.slot = shape_.identifiers[shape_.slot(p, step.as[0])];
    shape_.bind(p, step.as[0]);
    return "    " + proto::reproCallText(callShape(step), operands) + "\n";
  }

  // The checks on the step's handle, run in process p where `subject` lives.
  std::string handleChecks(const Step& step, int p, const std::string& subject) {
    std::string out;
    for (const Expect& e : step.expects)
      out += e.kind == K::Same
                 ? "    expect_same(" + subject + ", " +
                       handleExpr(step, p, HandleRef{e.text, {}}) + ", " + cString(e.text) + ");\n"
                 : handleCheck(e, subject);
    return out;
  }

  // The step's call through the call layer (the table of operations' layer text),
  // with `operand` as its handle.
  std::string layerCall(const Step& step, const std::string& operand,
                        const std::string& text = {}) const {
    proto::CallOperands operands;
    operands.handle = operand;
    operands.name = step.objectName.empty() ? "NULL" : "object_name(L\"" + step.objectName + "\")";
    operands.text = text;
    return "    " + proto::reproCallText(callShape(step), operands) + "\n";
  }

  // A dup step's call, its copy bound to the step's name in `target`.
  std::string dupCall(const Step& step, const std::string& operand, int target) {
    if (step.as.size() != 1) malformed(step, "dup binds one name");
    proto::CallOperands operands;
    operands.handle = operand;
    operands.target = "proc_" + shape_.labels[target];
    operands.slot = shape_.identifiers[shape_.slot(target, step.as[0])];
    shape_.bind(target, step.as[0]);
    return "    " + proto::reproCallText(callShape(step), operands) + "\n";
  }

  // `dup H from C close-source`: H, a handle of process `source`, closed there.
  std::string closeSourceCall(const Step& step, const std::string& operand, int source) const {
    proto::CallOperands operands;
    operands.handle = operand;
    operands.source = "proc_" + shape_.labels[source];
    return "    " + proto::reproCallText(callShape(step), operands) + "\n";
  }

  // A create/open step's call, then the new handles bound to the step's names.
  std::string createOrOpen(const Step& step, int p) {
    const std::string call = layerCall(step, {});
    if (step.op == proto::Op::CreatePipe) {
      if (step.as.size() != 2) malformed(step, "create pipe binds two names");
      std::string out = call;
      out += "    if (c.succeeded)\n    {\n";
      out += "        bind_handle(" + shape_.identifiers[shape_.slot(p, step.as[0])] +
             ", c.handle);\n";
      out += "        bind_handle(" + shape_.identifiers[shape_.slot(p, step.as[1])] +
             ", c.handle2);\n";
      out += "    }\n";
      shape_.bind(p, step.as[0]);
      shape_.bind(p, step.as[1]);
      return out;
    }
    if (step.as.size() != 1) malformed(step, "create/open binds one name");
    std::string out = call;
    out += "    if (c.succeeded) bind_handle(" + shape_.identifiers[shape_.slot(p, step.as[0])] +
           ", c.handle);\n";
    shape_.bind(p, step.as[0]);
    return out;
  }

  // The scenario process a process handle names, when the scenario knows it:
  // pi.hProcess of a spawn, a copy of one, or a copy of GetCurrentProcess().
  std::optional<int> processNamed(int p, const HandleRef& ref) const {
    if (ref.raw) return std::nullopt;
    const auto it = processOf_.find({p, ref.name});
    if (it == processOf_.end()) return std::nullopt;
    return it->second;
  }

  // Which process a dup's copy or a spawn's hProcess names (processNamed).
  void noteProcessHandles(const Step& step, int p, int owner) {
    if (step.as.empty()) return;
    if (step.op == proto::Op::Spawn) {
      processOf_[{p, step.as[0]}] = shape_.processIndex(step, step.child);
    } else if (step.op == proto::Op::Dup && step.source.empty()) {
      processOf_.erase({owner, step.as[0]});
      if (step.handle.raw && *step.handle.raw == proto::kCurrentProcess)
        processOf_[{owner, step.as[0]}] = p;
      else if (const auto named = processNamed(p, step.handle))
        processOf_[{owner, step.as[0]}] = *named;
    }
  }

  // What a spawn's request names, resolved in the parent before the child exists.
  struct SpawnOperands {
    std::vector<std::string> list;             // the `only` list's handles
    std::array<std::string, 3> stdFields;      // stdin=, stdout=, stderr= (NULL when not given)
    std::string parent;                        // the designated parent's handle, or NULL
    std::vector<int> parentSlots, childSlots;  // the names the child inherits, in each process
  };

  // The list's handles resolve in the process they come from (`from`), the
  // std fields and the designated parent in the caller p.
  SpawnOperands spawnOperands(const Step& step, int p, int from) {
    SpawnOperands o;
    if (step.only)
      for (const HandleRef& ref : *step.only) o.list.push_back(handleExpr(step, from, ref));
    if (o.list.size() > 16) malformed(step, "at most 16 handles in an `only` list");
    const auto stdField = [&](const std::optional<HandleRef>& ref) {
      return ref ? handleExpr(step, p, *ref) : std::string("NULL");
    };
    o.stdFields = {stdField(step.stdInput), stdField(step.stdOutput), stdField(step.stdError)};
    if (shape_.labels.size() >= 99) malformed(step, "at most 99 processes");
    o.parent = step.parent ? handleExpr(step, p, *step.parent) : "NULL";
    return o;
  }

  // Every name `from` has is inherited by the child under the same name.
  void inheritNames(int from, int child, SpawnOperands& o) {
    for (const std::string& name : shape_.known[from]) {
      o.parentSlots.push_back(shape_.slot(from, name));
      o.childSlots.push_back(shape_.slot(child, name));
      shape_.known[child].insert(name);
    }
  }

  // The statements that fill a spawn_request through `r` ("r." or "r->").
  std::string spawnRequest(const Step& step, int p, const SpawnOperands& o, const std::string& r) {
    std::string fill;
    fill += step.parent ? "    memset(r, 0, sizeof(*r));\n" : "    memset(&r, 0, sizeof(r));\n";
    fill += "    " + r + "child = proc_" + step.child + ";\n";
    fill += "    " + r + "inherit_handles = " + cBool(step.inherit) + ";\n";
    fill += "    " + r +
            "list_len = " + std::to_string(step.only ? static_cast<int>(o.list.size()) : -1) +
            ";\n";
    for (std::size_t i = 0; i < o.list.size(); ++i)
      fill += "    " + r + "list[" + std::to_string(i) + "] = " + o.list[i] + ";\n";
    fill += "    " + r + "process_inherit = " + cBool(step.processInherit) + ";\n";
    fill += "    " + r + "thread_inherit = " + cBool(step.threadInherit) + ";\n";
    fill += "    " + r + "list_size = " + (step.listSize ? std::to_string(*step.listSize) : "-1") +
            ";\n";
    fill += "    " + r +
            "parent_size = " + (step.parentSize ? std::to_string(*step.parentSize) : "-1") + ";\n";
    fill += "    " + r + "unknown_attribute = " + cBool(step.unknownAttribute) + ";\n";
    fill += "    " + r + "use_parent = " + cBool(step.parent.has_value()) + ";\n";
    if (step.parent) fill += "    " + r + "parent = " + o.parent + ";\n";
    if (step.block != 0) fill += "    " + r + "in_block = TRUE;\n";
    fill += "    " + r + "count = " + std::to_string(o.parentSlots.size()) + ";\n";
    fill += "    " + r + "parent_slots = parent_slots;\n    " + r + "child_slots = child_slots;\n";
    fill += "    " + r + "process_slot = " + shape_.identifiers[shape_.slot(p, step.as[0])] + ";\n";
    fill += "    " + r + "thread_slot = " + shape_.identifiers[shape_.slot(p, step.as[1])] + ";\n";
    return fill + spawnConsole(step, o, r);
  }

  // The request's console words (the agent's mapping, proto::kConsoleFlags:
  // the words replace DETACHED_PROCESS) and STARTF_USESTDHANDLES fields.
  static std::string spawnConsole(const Step& step, const SpawnOperands& o, const std::string& r) {
    std::string fill;
    if (step.console != 0) {
      fill += "    " + r + "console_given = " + cBool(proto::consoleGiven(step.console)) + ";\n";
      fill += "    " + r + "creation_flags = " + proto::creationFlagsText(step.console) + ";\n";
      // SPEC 59: the child runs a GUI-subsystem copy of the program.
      if (step.console & proto::kConsoleGui) fill += "    " + r + "gui = TRUE;\n";
    }
    if (step.stdInput || step.stdOutput || step.stdError) {
      fill += "    " + r + "use_std = TRUE;\n";
      for (int i = 0; i < 3; ++i)
        fill += "    " + r + "std[" + std::to_string(i) + "] = " + o.stdFields[i] + ";\n";
    }
    return fill;
  }

  // The slot arrays of the names the child inherits, which the request points at.
  std::string inheritedSlots(const Step& step, int from, const SpawnOperands& o) const {
    const auto slotList = [&](const std::vector<int>& slots) {
      std::string s;
      for (const int slot : slots) s += (s.empty() ? " " : ", ") + shape_.identifiers[slot];
      return s.empty() ? std::string(" -1 ") : s + " ";
    };
    return "    /* the names " + shape_.labels[from] + " has, and what they are called in " +
           step.child + " if inherited */\n" + "    static const int parent_slots[] = {" +
           slotList(o.parentSlots) + "};\n" + "    static const int child_slots[] = {" +
           slotList(o.childSlots) + "};\n";
  }

  // A spawn. With a designated parent D (SPEC 82) the child inherits D's
  // handles: the request is made by a helper both parts call, and a part run
  // in D before the call notes what the child inherits there
  // (note_inherited reads the flags of its own process's handles).
  std::string spawnCall(const Step& step, int p, const std::string& function) {
    // With a designated parent the scenario does not know, the child knows no names.
    const std::optional<int> designated =
        step.parent ? processNamed(p, *step.parent) : std::optional<int>(p);
    const int from = designated.value_or(p);
    SpawnOperands operands = spawnOperands(step, p, from);
    const int child = shape_.addProcess(step, step.child);
    if (step.inherit && designated) inheritNames(from, child, operands);
    if (step.as.size() != 2) malformed(step, "spawn binds two names (hProcess, hThread)");
    const std::string fill = spawnRequest(step, p, operands, step.parent ? "r->" : "r.");
    const std::string names = inheritedSlots(step, from, operands);
    std::string out;
    if (!step.parent) {
      out += names + "    struct spawn_request r;\n\n" + fill + "    spawn(&c, &r);\n";
    } else {
      helpers_ += "/* line " + std::to_string(step.line) + ": the spawn's request, made alike " +
                  "in " + shape_.labels[from] + " and " + shape_.labels[p] + " */\nstatic void " +
                  function + "_request(struct spawn_request *r)\n{\n" + names + "\n" + fill +
                  "}\n\n";
      if (designated && *designated != p) {
        helpers_ += "/* line " + std::to_string(step.line) + ", in " + shape_.labels[from] +
                    ": what the child inherits from this designated parent */\nstatic void " +
                    function + "_note(void)\n{\n    struct spawn_request r;\n\n    " + function +
                    "_request(&r);\n    note_inherited(&r);\n}\n\n";
        noteProcess_ = from;
      }
      out += "    struct spawn_request r;\n\n    " + function + "_request(&r);\n";
      if (designated && *designated != p) out += "    r.inherit_noted = TRUE;\n";
      out += "    spawn(&c, &r);\n";
    }
    shape_.bind(p, step.as[0]);
    shape_.bind(p, step.as[1]);
    return out;
  }

  // The step's call as C statements, by operation; `owner` becomes the
  // process its handle lives in (SPEC 50: a close-source dup's source; a
  // dup's target).
  std::string stepCall(const Step& step, int p, const std::string& function, int& owner) {
    const auto operand = [&] { return handleExpr(step, p, step.handle); };
    if (step.op == proto::Op::Spawn) return spawnCall(step, p, function);
    if (step.op == proto::Op::Dup && !step.source.empty()) {
      owner = shape_.processIndex(step, step.source);  // SPEC 50: the handle lives there
      return closeSourceCall(step, handleExpr(step, owner, step.handle), owner);
    }
    if (step.op == proto::Op::GetStd) return getStd(step, p);
    if (step.op == proto::Op::Dup) {
      owner = step.target.empty() ? p : shape_.processIndex(step, step.target);
      return dupCall(step, operand(), owner);
    }
    if (proto::opInfo(step.op).grammar.binds > 0) return createOrOpen(step, p);
    if (step.op == proto::Op::Write)
      return "    static const char text[] = " + cString(step.text) + ";\n\n" +
             layerCall(step, operand(), "text");
    if (step.op != proto::Op::Exit) return layerCall(step, operand());
    return {};
  }

  // The subject of valid/inherit/count/type/same: the first `as` name, else the operand.
  std::string checkSubject(const Step& step, int owner) {
    if (!step.as.empty())
      return "handle_of(" + shape_.identifiers[shape_.slot(owner, step.as[0])] + ")";
    if (!proto::takes(step.op, proto::Arg::Operand))
      malformed(step, "handle expectations need a handle, and this step has none");
    return handleExpr(step, owner, step.handle);
  }

  // An exit step: its call checks run before ExitProcess, with nothing to call first.
  void writeExit(const Step& step, int p, int line, const std::string& text,
                 const std::string& function, bool hasHandleChecks, std::string code) {
    code += "    struct hc_call c;\n\n    memset(&c, 0, sizeof(c));\n    c.succeeded = TRUE;\n";
    code += callChecks(step, p);
    if (hasHandleChecks) malformed(step, "exit has no handle to check");
    code += "    " + proto::reproCallText(callShape(step)) + "\n}\n\n";
    steps_ += code;
    parts_.push_back({p, line, text, true, true, function});
  }

  void writeStep(const Step& step, std::size_t index) {
    const int line = lineOf(step, index);
    const int p = shape_.processIndex(step, step.process);
    const std::string text = stepText(step);
    const std::string function =
        "line_" + std::to_string(line) + (usedLine(line) ? "_" + std::to_string(index) : "");

    // Where the step's handle lives, and how the code names it.
    int owner = p;
    bool hasHandleChecks = false;
    for (const Expect& e : step.expects) hasHandleChecks |= !isCallExpect(e.kind);

    noteProcess_ = -1;
    const std::string body = stepCall(step, p, function, owner);
    const std::string subject = hasHandleChecks ? checkSubject(step, owner) : std::string();

    std::string code =
        "/* line " + std::to_string(line) + ": " + commentText(scenario::print(step));
    if (options_.divergingLine != 0 && options_.divergingLine == line)
      code += "\n * (where the model and the system part)";
    code += " */\nstatic void " + function + "(void)\n{\n";
    const bool splitChecks = hasHandleChecks && owner != p;
    if (step.op == proto::Op::Exit)
      return writeExit(step, p, line, text, function, hasHandleChecks, std::move(code));
    if (step.block != 0 && (splitChecks || noteProcess_ >= 0))
      malformed(step, "in a parallel block, a step's checks run in its own process");
    // Declarations first (the body may declare), then the call.
    const std::string decls = "    struct hc_call c;\n";
    // Split the body into its declarations (lines before the first blank) and statements.
    std::string bodyDecls, bodyCode = body;
    if (const auto blank = body.find("\n\n"); blank != std::string::npos) {
      bodyDecls = body.substr(0, blank + 1);
      bodyCode = body.substr(blank + 2);
    }
    code += bodyDecls + decls + "\n    memset(&c, 0, sizeof(c));\n" + bodyCode;
    code += callChecks(step, p);
    if (hasHandleChecks && !splitChecks) code += handleChecks(step, p, subject);
    if (step.block != 0) {
      code += "    record_result(&c);\n";
      noteBlockPart(step, p, line);
    }
    code += "}\n\n";
    if (noteProcess_ >= 0)
      parts_.push_back({noteProcess_, line, text, true, false, function + "_note"});
    parts_.push_back({p, line, text, noteProcess_ < 0, !splitChecks, function});
    if (splitChecks) {
      const std::string checks = function + "_in_" + shape_.labels[owner];
      code += "/* line " + std::to_string(line) + ", in " + shape_.labels[owner] +
              ": the checks on the new handle, which lives there */\nstatic void " + checks +
              "(void)\n{\n" + handleChecks(step, owner, subject) + "}\n\n";
      parts_.push_back({owner, line, text, false, true, checks});
    }
    steps_ += helpers_ + code;
    helpers_.clear();
    noteProcessHandles(step, p, owner);
  }

  bool usedLine(int line) { return !usedLines_.insert(line).second; }

  const scenario::Scenario& scenario_;
  const ReproOptions& options_;
  const bool wineTest_;
  Shape shape_;
  std::vector<Part> parts_;
  std::string steps_;
  std::string helpers_;   // functions the step's parts call, written before them
  int noteProcess_ = -1;  // a spawn's designated parent, which notes what the child inherits
  std::map<std::pair<int, std::string>, int> processOf_;  // (process, name) -> process it names
  std::set<int> usedLines_;
  std::vector<std::set<std::string>> allowed_;   // per block: the rows the model allows
  std::vector<std::set<std::string>> wineOnly_;  // per block: rows only the wine profile allows
  std::vector<BlockParts> blocks_;
  std::size_t blockSteps_ = 0;
};

}  // namespace

int reproLine(const scenario::Step& step, std::size_t index) {
  return step.line > 0 ? step.line : static_cast<int>(index) + 1;
}

namespace {
// What a reproducer of a scenario with parallel blocks does, for its header.
ReproOptions withBlockNote(const scenario::Scenario& scenario, ReproOptions options) {
  if (!scenario::hasParallel(scenario)) return options;
  const std::string runs = std::to_string(options.blockRuns);
  for (const char* line :
       {"Parallel blocks: each branch runs on a thread of its process (CreateThread),",
        "all released at once from a barrier, its steps back to back. A step's",
        "expectations are checked on its thread; the block's results (ok, error=NAME,",
        "already-exists, data) must form one of the rows in blocks[]: the results of",
        "every interleaving of the branches that the model allows, tabulated when",
        "this file was written. The state after a block is checked by the steps",
        "after it. One run sees one schedule: the scenario runs up to REPRO_RUNS times",
        "(environment; default below), each with new processes, until a run departs."})
    options.notes.push_back(line);
  options.notes.push_back("Default runs: " + runs +
                          ". Exit 0 when no departure showed in any run: the failure");
  options.notes.push_back("did not reproduce within that many runs; 1 when a run departs.");
  return options;
}
}  // namespace

std::string writeReproducer(const scenario::Scenario& scenario, const ReproOptions& options) {
  return Writer(scenario, withBlockNote(scenario, options), false).write();
}

std::string writeWineTest(const scenario::Scenario& scenario, const ReproOptions& options) {
  const ReproOptions noted = withBlockNote(scenario, options);
  // Parallel blocks need the runtime's threads: neither straight-line
  // flavour has them.
  if (scenario::hasParallel(scenario)) return Writer(scenario, noted, true).write();
  if (auto wine = detail::writeWineStyle(scenario, noted)) return std::move(*wine);
  if (auto straight = writeStraightLine(scenario, noted, Flavour::WineTest))
    return std::move(*straight);
  return Writer(scenario, noted, true).write();
}

}  // namespace hc::engine
