#pragma once
// CloseHandle (SPEC 14-16): open handles, protected ones, and deliberate bad
// values (NULL, never-opened, already closed).
#include "Pick.h"

namespace hc::props {

struct CloseHandle : StepCommand {
  explicit CloseHandle(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Close;
    const auto handles = pick::handlesWhere(m, [](const HandleView&) { return true; });
    const HandleView h = pick::anyOf(handles);
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

// Closing a mailslot's server handle, often while a client is open (SPEC 12:
// the mailslot goes with its last server handle).
struct CloseMailslotServer : StepCommand {
  explicit CloseMailslotServer(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Close;
    const HandleView h = pick::anyOf(pick::handlesWhere(
        m, [](const HandleView& v) { return v.kind == model::ObjectKind::MailslotServer; }));
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

struct CloseBadHandle : StepCommand {
  explicit CloseBadHandle(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Close;
    s.process = pick::process(m);
    std::vector<std::string> stale;
    for (const auto& name : closedNames(m, s.process))
      if (m.staleValueIsFree(s.process, name)) stale.push_back(name);
    const int kind = pick::draw(rc::gen::inRange(0, stale.empty() ? 2 : 3));
    if (kind == 0) s.handle = {{}, 0};         // NULL
    if (kind == 1) s.handle = {{}, 0x7ff000};  // a value no table of ours reaches
    if (kind == 2) s.handle = {pick::draw(rc::gen::elementOf(stale)), {}};  // already closed
    return s;
  }
  void checkPreconditions(const HarnessModel& m) const override {
    // A stale name stays a contractual bad value only while nothing was
    // allocated in its process since it was closed (SPEC 3, 15).
    const auto p = m.bindings.processes.find(step_.process);
    if (!step_.handle.name.empty() && p != m.bindings.processes.end() &&
        p->second.names.count(step_.handle.name) && !p->second.open.count(step_.handle.name))
      RC_PRE(m.staleValueIsFree(step_.process, step_.handle.name));
    StepCommand::checkPreconditions(m);
  }
};

}  // namespace hc::props
