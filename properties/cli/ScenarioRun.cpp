// Running one scenario file: parse, start the backend, run each step,
// and turn every kind of trouble into the file's status and message.
#include "ScenarioRun.h"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "handlecheck/engine/Diagram.h"
#include "handlecheck/engine/Holders.h"
#include "handlecheck/engine/ModelBackend.h"

namespace hc::cli {
namespace {

bool identChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The 1-based column of `token` as a whole word on `line` (1 when absent).
int columnOf(std::string_view line, std::string_view token) {
  if (token.empty()) return 1;
  for (std::size_t at = line.find(token); at != std::string_view::npos;
       at = line.find(token, at + 1)) {
    const bool startOk = at == 0 || !identChar(line[at - 1]);
    const std::size_t end = at + token.size();
    const bool endOk = end == line.size() || !identChar(line[end]);
    if (startOk && endOk && (at == 0 || line[at - 1] != '#')) return static_cast<int>(at) + 1;
  }
  return 1;
}

std::string lineOf(const std::string& text, int number) {
  std::istringstream in(text);
  std::string line;
  for (int i = 1; std::getline(in, line); ++i)
    if (i == number) return line;
  return {};
}

// On a real backend the model follows the same steps, so that a call the
// agent gave up on can still be told who, by the model, holds the pipe's
// other end. It stops following where it cannot (a step it predicts to
// block, a name it never bound).
class ModelBeside {
 public:
  explicit ModelBeside(const model::Profile& profile) : model_(std::in_place, profile) {}
  void follow(const scenario::Step& step) {
    if (!model_) return;
    try {
      engine::runStep(*model_, bindings_, step);
    } catch (const std::exception&) {
      model_.reset();
    }
  }
  // The model's holders of the pipe's other end at `step`, if the model too
  // predicts that it blocks.
  std::vector<engine::Holder> holders(const scenario::Step& step) {
    if (!model_) return {};
    try {
      engine::runStep(*model_, bindings_, step);
    } catch (const engine::StepBlocks& e) {
      return e.report.peerHolders;
    } catch (const std::exception&) {
    }
    return {};
  }

 private:
  std::optional<engine::ModelBackend> model_;
  engine::Bindings bindings_;
};

}  // namespace

std::size_t FileResult::failedSteps() const {
  std::size_t n = 0;
  for (const auto& s : steps) n += s.report.passed() ? 0 : 1;
  return n;
}

int exitStatus(FileResult::Status s) {
  switch (s) {
    case FileResult::Status::Passed:
      return kExitOk;
    case FileResult::Status::Failed:
      return kExitFailed;
    case FileResult::Status::Malformed:
      return kExitUsage;
    case FileResult::Status::BackendFailure:
      return kExitBackend;
    case FileResult::Status::Interrupted:
      return kExitInterrupted;
  }
  return kExitBackend;
}

std::string_view statusName(FileResult::Status s) {
  switch (s) {
    case FileResult::Status::Passed:
      return "passed";
    case FileResult::Status::Failed:
      return "failed";
    case FileResult::Status::Malformed:
      return "malformed";
    case FileResult::Status::BackendFailure:
      return "backend-failure";
    case FileResult::Status::Interrupted:
      return "interrupted";
  }
  return "?";
}

FileResult runFile(const std::string& path, const BackendOptions& options, bool diagrams,
                   const AfterStep& afterStep) {
  FileResult result;
  result.file = path;
  std::string text;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      result.status = FileResult::Status::Malformed;
      result.error = path + ": cannot read: " + std::generic_category().message(errno);
      return result;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  scenario::Scenario sc;
  try {
    sc = scenario::parse(text, path);
  } catch (const scenario::ParseError& e) {
    result.status = FileResult::Status::Malformed;
    result.error = e.what();
    result.line = e.line;
    result.column = e.column;
    return result;
  }
  result.stepCount = sc.steps.size();

  std::unique_ptr<sut::Backend> backend;
  try {
    backend = makeBackend(options);
    result.backend = backend->name();
    engine::Bindings bindings;
    const auto* model = dynamic_cast<const engine::ModelBackend*>(backend.get());
    ModelBeside beside(options.profile);
    for (const scenario::Step& step : sc.steps) {
      if (interrupted()) {
        result.status = FileResult::Status::Interrupted;
        result.error = "interrupted (Ctrl-C) before line " + std::to_string(step.line);
        return result;
      }
      StepResult sr{step, {}, {}, model::RuleId::None};
      const auto finish = [&] {
        if (model) sr.rule = model->lastRule();
        if (diagrams)
          sr.diagram = model ? engine::modelDiagram(*model, bindings)
                             : engine::observedDiagram(*backend, bindings);
        if (afterStep) afterStep(*backend, bindings, sr);
      };
      try {
        sr.report = engine::runStep(*backend, bindings, step);
      } catch (const engine::StepBlocks& e) {
        // A real agent that did not return answers nothing more: no tables
        // to draw; the model beside it names who holds the pipe's other end.
        sr.report = e.report;
        result.error = e.what();
        if (model) finish();
        if (!model) sr.report.peerHolders = beside.holders(step);
        if (!model && !sr.report.peerHolders.empty())
          result.error += "; by the model, the pipe's " + engine::otherEndName(step.op) +
                          " is still open in " + engine::holdersText(sr.report.peerHolders);
        result.status = FileResult::Status::BackendFailure;
        result.blocked = std::move(sr);
        return result;
      }
      finish();
      if (!model) beside.follow(step);
      if (!sr.report.passed()) result.status = FileResult::Status::Failed;
      result.steps.push_back(std::move(sr));
    }
  } catch (const engine::ScenarioError& e) {
    result.status = FileResult::Status::Malformed;
    result.line = e.line;
    result.column = columnOf(lineOf(text, e.line), e.token);
    result.error = path + ":" + std::to_string(e.line) + ":" + std::to_string(result.column) +
                   ": " + e.message;
  } catch (const sut::BackendFailure& e) {
    result.status = FileResult::Status::BackendFailure;
    result.error = e.what();
  }
  return result;
}

}  // namespace hc::cli
