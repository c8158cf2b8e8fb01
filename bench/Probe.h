#pragma once
// Runs hc-bench-probe.exe (sut/agent/bench_probe.cpp) and keeps its timings:
// a Win32 benchmark starts the probe in its fixture's SetUp, untimed, and
// reports a batch of the probe's samples as its iterations' manual time
// (the families take one batch per repetition). Off Windows the probe runs
// under the build's Wine (hc::sut::locateWine; the prefix is made and a
// persistent wineserver started on first use).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace hc::bench {

// The probe could not run or reported an `error CALL CODE` line.
struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Every line the probe printed for `args` (e.g. {"lookup", "16", "100"}).
// Throws ProbeError when it is missing, fails or exits non-zero.
std::vector<std::string> runProbe(const std::vector<std::string>& args);

// The timings of one probe command, by tag (the words before the last two of
// each timing line: "gethandleinformation", "spawn all"), consumed in order.
class ProbeSamples {
 public:
  // `args` without the iteration count; each run of the probe asks for `batch`.
  ProbeSamples(std::vector<std::string> args, std::size_t batch);

  // The next `count` timings (ns) of `tag`, running the probe again when the
  // ones at hand are used up. Throws ProbeError.
  std::vector<double> take(const std::string& tag, std::size_t count);
  // `check ...` lines the probe printed (the spawn mode's inheritance check).
  const std::vector<std::string>& checks() const { return checks_; }

 private:
  void refill();

  std::vector<std::string> args_;
  std::size_t batch_;
  std::map<std::string, std::vector<double>> samples_;
  std::map<std::string, std::size_t> next_;
  std::vector<std::string> checks_;
};

// The samples of one probe command, shared by every run of the benchmarks
// that use it (one instance per distinct args, for the life of the process).
ProbeSamples& probeSamples(const std::vector<std::string>& args, std::size_t batch);

// A benchmark over one probe tag: SetUp takes state.max_iterations samples
// (register with ->Iterations(k)->UseManualTime()); run() reports each as one
// iteration's manual time, and the fastest of them as counter `min_ns`.
// A probe failure is SkipWithError.
class ProbeFixture : public benchmark::Fixture {
 public:
  void SetUp(benchmark::State& state) override;
  void TearDown(benchmark::State&) override { ns_.clear(); }

 protected:
  // The probe command for this run's arguments, without the iteration count.
  virtual std::vector<std::string> probeArgs(const benchmark::State& state) const = 0;
  // Which of its timing lines this benchmark reports.
  virtual std::string tag() const = 0;
  // Samples per probe run (a few repetitions' worth).
  virtual std::size_t batch() const = 0;

  void run(benchmark::State& state);
  const std::vector<std::string>& checks() const { return *checks_; }
  // This run's samples (ns), in the probe's order; empty after a failure.
  const std::vector<double>& samplesTaken() const { return ns_; }

 private:
  std::vector<double> ns_;
  const std::vector<std::string>* checks_ = nullptr;
};

}  // namespace hc::bench
