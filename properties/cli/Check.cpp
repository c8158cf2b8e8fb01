// `handlecheck check`: the main job (issue 8). A campaign of random
// sequences against a backend under a profile; every distinct divergence is
// shrunk and written out as a scenario (with the observed outcomes) and a
// standalone C++ reproducer (with the model's predictions), and summarised
// in text, Markdown and JSON.
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
#include <sstream>
#include <string>
#include <vector>

#include "Commands.h"
#include "handlecheck/props/Campaign.h"
#include "handlecheck/props/Tables.h"
#include "handlecheck/engine/Reproducer.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCheckUsage = R"(usage: handlecheck check [options]

Runs random sequences of Win32 handle operations on the model and on the
backend side by side; every distinct divergence is shrunk to a minimal
sequence and written to --out as a scenario (.hcs) and a C++ reproducer (.cpp).

  --backend wine|native|model  system under test (default: wine on Linux, native on Windows)
  --profile windows|wine       model profile: windows = documented semantics (discovery),
                               wine = windows + Wine's named quirks (conformance); default windows
  --seed S                     RapidCheck seed (default: from the clock; always printed first)
  --tests N                    sequences that must agree (default 60)
  --max-steps K                longest sequence (default 30)
  --max-depth D                deepest process tree (default 3)
  --ops LIST                   comma-separated ops to generate: create,open,spawn,close,dup,
                               set,write,read,query,exit,terminate,wait (create is always kept
                               when another op needs a handle)
  --timeout S                  per-command timeout of the real backend in seconds (default 10)
  --out DIR                    where divergences are written (default handlecheck-out)
  --report FILE.md             Markdown report (also appended to $GITHUB_STEP_SUMMARY when set)
  --format text|json           summary on stdout (default text)

Exit status: 0 no divergence, 1 divergences found, 2 usage error, 3 backend failure.
Ctrl-C stops after the current sequence, prints the summary so far, exits 130.
)";

struct CheckOptions {
  BackendOptions run;  // --backend, --profile, --timeout (shared with replay)
  std::optional<std::uint64_t> seed;
  int tests = 60;
  int maxSteps = 30;
  int maxDepth = 3;
  std::vector<std::string> ops;
  fs::path out = "handlecheck-out";
  std::optional<fs::path> report;
  std::string format = "text";
  std::string profile() const { return std::string(run.profile.name); }
};

int toInt(const std::string& flag, const std::string& v, int min) {
  try {
    std::size_t used = 0;
    const long n = std::stol(v, &used);
    if (used == v.size() && n >= min && n <= 1'000'000) return static_cast<int>(n);
  } catch (const std::exception&) {
  }
  throw CommandLineError(flag + " wants a whole number >= " + std::to_string(min) + ", got `" + v +
                         "`");
}

CheckOptions parseArgs(int argc, char** argv) {
  CheckOptions o;
#ifdef _WIN32
  o.run.backend = "native";
#else
  o.run.backend = "wine";
#endif
  for (int i = 0; i < argc; ++i) {
    std::string v;
    if (takeBackendOption(argc, argv, i, o.run)) {
      continue;
    } else if (takeValue(argc, argv, i, "--seed", v)) {
      try {
        std::size_t used = 0;
        o.seed = std::stoull(v, &used);
        if (used != v.size()) throw CommandLineError("");
      } catch (const std::exception&) {
        throw CommandLineError("--seed wants a whole number, got `" + v + "`");
      }
    } else if (takeValue(argc, argv, i, "--tests", v)) {
      o.tests = toInt("--tests", v, 1);
    } else if (takeValue(argc, argv, i, "--max-steps", v)) {
      o.maxSteps = toInt("--max-steps", v, 1);
    } else if (takeValue(argc, argv, i, "--max-depth", v)) {
      o.maxDepth = toInt("--max-depth", v, 0);
    } else if (takeValue(argc, argv, i, "--ops", v)) {
      std::stringstream list(v);
      const auto known = props::knownOps();
      for (std::string op; std::getline(list, op, ',');) {
        if (std::find(known.begin(), known.end(), op) == known.end())
          throw CommandLineError("unknown op `" + op + "` in --ops");
        o.ops.push_back(op);
      }
      if (o.ops.empty()) throw CommandLineError("--ops needs at least one op");
      if (std::find(o.ops.begin(), o.ops.end(), "create") == o.ops.end()) o.ops.push_back("create");
    } else if (takeValue(argc, argv, i, "--out", v)) {
      o.out = v;
    } else if (takeValue(argc, argv, i, "--report", v)) {
      o.report = fs::path(v);
    } else if (takeValue(argc, argv, i, "--format", v)) {
      o.format = v;
      if (o.format != "text" && o.format != "json")
        throw CommandLineError("unknown format `" + o.format + "` (text or json)");
    } else {
      throw CommandLineError("unknown option `" + std::string(argv[i]) + "`");
    }
  }
#ifdef _WIN32
  if (o.run.backend == "wine")
    throw CommandLineError("--backend wine runs on Linux only; use native");
#else
  if (o.run.backend == "native")
    throw CommandLineError("--backend native runs on Windows only; use wine");
#endif
  return o;
}

