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

BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_NoInherit, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_NoInherit, Handles)
    ->Arg(0)->Arg(16)->Arg(256)->Arg(4096)->Iterations(kIterations)->UseManualTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_InheritAll, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_InheritAll, Handles)
    ->Arg(0)->Arg(16)->Arg(256)->Arg(4096)->Iterations(kIterations)->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// A handle list needs at least one handle: N from 16.
BENCHMARK_DEFINE_F(BM_Win32_CreateProcess_HandleList, Handles)(benchmark::State& state) {
  measure(state);
}
BENCHMARK_REGISTER_F(BM_Win32_CreateProcess_HandleList, Handles)
    ->Arg(16)->Arg(256)->Arg(4096)->Iterations(kIterations)->UseManualTime()
    ->Unit(benchmark::kMillisecond);
