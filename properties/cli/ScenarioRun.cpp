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
#include "handlecheck/model/Rules.h"
#include "handlecheck/props/Linearize.h"

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
  // A parallel block the real system ran: judged against the model as it
  // follows the steps (the interleaving that explains it leaves the model
  // where later steps continue, and says which of the real side's names
  // are open: a step's look may predate a value's reuse). The verdict, when
  // it fails, is a failure of the block's last step; a model that stopped
  // following cannot judge.
  props::Verdict judge(const props::BlockHistory& history, engine::Bindings& real) {
    if (!model_) {
      props::Verdict v;
      v.failure =
          "the model stopped following the steps before the block, so no interleaving can be "
          "checked";
      return v;
    }
    props::CheckOptions options;
    options.exactValues = false;  // SPEC: a new handle's value is not contractual
    options.requestsBeforeBlock = true;
    props::Verdict v = props::checkBlock(*model_, bindings_, history, options);
    if (v.linearizable) {
      model_.emplace(std::move(*v.model));
      bindings_ = v.bindings;
      for (auto& [label, p] : real.processes)
        if (const auto m = bindings_.processes.find(label); m != bindings_.processes.end())
          p.open = m->second.open;
    } else {
      model_.reset();
    }
    return v;
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

// The steps of a block with the reports they got, and the verdict on the
// last one when it is not linearizable.
void recordBlock(const props::BlockHistory& history, const props::Verdict& verdict,
                 FileResult& result) {
  std::vector<StepResult> ran;
  for (std::size_t b = 0; b < history.branches.size(); ++b)
    for (std::size_t i = 0; i < history.branches[b].size(); ++i)
      ran.push_back(
          StepResult{history.branches[b][i], history.observed[b][i], {}, model::RuleId::None});
  if (!verdict.linearizable) {
    engine::StepReport& last = ran.back().report;
    last.failures.push_back(props::describe(history, verdict));
    last.mismatches.push_back({"a linearizable parallel block", verdict.failure, {}});
  }
  for (StepResult& sr : ran) {
    if (!sr.report.passed()) result.status = FileResult::Status::Failed;
    result.steps.push_back(std::move(sr));
  }
}

// A parallel block on the model as the system under test (SPEC 86 for its
// spawns): the branches run in the interleaving `seed` draws, then the
// linearizability check against the model as it stood before the block.
// The verdict, when it fails, is a failure of the block's last step.
void runBlock(engine::ModelBackend& model, engine::Bindings& bindings,
              const std::vector<scenario::Step>& steps, const scenario::Segment& segment,
              std::uint64_t seed, FileResult& result) {
  const engine::ModelBackend before = model;
  const engine::Bindings boundBefore = bindings;
  const auto branches = props::branchesOf(steps, segment);
  const props::BlockHistory history = props::runBlockOnModel(model, bindings, branches, seed);
  recordBlock(history, props::checkBlock(before, boundBefore, history), result);
}

// A parallel block on a real backend: the branches on real threads of the
// agents, judged by the model beside them.
void runRealBlock(sut::Backend& backend, engine::Bindings& bindings, ModelBeside& beside,
                  const std::vector<scenario::Step>& steps, const scenario::Segment& segment,
                  FileResult& result) {
  const auto branches = props::branchesOf(steps, segment);
  const props::BlockHistory history = props::runBlockOnBackend(backend, bindings, branches);
  recordBlock(history, beside.judge(history, bindings), result);
}

// Reads and parses the file into `text` and `sc`, and names it and counts
// its steps in `result`; false with `result` malformed (the reason, and where
// for a parse error) when it cannot.
bool readScenario(const std::string& path, std::string& text, scenario::Scenario& sc,
                  FileResult& result) {
  result.file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.status = FileResult::Status::Malformed;
    result.error = path + ": cannot read: " + std::generic_category().message(errno);
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  text = buf.str();
  try {
    sc = scenario::parse(text, path);
  } catch (const scenario::ParseError& e) {
    result.status = FileResult::Status::Malformed;
    result.error = e.what();
    result.line = e.line;
    result.column = e.column;
    return false;
  }
  result.stepCount = sc.steps.size();
  return true;
}

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
  std::string text;
  scenario::Scenario sc;
  if (!readScenario(path, text, sc, result)) return result;

  std::unique_ptr<sut::Backend> backend;
  try {
    backend = makeBackend(options);
    result.backend = backend->name();
    engine::Bindings bindings;
    auto* model = dynamic_cast<engine::ModelBackend*>(backend.get());
    ModelBeside beside(options.profile);
    for (const scenario::Segment& segment : scenario::segments(sc.steps)) {
      if (segment.block != 0) {
        if (interrupted()) {
          result.status = FileResult::Status::Interrupted;
          result.error = "interrupted (Ctrl-C) before the parallel block";
          return result;
        }
        if (model)
          runBlock(*model, bindings, sc.steps, segment, options.scheduleSeed, result);
        else
          runRealBlock(*backend, bindings, beside, sc.steps, segment, result);
        continue;
      }
      const scenario::Step& step = sc.steps[segment.step];
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