struct Written {
  fs::path scenario, reproducer;
  std::string diagrams;  // before/after, model | real
};

std::string slug(std::size_t index, const std::string& signature) {
  std::string s = "divergence-" + std::to_string(index + 1) + "-";
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

Written writeDivergence(const CheckOptions& o, std::size_t index, const props::Divergence& d,
                        const model::Profile& profile,
                        const std::function<std::unique_ptr<sut::Backend>()>& makeSut) {
  Written w;
  fs::create_directories(o.out);
  const std::string base = slug(index, d.signature);
  w.scenario = o.out / (base + ".hcs");
  std::ofstream(w.scenario) << "# " << d.description << "\n"
                            << "# found by: handlecheck check --backend " << o.run.backend
                            << " --profile " << o.profile() << " --seed " << *o.seed << "\n"
                            << "# expectations are what " << o.run.backend
                            << " did; the marked line is where the model differs\n"
                            << scenario::print(props::observedScenario(d.shrunk));
  w.reproducer = o.out / (base + ".cpp");
  engine::ReproOptions ro;
  ro.title = d.description;
  ro.notes = {"found by: handlecheck check --backend " + o.run.backend + " --profile " +
                  o.profile() + " --seed " + std::to_string(*o.seed),
              "expectations are the model's (" + o.profile() +
                  " profile); the program exits 1 where the system departs from them"};
  if (d.shrunk.diverged) ro.divergingLine = static_cast<int>(*d.shrunk.diverged) + 1;
  std::ofstream(w.reproducer) << engine::writeReproducer(props::predictedScenario(d.shrunk), ro);
  try {
    const props::TablesAround t = props::tablesAround(d.shrunk, profile, makeSut);
    w.diagrams = "before the step:\n" + props::sideBySide(t.modelBefore, t.realBefore, "  ") +
                 "after the step:\n" + props::sideBySide(t.modelAfter, t.realAfter, "  ");
  } catch (const sut::BackendFailure& e) {
    w.diagrams = std::string("(tables unavailable: ") + e.what() + ")\n";
  }
  return w;
}

std::string markdown(const CheckOptions& o, const props::CampaignResult& r,
                     const std::vector<Written>& files) {
  std::ostringstream md;
  md << "## handlecheck check: " << o.run.backend << " against the `" << o.profile()
     << "` profile\n\n"
     << "Seed " << r.seed << "; " << r.sequences << " sequences (" << r.passed << " agreed), "
     << r.steps << " steps" << (r.interrupted ? "; **interrupted**" : "") << ".\n\n";
  if (!r.backendFailure.empty()) md << "**Backend failure:** " << r.backendFailure << "\n\n";
  md << "### Divergences (" << r.divergences.size() << ")\n\n";
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const auto& d = r.divergences[i];
    md << i + 1 << ". " << d.description << "  \n   signature `" << d.signature << "`, seen "
       << d.occurrences << "x; scenario `" << files[i].scenario.string() << "`, reproducer `"
       << files[i].reproducer.string() << "`\n\n```\n"
       << scenario::print(props::observedScenario(d.shrunk)) << "```\n\n```\n"
       << files[i].diagrams << "```\n\n";
  }
  md << "### Coverage (steps per operation)\n\n| what | steps |\n|---|---|\n";
  for (const auto& [k, n] : r.coverage) md << "| `" << k << "` | " << n << " |\n";
  return md.str();
}

