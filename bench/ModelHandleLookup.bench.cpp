// Handle lookup in the model's HandleTable against indexing a plain
// std::vector of the same size, with the same pre-generated random sequence.
// The table is a flat array indexed by value / 4 - 1 (STYLE, after Wine's
// server/handle.c), so its lookup should cost a vector index plus a range and
// a used-slot check, and stay flat as N grows. Compare items_per_second of
// BM_Model_HandleLookup/N and BM_Baseline_VectorIndex/N.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "handlecheck/model/HandleTable.h"

namespace {

using hc::model::HandleEntry;
using hc::model::HandleTable;

constexpr std::size_t kSequence = 1 << 16;  // lookups before the sequence repeats
constexpr std::uint32_t kSeed = 20240601;   // same sequence in every run

// kSequence slot indices in [0, n), uniformly at random, fixed by the seed.
std::vector<std::uint32_t> randomIndices(std::size_t n) {
  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  std::vector<std::uint32_t> out(kSequence);
  for (auto& i : out) i = pick(rng);
  return out;
}

HandleEntry entryFor(std::size_t i) {
  return HandleEntry{.object = static_cast<hc::model::ObjectId>(i), .access = 0x1f0003};
}

}  // namespace

// One HandleTable::lookup of a random open value per iteration.
static void BM_Model_HandleLookup(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  HandleTable table;
  for (std::size_t i = 0; i < n; ++i) table.add(entryFor(i));
  std::vector<hc::model::HandleValue> values;
  for (const std::uint32_t i : randomIndices(n)) values.push_back(HandleTable::valueOf(i));
  for (const auto v : values) {
    if (table.lookup(v) == nullptr) {
      state.SkipWithError("HandleTable::lookup: an added value is not open");
      return;
    }
  }

  // Through a const reference, as on the baseline side: DoNotOptimize on a
  // non-const lvalue would make the compiler write the entry back every time.
  // The entry's object is summed, on both sides: DoNotOptimize of the entry
  // alone lets GCC pass the entry's memory to the empty asm without loading it.
  const HandleTable& lookupTable = table;
  std::size_t k = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    sum += lookupTable.lookup(values[k++ & (kSequence - 1)])->object;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Model_HandleLookup)->RangeMultiplier(4)->Range(16, 65536);

// The floor: one std::vector<HandleEntry> index per iteration, same indices.
static void BM_Baseline_VectorIndex(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<HandleEntry> entries;
  for (std::size_t i = 0; i < n; ++i) entries.push_back(entryFor(i));
  const std::vector<std::uint32_t> indices = randomIndices(n);

  std::size_t k = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    sum += entries[indices[k++ & (kSequence - 1)]].object;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_VectorIndex)->RangeMultiplier(4)->Range(16, 65536);
