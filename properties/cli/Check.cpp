// `handlecheck check`: the main job. A campaign of random sequences against
// a backend under a profile; every distinct divergence is shrunk, told known
// (a catalogue quirk) from NEW, and written out as a scenario (the observed
// outcomes) and a standalone C++ reproducer (the model's predictions), then
// summarised in text, Markdown and JSON (CheckReport).
#ifdef _WIN32
#include <io.h>
#define HC_ISATTY_STDERR() (_isatty(_fileno(stderr)) != 0)
#else
#include <unistd.h>
#define HC_ISATTY_STDERR() (isatty(STDERR_FILENO) != 0)
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "CheckReport.h"
#include "Commands.h"
#include "Ops.h"
#include "Shards.h"
#include "WinePatch.h"
#include "handlecheck/engine/Reproducer.h"
#include "handlecheck/engine/StraightLine.h"
#include "handlecheck/model/Rules.h"
#include "handlecheck/props/Campaign.h"
#include "handlecheck/props/Parallel.h"
#include "handlecheck/props/Tables.h"
#include "html/Reports.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

// Every option of `check` with its default: the help shows these values
// (capture_default_str), so no default is written anywhere else. Where the
// campaign has a default of its own (props::CampaignOptions, GenConfig), it
// is that one.
struct CheckArgs {
  BackendArgs backend;
  std::optional<std::uint64_t> seed;
  int tests = 60;
  int maxSteps = props::CampaignOptions{}.maxSteps;
  int maxDepth = props::GenConfig{}.maxDepth;
  std::vector<std::string> ops;
  fs::path out = "handlecheck-out";
  std::string report;
  std::string format = "text";
  std::string json;
  double shrinkTime = std::chrono::duration<double>(props::CampaignOptions{}.shrinkTime).count();
  std::string html;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int slices = 1;  // with sharding and no --slices: the number of shards
  bool slicesGiven = false;
  std::string shard;  // "I/N"; empty: from the environment, else none
  bool winePatch = false;
  std::string wineTree;
  // --parallel: cases of a prefix and one parallel block, on the model.
  bool parallel = false;
  int branches = props::ParallelOptions{}.branches;
  int branchSteps = props::ParallelOptions{}.branchSteps;
  int runs = props::ParallelOptions{}.runs;
};

