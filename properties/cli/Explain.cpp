// handlecheck explain FILE [--profile P]: the scenario as a lesson. Each
// step on the model: the line, the Win32 call, what it returned, whether its
// expectations hold, and the textbook picture of every handle table after it.
#include <iostream>
#include <memory>

#include "Commands.h"
#include "Render.h"
#include "ScenarioRun.h"
#include "html/Reports.h"

namespace hc::cli {

namespace {

int runExplain(const std::string& file, const BackendOptions& options,
               const std::string& htmlFile) {
  html::StepPictures pictures(options.profile, false);
  const FileResult f =
      runFile(file, options, true, htmlFile.empty() ? AfterStep{} : pictures.hook());
  if (!htmlFile.empty()) html::writeFile(htmlFile, html::explainPage(f, pictures.pictures()));
  std::ostream& out = std::cout;
  out << "Walk-through of " << f.file << " on " << (f.backend.empty() ? "the model" : f.backend)
      << ".\nEach step: the scenario line, the Win32 call it makes and what it returned,\n"
         "then every process's handle table (handle | object) and every kernel object\n"
         "with its usage count (SPEC \"The picture\").\n";
  std::size_t n = 0;
  const auto header = [&](const StepResult& s) {
    out << "\n[" << ++n << "] line " << s.step.line << ": " << scenario::print(s.step) << "\n";
    out << "    " << (s.step.process == "P0" ? std::string() : s.step.process + " calls ")
        << win32Name(s.step) << " -> " << outcomeSummary(s) << "\n";
    out << "    " << ruleNote(s) << "\n";
    out << holdersNote(s, "    ");
  };
  for (const StepResult& s : f.steps) {
    header(s);
    if (s.report.passed()) {
      out << "    "
          << (s.step.expects.empty() ? "no expectations; invariants hold" : "expectations hold")
          << "\n";
    } else {
      for (const std::string& failure : s.report.failures) out << "    FAILED " << failure << "\n";
    }
    out << s.diagram;
  }
  if (f.blocked) {
    header(*f.blocked);
    out << "    the scenario cannot go on; the tables as the call finds them:\n";
    out << f.blocked->diagram;
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

}  // namespace

void addExplain(CLI::App& app, int& status) {
  struct Args {
    BackendArgs backend;
    std::string file;
    std::string html;
  };
  auto args = std::make_shared<Args>();
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Walk through a scenario on the model: each step, the Win32 call it makes, its outcome, "
      "the rule that decided it, and the textbook picture after it.");
  explain->add_option("file", args->file, "scenario file")->required();
  addProfileOptions(*explain, args->backend);
  explain->add_option(
      "--html", args->html,
      "also write one self-contained HTML page: the textbook picture (SVG) after each step");
  explain->callback(
      [args, &status] { status = runExplain(args->file, args->backend.resolve(), args->html); });
}

}  // namespace hc::cli
