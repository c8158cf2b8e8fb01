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
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "CheckReport.h"
#include "Commands.h"
#include "handlecheck/engine/Reproducer.h"
#include "handlecheck/engine/StraightLine.h"
#include "handlecheck/model/Rules.h"
#include "handlecheck/props/Campaign.h"
#include "handlecheck/props/Tables.h"
#include "html/Reports.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

struct CheckArgs {
  BackendArgs backend;
  std::optional<std::uint64_t> seed;
  int tests = 60;
  int maxSteps = 30;
  int maxDepth = 3;
  std::vector<std::string> ops;
  fs::path out = "handlecheck-out";
  std::string report;
  std::string format = "text";
  double shrinkTime = 60;
  std::string html;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

std::string slug(int number, const std::string& signature) {
  std::string s = "divergence-" + std::to_string(number) + "-";
  for (const char c : signature) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      s += static_cast<char>(std::tolower(c));
    else if (s.back() != '-')
      s += '-';
    if (s.size() > 60) break;
  }
  while (s.back() == '-') s.pop_back();
  return s;
}

// Writes the divergence's scenario and reproducer and describes it for the report.
DivergenceEntry writeDivergence(const CheckArgs& a, const BackendOptions& run, int number,
                                const props::Divergence& d, const model::Profile& profile,
                                const std::function<std::unique_ptr<sut::Backend>()>& makeSut,
                                html::DivergencePictures& pictures) {
  DivergenceEntry e;
  e.number = number;
  for (const model::Quirk* q : d.quirks) {
    e.quirk += (e.quirk.empty() ? "" : " + ") + std::string(q->name);
    e.quirks.emplace_back(q->name);
  }
  e.signature = d.signature;
  e.spec = model::cite(d.rules);
  e.description = d.quirk ? "known quirk " + e.quirk + " (" + e.spec + "): " + d.what
                          : "NEW: " + d.description;
  e.occurrences = d.occurrences;
  e.foundAfter = d.foundAfter;
  e.steps = static_cast<int>(d.shrunk.trace.size());
  e.shrinkCutShort = d.shrinkCutShort;
  e.replays = d.replays;
  e.reproduced = d.reproduced;
  fs::create_directories(a.out);
  const std::string base = slug(number, d.quirk ? e.quirk : d.signature);
  const std::string foundBy = "found by: handlecheck check --backend " + run.backend +
                              " --profile " + std::string(profile.name) + " --seed " +
                              std::to_string(*a.seed);
  e.scenario = scenario::print(props::observedScenario(d.shrunk));
  e.scenarioFile = (a.out / (base + ".hcs")).string();
  std::ofstream(e.scenarioFile) << "# " << e.description << "\n# " << foundBy << "\n"
                                << "# expectations are what " << run.backend
                                << " did; the marked line is where the model differs\n"
                                << e.scenario;
  e.reproducerFile = (a.out / (base + ".cpp")).string();
  engine::ReproOptions ro;
  ro.title = e.description;
  ro.notes = {foundBy, "expectations are the model's (" + std::string(profile.name) +
                           " profile); the program exits 1 where the system departs from them"};
  if (const auto marked = props::markedStep(d.shrunk)) ro.divergingLine = static_cast<int>(*marked) + 1;
  e.markedStep = ro.divergingLine;
  for (const model::Quirk& q : model::allQuirks())
    if (profile.has(q.id)) e.modelQuirks.emplace_back(q.name);
  const scenario::Scenario predicted = props::predictedScenario(d.shrunk);
  // One process: straight-line calls; else the multi-process reproducer.
  // The Wine-style test likewise (engine::writeWineTest).
  const auto straight = engine::writeStraightLine(predicted, ro, engine::Flavour::Standalone);
  std::ofstream(e.reproducerFile) << (straight ? *straight : engine::writeReproducer(predicted, ro));
  e.wineTestFile = (a.out / (base + ".wine.c")).string();
  std::ofstream(e.wineTestFile) << engine::writeWineTest(predicted, ro);
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

int runCheck(CheckArgs a) {
  const BackendOptions run = a.backend.resolve();
#ifndef _WIN32
  if (run.backend == "native")
    throw CommandLineError("--backend native runs on Windows only; use wine");
#else
  if (run.backend == "wine") throw CommandLineError("--backend wine runs on Linux only; use native");
#endif
  if (!a.ops.empty() && std::find(a.ops.begin(), a.ops.end(), "create") == a.ops.end())
    a.ops.push_back("create");
  if (!a.seed)
    a.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
  std::cerr << "handlecheck check: seed " << *a.seed << " (backend " << run.backend
            << ", profile " << run.profile.name << ", " << a.tests << " sequences of up to "
            << a.maxSteps << " steps)\n";

  const std::function<std::unique_ptr<sut::Backend>()> makeSut = [run] { return makeBackend(run); };
  props::CampaignOptions co;
  co.profile = run.profile;
  co.seed = *a.seed;
  co.tests = a.tests;
  co.maxSteps = a.maxSteps;
  co.gen.maxDepth = a.maxDepth;
  co.gen.ops = a.ops;
  co.makeSut = makeSut;
  co.jobs = a.jobs;
  co.stop = interrupted;
  co.shrinkTime = std::chrono::milliseconds(static_cast<long long>(a.shrinkTime * 1000));
  const bool terminal = HC_ISATTY_STDERR();
  const auto started = std::chrono::steady_clock::now();
  co.progress = [&](const props::CampaignProgress& p) {
    if (!terminal) return;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "\r  %d sequences, %.0f steps/s, %d divergences%s   ", p.sequences,
                 secs > 0 ? p.steps / secs : 0.0, p.divergences, p.shrinking ? " (shrinking)" : "");
    std::fflush(stderr);
  };
  installInterruptHandler();

  props::CampaignResult r;
  try {
    r = props::runCampaign(co);
  } catch (const sut::BackendFailure& e) {
    r.backendFailure = e.what();
  }
  if (terminal) std::fputs("\n", stderr);
  std::cerr << "handlecheck check: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";

  CheckReport report{run.backend, std::string(run.profile.name), *a.seed, r.sequences, r.passed,
                     r.steps, r.interrupted, r.backendFailure, r.coverage, {}, {}};
  model::Profile grown = run.profile;  // the model the tables compare with grows with each quirk
  std::vector<html::DivergencePictures> pictures(r.divergences.size());
  std::vector<html::CheckFiles> paths;
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const props::Divergence& d = r.divergences[i];
    report.divergences.push_back(
        writeDivergence(a, run, static_cast<int>(i) + 1, d, grown, makeSut, pictures[i]));
    paths.push_back({report.divergences.back().scenarioFile, report.divergences.back().reproducerFile});
    for (const model::Quirk* q : d.quirks) grown.with(q->id);
  }
  for (const model::Quirk& q : model::allQuirks()) {
    QuirkRow row{std::string(q.name), model::cite(q.specRule), std::string(q.description),
                 run.profile.has(q.id) ? "in profile" : "not reached", 0};
    for (const auto& e : report.divergences)
      if (std::find(e.quirks.begin(), e.quirks.end(), q.name) != e.quirks.end() && !row.divergence) {
        row.status = "seen";
        row.divergence = e.number;
      }
    report.quirks.push_back(std::move(row));
  }

  const std::string md = reportMarkdown(report);
  if (!a.report.empty()) {
    const fs::path file(a.report);
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    std::ofstream(file) << md;
  }
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
    std::ofstream(summary, std::ios::app) << md << "\n";
  if (!a.html.empty()) {
    if (const fs::path file(a.html); file.has_parent_path()) fs::create_directories(file.parent_path());
    html::writeFile(a.html, html::checkPage(run.backend, std::string(run.profile.name), r, pictures, paths));
  }
  if (a.format == "json")
    std::cout << reportJson(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else
    std::cout << reportText(report);

  if (!r.backendFailure.empty()) {
    std::cerr << "handlecheck check: backend failure: " << r.backendFailure << "\n";
    return kExitBackend;
  }
  if (r.interrupted) return kExitInterrupted;
  return r.divergences.empty() ? kExitOk : kExitFailed;
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
  check->add_option("--seed", a->seed, "RapidCheck seed (default: from the clock; always printed first)");
  check->add_option("--tests", a->tests, "sequences that must agree (default 60)")->check(wholeNumber(1));
  check->add_option("--max-steps", a->maxSteps, "longest sequence (default 30)")->check(wholeNumber(1));
  check->add_option("--max-depth", a->maxDepth, "deepest process tree (default 3)")->check(wholeNumber(0));
  check
      ->add_option("--ops", a->ops,
                   "comma-separated ops to generate (create is always kept when another op needs "
                   "a handle)")
      ->delimiter(',')
      ->check(oneOf("op", props::knownOps()));
  check->add_option("--out", a->out, "where divergences are written (default handlecheck-out)");
  check->add_option("--report", a->report,
                    "Markdown report (also appended to $GITHUB_STEP_SUMMARY when set)");
  addFormatOption(*check, a->format);
  check->add_option("--html", a->html,
                    "one self-contained page: per divergence the handle tables and kernel objects "
                    "before and after the step, model | real, as SVG");
  check->add_option("--shrink-time", a->shrinkTime,
                    "seconds shrinking one divergence may take (default 60); the report says "
                    "when it was cut short");
  check->add_option("--jobs", a->jobs,
                    "real backends at once, each its own tree of agents (default: the number of "
                    "cores); the report is the same for every number")
      ->check(wholeNumber(1));
  check->footer(
      "\nExit status: 0 no divergence, 1 divergences found, 2 usage error, 3 backend failure.\n"
      "Ctrl-C stops after the current sequence, prints the summary so far, exits 130.");
  check->callback([a, &status] { status = runCheck(*a); });
}

}  // namespace hc::cli