// One divergence for the report, its files' contents made but not written
// (their names take the number the merged campaign gives it).
DivergenceEntry describeDivergence(const CheckArgs& a, const BackendOptions& run, int slices,
                                   const props::Divergence& d, const model::Profile& profile,
                                   const std::function<std::unique_ptr<sut::Backend>()>& makeSut,
                                   html::DivergencePictures& pictures) {
  DivergenceEntry e;
  for (const model::Quirk* q : d.quirks) {
    e.quirk += (e.quirk.empty() ? "" : " + ") + std::string(q->name);
    e.quirks.emplace_back(q->name);
  }
  e.signature = d.signature;
  e.spec = model::cite(d.rules);
  e.description =
      d.quirk ? "known quirk " + e.quirk + " (" + e.spec + "): " + d.what : "NEW: " + d.description;
  e.occurrences = d.occurrences;
  e.foundAfter = d.foundAfter;
  e.steps = static_cast<int>(d.shrunk.trace.size());
  e.shrinkCutShort = d.shrinkCutShort;
  e.replays = d.replays;
  e.reproduced = d.reproduced;
  const std::string foundBy = "found by: handlecheck check --backend " + run.backend +
                              " --profile " + std::string(profile.name) + " --seed " +
                              std::to_string(*a.seed) +
                              (slices > 1 ? " --slices " + std::to_string(slices) : std::string());
  e.scenario = scenario::print(props::observedScenario(d.shrunk));
  e.scenarioText = "# " + e.description + "\n# " + foundBy + "\n" + "# expectations are what " +
                   run.backend + " did; the marked line is where the model differs\n" + e.scenario;
  engine::ReproOptions ro;
  ro.title = e.description;
  ro.notes = {foundBy, "expectations are the model's (" + std::string(profile.name) +
                           " profile); the program exits 1 where the system departs from them"};
  if (const auto marked = props::markedStep(d.shrunk))
    ro.divergingLine = static_cast<int>(*marked) + 1;
  e.markedStep = ro.divergingLine;
  for (const model::Quirk& q : model::allQuirks())
    if (profile.has(q.id)) e.modelQuirks.emplace_back(q.name);
  const scenario::Scenario predicted = props::predictedScenario(d.shrunk);
  // The Wine-style test marks todo_wine what the system did not do.
  ro.departures = engine::departuresBetween(predicted, props::observedScenario(d.shrunk));
  ro.departureNote = engine::departureNote(d.quirks);
  ro.testName = e.quirk.empty() ? "new_divergence" : e.quirk;
  // One process: straight-line calls; else the multi-process reproducer.
  // The Wine-style test likewise (engine::writeWineTest).
  const auto straight = engine::writeStraightLine(predicted, ro, engine::Flavour::Standalone);
  e.reproducerText = straight ? *straight : engine::writeReproducer(predicted, ro);
  ro.notes.pop_back();  // the Wine-style test does not exit 1: it is todo_wine there
  e.wineTestText = engine::writeWineTest(predicted, ro);
  try {
    const props::TablesAround t = props::tablesAround(
        d.shrunk, profile, makeSut, a.html.empty() ? nullptr : html::recordPictures(pictures));
    e.tables = "before the step:\n" + props::sideBySide(t.modelBefore, t.realBefore, "  ") +
               "after the step:\n" + props::sideBySide(t.modelAfter, t.realAfter, "  ");
  } catch (const sut::BackendFailure& failure) {
    e.tables = std::string("(tables unavailable: ") + failure.what() + ")\n";
  }
  return e;
}

// What one slice ran, with what the HTML page draws of it.
struct SliceRun {
  props::CampaignResult result;
  std::vector<html::DivergencePictures> pictures;
};

// The HTML page of the merged report: each divergence as its first slice found it.
void writeHtml(const std::string& file, const CheckReport& report,
               const std::vector<SliceRun>& runs) {
  props::CampaignResult shown;
  shown.seed = report.seed;
  shown.sequences = report.sequences;
  shown.passed = report.passed;
  shown.steps = report.steps;
  shown.interrupted = report.interrupted;
  shown.backendFailure = report.backendFailure;
  std::vector<html::DivergencePictures> pictures;
  std::vector<html::CheckFiles> paths;
  for (const DivergenceEntry& e : report.divergences) {
    for (const SliceRun& run : runs) {
      const auto& found = run.result.divergences;
      const auto d = std::find_if(found.begin(), found.end(), [&](const props::Divergence& x) {
        return x.signature == e.signature;
      });
      if (d == found.end()) continue;
      shown.divergences.push_back(*d);
      shown.divergences.back().occurrences = e.occurrences;
      pictures.push_back(run.pictures[static_cast<std::size_t>(d - found.begin())]);
      break;
    }
    paths.push_back({e.scenarioFile, e.reproducerFile});
  }
  if (const fs::path path(file); path.has_parent_path()) fs::create_directories(path.parent_path());
  html::writeFile(file, html::checkPage(report.backend, report.profile, shown, pictures, paths));
}

// Runs one slice into `s` (numbered, its seed and share set) and `sliceRun`.
void runSlice(const CheckArgs& a, const BackendOptions& run, const props::CampaignOptions& co,
              int slices, SliceReport& s, SliceRun& sliceRun) {
  props::CampaignResult& r = sliceRun.result;
  try {
    r = props::runCampaign(co);
  } catch (const sut::BackendFailure& e) {
    r.backendFailure = e.what();
  }
  s.sequences = r.sequences;
  s.passed = r.passed;
  s.explored = r.explored;
  s.steps = r.steps;
  s.interrupted = r.interrupted;
  s.backendFailure = r.backendFailure;
  s.coverage = r.coverage;
  model::Profile grown = run.profile;  // the model the tables compare with grows with each quirk
  sliceRun.pictures.resize(r.divergences.size());
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const props::Divergence& d = r.divergences[i];
    s.divergences.push_back(
        describeDivergence(a, run, slices, d, grown, co.makeSut, sliceRun.pictures[i]));
    s.divergences.back().number = static_cast<int>(i) + 1;
    for (const model::Quirk* q : d.quirks) grown.with(q->id);
  }
}

