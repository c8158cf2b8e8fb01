// Win32 handle lookup, timed inside hc-bench-probe.exe (under Wine off
// Windows) with QueryPerformanceCounter: with N handles open in the process,
// the cost of a call that resolves a handle in the kernel (wineserver under
// Wine) — GetHandleInformation, and DuplicateHandle + CloseHandle of the
// copy — on handles picked pseudo-randomly over the table. Flat in N when the
// table is a flat array (Wine's server/handle.c). Each iteration's manual
// time is one probe sample, the mean of 64 calls; the probe runs in SetUp
// (untimed) once per N and repetition, so that with random interleaving a
// burst of load cannot bias every repetition of one N.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "Probe.h"

namespace {

constexpr int kIterations = 20;  // samples per repetition, from one probe run

// `hc-bench-probe lookup N`, reporting the timing lines `Tag`.
class Lookup : public hc::bench::ProbeFixture {
 protected:
  std::vector<std::string> probeArgs(const benchmark::State& state) const override {
    return {"lookup", std::to_string(state.range(0))};
  }
  std::size_t batch() const override { return kIterations; }
};

}  // namespace

class BM_Win32_GetHandleInformation : public Lookup {
  std::string tag() const override { return "gethandleinformation"; }
};
class BM_Win32_DuplicateClose : public Lookup {
  std::string tag() const override { return "duplicateclose"; }
};

// One GetHandleInformation per item.
BENCHMARK_DEFINE_F(BM_Win32_GetHandleInformation, Handles)(benchmark::State& state) {
  run(state);
}
BENCHMARK_REGISTER_F(BM_Win32_GetHandleInformation, Handles)
    ->RangeMultiplier(4)
    ->Range(16, 16384)
    ->Iterations(kIterations)
    ->UseManualTime();

// One DuplicateHandle (same process, same access) + CloseHandle of the copy per item.
BENCHMARK_DEFINE_F(BM_Win32_DuplicateClose, Handles)(benchmark::State& state) {
  run(state);
}
BENCHMARK_REGISTER_F(BM_Win32_DuplicateClose, Handles)
    ->RangeMultiplier(4)
    ->Range(16, 16384)
    ->Iterations(kIterations)
    ->UseManualTime();
