// Campaign throughput: what a sequence pays to get a tree of agents, and the
// steps per second of a whole campaign with one and two jobs.
//   BM_Harness_SequenceSetup/Fresh  a new hub and root agent per sequence
//   BM_Harness_SequenceSetup/Reset  one kept backend, reset (Backend::reset)
// Each iteration gets a tree and makes P0's first call; the child it then
// spawns (untimed) is what the next reset must end. Counter agent_peak_rss_kb:
// the root agent's peak resident set (VmHWM of its Wine process).
//   BM_Campaign_Steps/jobs:N  a fixed campaign (wine profile, seed 3, 20 x 30)
// with counters steps_per_s, sequences_per_s and host_peak_rss_kb (this
// process), each worker on a lane of its own: the campaign as handlecheck
// runs it, its lanes' servers already running.
#include <benchmark/benchmark.h>

#include <chrono>
#include <exception>
#include <fstream>
#include <string>

#include "RealSystem.h"
#include "handlecheck/props/Campaign.h"
#include "handlecheck/sut/RealBackend.h"
#include "handlecheck/sut/Reuse.h"

#ifndef _WIN32
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace {

using hc::bench::realOptions;

#ifndef _WIN32
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// VmHWM of the process whose command line names agent 0 and whose parent
// chain leads to us (the hub's process group is our child's pid).
double rootAgentPeakKb() {
  double peak = 0;
  DIR* proc = ::opendir("/proc");
  if (!proc) return 0;
  while (const dirent* e = ::readdir(proc)) {
    const std::string pid = e->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = slurp("/proc/" + pid + "/cmdline");
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find("--agent 0 ") == std::string::npos) continue;
    const std::string stat = slurp("/proc/" + pid + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    long ppid = 0, pgrp = 0;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 2, "%c %ld %ld", &state, &ppid, &pgrp) != 3) continue;
    const std::string parent = slurp("/proc/" + std::to_string(pgrp) + "/stat");
    const auto pclose = parent.rfind(')');
    long grandparent = 0;
    if (pclose == std::string::npos ||
        std::sscanf(parent.c_str() + pclose + 4, "%ld", &grandparent) != 1)
      continue;
    if (grandparent != ::getpid()) continue;
    const std::string status = slurp("/proc/" + pid + "/status");
    const auto at = status.find("VmHWM:");
    if (at != std::string::npos) peak = std::max(peak, std::stod(status.substr(at + 6)));
  }
  ::closedir(proc);
  return peak;
}

double hostPeakKb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss);
}
#else
double rootAgentPeakKb() {
  return 0;
}
double hostPeakKb() {
  return 0;
}
#endif

void sequenceSetup(benchmark::State& state, bool reuse) {
  const hc::sut::BackendFactory fresh = [] { return hc::sut::makeRealBackend(realOptions()); };
  const hc::sut::BackendFactory get = reuse ? hc::sut::reusing(fresh) : fresh;
  hc::proto::Request spawn;
  spawn.op = hc::proto::Op::Spawn;
  spawn.target = 1;
  const hc::proto::Request ping;  // P0's first call
  double agentKb = 0;
  for (auto _ : state) {
    try {
      const auto backend = get();
      benchmark::DoNotOptimize(backend->perform(ping));
      state.PauseTiming();
      if (!backend->perform(spawn).ok) {
        state.SkipWithError("spawn: the root agent could not start a child");
        return;
      }
      agentKb = std::max(agentKb, rootAgentPeakKb());
      state.ResumeTiming();
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  state.counters["agent_peak_rss_kb"] = agentKb;
}

}  // namespace

static void BM_Harness_SequenceSetup_Fresh(benchmark::State& state) {
  sequenceSetup(state, false);
}
static void BM_Harness_SequenceSetup_Reset(benchmark::State& state) {
  sequenceSetup(state, true);
}
BENCHMARK(BM_Harness_SequenceSetup_Fresh)
    ->Name("BM_Harness_SequenceSetup/Fresh")
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Harness_SequenceSetup_Reset)
    ->Name("BM_Harness_SequenceSetup/Reset")
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

static void BM_Campaign_Steps(benchmark::State& state) {
  hc::props::CampaignOptions o;
  o.profile = hc::bench::realProfile();
  o.seed = 3;
  o.tests = 20;
  o.maxSteps = 30;
  o.jobs = static_cast<int>(state.range(0));
  o.makeSut = [] { return hc::sut::makeRealBackend(realOptions()); };
  o.makeWorkerSut = [](int worker) {  // as `handlecheck check` runs its workers
    hc::sut::RealBackendOptions real = realOptions();
    real.lane = worker;
    return hc::sut::makeRealBackend(real);
  };
  // Untimed: a lane's first use starts its wineserver (about half a
  // second, once per 30 s idle); the figure is the campaign's own pace.
  hc::props::CampaignOptions warmUp = o;
  warmUp.tests = o.jobs * 2;
  hc::props::runCampaign(warmUp);
  long steps = 0, sequences = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const hc::props::CampaignResult r = hc::props::runCampaign(o);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.backendFailure.empty()) {
      state.SkipWithError(r.backendFailure.c_str());
      return;
    }
    steps += r.steps;
    sequences += r.sequences;
  }
  state.counters["steps_per_s"] = seconds > 0 ? static_cast<double>(steps) / seconds : 0;
  state.counters["sequences_per_s"] = seconds > 0 ? static_cast<double>(sequences) / seconds : 0;
  state.counters["host_peak_rss_kb"] = hostPeakKb();
}
BENCHMARK(BM_Campaign_Steps)
    ->ArgName("jobs")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
