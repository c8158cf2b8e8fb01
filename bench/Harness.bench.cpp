// Harness overhead: one step of a random sequence through the full
// harness — generation (hc::props::genCommand), the model's trial run and
// step, the real step with its batched observations, the comparison — against
// a raw agent round trip, a proto Op::Ping through the same real backend.
// Both run on agents started by sut::makeRealBackend (under Wine off
// Windows) in the fixture's SetUp. The random step's counters split its time:
//   real_ns      spent in the real backend's perform() (round trip + Win32 call)
//   overhead_ns  the rest: what the harness adds on the host
// The target is overhead_ns <= one Ping round trip, i.e. a harness step costs
// at most two round trips plus the Win32 call (bench/summary.py prints it).
#include "handlecheck/props/Harness.h"

#include <benchmark/benchmark.h>
#include <rapidcheck.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "RealSystem.h"
#include "handlecheck/sut/RealBackend.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSteps = 30;          // one sequence per repetition (the campaign's maxSteps)
constexpr std::uint64_t kSeed = 7;  // the same sequence in every repetition
constexpr int kGenSize = 50;        // RapidCheck size for each step's generator

using hc::bench::realOptions;

// Times the perform() calls of the backend it wraps.
class TimedBackend : public hc::sut::Backend {
 public:
  explicit TimedBackend(std::unique_ptr<hc::sut::Backend> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return inner_->name(); }
  hc::proto::Reply perform(const hc::proto::Request& request) override {
    const auto start = Clock::now();
    hc::proto::Reply reply = inner_->perform(request);
    spent += Clock::now() - start;
    return reply;
  }
  std::string objectName(std::string_view scenarioName) const override {
    return inner_->objectName(scenarioName);
  }
  bool real() const override { return inner_->real(); }

  Clock::duration spent{};

 private:
  std::unique_ptr<hc::sut::Backend> inner_;
};

}  // namespace

// A fresh root agent P0 per repetition.
class BM_Harness_RawPing : public benchmark::Fixture {
 public:
  void SetUp(benchmark::State& state) override {
    try {
      backend_ = hc::sut::makeRealBackend(realOptions());
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }
  void TearDown(benchmark::State&) override { backend_.reset(); }

 protected:
  std::unique_ptr<hc::sut::Backend> backend_;
};

// One Op::Ping to P0: driver encode, pipe to the hub, hub to P0, and back.
BENCHMARK_DEFINE_F(BM_Harness_RawPing, P0)(benchmark::State& state) {
  const hc::proto::Request ping;  // process 0, Op::Ping
  for (auto _ : state) {
    try {
      hc::proto::Reply reply = backend_->perform(ping);
      benchmark::DoNotOptimize(reply);
      if (!reply.ok) {
        state.SkipWithError("Ping: the agent replied not ok");
        break;
      }
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_REGISTER_F(BM_Harness_RawPing, P0)->Unit(benchmark::kMicrosecond)->UseRealTime();

// A fresh model and real backend per repetition; each iteration is the next
// step of the same seeded random sequence.
class BM_Harness_RandomStep : public benchmark::Fixture {
 public:
  void SetUp(benchmark::State& state) override {
    model_.emplace(hc::bench::realProfile());
    sut_.emplace();
    random_ = rc::Random(kSeed);
    try {
      auto timed = std::make_unique<TimedBackend>(hc::sut::makeRealBackend(realOptions()));
      timed_ = timed.get();
      sut_->backend = std::move(timed);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }
  void TearDown(benchmark::State&) override {
    sut_.reset();  // kills the agents of this repetition
    model_.reset();
    timed_ = nullptr;
  }

 protected:
  // The next command of the sequence; nullptr when the generator finds none.
  hc::props::CommandPtr next() {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const rc::Random r = random_.split();
      try {
        hc::props::CommandPtr c = hc::props::genCommand(*model_, {})(r, kGenSize).value();
        c->checkPreconditions(*model_);
        return c;
      } catch (...) {
        // rapidcheck's discard (no command applies, or a precondition): draw again
      }
    }
    return nullptr;
  }

  std::optional<hc::props::HarnessModel> model_;
  std::optional<hc::props::HarnessSut> sut_;
  TimedBackend* timed_ = nullptr;
  rc::Random random_;
};

BENCHMARK_DEFINE_F(BM_Harness_RandomStep, Sequence)(benchmark::State& state) {
  long divergences = 0;
  Clock::duration total{};
  for (auto _ : state) {
    const auto start = Clock::now();
    const hc::props::CommandPtr command = next();
    if (!command) {
      state.SkipWithError("genCommand: no command applies");
      break;
    }
    try {
      command->run(*model_, *sut_);
    } catch (const hc::sut::BackendFailure& e) {
      state.SkipWithError(e.what());
      break;
    } catch (...) {
      ++divergences;  // RC_ASSERT: model and real differ (the step is still timed)
    }
    command->apply(*model_);
    total += Clock::now() - start;
  }
  if (state.iterations() == 0 || timed_ == nullptr) return;
  const double n = static_cast<double>(state.iterations());
  const auto ns = [](Clock::duration d) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  };
  state.counters["real_ns"] = ns(timed_->spent) / n;
  state.counters["overhead_ns"] = ns(total - timed_->spent) / n;
  state.counters["divergences"] = static_cast<double>(divergences);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_REGISTER_F(BM_Harness_RandomStep, Sequence)
    ->Iterations(kSteps)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
