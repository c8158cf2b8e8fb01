// The text and JSON of replay and explain.
#include "Render.h"

#include "handlecheck/engine/Text.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli {

std::string outcomeSummary(const StepResult& s) {
  const proto::Reply& r = s.report.reply;
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

std::string_view win32Name(const scenario::Step& s) {
  using scenario::ObjectType;
  using scenario::OpKind;
  switch (s.op) {
    case OpKind::Create:
      switch (s.type) {
        case ObjectType::Event: return "CreateEventW";
        case ObjectType::Mutex: return "CreateMutexW";
        case ObjectType::Semaphore: return "CreateSemaphoreW";
        case ObjectType::Mapping: return "CreateFileMappingW";
        case ObjectType::Mailslot: return "CreateMailslotW";
        case ObjectType::Pipe: return "CreatePipe";
      }
      break;
    case OpKind::Open:
      switch (s.type) {
        case ObjectType::Event: return "OpenEventW";
        case ObjectType::Mutex: return "OpenMutexW";
        case ObjectType::Semaphore: return "OpenSemaphoreW";
        case ObjectType::Mapping: return "OpenFileMappingW";
        case ObjectType::Mailslot: return "CreateFileW (mailslot client)";
        case ObjectType::Pipe: return "?";
      }
      break;
    case OpKind::Spawn: return "CreateProcessW";
    case OpKind::Close: return "CloseHandle";
    case OpKind::Dup: return "DuplicateHandle";
    case OpKind::Set: return "SetHandleInformation";
    case OpKind::Write: return "WriteFile";
    case OpKind::Read: return "ReadFile";
    case OpKind::Query: return "GetHandleInformation + NtQueryObject";
    case OpKind::Exit: return "ExitProcess";
    case OpKind::Terminate: return "TerminateProcess";
    case OpKind::Wait: return "WaitForSingleObject";
  }
  return "?";
}

std::string ruleNote(const StepResult& s) {
  if (!model::isRule(s.rule)) return {};
  return model::cite(s.rule) + ": " + std::string(model::rule(s.rule).statement);
}

nlohmann::ordered_json fileJson(const FileResult& f, bool diagrams) {
  using Json = nlohmann::ordered_json;
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
    if (diagrams) step["diagram"] = s.diagram;
    file["steps"].push_back(std::move(step));
  }
  return file;
}

}  // namespace hc::cli
