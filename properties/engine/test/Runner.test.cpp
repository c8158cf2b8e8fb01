// runStep on the model backend: names resolve per process, expectations and
// the automatic invariants (SPEC 1-3, 22) produce failure sentences, and
// steps that cannot run are ScenarioErrors (exit 2) or BackendFailures (3).
#include "handlecheck/engine/Runner.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include "handlecheck/engine/ModelBackend.h"

namespace hc::engine {
namespace {

// Runs every step of `text`; returns every failure sentence.
std::vector<std::string> replay(ModelBackend& backend, Bindings& b, std::string_view text) {
  std::vector<std::string> failures;
  for (const auto& step : scenario::parse(text, "t.hcs").steps) {
    const StepReport r = runStep(backend, b, step);
    failures.insert(failures.end(), r.failures.begin(), r.failures.end());
  }
  return failures;
}

std::vector<std::string> replay(std::string_view text) {
  ModelBackend backend;
  Bindings b;
  return replay(backend, b, text);
}

// The textbook example of the scenario language, as the corpus keeps it.
std::string textbook() {
  std::ifstream in(HC_CORPUS_DIR "/textbook-mailslot.hcs");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Runner, TextbookExampleHoldsOnTheModel) {
  const std::string text = textbook();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(replay(text), std::vector<std::string>{});
}

TEST(Runner, FailedExpectationNamesLineStepExpectedAndGot) {
  const auto failures = replay(
      "create mailslot demo inherit as MS\n"
      "spawn C1 inherit as HP HT\n"
      "query MS => count=3, noinherit\n");
  EXPECT_EQ(failures,
            (std::vector<std::string>{"line 3: query MS: expected count=3, got count=2",
                                      "line 3: query MS: expected noinherit, got inherit"}));
}

TEST(Runner, EveryExpectationKindCanFail) {
  const auto failures = replay(
      "create event name=e as E => error=ERROR_FILE_NOT_FOUND, already-exists, invalid\n"
      "create event name=e as E2 => ok, already-exists, valid, count=2, type=Mutant, same=E\n"
      "close E => protect, error=6\n"
      "close E => valid\n");
  EXPECT_EQ(failures, (std::vector<std::string>{
                          "line 1: create event e: expected error=ERROR_FILE_NOT_FOUND, got ok",
                          "line 1: create event e: expected already-exists, got ok",
                          "line 1: create event e: expected invalid, got valid",
                          "line 2: create event e: expected type=Mutant, got type=Event",
                          "line 3: close E: expected protect, got invalid",
                          "line 3: close E: expected error=6, got ok",
                          "line 4: close E: expected valid, got invalid"}));
}

TEST(Runner, SubjectIsTheFirstNewNameThenTheOperand) {
  scenario::Step create = scenario::parse("create pipe as R W").steps.at(0);
  EXPECT_EQ(subjectOf(create), (scenario::HandleRef{"R", {}}));
  scenario::Step close = scenario::parse("close #0x104").steps.at(0);
  EXPECT_EQ(subjectOf(close), (scenario::HandleRef{"", 0x104}));
  EXPECT_EQ(subjectOf(scenario::parse("exit 3").steps.at(0)), std::nullopt);
}

TEST(Runner, ObservationsPutTheSubjectFirst) {
  ModelBackend backend;
  Bindings b;
  replay(backend, b, "create event inherit as E\n");
  const StepReport r = runStep(backend, b, scenario::parse("spawn C1 inherit as HP HT").steps[0]);
  ASSERT_GE(r.observations.size(), 3u);
  EXPECT_EQ(r.observations[0].handle, "HP");
  EXPECT_EQ(r.observations[0].observation.type, "Process");
  EXPECT_EQ(r.observations[1].handle, "HT");
  const auto inChild = std::find_if(r.observations.begin(), r.observations.end(),
                                    [](const NamedObservation& o) { return o.process == "C1"; });
  ASSERT_NE(inChild, r.observations.end());
  EXPECT_EQ(inChild->handle, "E");
  EXPECT_EQ(inChild->observation.handleCount, 2u);
}

TEST(Runner, InheritedNamesAreKnownInTheChildAtTheParentsValue) {
  ModelBackend backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b,
                   "create event inherit as A\n"
                   "create event as B\n"
                   "create mutex inherit as C\n"
                   "spawn C1 inherit only A as HP HT\n"
                   "C1: query A => valid, inherit, count=2\n"),
            std::vector<std::string>{});
  const ProcessBinding& child = b.processes.at("C1");
  EXPECT_EQ(child.parent, "P0");
  EXPECT_EQ(child.names.at("A"), b.processes.at("P0").names.at("A"));
  EXPECT_EQ(child.open, (std::set<std::string>{"A"}));
  EXPECT_EQ(backend.processOf(child.agent), 1u);
}

