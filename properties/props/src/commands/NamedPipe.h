#pragma once
// Named pipes (SPEC 40-49): CreateNamedPipeW, a client's CreateFileW,
// ConnectNamedPipe, DisconnectNamedPipe and GetNamedPipeHandleState. Calls
// that would block (ConnectNamedPipe on a listening PIPE_WAIT server) or
// that SPEC leaves open (a client access the direction refuses, an empty
// message) fail the precondition, which runs the step on the model.
#include "Pick.h"

namespace hc::props {

namespace pick {

// A small pool, so that instances, clients and case-folded names meet (SPEC 41-43).
inline std::string pipeName() {
  return pick::draw(rc::gen::element<std::string>("p", "q", "P"));
}

// A named pipe end held by a running process: servers only, or either end.
inline std::vector<HandleView> namedPipeEnds(const HarnessModel& m, bool serversOnly) {
  using model::ObjectKind;
  return handlesWhere(m, [&](const HandleView& v) {
    return serversOnly ? isKind(v, {ObjectKind::NamedPipeServer})
                       : isKind(v, {ObjectKind::NamedPipeServer, ObjectKind::NamedPipeClient});
  });
}

// The model's view of a named pipe end: its object, for the instance state
// and the pipe mode (SPEC 44).
inline model::ObjectId objectOf(const HarnessModel& m, const HandleView& v) {
  const auto& binding = m.bindings.processes.at(v.process);
  return m.backend.system()
      .handleInfo(m.backend.processOf(binding.agent),
                  static_cast<model::HandleValue>(binding.names.at(v.name)))
      .object;
}

// Server ends where the model settles the call: DisconnectNamedPipe on an
// instance with a client (connected or closing) or one already disconnected
// (SPEC 44; a listening one is unsettled), ConnectNamedPipe where it answers
// at once (PIPE_NOWAIT, or an instance with a client: SPEC 45).
inline std::vector<HandleView> settledServers(const HarnessModel& m, proto::Op op) {
  std::vector<HandleView> out;
  const model::System& system = m.backend.system();
  for (const HandleView& v : namedPipeEnds(m, true)) {
    const model::ObjectId o = objectOf(m, v);
    const model::PipeState state = system.instanceState(o);
    const bool hasClient =
        state == model::PipeState::Connected || state == model::PipeState::Closing;
    const bool nowait = (system.object(o).pipeMode & model::kPipeNowait) != 0;
    if (op == proto::Op::ConnectNamedPipe ? hasClient || nowait
                                          : state != model::PipeState::Listening)
      out.push_back(v);
  }
  return out;
}

// Named pipe ends whose GetNamedPipeHandleState the model settles: those
// that may read (SPEC 46 leaves the others' FILE_READ_ATTRIBUTES open).
inline std::vector<HandleView> stateQueryEnds(const HarnessModel& m) {
  std::vector<HandleView> out;
  for (const HandleView& v : namedPipeEnds(m, false))
    if (m.backend.system().object(objectOf(m, v)).pipeAccess & model::kPipeAccessInbound)
      out.push_back(v);
  return out;
}

}  // namespace pick

// CreateNamedPipeW (SPEC 40-42): mostly duplex PIPE_NOWAIT pipes, whose
// every state ConnectNamedPipe can visit without blocking.
struct CreateNamedPipe : StepCommand {
  explicit CreateNamedPipe(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using Direction = scenario::Step::Direction;
    scenario::Step s;
    s.op = proto::Op::CreateNamedPipe;
    s.process = pick::process(m);
    s.objectName = pick::pipeName();
    const int direction = pick::draw(rc::gen::inRange(0, 10));
    if (direction == 8) s.direction = Direction::Inbound;
    if (direction == 9) s.direction = Direction::Outbound;
    if (pick::coin(25)) s.typeMessage = true;
    if (pick::coin(s.typeMessage ? 70 : 5)) s.readModeMessage = true;  // byte + message: SPEC 42
    s.nowait = pick::coin(75);
    if (pick::coin(40)) s.maxInstances = pick::draw(rc::gen::inRange(1, 4));
    s.first = pick::coin(35);
    s.inherit = pick::coin(40);
    s.as = {pick::freshName(m)};
    return s;
  }
};

// A client's CreateFileW (SPEC 43), mostly asking for both directions,
// mostly of a pipe with a listening instance, which it then connects.
struct OpenNamedPipe : StepCommand {
  explicit OpenNamedPipe(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using Access = scenario::Step::Access;
    scenario::Step s;
    s.op = proto::Op::OpenNamedPipe;
    s.process = pick::process(m);
    const model::System& system = m.backend.system();
    std::vector<std::string> listening;
    for (const HandleView& v : pick::namedPipeEnds(m, true))
      if (system.instanceState(pick::objectOf(m, v)) == model::PipeState::Listening)
        listening.push_back(system.object(pick::objectOf(m, v)).name);
    s.objectName = !listening.empty() && pick::coin(80) ? pick::draw(rc::gen::elementOf(listening))
                                                        : pick::pipeName();
    const int access = pick::draw(rc::gen::inRange(0, 10));
    if (access == 8) s.access = Access::Read;
    if (access == 9) s.access = Access::Write;
    s.inherit = pick::coin(40);
    s.as = {pick::freshName(m)};
    return s;
  }
};

// ConnectNamedPipe, DisconnectNamedPipe or GetNamedPipeHandleState on a
// named pipe end where the model settles the call; now and then a connect
// on any end (a client end's ERROR_INVALID_FUNCTION).
struct NamedPipeCall : StepCommand {
  NamedPipeCall(const HarnessModel& m, proto::Op op) : StepCommand(make(m, op)) {}
  static scenario::Step make(const HarnessModel& m, proto::Op op) {
    scenario::Step s;
    s.op = op;
    const auto settled =
        op == proto::Op::PipeState ? pick::stateQueryEnds(m) : pick::settledServers(m, op);
    const bool anyEnd = op == proto::Op::ConnectNamedPipe && pick::coin(10);
    const HandleView h =
        pick::anyOf(!anyEnd && !settled.empty() ? settled : pick::namedPipeEnds(m, false));
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

}  // namespace hc::props
