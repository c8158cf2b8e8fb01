#pragma once
// WriteFile / ReadFile of one message (SPEC 11, 13, 44): mailslot clients
// write, servers read; pipes write at the write end, read at the read end;
// both ends of a named pipe do both.
#include "Pick.h"

namespace hc::props {

using model::ObjectKind;

// The kinds each command writes or reads: mailslots and CreatePipe's ends,
// or the ends of named pipes (their own commands, with their own weights).
inline bool writes(const HandleView& v, bool named) {
  if (named) return pick::isKind(v, {ObjectKind::NamedPipeServer, ObjectKind::NamedPipeClient});
  return pick::isKind(v, {ObjectKind::MailslotClient, ObjectKind::PipeWrite});
}
inline bool reads(const HandleView& v, bool named) {
  if (named) return pick::isKind(v, {ObjectKind::NamedPipeServer, ObjectKind::NamedPipeClient});
  return pick::isKind(v, {ObjectKind::MailslotServer, ObjectKind::PipeRead});
}

struct WriteFile : StepCommand {
  explicit WriteFile(const HarnessModel& m, bool named = false) : StepCommand(make(m, named)) {}
  static scenario::Step make(const HarnessModel& m, bool named) {
    scenario::Step s;
    s.op = proto::Op::Write;
    const HandleView h =
        pick::anyOf(pick::handlesWhere(m, [&](const HandleView& v) { return writes(v, named); }));
    s.process = h.process;
    s.handle = {h.name, {}};
    s.text = pick::draw(rc::gen::element<std::string>("", "hello", "", "x"));  // "": SPEC 11
    return s;
  }
};

struct ReadFile : StepCommand {
  explicit ReadFile(const HarnessModel& m, bool named = false) : StepCommand(make(m, named)) {}
  static scenario::Step make(const HarnessModel& m, bool named) {
    scenario::Step s;
    s.op = proto::Op::Read;
    const auto readable =
        pick::handlesWhere(m, [&](const HandleView& v) { return reads(v, named); });
    // Mostly one with a message waiting: that is where SPEC 11's rules are.
    std::vector<HandleView> waiting;
    for (const HandleView& v : readable) {
      const auto& binding = m.bindings.processes.at(v.process);
      const model::HandleInfo info =
          m.backend.system().handleInfo(m.backend.processOf(binding.agent),
                                        static_cast<model::HandleValue>(binding.names.at(v.name)));
      if (info.valid && !m.backend.system().object(info.object).messages.empty())
        waiting.push_back(v);
    }
    const HandleView h = pick::anyOf(!waiting.empty() && pick::coin(80) ? waiting : readable);
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;  // a read that would block forever fails the precondition
  }
};

}  // namespace hc::props