TEST(Runner, GrandchildInheritsAgain) {
  EXPECT_EQ(replay("create semaphore inherit as S\n"
                   "spawn C1 inherit as HP HT\n"
                   "C1: spawn G1 inherit as GP GT\n"
                   "G1: query S => count=3, inherit, type=Semaphore\n"
                   "query S => count=3\n"),
            std::vector<std::string>{});
}

TEST(Runner, CrossProcessDupBindsInTheTarget) {
  ModelBackend backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b,
                   "create event as E\n"
                   "spawn C1 as HP HT\n"
                   "dup E to C1 as E1 => ok, valid, count=2, noinherit\n"
                   "C1: close E1 => ok\n"
                   "query E => count=1\n"),
            std::vector<std::string>{});
  EXPECT_TRUE(b.processes.at("C1").names.count("E1"));
  EXPECT_FALSE(b.processes.at("P0").names.count("E1"));
}

TEST(Runner, CloseSourceClosesTheSourceName) {
  ModelBackend backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b,
                   "create event as E\n"
                   "dup E close-source as E2 => ok, count=1\n"
                   "query E => valid\n"  // SPEC 3: same value
                   "close E2 => ok\n"
                   "close E => error=ERROR_INVALID_HANDLE\n"),
            std::vector<std::string>{});
}

TEST(Runner, DupFromClosesTheNameInTheSourceProcess) {
  ModelBackend backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b,
                   "create pipe inherit as R W\n"
                   "spawn C1 inherit as HP HT\n"
                   "dup W from C1 close-source => ok, invalid\n"  // observed in C1
                   "query W => valid, count=1\n"),                // P0's own W is another handle
            std::vector<std::string>{});
  EXPECT_EQ(b.processes.at("C1").open.count("W"), 0u) << "C1's W is closed";
  EXPECT_EQ(b.processes.at("P0").open.count("W"), 1u);
}

TEST(Runner, PeekExpectsAvailAndItCanFail) {
  const auto failures = replay(
      "create pipe as R W\n"
      "write W abc => ok\n"
      "peek R => ok, avail=3\n"
      "peek R => avail=2\n"
      "peek W => avail=0\n");
  EXPECT_EQ(failures,
            (std::vector<std::string>{
                "line 4: peek R: expected avail=2, got avail=3",
                "line 5: peek W: expected avail=0, got no avail (error=ERROR_ACCESS_DENIED)"}));
}

TEST(Runner, ExitedProcessesCannotRunSteps) {
  ModelBackend backend;
  Bindings b;
  replay(backend, b, "spawn C1 as HP HT\nC1: exit 7\nwait HP => exitcode=7\n");
  EXPECT_FALSE(b.processes.at("C1").alive);
  try {
    runStep(backend, b, scenario::parse("C1: create event as E").steps[0]);
    FAIL() << "ran a step in an exited process";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "line 1: process `C1` has exited");
    EXPECT_EQ(e.token, "C1");
  }
}

TEST(Runner, TerminateMarksTheVictimExited) {
  ModelBackend backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b,
                   "create event inherit as E\n"
                   "spawn C1 inherit as HP HT\n"
                   "query E => count=2\n"
                   "terminate HP 9 => ok\n"
                   "wait HP => exitcode=9\n"
                   "query E => count=1\n"
                   "query HP => type=Process, count=1\n"),
            std::vector<std::string>{});
  EXPECT_FALSE(b.processes.at("C1").alive);
}

