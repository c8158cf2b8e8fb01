// CreateProcess with inheritance, timed inside hc-bench-probe.exe (under
// Wine off Windows): CreateProcess of the probe itself as a child that exits
// at once, up to WaitForSingleObject on it, while the parent holds N
// inheritable events, with
//   NoInherit   bInheritHandles = FALSE
//   InheritAll  bInheritHandles = TRUE: all N handles go to the child
//   HandleList  TRUE with PROC_THREAD_ATTRIBUTE_HANDLE_LIST = { one of them }
// The cost per inherited handle is the slope of InheritAll over N, and the
// handle list's saving InheritAll - HandleList at the same N (ci/bench.sh
// prints both, bench/summary.py). The probe runs in SetUp, once per mode, N
// and repetition: with random interleaving the repetitions of one
// configuration then come from different moments, so a burst of load on the
// machine cannot bias a whole configuration (one probe run for all five
// repetitions measured NoInherit/16 at 58 ms against 15 ms for its
// neighbours). Its first, untimed child reports which of the first and last
// handle it received: counters `listed_inherited` and `other_inherited`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "Probe.h"

namespace {

constexpr int kIterations = 10;  // children per repetition, from one probe run

// `hc-bench-probe spawn MODE N`.
class Spawn : public hc::bench::ProbeFixture {
 protected:
  virtual std::string mode() const = 0;
  std::vector<std::string> probeArgs(const benchmark::State& state) const override {
    return {"spawn", mode(), std::to_string(state.range(0))};
  }
  std::string tag() const override { return "spawn " + mode(); }
  std::size_t batch() const override { return kIterations; }

  void measure(benchmark::State& state) {
    run(state);
    state.counters["handles"] = static_cast<double>(state.range(0));
    // "check MODE N listed=L other=O": what the untimed child received.
    for (const std::string& line : checks()) {
      if (line.rfind("check " + mode() + " ", 0) != 0) continue;
      const auto listed = line.find("listed="), other = line.find("other=");
      if (listed == std::string::npos || other == std::string::npos) continue;
      state.counters["listed_inherited"] = line[listed + 7] == '1' ? 1 : 0;
      state.counters["other_inherited"] = line[other + 6] == '1' ? 1 : 0;
    }
  }
};

}  // namespace

class BM_Win32_CreateProcess_NoInherit : public Spawn {
  std::string mode() const override { return "none"; }
};
class BM_Win32_CreateProcess_InheritAll : public Spawn {
  std::string mode() const override { return "all"; }
};
class BM_Win32_CreateProcess_HandleList : public Spawn {
  std::string mode() const override { return "list"; }
};

// The handle counts N every family runs with, timed by the probe (manual time).
static void handleCounts(benchmark::internal::Benchmark* b) {
  b->Arg(16)->Arg(256)->Arg(4096)->Iterations(kIterations)->UseManualTime();
  b->Unit(benchmark::kMillisecond);
}
// The same from N = 0: no handle to inherit at all.
static void handleCountsFromZero(benchmark::internal::Benchmark* b) {
  b->Arg(0);
  handleCounts(b);
}

BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_NoInherit, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_NoInherit, Handles)->Apply(handleCountsFromZero);

BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_InheritAll, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_InheritAll, Handles)->Apply(handleCountsFromZero);

// Paired: `spawn pair N`, one child of each mode per iteration, back to back
// (rotating order), so that a burst of load hits the three alike. The time is
// the InheritAll child's; the counters are medians over the iterations of the
// differences within one iteration:
//   inherit_ns       InheritAll - NoInherit: the cost of inheriting N handles
//   list_saving_ns   InheritAll - HandleList: what the handle list saves
class BM_Win32_CreateProcess_Paired : public Spawn {
 public:
  void SetUp(benchmark::State& state) override {
    Spawn::SetUp(state);  // the InheritAll samples; runs the probe
    try {
      auto& samples = hc::bench::probeSamples(probeArgs(state), batch());
      const auto count = static_cast<std::size_t>(state.max_iterations);
      none_ = samples.take("spawn none", count);
      list_ = samples.take("spawn list", count);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }

 protected:
  std::string mode() const override { return "pair"; }
  std::string tag() const override { return "spawn all"; }

  std::vector<double> none_, list_;
};

BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_Paired, Handles)(benchmark::State& state) {
  measure(state);
  const std::vector<double>& all = samplesTaken();
  if (all.empty() || none_.size() != all.size() || list_.size() != all.size()) return;
  auto medianOf = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> inherit, saving;
  for (std::size_t i = 0; i < all.size(); ++i) {
    inherit.push_back(all[i] - none_[i]);
    saving.push_back(all[i] - list_[i]);
  }
  state.counters["inherit_ns"] = medianOf(inherit);
  state.counters["list_saving_ns"] = medianOf(saving);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_Paired, Handles)->Apply(handleCounts);

// A handle list needs at least one handle: N from 16.
BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_HandleList, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_HandleList, Handles)->Apply(handleCounts);
