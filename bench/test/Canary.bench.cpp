// A benchmark whose build can be slowed on purpose, for the gate's end-to-end
// tests (bench/test/RealRunGate.cmake): HC_CANARY_SLOWDOWN=K makes every
// iteration do K times the work, as a regression in the code would.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>

namespace {

std::uint64_t slowdown() {
  const char* k = std::getenv("HC_CANARY_SLOWDOWN");
  const long v = k != nullptr ? std::strtol(k, nullptr, 10) : 1;
  return v > 0 ? static_cast<std::uint64_t>(v) : 1;
}

}  // namespace

// A dependent chain of multiply-adds: CPU-bound, no memory traffic.
static void BM_Canary_Work(benchmark::State& state) {
  const std::uint64_t rounds = 1000 * slowdown();
  std::uint64_t x = 1;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < rounds; ++i) x = x * 6364136223846793005ull + i;
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Canary_Work);
