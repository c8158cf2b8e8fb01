// Weighted generation of the next command from the current model state.
// Every command is offered only when something it can act on
// exists; the commands' own checkPreconditions remain the authority (a
// shrunk sequence is re-checked there, never here).
#include <algorithm>
#include <functional>
#include <memory>

#include "Ops.h"
#include "commands/Access.h"
#include "commands/CloseHandle.h"
#include "commands/CreateMailslot.h"
#include "commands/CreateObject.h"
#include "commands/CreatePipe.h"
#include "commands/CreateProcess.h"
#include "commands/DuplicateHandle.h"
#include "commands/DuplicateHandleCloseSource.h"
#include "commands/NamedPipe.h"
#include "commands/OpenObject.h"
#include "commands/PeekNamedPipe.h"
#include "commands/Processes.h"
#include "commands/Query.h"
#include "commands/ReadWrite.h"
#include "commands/SetHandleInformation.h"
#include "commands/StdHandles.h"
#include "handlecheck/props/Harness.h"

namespace hc::props {

void TerminateProcess::checkPreconditions(const HarnessModel& m) const {
  // A process never terminates itself here: the agent could not answer.
  const auto& caller = m.bindings.processes.at(step_.process);
  const auto value = caller.names.find(step_.handle.name);
  RC_PRE(value != caller.names.end());
  const model::ProcessId self = m.backend.processOf(caller.agent);
  const model::HandleInfo info =
      m.backend.system().handleInfo(self, static_cast<model::HandleValue>(value->second));
  RC_PRE(info.valid && info.kind == model::ObjectKind::Process);
  RC_PRE(m.backend.system().object(info.object).process != self);
  StepCommand::checkPreconditions(m);
}

namespace {

// A command the generator may draw, with its weight. Several commands can
// make one op (close: a handle, a bad handle, a mailslot server) and one
// command several ops (CreateObject: four create ops), so the weights are
// the commands'; the name --ops selects by is the op's scenario verb.
struct Choice {
  proto::Op op;  // an op the command makes: its verb in the table of operations names it
  int weight;
  std::function<bool(const HarnessModel&, const GenConfig&)> available;
  std::function<CommandPtr(const HarnessModel&, const GenConfig&)> make;
};

template <class C>
std::function<CommandPtr(const HarnessModel&, const GenConfig&)> plain() {
  return [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
    return std::make_shared<const C>(m);
  };
}

std::function<CommandPtr(const HarnessModel&, const GenConfig&)> namedPipeCall(proto::Op op) {
  return [op](const HarnessModel& m, const GenConfig&) -> CommandPtr {
    return std::make_shared<const NamedPipeCall>(m, op);
  };
}

bool anyHandle(const HarnessModel& m) {
  return !pick::handlesWhere(m, [](const HandleView&) { return true; }).empty();
}
bool anyOfKind(const HarnessModel& m, std::initializer_list<model::ObjectKind> kinds) {
  return !pick::handlesWhere(m, [&](const HandleView& h) {
            return pick::isKind(h, kinds);
          }).empty();
}
bool always(const HarnessModel&, const GenConfig&) {
  return true;
}

const std::vector<Choice>& choices() {
  using K = model::ObjectKind;
  static const std::vector<Choice> table = {
      {proto::Op::CreateEvent, 12, always, plain<CreateObject>()},
      {proto::Op::OpenEvent, 5, always, plain<OpenObject>()},
      {proto::Op::CreateMailslot, 8, always, plain<CreateMailslot>()},
      {proto::Op::OpenMailslot, 10, always, plain<OpenMailslot>()},
      {proto::Op::CreatePipe, 8, always, plain<CreatePipe>()},
      {proto::Op::Spawn, 10,
       [](const HarnessModel& m, const GenConfig& c) {
         for (const auto& p : runningProcesses(m))
           if (m.depth.at(p) < c.maxDepth) return true;
         return false;
       },
       [](const HarnessModel& m, const GenConfig& c) -> CommandPtr {
         return std::make_shared<const CreateProcess>(m, c);
       }},
      {proto::Op::Close, 8, [](const HarnessModel& m, const GenConfig&) { return anyHandle(m); },
       plain<CloseHandle>()},
      {proto::Op::Close, 3, always, plain<CloseBadHandle>()},
      {proto::Op::Close, 4,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::MailslotServer}) && anyOfKind(m, {K::MailslotClient});
       },
       plain<CloseMailslotServer>()},
      {proto::Op::Dup, 10, [](const HarnessModel& m, const GenConfig&) { return anyHandle(m); },
       plain<DuplicateHandle>()},
      {proto::Op::Set, 6, [](const HarnessModel& m, const GenConfig&) { return anyHandle(m); },
       plain<SetHandleInformation>()},
      {proto::Op::Write, 16,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::MailslotClient, K::PipeWrite});
       },
       plain<WriteFile>()},
      {proto::Op::Read, 12,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::MailslotServer, K::PipeRead});
       },
       plain<ReadFile>()},
      {proto::Op::Query, 6, [](const HarnessModel& m, const GenConfig&) { return anyHandle(m); },
       plain<Query>()},
      {proto::Op::Exit, 7,
       [](const HarnessModel& m, const GenConfig&) { return runningProcesses(m).size() >= 2; },
       plain<ExitProcess>()},
      {proto::Op::Terminate, 6,
       [](const HarnessModel& m, const GenConfig&) {
         return !otherProcessHandles(m, false).empty();
       },
       plain<TerminateProcess>()},
      {proto::Op::Wait, 16,
       [](const HarnessModel& m, const GenConfig&) { return !endedProcessHandles(m).empty(); },
       plain<WaitForSingleObject>()},
      // Pipes as programs use them: is the writer still alive (SPEC 33-38),
      // and a parent closing what its child inherited (SPEC 50).
      {proto::Op::Peek, 14,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::PipeRead, K::PipeWrite});
       },
       plain<PeekNamedPipe>()},
      {proto::Op::Dup, 8,
       [](const HarnessModel& m, const GenConfig&) { return runningProcesses(m).size() >= 2; },
       plain<DuplicateHandleCloseSource>()},
      {proto::Op::CreateNamedPipe, 6, always, plain<CreateNamedPipe>()},
      {proto::Op::Write, 3,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::NamedPipeServer, K::NamedPipeClient});
       },
       [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
         return std::make_shared<const WriteFile>(m, true);
       }},
      {proto::Op::Read, 3,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::NamedPipeServer, K::NamedPipeClient});
       },
       [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
         return std::make_shared<const ReadFile>(m, true);
       }},
      {proto::Op::OpenNamedPipe, 4,
       [](const HarnessModel& m, const GenConfig&) { return anyOfKind(m, {K::NamedPipeServer}); },
       plain<OpenNamedPipe>()},
      {proto::Op::ConnectNamedPipe, 3,
       [](const HarnessModel& m, const GenConfig&) { return anyOfKind(m, {K::NamedPipeServer}); },
       namedPipeCall(proto::Op::ConnectNamedPipe)},
      {proto::Op::DisconnectNamedPipe, 2,
       [](const HarnessModel& m, const GenConfig&) { return anyOfKind(m, {K::NamedPipeServer}); },
       namedPipeCall(proto::Op::DisconnectNamedPipe)},
      {proto::Op::PipeState, 2,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::NamedPipeServer, K::NamedPipeClient});
       },
       namedPipeCall(proto::Op::PipeState)},
      // Standard handles.
      {proto::Op::GetStd, 10,
       [](const HarnessModel& m, const GenConfig&) { return !pick::knownStdSlots(m).empty(); },
       plain<GetStdHandle>()},
      {proto::Op::SetStd, 5, always, plain<SetStdHandle>()},
      {proto::Op::Spawn, 7,
       [](const HarnessModel& m, const GenConfig& c) {
         for (const auto& p : runningProcesses(m))
           if (m.depth.at(p) < c.maxDepth) return true;
         return false;
       },
       [](const HarnessModel& m, const GenConfig& c) -> CommandPtr {
         return std::make_shared<const CreateProcessStd>(m, c);
       }},
      {proto::Op::Spawn, 5,
       [](const HarnessModel& m, const GenConfig& c) {
         for (const auto& p : runningProcesses(m))
           if (m.depth.at(p) < c.maxDepth && hasConsole(m, p)) return true;
         return false;
       },
       [](const HarnessModel& m, const GenConfig& c) -> CommandPtr {
         return std::make_shared<const CreateProcessStd>(m, c, true);
       }},
      // Access (SPEC 67-77): restricted opens and copies, then the calls
      // that check a right.
      {proto::Op::OpenEvent, 4, always, plain<OpenObjectWithAccess>()},
      {proto::Op::Dup, 5,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::Event, K::Mutex, K::Semaphore, K::Mapping, K::Process, K::Thread,
                              K::PipeRead, K::PipeWrite});
       },
       plain<DuplicateHandleWithAccess>()},
      {proto::Op::Signal, 4,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::Event, K::Semaphore, K::Mutex});
       },
       plain<SignalObject>()},
      {proto::Op::Wait, 3,
       [](const HarnessModel& m, const GenConfig&) {
         return anyOfKind(m, {K::Event, K::Semaphore, K::Mutex});
       },
       plain<WaitForObject>()},
      {proto::Op::Map, 3,
       [](const HarnessModel& m, const GenConfig&) { return anyOfKind(m, {K::Mapping}); },
       plain<MapViewOfFile>()},
  };
  return table;
}