TEST(Runner, UnknownNamesAndLabelsAreScenarioErrors) {
  const auto error = [](std::string_view text) -> std::string {
    ModelBackend backend;
    Bindings b;
    try {
      replay(backend, b, text);
    } catch (const ScenarioError& e) {
      return std::string(e.what()) + " [" + e.token + "]";
    }
    return "no error";
  };
  EXPECT_EQ(error("create event as E\nquery EV\n"), "line 2: unknown handle `EV` in P0 [EV]");
  EXPECT_EQ(error("C1: create event as E\n"), "line 1: unknown process `C1` [C1]");
  EXPECT_EQ(error("spawn C1 as HP HT\nspawn C1 as H2 T2\n"),
            "line 2: process label `C1` is already in use [C1]");
  EXPECT_EQ(error("create event as E\ndup E to C7 as X\n"), "line 2: unknown process `C7` [C7]");
  EXPECT_EQ(error("create event as E\nquery E => same=F\n"),
            "line 2: unknown handle `F` in P0 [F]");
  EXPECT_EQ(error("exit => valid\n"), "line 1: `valid` needs a handle, and exit has none []");
  // Names are per process: the parent's non-inherited name is unknown in the child.
  EXPECT_EQ(error("create event as E\nspawn C1 inherit as HP HT\nC1: close E\n"),
            "line 3: unknown handle `E` in C1 (C1 did not inherit it: it was not inheritable in "
            "P0 or not listed when C1 was spawned) [E]");
  EXPECT_EQ(error("create event as E\nspawn C1 as HP HT\nC1: spawn G1 as A B\nG1: close HP\n"),
            "line 4: unknown handle `HP` in G1 [HP]");
}

TEST(Runner, BlockingCallIsABackendFailureNamingTheStep) {
  ModelBackend backend;
  Bindings b;
  replay(backend, b, "create pipe as R W\n");
  try {
    runStep(backend, b, scenario::parse("\n\nread R").steps[0]);
    FAIL() << "an empty pipe's read returned";
  } catch (const sut::BackendFailure& e) {
    EXPECT_STREQ(e.what(),
                 "line 3: read R would block forever: the pipe's write end is still open in P0 "
                 "as W (created at line 1)");
  }
}

TEST(Runner, FailedCreateBindsNullWhichIsNeverValid) {
  EXPECT_EQ(replay("open event nope as E => error=ERROR_FILE_NOT_FOUND, invalid\n"
                   "close E => error=ERROR_INVALID_HANDLE\n"),
            std::vector<std::string>{});
}

TEST(Runner, ObjectNamesGoThroughTheBackend) {
  struct Prefixed : ModelBackend {
    std::string objectName(std::string_view n) const override { return "hc1_" + std::string(n); }
  } backend;
  Bindings b;
  replay(backend, b, "create event name=x as E\n");
  EXPECT_TRUE(backend.system().lookupName("hc1_x").has_value());
  EXPECT_FALSE(backend.system().lookupName("x").has_value());
}

}  // namespace
}  // namespace hc::engine