// The backend and shard the campaign runs with, checked; fills in the seed
// and the ops' implied create, and announces the campaign on stderr.
struct CheckPlan {
  BackendOptions run;
  std::optional<Shard> shard;
  int slices = 1;
};

CheckPlan planCheck(CheckArgs& a) {
  CheckPlan plan{a.backend.resolve(), {}, 1};
#ifndef _WIN32
  if (plan.run.backend == "native")
    throw CommandLineError("--backend native runs on Windows only; use wine");
#else
  if (plan.run.backend == "wine")
    throw CommandLineError("--backend wine runs on Linux only; use native");
#endif
  // Every sequence needs objects to work on: `--ops` always keeps the creates.
  const std::string create(proto::opInfo(proto::Op::CreateEvent).verb);
  if (!a.ops.empty() && std::find(a.ops.begin(), a.ops.end(), create) == a.ops.end())
    a.ops.push_back(create);
  plan.shard = chooseShard(a.shard, environmentVariable);
  touchShardStatusFiles(environmentVariable);
  plan.slices = a.slicesGiven ? a.slices : plan.shard ? plan.shard->count : a.slices;
  if (plan.shard && plan.slices < plan.shard->count)
    throw CommandLineError("--slices " + std::to_string(plan.slices) + " is fewer than the " +
                           std::to_string(plan.shard->count) + " shards: each shard needs a slice");
  if (!a.seed)
    a.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
  std::cerr << "handlecheck check: seed " << *a.seed << " (backend " << plan.run.backend
            << ", profile " << plan.run.profile.name << ", " << a.tests << " sequences of up to "
            << a.maxSteps << " steps";
  if (plan.slices > 1) std::cerr << ", " << plan.slices << " slices";
  if (plan.shard) std::cerr << ", shard " << plan.shard->index << "/" << plan.shard->count;
  std::cerr << ")\n";
  return plan;
}

// The whole campaign's options (each slice takes its share of them).
props::CampaignOptions campaignOptions(const CheckArgs& a, const BackendOptions& run) {
  props::CampaignOptions co;
  co.profile = run.profile;
  co.seed = *a.seed;
  co.tests = a.tests;
  co.maxSteps = a.maxSteps;
  co.gen.maxDepth = a.maxDepth;
  co.gen.ops = a.ops;
  co.makeSut = [run] { return makeBackend(run); };
  co.makeWorkerSut = [run](int worker) { return makeBackend(run, worker); };
  co.jobs = a.jobs;
  co.stop = interrupted;
  co.shrinkTime = std::chrono::milliseconds(static_cast<long long>(a.shrinkTime * 1000));
  return co;
}

// The slices this run holds (all, or the shard's), in order; after a backend
// failure or Ctrl-C the rest are listed as not run. On a terminal, progress
// over all of them goes to stderr.
std::vector<SliceReport> runSlices(const CheckArgs& a, const CheckPlan& plan,
                                   props::CampaignOptions co, std::vector<SliceRun>& runs,
                                   std::chrono::steady_clock::time_point started) {
  const bool terminal = HC_ISATTY_STDERR();
  props::CampaignProgress before;  // what the earlier slices ran
  co.progress = [&](const props::CampaignProgress& p) {
    if (!terminal) return;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const long steps = before.steps + p.steps;
    std::fprintf(stderr, "\r  %d sequences, %.0f steps/s, %d divergences%s   ",
                 before.sequences + p.sequences, secs > 0 ? steps / secs : 0.0,
                 before.divergences + p.divergences, p.shrinking ? " (shrinking)" : "");
    std::fflush(stderr);
  };
  std::vector<SliceReport> reports;
  bool stopped = false;  // a backend failure or Ctrl-C ends the campaign there
  for (int k = 0; k < plan.slices; ++k) {
    if (plan.shard && k % plan.shard->count != plan.shard->index) continue;
    SliceReport& s = reports.emplace_back();
    s.slice = k;
    s.seed = props::sliceSeed(*a.seed, k);
    s.tests = props::sliceTests(a.tests, plan.slices, k);
    if (stopped) {
      s.ran = false;
      continue;
    }
    SliceRun& sliceRun = runs.emplace_back();
    runSlice(a, plan.run, props::sliceOptions(co, plan.slices, k), plan.slices, s, sliceRun);
    const props::CampaignResult& r = sliceRun.result;
    before.sequences += r.sequences;
    before.steps += r.steps;
    before.divergences += static_cast<int>(r.divergences.size());
    stopped = !r.backendFailure.empty() || r.interrupted;
  }
  if (terminal) std::fputs("\n", stderr);
  return reports;
}