std::string json(const CheckOptions& o, const props::CampaignResult& r,
                 const std::vector<Written>& files) {
  std::ostringstream js;
  js << "{\n  \"schema\": \"handlecheck-check/1\",\n  \"backend\": " << jsonQuote(o.run.backend)
     << ",\n  \"profile\": " << jsonQuote(o.profile()) << ",\n  \"seed\": " << r.seed
     << ",\n  \"sequences\": " << r.sequences << ",\n  \"passed\": " << r.passed
     << ",\n  \"steps\": " << r.steps
     << ",\n  \"interrupted\": " << (r.interrupted ? "true" : "false")
     << ",\n  \"backend_failure\": "
     << (r.backendFailure.empty() ? "null" : jsonQuote(r.backendFailure)) << ",\n  \"coverage\": {";
  bool first = true;
  for (const auto& [k, n] : r.coverage) {
    js << (first ? "\n    " : ",\n    ") << jsonQuote(k) << ": " << n;
    first = false;
  }
  js << "\n  },\n  \"divergences\": [";
  for (std::size_t i = 0; i < r.divergences.size(); ++i) {
    const auto& d = r.divergences[i];
    js << (i ? ",\n    {" : "\n    {") << "\"signature\": " << jsonQuote(d.signature)
       << ", \"description\": " << jsonQuote(d.description)
       << ", \"spec\": " << jsonQuote(d.specRules) << ", \"occurrences\": " << d.occurrences
       << ", \"steps\": " << d.shrunk.trace.size()
       << ", \"scenario_file\": " << jsonQuote(files[i].scenario.string())
       << ", \"reproducer_file\": " << jsonQuote(files[i].reproducer.string())
       << ", \"scenario\": " << jsonQuote(scenario::print(props::observedScenario(d.shrunk)))
       << ", \"tables\": " << jsonQuote(files[i].diagrams) << "}";
  }
  js << (r.divergences.empty() ? "]\n}\n" : "\n  ]\n}\n");
  return js.str();
}

}  // namespace

int runCheck(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::cout << kCheckUsage;
      return kExitOk;
    }
  CheckOptions o;
  try {
    o = parseArgs(argc, argv);
  } catch (const CommandLineError& e) {
    std::cerr << "handlecheck check: " << e.what() << "\n(handlecheck check --help)\n";
    return kExitUsage;
  }
  if (!o.seed)
    o.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
  const model::Profile& profile = o.run.profile;
  // RapidCheck announces its global configuration on first use; make it name
  // this campaign's seed (each round runs with a seed derived from it).
  const std::string rcParams = "seed=" + std::to_string(*o.seed);
#ifdef _WIN32
  _putenv_s("RC_PARAMS", rcParams.c_str());
#else
  setenv("RC_PARAMS", rcParams.c_str(), 1);
#endif
  std::cerr << "handlecheck check: seed " << *o.seed << " (backend " << o.run.backend
            << ", profile " << o.profile() << ", " << o.tests << " sequences of up to "
            << o.maxSteps << " steps)\n";

  const BackendOptions run = o.run;
  const std::function<std::unique_ptr<sut::Backend>()> makeSut = [run] { return makeBackend(run); };

  props::CampaignOptions co;
  co.profile = profile;
  co.seed = *o.seed;
  co.tests = o.tests;
  co.maxSteps = o.maxSteps;
  co.gen.maxDepth = o.maxDepth;
  co.gen.ops = o.ops;
  co.makeSut = makeSut;
  co.stop = interrupted;
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

  std::vector<Written> files;
  for (std::size_t i = 0; i < r.divergences.size(); ++i)
    files.push_back(writeDivergence(o, i, r.divergences[i], profile, makeSut));

  const std::string md = markdown(o, r, files);
  if (o.report) {
    if (o.report->has_parent_path()) fs::create_directories(o.report->parent_path());
    std::ofstream(*o.report) << md;
  }
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
    std::ofstream(summary, std::ios::app) << md << "\n";

  if (o.format == "json") {
    std::cout << json(o, r, files);
  } else {
    std::cout << "seed " << r.seed << ": " << r.sequences << " sequences (" << r.passed
              << " agreed), " << r.steps << " steps" << (r.interrupted ? ", interrupted" : "")
              << "\ncoverage (steps):";
    for (const auto& [k, n] : r.coverage)
      if (k.rfind("op:", 0) == 0) std::cout << " " << k.substr(3) << "=" << n;
    std::cout << "\n"
              << r.divergences.size() << " distinct divergence(s)"
              << (r.divergences.empty() ? "\n" : ":\n");
    for (std::size_t i = 0; i < r.divergences.size(); ++i) {
      const auto& d = r.divergences[i];
      std::cout << "\n"
                << i + 1 << ". " << d.description << "\n   " << d.shrunk.trace.size()
                << " steps, seen " << d.occurrences
                << "x\n   scenario:   " << files[i].scenario.string()
                << "\n   reproducer: " << files[i].reproducer.string() << "\n"
                << files[i].diagrams;
    }
  }
  if (!r.backendFailure.empty()) {
    std::cerr << "handlecheck check: backend failure: " << r.backendFailure << "\n";
    return kExitBackend;
  }
  if (r.interrupted) return kExitInterrupted;
  return r.divergences.empty() ? kExitOk : kExitFailed;
}

}  // namespace hc::cli
