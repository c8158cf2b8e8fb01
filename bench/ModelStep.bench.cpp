// The cost of one model step per Win32 call: BM_Model_Step/<call> runs the
// call kBatch times on a fresh hc::model::System per iteration (built outside
// the timed region, so creating objects never runs out of memory and a batch
// always starts from the same state). items_per_second is steps per second;
// the `step` counter is seconds per step.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handlecheck/model/System.h"

namespace {

using hc::model::HandleValue;
using hc::model::Outcome;
using hc::model::SpawnOptions;
using hc::model::System;

constexpr int kBatch = 256;                      // steps per fresh System
constexpr hc::model::ProcessId kRoot = 0;        // P0, the process that makes the calls
constexpr std::uint32_t kHandleFlagInherit = 1;  // HANDLE_FLAG_INHERIT

// A fresh System; `handles` receives the values the steps use.
using Setup = System (*)(std::vector<HandleValue>& handles);
// Step i of a batch.
using Step = Outcome (*)(System&, const std::vector<HandleValue>& handles, int i);

struct StepCase {
  Setup setup;
  Step step;
};

// Distinct event names, made once, so a named create never finds its name taken.
const std::vector<std::string>& eventNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (int i = 0; i < kBatch; ++i) out.push_back("hc-bench-" + std::to_string(i));
    return out;
  }();
  return names;
}

// P0 holds `count` unnamed events, the first `inheritable` of them inheritable.
System withEvents(std::vector<HandleValue>& handles, int count, int inheritable) {
  System s;
  for (int i = 0; i < count; ++i)
    handles.push_back(s.createEvent(kRoot, "", i < inheritable).handle);
  return s;
}

System empty(std::vector<HandleValue>&) {
  return System{};
}

}  // namespace

static void BM_Model_Step(benchmark::State& state, StepCase c) {
  std::vector<HandleValue> handles;
  std::optional<System> system;
  for (auto _ : state) {
    state.PauseTiming();
    handles.clear();
    system.emplace(c.setup(handles));  // the previous batch's System is destroyed here, untimed
    state.ResumeTiming();
    for (int i = 0; i < kBatch; ++i) {
      Outcome o = c.step(*system, handles, i);
      benchmark::DoNotOptimize(o);
      if (!o.ok) {
        state.SkipWithError("model step failed: the benchmark's setup is wrong");
        return;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["step"] = benchmark::Counter(
      kBatch, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// The floor: no call, only the batch's share of PauseTiming/ResumeTiming and
// the loop (~2 ns per step here). Subtract it from the steps below; a bigger
// batch would hide it but measure every call on a bigger, colder state.
BENCHMARK_CAPTURE(BM_Model_Step, Nothing,
                  StepCase{empty, [](System&, const std::vector<HandleValue>&, int) {
                             return Outcome{.ok = true};
                           }});
// SPEC 4: a new unnamed event.
BENCHMARK_CAPTURE(BM_Model_Step, CreateEvent,
                  StepCase{empty, [](System& s, const std::vector<HandleValue>&, int) {
                             return s.createEvent(kRoot, "", false);
                           }});
// SPEC 4, 5: a new named event (the namespace lookup and insert).
BENCHMARK_CAPTURE(BM_Model_Step, CreateEventNamed,
                  StepCase{empty, [](System& s, const std::vector<HandleValue>&, int i) {
                             return s.createEvent(kRoot, eventNames()[static_cast<std::size_t>(i)],
                                                  false);
                           }});
// SPEC 8: another handle to one named event.
BENCHMARK_CAPTURE(BM_Model_Step, OpenEvent,
                  StepCase{[](std::vector<HandleValue>&) {
                             System s;
                             s.createEvent(kRoot, "hc-bench", false);
                             return s;
                           },
                           [](System& s, const std::vector<HandleValue>&, int) {
                             return s.openEvent(kRoot, "hc-bench", false);
                           }});
// SPEC 18: a duplicate within P0 of one event.
BENCHMARK_CAPTURE(BM_Model_Step, DuplicateHandle,
                  StepCase{[](std::vector<HandleValue>& h) { return withEvents(h, 1, 0); },
                           [](System& s, const std::vector<HandleValue>& h, int) {
                             return s.duplicateHandle(kRoot, h[0], kRoot, false, false);
                           }});
// SPEC 14: closes the last handle of one of kBatch events (each is destroyed).
BENCHMARK_CAPTURE(BM_Model_Step, CloseHandle,
                  StepCase{[](std::vector<HandleValue>& h) { return withEvents(h, kBatch, 0); },
                           [](System& s, const std::vector<HandleValue>& h, int i) {
                             return s.closeHandle(kRoot, h[static_cast<std::size_t>(i)]);
                           }});
// SPEC 17: toggles HANDLE_FLAG_INHERIT.
BENCHMARK_CAPTURE(BM_Model_Step, SetHandleInformation,
                  StepCase{[](std::vector<HandleValue>& h) { return withEvents(h, 1, 0); },
                           [](System& s, const std::vector<HandleValue>& h, int i) {
                             return s.setHandleInformation(kRoot, h[0], kHandleFlagInherit,
                                                           (i & 1) ? kHandleFlagInherit : 0);
                           }});
// SPEC 22-24: CreateProcess, bInheritHandles = FALSE, P0 holding 32 handles.
BENCHMARK_CAPTURE(BM_Model_Step, SpawnNoInherit,
                  StepCase{[](std::vector<HandleValue>& h) { return withEvents(h, 32, 16); },
                           [](System& s, const std::vector<HandleValue>&, int) {
                             return s.spawn(kRoot, SpawnOptions{});
                           }});
// SPEC 22: CreateProcess, bInheritHandles = TRUE: 16 of P0's 32 handles are inherited.
BENCHMARK_CAPTURE(BM_Model_Step, SpawnInherit16,
                  StepCase{[](std::vector<HandleValue>& h) { return withEvents(h, 32, 16); },
                           [](System& s, const std::vector<HandleValue>&, int) {
                             SpawnOptions options;
                             options.inheritHandles = true;
                             return s.spawn(kRoot, options);
                           }});
