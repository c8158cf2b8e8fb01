// handlecheck replay FILE... --backend model|wine|native [--profile P]
//                    [--format text|json] [--diagram] [--timeout S]
// Each file runs in a fresh world; the exit status is the worst file's.
#include <algorithm>
#include <iostream>

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
    for (const StepResult& s : f.steps) {
      out << "\nline " << s.step.line << ": " << scenario::print(s.step) << "\n";
      out << "  " << win32Name(s.step) << " -> " << outcomeSummary(s) << "\n";
      for (const std::string& failure : s.report.failures) out << "  FAILED " << failure << "\n";
      out << s.diagram;
    }
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

}  // namespace

int runReplay(int argc, char** argv) {
  BackendOptions options;
  std::vector<std::string> files;
  std::string format = "text";
  bool diagrams = false;
  std::string htmlFile;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (takeBackendOption(argc, argv, i, options)) continue;
    if (takeValue(argc, argv, i, "--html", htmlFile)) continue;
    if (takeValue(argc, argv, i, "--format", format)) {
      if (format != "text" && format != "json")
        throw CommandLineError("unknown format `" + format + "` (expected text or json)");
      continue;
    }
    if (arg == "--diagram") {
      diagrams = true;
    } else if (arg.starts_with("-") && arg != "-") {
      throw CommandLineError("replay: unknown option `" + std::string(arg) + "` (see handlecheck --help)");
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.empty()) throw CommandLineError("replay needs at least one scenario file");

  // On the model Ctrl-C stops after the current step and the report covers
  // what ran. Real backends keep the driver's own handler: it kills every
  // agent of the run at once (a hung step could otherwise outlast Ctrl-C).
  if (options.backend == "model") installInterruptHandler();
  std::vector<FileResult> results;
  std::vector<std::vector<html::StepPicture>> pictures;
  int status = kExitOk;
  for (const std::string& file : files) {
    if (interrupted()) break;
    if (format == "text" && options.backend != "model")
      std::cerr << "handlecheck: replaying " << file << " on " << options.backend << "\n";
    html::StepPictures failing(options.profile, true);
    results.push_back(
        runFile(file, options, diagrams, htmlFile.empty() ? AfterStep{} : failing.hook()));
    pictures.push_back(failing.pictures());
    status = std::max(status, exitStatus(results.back().status));
    if (format == "text") printText(results.back(), diagrams);
  }
  if (interrupted()) status = kExitInterrupted;
  if (!htmlFile.empty()) html::writeFile(htmlFile, html::replayPage(results, pictures));
  if (format == "json") {
    std::string doc = "{\n  \"handlecheck\": \"replay\",\n  \"schema\": 1,\n";
    doc += "  \"passed\": " + std::string(status == kExitOk ? "true" : "false") + ",\n";
    doc += "  \"exit\": " + std::to_string(status) + ",\n  \"files\": [";
    for (std::size_t i = 0; i < results.size(); ++i)
      doc += (i ? ",\n" : "\n") + fileJson(results[i], diagrams, 4);
    doc += results.empty() ? "]\n}\n" : "\n  ]\n}\n";
    std::cout << doc;
    for (const FileResult& f : results)
      if (!f.error.empty()) std::cerr << "handlecheck: " << f.error << "\n";
  }
  return status;
}

}  // namespace hc::cli
