// The text and JSON of replay and explain.
#include "Render.h"

#include "Ops.h"
#include "handlecheck/engine/Holders.h"
#include "handlecheck/engine/Text.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli {

std::string outcomeSummary(const StepResult& s) {
  const proto::Reply& r = s.report.reply;
  if (r.blocks) return "would block forever";
  std::string out = engine::outcomeText(r);
  if (!r.ok) out += " (" + std::to_string(r.error) + ")";
  if (r.ok) {
    for (const std::string& name : s.step.as)
      for (const auto& o : s.report.observations)
        if (o.handle == name) {
          out += "; " + name + " = " + proto::hex(o.observation.handle) + " in " + o.process;
          break;
        }
  }
  if (r.hasData) out += "; data=" + r.data;
  if (r.hasExitCode) out += "; exit code " + std::to_string(r.exitCode);
  if (r.same >= 0) out += r.same ? "; same object" : "; different objects";
  return out;
}

std::string holdersNote(const StepResult& s, const std::string& indent, const std::string& source) {
  const std::vector<engine::Holder>& holders = s.report.peerHolders;
  if (holders.empty()) return {};
  std::string out =
      indent + source + "the pipe's " + engine::otherEndName(s.step.op) + " is still open in:\n";
  for (const engine::Holder& h : holders) out += indent + "  " + engine::holdersText({h}) + "\n";
  return out;
}

std::string_view win32Name(const scenario::Step& s) {
  return proto::opInfo(s.op).function;
}

std::string ruleNote(const StepResult& s) {
  if (!model::isRule(s.rule)) return {};
  return model::cite(s.rule) + ": " + std::string(model::rule(s.rule).statement);
}

namespace {

using Json = nlohmann::ordered_json;

nlohmann::ordered_json holdersJson(const std::vector<engine::Holder>& holders) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const engine::Holder& h : holders)
    out.push_back({{"process", h.process},
                   {"handle", h.names},
                   {"value", proto::hex(h.value)},
                   {"origin", h.origin ? engine::originText(*h.origin) : ""},
                   {"line", h.origin ? h.origin->line : 0}});
  return out;
}

}  // namespace

nlohmann::ordered_json fileJson(const FileResult& f, bool diagrams) {
  Json file{{"file", f.file},
            {"backend", f.backend},
            {"status", statusName(f.status)},
            {"passed", f.status == FileResult::Status::Passed},
            {"exit", exitStatus(f.status)},
            {"error", nullptr},
            {"step_count", f.stepCount},
            {"failed_steps", f.failedSteps()},
            {"steps", Json::array()}};
  if (!f.error.empty())
    file["error"] = Json{{"message", f.error}, {"line", f.line}, {"column", f.column}};
  for (const StepResult& s : f.steps) {
    Json step{{"line", s.step.line},
              {"process", s.step.process},
              {"text", scenario::print(s.step)},
              {"call", win32Name(s.step)},
              {"ok", s.report.reply.ok},
              {"error", s.report.reply.error},
              {"outcome", outcomeSummary(s)},
              {"passed", s.report.passed()},
              {"failures", Json::array()},
              {"observations", Json::array()}};
    for (std::size_t k = 0; k < s.report.failures.size(); ++k) {
      const engine::Mismatch m =
          k < s.report.mismatches.size() ? s.report.mismatches[k] : engine::Mismatch{};
      step["failures"].push_back(
          Json{{"message", s.report.failures[k]}, {"expected", m.expected}, {"got", m.got}});
    }
    for (const auto& n : s.report.observations) {
      const proto::Observation& ob = n.observation;
      step["observations"].push_back(Json{{"process", n.process},
                                          {"handle", n.handle},
                                          {"value", proto::hex(ob.handle)},
                                          {"valid", ob.valid},
                                          {"inherit", ob.inherit},
                                          {"protect", ob.protect},
                                          {"count", ob.handleCount},
                                          {"type", ob.type}});
    }
    if (!s.report.peerHolders.empty()) step["holders"] = holdersJson(s.report.peerHolders);
    if (diagrams) step["diagram"] = s.diagram;
    file["steps"].push_back(std::move(step));
  }
  file["blocked"] = nullptr;
  if (f.blocked)
    file["blocked"] = Json{{"line", f.blocked->step.line},
                           {"process", f.blocked->step.process},
                           {"text", scenario::print(f.blocked->step)},
                           {"call", win32Name(f.blocked->step)},
                           {"holders", holdersJson(f.blocked->report.peerHolders)}};
  return file;
}

}  // namespace hc::cli