namespace hc::engine {
namespace {

// A model that lies about handle values, so the automatic invariants have
// something to catch: `bend` rewrites every new handle value it returns.
struct LyingBackend : ModelBackend {
  std::function<proto::Handle(proto::Handle)> bend;
  proto::Reply perform(const proto::Request& q) override {
    proto::Reply r = ModelBackend::perform(q);
    if (r.ok && r.handle) r.handle = bend(r.handle);
    return r;
  }
};

std::vector<std::string> replayOn(LyingBackend& backend, std::string_view text) {
  Bindings b;
  return replay(backend, b, text);
}

TEST(Invariants, Spec1ValuesAreNonZeroMultiplesOfFour) {
  LyingBackend backend;
  backend.bend = [](proto::Handle h) { return h + 2; };
  EXPECT_EQ(
      replayOn(backend, "create event as E\n"),
      std::vector<std::string>{
          "line 1: create event: new handle E = 0x6 is not a non-zero multiple of 4 (SPEC 1)"});
}

TEST(Invariants, Spec2ValuesAreUniqueWithinAProcess) {
  LyingBackend backend;
  backend.bend = [](proto::Handle) { return proto::Handle{4}; };
  const auto failures = replayOn(backend, "create event as A\ncreate mutex as B\n");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(
      failures[0],
      "line 2: create mutex: new handle B = 0x4 has the value of open handle A in P0 (SPEC 2)");
}

TEST(Invariants, Spec3CloseSourceKeepsTheValue) {
  LyingBackend honest;
  honest.bend = [](proto::Handle h) { return h; };
  EXPECT_EQ(replayOn(honest, "create event as A\ndup A close-source as B\n"),
            std::vector<std::string>{});
  // The source is gone, but the duplicate turned up at another value.
  struct MovingDup : ModelBackend {
    proto::Reply perform(const proto::Request& q) override {
      proto::Reply r = ModelBackend::perform(q);
      if (q.op == proto::Op::Dup) {
        r.handle = 0x40;
        for (auto& o : r.observations) o.valid = false;
      }
      return r;
    }
  } backend;
  Bindings b;
  EXPECT_EQ(replay(backend, b, "create event as A\ndup A close-source as B\n"),
            std::vector<std::string>{"line 2: dup A: DUPLICATE_CLOSE_SOURCE in one process gave "
                                     "0x40, the source was 0x4 (SPEC 3)"});
}

TEST(Invariants, Spec22InheritedHandlesAreOpenInTheChild) {
  // The child's table loses what it inherited: an Observe in the child sees nothing.
  struct ForgetfulChild : ModelBackend {
    proto::Reply perform(const proto::Request& q) override {
      proto::Reply r = ModelBackend::perform(q);
      if (q.process != 0 && q.op == proto::Op::Observe)
        for (auto& o : r.observations) {
          proto::Observation gone;
          gone.handle = o.handle;
          o = gone;
        }
      return r;
    }
  } backend;
  Bindings b;
  EXPECT_EQ(
      replay(backend, b, "create event inherit as E\nspawn C1 inherit as HP HT\n"),
      std::vector<std::string>{"line 2: spawn C1: inherited E (0x4) is not open in C1 (SPEC 22)"});
  EXPECT_FALSE(b.processes.at("C1").open.count("E"));
}

TEST(Invariants, MismatchesMirrorFailures) {
  ModelBackend backend;
  Bindings b;
  replay(backend, b, "create event as E\n");
  const StepReport r = runStep(backend, b, scenario::parse("query E => count=4, protect").steps[0]);
  const std::string rule = r.mismatches.empty() ? "" : r.mismatches[0].rule;
  EXPECT_EQ(r.mismatches,
            (std::vector<Mismatch>{{"count=4", "count=1", rule}, {"protect", "noprotect", rule}}));
  EXPECT_EQ(r.failures.size(), r.mismatches.size());
}

// A failed expectation names the rule the model applied, with its evidence.
TEST(Invariants, MismatchNamesTheModelsRuleAndEvidence) {
  ModelBackend backend;
  Bindings b;
  const StepReport r = runStep(
      backend, b, scenario::parse("create mailslot box inherit as MS => noinherit").steps[0]);
  ASSERT_EQ(r.mismatches.size(), 1u);
  EXPECT_EQ(r.mismatches[0].rule, "SPEC 10 [T]");
}

// A step the rules leave open is not judged: the model says which rule.
TEST(Invariants, UnsettledStepIsReportedWithItsRule) {
  ModelBackend backend;
  Bindings b;
  replay(backend, b, "create event inherit as F\n");
  try {
    runStep(backend, b, scenario::parse("spawn C1 inherit only F,#0x7ff000 as HP HT").steps[0]);
    FAIL() << "an unsettled step ran";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("SPEC 25 [T] leaves this case unsettled"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hc::engine
