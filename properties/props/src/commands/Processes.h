#pragma once
// ExitProcess, TerminateProcess and WaitForSingleObject (SPEC 26-28).
#include "Pick.h"

namespace hc::props {

struct ExitProcess : StepCommand {
  explicit ExitProcess(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Exit;
    s.process = pick::process(m);
    s.code = pick::draw(rc::gen::element<std::uint32_t>(0, 3, 7));
    return s;
  }
  void checkPreconditions(const HarnessModel& m) const override {
    RC_PRE(runningProcesses(m).size() >= 2);  // someone must be left to act
    StepCommand::checkPreconditions(m);
  }
};

// Handles to processes other than the caller (a process never terminates or
// waits on itself here: that call would not return).
inline std::vector<HandleView> otherProcessHandles(const HarnessModel& m, bool threadsToo) {
  std::vector<HandleView> out;
  for (const auto& p : runningProcesses(m))
    for (const auto& h : openHandles(m, p))
      if (h.kind == model::ObjectKind::Process ||
          (threadsToo && h.kind == model::ObjectKind::Thread))
        out.push_back(h);
  return out;
}

// Process and thread handles whose process has ended: a wait on them returns
// (on a running one it would block, which the precondition refuses).
inline std::vector<HandleView> endedProcessHandles(const HarnessModel& m) {
  std::vector<HandleView> out;
  for (const auto& h : otherProcessHandles(m, true)) {
    const auto& binding = m.bindings.processes.at(h.process);
    const model::HandleInfo info =
        m.backend.system().handleInfo(m.backend.processOf(binding.agent),
                                      static_cast<model::HandleValue>(binding.names.at(h.name)));
    if (info.valid && !m.backend.system().object(info.object).running) out.push_back(h);
  }
  return out;
}

struct TerminateProcess : StepCommand {
  explicit TerminateProcess(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Terminate;
    const HandleView h = pick::anyOf(otherProcessHandles(m, false));
    s.process = h.process;
    s.handle = {h.name, {}};
    s.code = pick::draw(rc::gen::element<std::uint32_t>(1, 9, 42));
    return s;
  }
  void checkPreconditions(const HarnessModel& m) const override;
};

struct WaitForSingleObject : StepCommand {
  explicit WaitForSingleObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Wait;
    const auto ended = endedProcessHandles(m);
    const HandleView h = pick::anyOf(ended.empty() ? otherProcessHandles(m, true) : ended);
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;  // waiting on a running process would block: precondition fails
  }
};

}  // namespace hc::props
