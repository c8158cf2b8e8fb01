// handlecheck replay FILE... [--backend B] [--profile P] [--format text|json]
//                    [--diagram] [--timeout S]
// Each file runs in a fresh world; the exit status is the worst file's.
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "Commands.h"
#include "Render.h"
#include "ScenarioRun.h"
#include "html/Reports.h"

namespace hc::cli {
namespace {

// One failed step: its failure sentences, then the rule the call follows with
// its evidence on a line of its own ("a [D] rule is documented, not tested").
void printStepFailures(const StepResult& s) {
  for (const std::string& failure : s.report.failures) std::cout << "  " << failure << "\n";
  if (s.report.mismatches.empty() || s.report.mismatches[0].rule.empty()) return;
  const std::string& rule = s.report.mismatches[0].rule;
  std::cout << "    departs from " << rule;
  if (rule.find("[T]") == std::string::npos && rule.find("[K]") == std::string::npos)
    std::cout << " (the Windows side is documented, not tested)";
  std::cout << "\n";
}

// The failures of the steps that ran before the file stopped early.
void printFailures(const FileResult& f) {
  for (const StepResult& s : f.steps) printStepFailures(s);
}

void printText(const FileResult& f, bool diagrams) {
  std::ostream& out = std::cout;
  if (diagrams) {
    out << "== " << f.file << " on " << f.backend << "\n";
    const auto step = [&](const StepResult& s) {
      out << "\nline " << s.step.line << ": " << scenario::print(s.step) << "\n";
      out << "  " << win32Name(s.step) << " -> " << outcomeSummary(s) << "\n";
      out << holdersNote(s, "  ");
      for (const std::string& failure : s.report.failures) out << "  FAILED " << failure << "\n";
      out << s.diagram;
    };
    for (const StepResult& s : f.steps) step(s);
    if (f.blocked) step(*f.blocked);
    out << "\n";
  }
  switch (f.status) {
    case FileResult::Status::Passed:
      out << f.file << ": passed (" << f.stepCount << " steps on " << f.backend << ")\n";
      break;
    case FileResult::Status::Failed:
      out << f.file << ": FAILED (" << f.failedSteps() << " of " << f.stepCount << " steps on "
          << f.backend << ")\n";
      printFailures(f);
      break;
    case FileResult::Status::Malformed:
      printFailures(f);
      out << f.file << ": malformed\n";
      std::cerr << f.error << "\n";
      break;
    case FileResult::Status::BackendFailure:
      printFailures(f);
      out << f.file << ": backend failure after " << f.steps.size() << " of " << f.stepCount
          << " steps\n";
      if (f.blocked) {
        // The model predicts the block; a real agent only timed out.
        const bool onModel = f.backend.starts_with("model");
        out << "  line " << f.blocked->step.line << ": " << engine::describeStep(f.blocked->step)
            << (onModel ? " would block forever\n" : " did not return\n");
        out << holdersNote(*f.blocked, "    ", onModel ? "" : "by the model, ");
      }
      std::cerr << "handlecheck: " << f.file << ": backend failure: " << f.error << "\n";
      break;
    case FileResult::Status::Interrupted:
      printFailures(f);
      out << f.file << ": interrupted after " << f.steps.size() << " of " << f.stepCount
          << " steps\n";
      std::cerr << "handlecheck: " << f.error << "\n";
      break;
  }
}

constexpr const char* kJsonSchema = R"(
JSON (replay --format json), schema 1:
  { "handlecheck": "replay", "schema": 1, "passed": bool, "exit": int,
    "files": [ { "file": str, "backend": str,
                 "status": "passed"|"failed"|"malformed"|"backend-failure"|"interrupted",
                 "passed": bool, "exit": int,
                 "error": null | {"message": str, "line": int, "column": int},
                 "step_count": int, "failed_steps": int,
                 "steps": [ { "line": int, "process": str, "text": str (the step as a
                              scenario line), "call": str (Win32 function), "ok": bool,
                              "error": int (GetLastError), "outcome": str, "passed": bool,
                              "failures": [ {"message": str, "expected": str, "got": str} ],
                              "observations": [ {"process": str, "handle": str, "value": str,
                                                 "valid": bool, "inherit": bool, "protect": bool,
                                                 "count": int, "type": str} ],
                              "holders": (as in "blocked", when the step names them),
                              "diagram": str (with --diagram only) } ],
                 "blocked": null | { "line": int, "process": str, "text": str, "call": str,
                                     "holders": [ {"process": str, "handle": str, "value": str,
                                                   "origin": str, "line": int} ] } } ] }
  "steps" lists the steps that ran; the first observation is the step's subject.
  "blocked" is the step the model predicts never returns; for a pipe read, "holders"
  are the handles to the pipe's write end still open, each with the step that gave it.)";

struct ReplayArgs {
  BackendArgs backend;
  std::vector<std::string> files;
  std::string format = "text";
  bool diagrams = false;
  std::string html;
};

int runReplay(const ReplayArgs& args) {
  if (args.files.empty()) throw CommandLineError("replay needs at least one scenario file");
  const BackendOptions options = args.backend.resolve();
  const bool json = args.format == "json";
  // On the model Ctrl-C stops after the current step and the report covers
  // what ran. Real backends keep the driver's own handler: it kills every
  // agent of the run at once (a hung step could otherwise outlast Ctrl-C).
  if (options.backend == "model") installInterruptHandler();
  std::vector<FileResult> results;
  std::vector<std::vector<html::StepPicture>> pictures;
  int status = kExitOk;
  for (const std::string& file : args.files) {
    if (interrupted()) break;
    if (!json && options.backend != "model")
      std::cerr << "handlecheck: replaying " << file << " on " << options.backend << "\n";
    html::StepPictures failing(options.profile, true);
    results.push_back(
        runFile(file, options, args.diagrams, args.html.empty() ? AfterStep{} : failing.hook()));
    pictures.push_back(failing.pictures());
    status = std::max(status, exitStatus(results.back().status));
    if (!json) printText(results.back(), args.diagrams);
  }
  if (interrupted()) status = kExitInterrupted;
  if (!args.html.empty()) html::writeFile(args.html, html::replayPage(results, pictures));
  if (json) {
    nlohmann::ordered_json doc{{"handlecheck", "replay"},
                               {"schema", 1},
                               {"passed", status == kExitOk},
                               {"exit", status},
                               {"files", nlohmann::ordered_json::array()}};
    for (const FileResult& f : results) doc["files"].push_back(fileJson(f, args.diagrams));
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    for (const FileResult& f : results)
      if (!f.error.empty()) std::cerr << "handlecheck: " << f.error << "\n";
  }
  return status;
}

}  // namespace

void addReplay(CLI::App& app, int& status) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Run each scenario file (.hcs: properties/scenario/README.md) in a fresh world on the "
      "backend, check every expectation and the automatic invariants (handle values non-zero "
      "multiples of 4, unique within a process, inherited handles open in the child at the "
      "parent's value), and print per failing step: the line, what was expected, what happened.");
  replay->add_option("files", args->files, "scenario files");
  addBackendOptions(*replay, args->backend);
  addFormatOption(*replay, args->format);
  replay->add_flag("--diagram", args->diagrams,
                   "after each step print the handle tables in the textbook style");
  replay->add_option(
      "--html", args->html,
      "also write one self-contained HTML page: the textbook picture at each failing line");
  replay->footer(kJsonSchema);
  replay->callback([args, &status] { status = runReplay(*args); });
}

}  // namespace hc::cli
