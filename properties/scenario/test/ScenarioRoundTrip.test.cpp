// The printer and the parser are exact inverses (the scenario language,
// properties/scenario/README.md: "a shrunk counterexample printed as a scenario must replay to the
// same failure"): for any scenario the generator can build, parse(print(s)) == s. ctest fixes the
// seed through RC_PARAMS (properties/CMakeLists.txt).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {
namespace {

using K = Expect::Kind;

const std::string kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
const std::string kIdentChars = kAlpha + "0123456789";

rc::Gen<std::string> word(const std::string& first, const std::string& rest) {
  return rc::gen::apply(
      [](char c, std::string tail) { return c + tail; }, rc::gen::elementOf(first),
      rc::gen::resize(6, rc::gen::container<std::string>(rc::gen::elementOf(rest))));
}

// Labels and handle names, mostly from a small pool so that keywords
// (`as`, `inherit`, `only`, `to`) turn up where a name stands.
rc::Gen<std::string> identifier() {
  return rc::gen::oneOf(rc::gen::element<std::string>("P0", "C1", "C2", "H", "MS", "as", "inherit",
                                                      "only", "to", "ok", "_"),
                        word(kAlpha, kIdentChars));
}

rc::Gen<std::string> objectName() {
  return rc::gen::oneOf(rc::gen::element<std::string>("demo", "a.b-c", "-", ".", "as", "inherit"),
                        word(kIdentChars + ".-", kIdentChars + ".-"));
}

// TEXT and comments: any one line of printable ASCII, blanks and tabs
// included (the printer quotes what cannot stand bare).
rc::Gen<std::string> text() {
  std::string printable = "\t";
  for (char c = ' '; c <= '~'; ++c) printable += c;
  return rc::gen::oneOf(
      rc::gen::element<std::string>("hello", "", "a,b", "\"q\"", "x\\y", "#", "=> ok", "0x1"),
      rc::gen::container<std::string>(rc::gen::elementOf(printable)));
}

rc::Gen<std::string> comment() {
  return rc::gen::map(text(), [](std::string s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    return s;
  });
}

template <typename T>
std::optional<T> maybe(rc::Gen<T> g) {
  if (*rc::gen::arbitrary<bool>()) return std::nullopt;
  return *g;
}

rc::Gen<HandleRef> handleRef(bool inOnlyList = false) {
  return rc::gen::exec([inOnlyList] {
    HandleRef h;
    if (*rc::gen::inRange(0, 4) == 0) {
      h.raw = *rc::gen::arbitrary<std::uint64_t>();
    } else {
      h.name = *identifier();
      if (inOnlyList && h.name == "as") h.name = "AS";  // `as` ends the list (and `parent=`)
    }
    return h;
  });
}

rc::Gen<Expect> expectation() {
  return rc::gen::exec([] {
    Expect e;
    e.kind = *rc::gen::element(K::Ok, K::Error, K::AlreadyExists, K::Valid, K::Invalid, K::Inherit,
                               K::NoInherit, K::Protect, K::NoProtect, K::Count, K::CountAtLeast,
                               K::Type, K::Same, K::Data, K::ExitCode, K::Messages, K::Avail,
                               K::Instances, K::Access);
    switch (e.kind) {
      case K::Error:
        if (*rc::gen::arbitrary<bool>()) {
          e.text = *rc::gen::element<std::string>("ERROR_INVALID_HANDLE", "ERROR_FILE_NOT_FOUND",
                                                  "ERROR_ALREADY_EXISTS", "WAIT_TIMEOUT",
                                                  "ERROR_INVALID_PARAMETER");
          e.number = *errorCode(e.text);
        } else {
          e.number = *rc::gen::arbitrary<std::uint32_t>();
        }
        break;
      case K::Count:
      case K::CountAtLeast:
      case K::ExitCode:
      case K::Messages:
      case K::Avail:
      case K::Instances:
      case K::Access:
        e.number = *rc::gen::arbitrary<std::uint32_t>();
        break;
      case K::Type:
        e.text = *rc::gen::element<std::string>("Event", "Mutant", "Semaphore", "Section", "File",
                                                "Process", "Thread");
        break;
      case K::Same:
        e.text = *identifier();
        break;
      case K::Data:
        e.text = *text();
        break;
      default:
        break;
    }
    return e;
  });
}

rc::Gen<Step> step() {
  return rc::gen::exec([] {
    Step s;
    s.process = *identifier();
    s.processWritten = *rc::gen::arbitrary<bool>();
    using proto::Op;
    s.op = *rc::gen::element(
        Op::CreateEvent, Op::CreateMutex, Op::CreateSemaphore, Op::CreateMapping,
        Op::CreateMailslot, Op::CreatePipe, Op::OpenEvent, Op::OpenMutex, Op::OpenSemaphore,
        Op::OpenMapping, Op::OpenMailslot, Op::Spawn, Op::Close, Op::Dup, Op::Set, Op::Write,
        Op::Read, Op::Query, Op::Exit, Op::Terminate, Op::Wait, Op::CreateNamedPipe,
        Op::OpenNamedPipe, Op::ConnectNamedPipe, Op::DisconnectNamedPipe, Op::PipeState, Op::Peek);
    std::size_t names = 0;
    switch (s.op) {
      case Op::CreateEvent:
      case Op::CreateMutex:
      case Op::CreateSemaphore:
      case Op::CreateMapping:
      case Op::CreateMailslot:
      case Op::CreatePipe:
        if (s.op == Op::CreateMailslot || (s.op != Op::CreatePipe && *rc::gen::arbitrary<bool>()))
          s.objectName = *objectName();
        s.inherit = *rc::gen::arbitrary<bool>();
        names = s.op == Op::CreatePipe ? 2 : 1;
        break;
      case Op::OpenEvent:
      case Op::OpenMutex:
      case Op::OpenSemaphore:
      case Op::OpenMapping:
      case Op::OpenMailslot:
        s.objectName = *objectName();
        s.inherit = *rc::gen::arbitrary<bool>();
        if (s.op != Op::OpenMailslot) s.desiredAccess = maybe(rc::gen::arbitrary<std::uint32_t>());
        if (s.op == Op::OpenMailslot && *rc::gen::arbitrary<bool>())
          s.share = *rc::gen::element(Step::Share::Read, Step::Share::ReadWrite, Step::Share::None);
        names = 1;
        break;
      case Op::Spawn:
        s.child = *identifier();
        switch (*rc::gen::inRange(0, 3)) {
          case 1:
            s.inherit = true;
            break;
          case 2:
            s.noinherit = true;
            break;
          default:
            break;
        }
        if (*rc::gen::arbitrary<bool>())
          s.only = *rc::gen::nonEmpty(
              rc::gen::resize(4, rc::gen::container<std::vector<HandleRef>>(handleRef(true))));
        if (*rc::gen::arbitrary<bool>()) s.parent = *handleRef(true);
        s.processInherit = *rc::gen::arbitrary<bool>();
        s.threadInherit = *rc::gen::arbitrary<bool>();
        names = 2;
        break;
      case Op::Dup:
        s.handle = *handleRef();
        if (*rc::gen::inRange(0, 4) == 0) {  // `from C close-source`: no copy, no name
          s.source = *identifier();
          s.closeSource = true;
          break;
        }
        if (*rc::gen::arbitrary<bool>()) s.target = *identifier();
        s.inherit = *rc::gen::arbitrary<bool>();
        s.closeSource = *rc::gen::arbitrary<bool>();
        s.sameAttributes = *rc::gen::arbitrary<bool>();
        s.desiredAccess = maybe(rc::gen::arbitrary<std::uint32_t>());
        names = 1;
        break;
      case Op::Map:
        s.handle = *handleRef();
        s.mapWrite = *rc::gen::arbitrary<bool>();
        break;
      case Op::Set:
        s.handle = *handleRef();
        s.setInherit = maybe(rc::gen::arbitrary<bool>());
        s.setProtect = maybe(rc::gen::arbitrary<bool>());
        break;
      case Op::Write:
        s.handle = *handleRef();
        s.text = *text();
        break;
      case Op::Terminate:
        s.handle = *handleRef();
        s.code = maybe(rc::gen::arbitrary<std::uint32_t>());
        break;
      case Op::Exit:
        s.code = maybe(rc::gen::arbitrary<std::uint32_t>());
        break;
      case Op::CreateNamedPipe:
        s.objectName = *objectName();
        if (*rc::gen::arbitrary<bool>())
          s.direction = *rc::gen::element(Step::Direction::Duplex, Step::Direction::Inbound,
                                          Step::Direction::Outbound);
        s.typeMessage = maybe(rc::gen::arbitrary<bool>());
        s.readModeMessage = maybe(rc::gen::arbitrary<bool>());
        s.nowait = *rc::gen::arbitrary<bool>();
        s.maxInstances = maybe(rc::gen::arbitrary<std::uint32_t>());
        s.first = *rc::gen::arbitrary<bool>();
        s.inherit = *rc::gen::arbitrary<bool>();
        names = 1;
        break;
      case Op::OpenNamedPipe:
        s.objectName = *objectName();
        if (*rc::gen::arbitrary<bool>())
          s.access =
              *rc::gen::element(Step::Access::Read, Step::Access::Write, Step::Access::ReadWrite);
        s.inherit = *rc::gen::arbitrary<bool>();
        names = 1;
        break;
      case Op::Close:
      case Op::Read:
      case Op::Query:
      case Op::Wait:
      case Op::Peek:
      case Op::ConnectNamedPipe:
      case Op::DisconnectNamedPipe:
      case Op::PipeState:
      case Op::Signal:
        s.handle = *handleRef();
        break;
      default:
        break;
    }
    for (std::size_t i = 0; i < names; ++i) s.as.push_back(*identifier());
    s.expects = *rc::gen::resize(4, rc::gen::container<std::vector<Expect>>(expectation()));
    if (*rc::gen::arbitrary<bool>()) s.comment = *comment();
    return s;
  });
}

RC_GTEST_PROP(RoundTrip, ParsePrintGivesTheScenarioBack, ()) {
  Scenario sc;
  sc.steps = *rc::gen::container<std::vector<Step>>(step());
  const std::string printed = print(sc);
  RC_LOG() << printed;
  const Scenario back = parse(printed, "roundtrip.hcs");
  RC_ASSERT(back == sc);
  // Canonical: printing the parsed scenario gives the same text.
  RC_ASSERT(print(back) == printed);
  for (std::size_t i = 0; i < back.steps.size(); ++i)
    RC_ASSERT(back.steps[i].line == static_cast<int>(i) + 1);
}

// Steps, some gathered into parallel blocks of 2-3 branches, each branch on
// a thread of its own.
rc::Gen<std::vector<Step>> withBlocks() {
  return rc::gen::exec([] {
    std::vector<Step> out;
    std::size_t block = 0;
    const auto pieces = *rc::gen::inRange<std::size_t>(0, 6);
    for (std::size_t p = 0; p < pieces; ++p) {
      if (!*rc::gen::arbitrary<bool>()) {
        Step s = *step();
        if (*rc::gen::arbitrary<bool>()) s.thread = *identifier();
        out.push_back(std::move(s));
        continue;
      }
      ++block;
      const auto branches = *rc::gen::inRange<std::size_t>(kMinBranches, kMaxBranches + 1);
      for (std::size_t b = 0; b < branches; ++b) {
        const auto n = *rc::gen::inRange<std::size_t>(1, kMaxBranchSteps + 1);
        const std::string process = *identifier();
        for (std::size_t i = 0; i < n; ++i) {
          Step s = *step();
          s.process = process;
          s.processWritten = true;
          s.thread = "T" + std::to_string(b + 1);
          s.block = block;
          s.branch = b;
          out.push_back(std::move(s));
        }
      }
    }
    return out;
  });
}

RC_GTEST_PROP(RoundTrip, ParallelBlocksPrintAndParseBack, ()) {
  Scenario sc;
  sc.steps = *withBlocks();
  const std::string printed = print(sc);
  RC_LOG() << printed;
  const Scenario back = parse(printed, "roundtrip.hcs");
  RC_ASSERT(back == sc);
  RC_ASSERT(print(back) == printed);
}

RC_GTEST_PROP(RoundTrip, EveryStepIsOneLine, ()) {
  const Step s = *step();
  const std::string line = print(s);
  RC_ASSERT(line.find('\n') == std::string::npos);
  RC_ASSERT(line.find('\r') == std::string::npos);
}

}  // namespace
}  // namespace hc::scenario