int runCheck(CheckArgs a) {
  const CheckPlan plan = planCheck(a);
  const props::CampaignOptions co = campaignOptions(a, plan.run);
  installInterruptHandler();
  Campaign campaign{plan.run.backend,
                    std::string(plan.run.profile.name),
                    {},
                    *a.seed,
                    a.tests,
                    a.maxSteps,
                    a.maxDepth,
                    a.ops,
                    plan.slices,
                    plan.shard};
  for (const model::Quirk& q : model::allQuirks())
    if (plan.run.profile.has(q.id)) campaign.profileQuirks.emplace_back(q.name);
  const auto started = std::chrono::steady_clock::now();
  std::vector<SliceRun> runs;
  std::vector<SliceReport> reports = runSlices(a, plan, co, runs, started);
  std::cerr << "handlecheck check: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";

  CheckReport report = mergeSlices(campaign, reports);
  if (plan.shard) report.sliceReports = std::move(reports);
  writeDivergenceFiles(report, a.out.string());
  if (a.winePatch) std::cerr << writeWinePatches(report, a.wineTree, a.out.string());
  if (!a.html.empty()) writeHtml(a.html, report, runs);
  publishReport(report, {a.report, a.json, a.format});
  if (!report.backendFailure.empty())
    std::cerr << "handlecheck check: backend failure: " << report.backendFailure << "\n";
  return reportStatus(report);
}

// The failing parallel case's reproducers beside its .hcs (parallel-1.cpp,
// parallel-1.wine.c): its blocks on threads, repeated until the failure
// shows (Reproducer.h). Returns what the report line adds: their names, or
// why there are none.
std::string writeParallelReproducers(const scenario::Scenario& failing, const CheckArgs& a,
                                     const std::string& backend) {
  engine::ReproOptions ro;
  ro.title = "check --parallel --backend " + backend + " --seed " + std::to_string(*a.seed) +
             ": a parallel block no interleaving of the model explains";
  ro.testName = "new_divergence";
  const fs::path cpp = a.out / "parallel-1.cpp", wine = a.out / "parallel-1.wine.c";
  try {
    const std::string program = engine::writeReproducer(failing, ro);
    const std::string test = engine::writeWineTest(failing, ro);
    std::ofstream(cpp) << program;
    std::ofstream(wine) << test;
  } catch (const std::invalid_argument& e) {
    return " (no reproducer: " + std::string(e.what()) + ")";
  }
  return ", " + cpp.string() + ", " + wine.string();
}

