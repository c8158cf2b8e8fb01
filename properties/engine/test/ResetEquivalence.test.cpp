// A reset tree is indistinguishable from a fresh one (Backend::reset): every
// corpus scenario that runs on Wine ends with the same step reports on a
// fresh backend per scenario, on one backend reset between scenarios in
// corpus order, and on one reset between them in reverse order.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "handlecheck/engine/ModelBackend.h"
#include "handlecheck/engine/Runner.h"
#include "handlecheck/sut/RealBackend.h"
#include "handlecheck/sut/Reuse.h"

namespace hc::engine {
namespace {

namespace fs = std::filesystem;

// The scenarios that run to their end on Wine (not the inputs, not those
// that end in a backend failure on purpose), but those with a parallel
// block: what a block reports depends on the schedule the system gives it,
// so two runs on the same tree may differ.
std::vector<fs::path> wineScenarios() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(HC_CORPUS_DIR)) {
    if (entry.path().extension() != ".hcs") continue;
    std::ifstream in(entry.path());
    std::string header;
    std::getline(in, header);
    if (header.rfind("# expect: windows=", 0) == 0 && header.find("real=") == std::string::npos &&
        header.find("unrunnable") == std::string::npos &&
        !scenario::hasParallel(scenario::parseFile(entry.path().string())))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Everything a scenario's run shows, but the process ids (which differ
// between any two runs) and the handle values in child processes: which free
// value a new handle gets is not contractual (SPEC 3), and a fresh child's
// own start-up allocations vary between runs. The root's values, which the
// reset restores, are compared. So is every handle count but those the wine
// profile's model says may drop at a moment no call observes (Wine's console
// hosts let go of their copies on a timing of their own): the model runs the
// scenario beside the backend, and such a count shows as `~`.
std::string outcome(sut::Backend& backend, const fs::path& file) {
  std::string text;
  Bindings bindings, modelBindings;
  ModelBackend model(model::wineProfile());
  try {
    for (const auto& step : scenario::parseFile(file.string()).steps) {
      StepReport report = runStep(backend, bindings, step);
      std::vector<NamedObservation> predicted;
      try {
        predicted = runStep(model, modelBindings, step).observations;
      } catch (const std::exception&) {
      }
      const auto mayDrop = [&](const NamedObservation& o) {
        return std::any_of(predicted.begin(), predicted.end(), [&](const NamedObservation& m) {
          return m.process == o.process && m.handle == o.handle && m.observation.mayDrop > 0;
        });
      };
      bool unsettled = false;
      for (const auto& o : report.observations) {
        if (!mayDrop(o)) continue;
        unsettled = true;
        for (auto& r : report.reply.observations)
          if (r.handle == o.observation.handle) r.handleCount = 0;
      }
      if (unsettled)
        for (auto& f : report.failures)
          f = std::regex_replace(f, std::regex("count=[0-9]+"), "count=~");
      report.reply.childPid = 0;
      const std::string owner =
          step.op == proto::Op::Dup && !step.target.empty() ? step.target : step.process;
      if (owner != "P0") report.reply.handle = report.reply.handle2 = 0;
      if (step.process != "P0")
        for (auto& o : report.reply.observations) o.handle = 0;
      text += std::to_string(step.line) + ": " + proto::encode(report.reply);
      for (const auto& o : report.observations)
        text += "  " + o.process + ":" + o.handle + " " + std::to_string(o.observation.valid) +
                std::to_string(o.observation.inherit) + std::to_string(o.observation.protect) +
                " " + (mayDrop(o) ? "~" : std::to_string(o.observation.handleCount)) + " " +
                o.observation.type + " " + std::to_string(o.observation.messages) + "\n";
      for (const auto& f : report.failures) text += "  ! " + f + "\n";
    }
  } catch (const ScenarioError& e) {
    text += "scenario error at line " + std::to_string(e.line) + "\n";
  }
  return text;
}

TEST(Reset, CorpusEndsTheSameOnAFreshTreeAndOnAResetOneInBothOrders) {
  const auto files = wineScenarios();
  ASSERT_GT(files.size(), 50u);
  const sut::BackendFactory fresh = [] { return sut::makeRealBackend({}); };

  std::map<fs::path, std::string> onFresh;
  for (const auto& f : files) onFresh[f] = outcome(*fresh(), f);

  for (const bool reverse : {false, true}) {
    const sut::BackendFactory reused = sut::reusing(fresh);
    std::vector<fs::path> order = files;
    if (reverse) std::reverse(order.begin(), order.end());
    for (const auto& f : order)
      EXPECT_EQ(outcome(*reused(), f), onFresh[f])
          << f.filename() << (reverse ? " in reverse order" : " in corpus order")
          << " on a reset tree";
  }
}

TEST(Reset, TheJobHoldsTheHubAndTheRootAlone) {
  const auto backend = sut::makeRealBackend({});
  proto::Request spawn;
  spawn.op = proto::Op::Spawn;
  spawn.target = 1;
  ASSERT_TRUE(backend->perform(spawn).ok);
  spawn.process = 1;
  spawn.target = 2;
  ASSERT_TRUE(backend->perform(spawn).ok);
  // The hub answers a reset only when its job holds two processes.
  EXPECT_TRUE(backend->reset());
  proto::Request ping;
  ping.process = 1;
  EXPECT_THROW(backend->perform(ping), sut::BackendFailure);  // agent 1 is gone
}

}  // namespace
}  // namespace hc::engine
