#include "Render.h"

#include <cstdio>

namespace hc::cli {
namespace {

std::string hex(std::uint64_t h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string errorText(std::uint32_t code) {
  const std::string_view name = scenario::errorName(code);
  return name.empty() ? "error=" + std::to_string(code)
                      : "error=" + std::string(name) + " (" + std::to_string(code) + ")";
}

std::string outcomeWord(const proto::Reply& r) {
  if (!r.ok) return errorText(r.error);
  return r.alreadyExists ? "ok, already-exists" : "ok";
}

std::string boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string outcomeSummary(const StepResult& s) {
  const proto::Reply& r = s.report.reply;
  std::string out = outcomeWord(r);
  if (r.ok) {
    for (const std::string& name : s.step.as)
      for (const auto& o : s.report.observations)
        if (o.handle == name) {
          out += "; " + name + " = " + hex(o.observation.handle) + " in " + o.process;
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

std::string_view specNote(const scenario::Step& s) {
  using scenario::ObjectType;
  using scenario::OpKind;
  switch (s.op) {
    case OpKind::Create:
      if (s.type == ObjectType::Mailslot)
        return "SPEC 10: a new mailslot; the handle is its server (read) end, inheritable iff "
               "sa.bInheritHandle; an existing name fails with ERROR_ALREADY_EXISTS.";
      if (s.type == ObjectType::Pipe)
        return "SPEC 13: two handles, read end and write end, both inheritable iff sa says so.";
      return "SPEC 4-6: a new object with HandleCount 1, or a new handle to the existing object "
             "of that name and type (ERROR_ALREADY_EXISTS), or ERROR_INVALID_HANDLE for another "
             "type's name.";
    case OpKind::Open:
      if (s.type == ObjectType::Mailslot)
        return "SPEC 11: a client (write) handle to the mailslot, a file object of its own; "
               "ERROR_FILE_NOT_FOUND when there is no such mailslot.";
      return "SPEC 8: a new handle to the named object, HandleCount + 1; ERROR_FILE_NOT_FOUND "
             "for no such name.";
    case OpKind::Spawn:
      if (s.only)
        return "SPEC 25: only the listed handles are inherited (each at the parent's value); a "
               "listed handle that is not inheritable fails with ERROR_INVALID_PARAMETER.";
      if (s.inherit)
        return "SPEC 22, 24: every inheritable handle is copied into the child at the same value "
               "(HandleCount + 1 each); hProcess and hThread are new handles in the parent.";
      return "SPEC 23, 24: nothing is inherited; hProcess and hThread are new handles in the "
             "parent.";
    case OpKind::Close:
      return "SPEC 14-16: the entry goes and HandleCount - 1; a value that is not open, or a "
             "protected handle, fails with ERROR_INVALID_HANDLE.";
    case OpKind::Dup:
      return "SPEC 18-21: a new handle in the target to the same object (HandleCount + 1); "
             "inherit from the call, protect never copied; close-source closes the source.";
    case OpKind::Set:
      return "SPEC 17: exactly the named flags change.";
    case OpKind::Write:
    case OpKind::Read:
      return "SPEC 11, 13: one message through a mailslot (in order) or bytes through a pipe.";
    case OpKind::Query:
      return "Observation only: GetHandleInformation (flags) and NtQueryObject (HandleCount, "
             "type).";
    case OpKind::Exit:
      return "SPEC 26: every handle in the process's table closes; its process object remains.";
    case OpKind::Terminate:
      return "SPEC 26, 28: the process ends (the agent waits for it); its handles close.";
    case OpKind::Wait:
      return "SPEC 27: the process object outlives the process: the wait returns and the exit "
             "code is readable.";
  }
  return "";
}

std::string fileJson(const FileResult& f, bool diagrams, int indent) {
  const std::string in(static_cast<std::size_t>(indent), ' ');
  const std::string in2 = in + "  ", in3 = in2 + "  ", in4 = in3 + "  ";
  std::string o = in + "{\n";
  o += in2 + "\"file\": " + jsonQuote(f.file) + ",\n";
  o += in2 + "\"backend\": " + jsonQuote(f.backend) + ",\n";
  o += in2 + "\"status\": " + jsonQuote(statusName(f.status)) + ",\n";
  o += in2 + "\"passed\": " + boolean(f.status == FileResult::Status::Passed) + ",\n";
  o += in2 + "\"exit\": " + std::to_string(exitStatus(f.status)) + ",\n";
  if (f.error.empty()) {
    o += in2 + "\"error\": null,\n";
  } else {
    o += in2 + "\"error\": {\"message\": " + jsonQuote(f.error) + ", \"line\": " +
         std::to_string(f.line) + ", \"column\": " + std::to_string(f.column) + "},\n";
  }
  o += in2 + "\"step_count\": " + std::to_string(f.stepCount) + ",\n";
  o += in2 + "\"failed_steps\": " + std::to_string(f.failedSteps()) + ",\n";
  o += in2 + "\"steps\": [";
  for (std::size_t i = 0; i < f.steps.size(); ++i) {
    const StepResult& s = f.steps[i];
    o += (i ? ",\n" : "\n") + in3 + "{\n";
    o += in4 + "\"line\": " + std::to_string(s.step.line) + ",\n";
    o += in4 + "\"process\": " + jsonQuote(s.step.process) + ",\n";
    o += in4 + "\"text\": " + jsonQuote(scenario::print(s.step)) + ",\n";
    o += in4 + "\"call\": " + jsonQuote(win32Name(s.step)) + ",\n";
    o += in4 + "\"ok\": " + boolean(s.report.reply.ok) + ",\n";
    o += in4 + "\"error\": " + std::to_string(s.report.reply.error) + ",\n";
    o += in4 + "\"outcome\": " + jsonQuote(outcomeSummary(s)) + ",\n";
    o += in4 + "\"passed\": " + boolean(s.report.passed()) + ",\n";
    o += in4 + "\"failures\": [";
    for (std::size_t k = 0; k < s.report.failures.size(); ++k) {
      const engine::Mismatch m =
          k < s.report.mismatches.size() ? s.report.mismatches[k] : engine::Mismatch{};
      o += (k ? ", " : "") + std::string("{\"message\": ") + jsonQuote(s.report.failures[k]) +
           ", \"expected\": " + jsonQuote(m.expected) + ", \"got\": " + jsonQuote(m.got) + "}";
    }
    o += "],\n";
    o += in4 + "\"observations\": [";
    for (std::size_t k = 0; k < s.report.observations.size(); ++k) {
      const auto& n = s.report.observations[k];
      const proto::Observation& ob = n.observation;
      o += (k ? ", " : "") + std::string("{\"process\": ") + jsonQuote(n.process) +
           ", \"handle\": " + jsonQuote(n.handle) + ", \"value\": " + jsonQuote(hex(ob.handle)) +
           ", \"valid\": " + boolean(ob.valid) + ", \"inherit\": " + boolean(ob.inherit) +
           ", \"protect\": " + boolean(ob.protect) + ", \"count\": " +
           std::to_string(ob.handleCount) + ", \"type\": " + jsonQuote(ob.type) + "}";
    }
    o += "]";
    if (diagrams) o += ",\n" + in4 + "\"diagram\": " + jsonQuote(s.diagram);
    o += "\n" + in3 + "}";
  }
  o += f.steps.empty() ? "]\n" : "\n" + in2 + "]\n";
  o += in + "}";
  return o;
}

}  // namespace hc::cli