// `check --parallel`: parallel cases on the model as the system under test,
// each run --runs times in seeded schedules and checked by linearizability
// against the model; a failing case is shrunk and written as a scenario.
int runParallelCheck(CheckArgs& a) {
  const BackendOptions run = a.backend.resolve();
  if (!a.seed)
    a.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
  std::cerr << "handlecheck check --parallel: seed " << *a.seed << " (" << run.backend
            << ", profile " << run.profile.name << ")\n";
  props::ParallelOptions o;
  std::unique_ptr<sut::Backend> real;
  if (run.backend != "model") {
    real = makeBackend(run);
    o.real = real.get();
  }
  o.seed = *a.seed;
  o.tests = a.tests;
  o.branches = a.branches;
  o.branchSteps = a.branchSteps;
  o.runs = a.runs;
  o.profile = run.profile;
  props::ParallelResult r;
  try {
    r = props::runParallelCampaign(o);
  } catch (const sut::BackendFailure& e) {
    std::cerr << "handlecheck check --parallel: backend failure: " << e.what() << "\n";
    return kExitBackend;
  }
  std::size_t least = r.schedules.empty() ? 0 : r.schedules.front(), most = 0, total = 0;
  for (const std::size_t n : r.schedules) {
    least = std::min(least, n);
    most = std::max(most, n);
    total += n;
  }
  std::cout << r.cases << " parallel cases, " << a.runs << " runs each; distinct interleavings "
            << "per case: min " << least << ", mean "
            << (r.cases ? static_cast<double>(total) / r.cases : 0.0) << ", max " << most
            << (real ? " (on " + run.backend +
                           " the interleavings that explain the runs; the seed reproduces the "
                           "cases, not the schedules)\n"
                     : std::string(" (the seed reproduces the cases and, on the model, their "
                                   "schedules)\n"));
  for (const std::string& quirk : r.known)
    std::cout << "known: runs explained only with the quirk " << quirk << "\n";
  if (!r.failing) {
    std::cout << (r.known.empty() ? "no divergence: every run is linearizable\n"
                                  : "no NEW divergence: every other run is linearizable\n");
    return kExitOk;
  }
  fs::create_directories(a.out);
  const fs::path file = a.out / "parallel-1.hcs";
  // On the model the failing block is the model's own (a planted bug fails
  // both profiles); on a real system it is that system's, which no quirk of
  // the catalogue names yet: the model as the system under test holds.
  std::ofstream(file) << (real ? "# expect: windows=hold wine=hold\n"
                               : "# expect: windows=fail wine=fail\n")
                      << "# check --parallel --backend " << run.backend << " --seed " << *a.seed
                      << ": shrunk in " << r.shrinkSteps << " steps"
                      << (real ? "; not linearizable on " + run.backend + " (NEW: no named quirk)"
                               : std::string())
                      << "\n"
                      << scenario::print(*r.failing);
  std::cout << (real ? "NEW divergence on " + run.backend + ": " : std::string())
            << "NOT LINEARIZABLE (shrunk in " << r.shrinkSteps << " steps), written to "
            << file.string() << writeParallelReproducers(*r.failing, a, run.backend) << ":\n"
            << scenario::print(*r.failing) << r.failure;
  return kExitFailed;
}

CLI::Validator wholeNumber(int min) {
  return CLI::Validator(
      [min](std::string& v) -> std::string {
        try {
          std::size_t used = 0;
          const long n = std::stol(v, &used);
          if (used == v.size() && n >= min && n <= 1'000'000) return {};
        } catch (const std::exception&) {
        }
        return "wants a whole number >= " + std::to_string(min) + ", got `" + v + "`";
      },
      "N");
}

// --parallel and the options only it reads.
void addParallelOptions(CLI::App& check, CheckArgs& a) {
  check.add_flag("--parallel", a.parallel,
                 "parallel cases on the model: a sequential prefix and one parallel block, each "
                 "case run --runs times in seeded schedules and checked by linearizability; a "
                 "failing case is shrunk (branches, steps, prefix) and written to --out");
  check.add_option("--branches", a.branches, "--parallel: branches per block (2 or 3)")
      ->capture_default_str()
      ->check(CLI::Range(2, 3));
  check.add_option("--branch-steps", a.branchSteps, "--parallel: most steps per branch")
      ->capture_default_str()
      ->check(CLI::Range(1, 8));
  check.add_option("--runs", a.runs, "--parallel: runs (schedules) per case")
      ->capture_default_str()
      ->check(wholeNumber(1));
}

}  // namespace

