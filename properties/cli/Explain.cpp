// handlecheck explain FILE [--profile P]: the scenario as a lesson. Each
// step on the model: the line, the Win32 call, what it returned, whether its
// expectations hold, and the textbook picture of every handle table after it.
#include <iostream>

#include "Commands.h"
#include "Render.h"
#include "ScenarioRun.h"
#include "html/Reports.h"

namespace hc::cli {

int runExplain(int argc, char** argv) {
  BackendOptions options;
  std::string file, htmlFile;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string value;
    if (takeValue(argc, argv, i, "--profile", value)) {
      const auto profile = model::profileByName(value);
      if (!profile) throw CommandLineError("unknown profile `" + value + "` (expected windows or wine)");
      options.profile = *profile;
    } else if (takeValue(argc, argv, i, "--html", value)) {
      htmlFile = value;
    } else if (arg.starts_with("-") && arg != "-") {
      throw CommandLineError("explain: unknown option `" + std::string(arg) + "` (see handlecheck --help)");
    } else if (!file.empty()) {
      throw CommandLineError("explain takes one scenario file");
    } else {
      file = arg;
    }
  }
  if (file.empty()) throw CommandLineError("explain needs a scenario file");

  html::StepPictures pictures(options.profile, false);
  const FileResult f = runFile(file, options, true, htmlFile.empty() ? AfterStep{} : pictures.hook());
  if (!htmlFile.empty()) html::writeFile(htmlFile, html::explainPage(f, pictures.pictures()));
  std::ostream& out = std::cout;
  out << "Walk-through of " << f.file << " on " << (f.backend.empty() ? "the model" : f.backend)
      << ".\nEach step: the scenario line, the Win32 call it makes and what it returned,\n"
         "then every process's handle table (handle | object) and every kernel object\n"
         "with its usage count (SPEC \"The picture\").\n";
  std::size_t n = 0;
  for (const StepResult& s : f.steps) {
    out << "\n[" << ++n << "] line " << s.step.line << ": " << scenario::print(s.step) << "\n";
    out << "    " << (s.step.process == "P0" ? std::string() : s.step.process + " calls ")
        << win32Name(s.step) << " -> " << outcomeSummary(s) << "\n";
    out << "    " << specNote(s.step) << "\n";
    if (s.report.passed()) {
      out << "    " << (s.step.expects.empty() ? "no expectations; invariants hold"
                                               : "expectations hold") << "\n";
    } else {
      for (const std::string& failure : s.report.failures) out << "    FAILED " << failure << "\n";
    }
    out << s.diagram;
  }
  out << "\n";
  switch (f.status) {
    case FileResult::Status::Passed:
      out << f.file << ": every expectation holds (" << f.stepCount << " steps)\n";
      break;
    case FileResult::Status::Failed:
      out << f.file << ": " << f.failedSteps() << " step(s) FAILED\n";
      break;
    default:
      out << f.file << ": stopped after " << f.steps.size() << " of " << f.stepCount << " steps\n";
      std::cerr << (f.status == FileResult::Status::Malformed ? "" : "handlecheck: ") << f.error
                << "\n";
      break;
  }
  return exitStatus(f.status);
}

}  // namespace hc::cli
