// The linearizability check of a parallel block (hc::props::checkBlock):
// three branches of five steps each, run once on the model as the system
// under test (outside the timed region), then checked against the model per
// iteration. BM_Linearize_ThreeBranchesOfFive/<spawn>/<expects>: spawn 1
// gives the third branch a spawn, whose entry-by-entry copies (SPEC 86) the
// search interleaves too; expects 1 writes `=> ok` on every create, which
// must then hold in every interleaving the model allows, so the search
// visits them all. The `states` counter is the (state, positions) visited.
#include "handlecheck/props/Linearize.h"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using hc::engine::Bindings;
using hc::engine::ModelBackend;

std::string branch(int thread, bool spawn, bool expects) {
  const std::string t = "    P0.T" + std::to_string(thread) + ": ";
  const std::string h = "E" + std::to_string(thread);
  std::string out = "  branch\n";
  out += t + "create event as " + h + (expects ? " => ok\n" : "\n");
  out += t + "set " + h + " inherit=on\n";
  out += spawn ? t + "spawn C" + std::to_string(thread) + " inherit as HP HT\n"
               : t + "dup " + h + " as D" + std::to_string(thread) + "\n";
  out += t + "set " + h + " inherit=off\n";
  out += t + "query " + h + "\n";
  return out;
}

void BM_Linearize_ThreeBranchesOfFive(benchmark::State& state) {
  const bool spawn = state.range(0) != 0;
  const bool expects = state.range(1) != 0;
  const std::string text = "create event inherit as S\nparallel\n" + branch(1, false, expects) +
                           branch(2, false, expects) + branch(3, spawn, expects) + "end\n";
  const hc::scenario::Scenario sc = hc::scenario::parse(text, "bench.hcs");
  ModelBackend before;
  Bindings bound;
  hc::engine::runStep(before, bound, sc.steps[0]);
  const auto segments = hc::scenario::segments(sc.steps);
  const auto branches = hc::props::branchesOf(sc.steps, segments.at(1));
  ModelBackend sut = before;
  Bindings sutBound = bound;
  const hc::props::BlockHistory history = hc::props::runBlockOnModel(sut, sutBound, branches, 7);
  std::size_t states = 0;
  for (auto _ : state) {
    const hc::props::Verdict v = hc::props::checkBlock(before, bound, history);
    if (!v.linearizable) {
      state.SkipWithError("the model's own run is not linearizable");
      return;
    }
    states = v.explored;
    benchmark::DoNotOptimize(v);
  }
  state.counters["states"] = static_cast<double>(states);
}
BENCHMARK(BM_Linearize_ThreeBranchesOfFive)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