void addCheck(CLI::App& app, int& status) {
  auto a = std::make_shared<CheckArgs>();
  a->backend.backend = realBackend();
  CLI::App* check = app.add_subcommand(
      "check",
      "The main job: random sequences of Win32 handle operations run on the model (--profile) "
      "and on the backend side by side. Every distinct divergence is shrunk to a minimal "
      "sequence, told known (a catalogue quirk, which the model then follows for the rest of "
      "the run) from NEW, and written to --out as a scenario (.hcs) and a C++ reproducer "
      "(.cpp). --profile windows against Wine is discovery; --profile wine is conformance.");
  addBackendOptions(*check, a->backend);
  check->add_option("--seed", a->seed,
                    "RapidCheck seed (default: from the clock; always printed first)");
  check->add_option("--tests", a->tests, "sequences that must agree")
      ->capture_default_str()
      ->check(wholeNumber(1));
  check->add_option("--max-steps", a->maxSteps, "longest sequence")
      ->capture_default_str()
      ->check(wholeNumber(1));
  check->add_option("--max-depth", a->maxDepth, "deepest process tree")
      ->capture_default_str()
      ->check(wholeNumber(0));
  check
      ->add_option("--ops", a->ops,
                   "comma-separated ops to generate (create is always kept when another op needs "
                   "a handle)")
      ->delimiter(',')
      ->check(oneOf("op", props::knownOps()));
  check->add_option("--out", a->out, "where divergences are written")->capture_default_str();
  check->add_option("--report", a->report,
                    "Markdown report (also appended to $GITHUB_STEP_SUMMARY when set)");
  addFormatOption(*check, a->format);
  check->add_option("--json", a->json, "also write the JSON report to this file");
  check->add_option("--html", a->html,
                    "one self-contained page: per divergence the handle tables and kernel objects "
                    "before and after the step, model | real, as SVG");
  check
      ->add_option("--shrink-time", a->shrinkTime,
                   "seconds shrinking one divergence may take; the report says when it was cut "
                   "short")
      ->capture_default_str();
  check
      ->add_option("--jobs", a->jobs,
                   "real backends at once, each its own tree of agents (default: the number of "
                   "cores; under Wine each on a CPU, a prefix copy and a wineserver of its own); "
                   "the report is the same for every number")
      ->capture_default_str()
      ->check(wholeNumber(1));
  CLI::Option* slices =
      check
          ->add_option("--slices", a->slices,
                       "cut the campaign into K independent slices (with sharding, the default is "
                       "the number of shards): slice k has its own seed and tests/K of the tests, "
                       "and what it learns (a quirk switched on) stays in it")
          ->capture_default_str()
          ->check(wholeNumber(1));
  check->add_option("--shard", a->shard,
                    "I/N: run only the slices k with k % N == I and write this shard's report, "
                    "for `handlecheck merge` (0 <= I < N <= --slices)");
  auto* tree = check->add_option("--wine-tree", a->wineTree,
                                 "the Wine source tree --wine-patch writes patches against");
  check
      ->add_flag("--wine-patch", a->winePatch,
                 "per divergence, a patch adding its test to Wine's own test file "
                 "(divergence-N-*.wine.patch)")
      ->needs(tree);
  addParallelOptions(*check, *a);
  check->footer(
      "\nSharding: without --shard, GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS (GoogleTest) or\n"
      "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS (Bazel) choose the shard; the file named by\n"
      "TEST_SHARD_STATUS_FILE (or GTEST_SHARD_STATUS_FILE) is touched when set. A shard's\n"
      "JSON (--json) lists its slices; `handlecheck merge` joins the shards' reports into\n"
      "the report of the whole campaign, the same as `check --slices K` run in one place.\n"
      "\nExit status: 0 no divergence, 1 divergences found, 2 usage error, 3 backend failure.\n"
      "Ctrl-C stops after the current sequence, prints the summary so far, exits 130.");
  check->callback([a, slices, &status] {
    a->slicesGiven = slices->count() > 0;
    status = a->parallel ? runParallelCheck(*a) : runCheck(*a);
  });
}

}  // namespace hc::cli