bool wanted(const GenConfig& c, proto::Op op) {
  const std::string_view verb = proto::opInfo(op).verb;
  return c.ops.empty() || std::find(c.ops.begin(), c.ops.end(), verb) != c.ops.end();
}

}  // namespace

std::vector<std::string> knownOps() {
  std::vector<std::string> out;
  for (const auto& c : choices()) {
    const std::string verb(proto::opInfo(c.op).verb);
    if (std::find(out.begin(), out.end(), verb) == out.end()) out.push_back(verb);
  }
  return out;
}

rc::Gen<CommandPtr> genCommand(const HarnessModel& m, const GenConfig& config) {
  std::vector<const Choice*> open;
  int total = 0;
  for (const auto& c : choices())
    if (wanted(config, c.op) && c.available(m, config)) {
      open.push_back(&c);
      total += c.weight;
    }
  // Nothing to do (every wanted op needs a handle that does not exist yet):
  // a discard, which makes rapidcheck end or retry the sequence.
  if (open.empty()) return rc::gen::exec([]() -> CommandPtr { RC_DISCARD("no command applies"); });
  return rc::gen::exec([m, config, open, total]() -> CommandPtr {
    int draw = pick::draw(rc::gen::inRange(0, total));
    for (const Choice* c : open) {
      if (draw < c->weight) return c->make(m, config);
      draw -= c->weight;
    }
    return open.back()->make(m, config);
  });
}

}  // namespace hc::props
