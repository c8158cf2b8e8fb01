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

// What the availability of every command is judged on: the model, the
// knobs, and every open handle of a running process, listed once per draw.
struct Drawing {
  const HarnessModel& m;
  const GenConfig& c;
  std::vector<HandleView> handles;
};

// A command the generator may draw, with its weight. Several commands can
// make one op (close: a handle, a bad handle, a mailslot server) and one
// command several ops (CreateObject: four create ops), so the weights are
// the commands'; the name --ops selects by is the op's scenario verb.
struct Choice {
  proto::Op op;  // an op the command makes: its verb in the table of operations names it
  int weight;
  std::function<bool(const Drawing&)> available;
  std::function<CommandPtr(const HarnessModel&, const GenConfig&)> make;
};

using Available = std::function<bool(const Drawing&)>;
using Make = std::function<CommandPtr(const HarnessModel&, const GenConfig&)>;
using Choices = std::vector<Choice>;
using K = model::ObjectKind;

template <class C>
Make plain() {
  return [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
    return std::make_shared<const C>(m);
  };
}
// A command whose constructor also reads the generation knobs.
template <class C, class... Args>
Make withConfig(Args... args) {
  return [args...](const HarnessModel& m, const GenConfig& c) -> CommandPtr {
    return std::make_shared<const C>(m, c, args...);
  };
}

Make namedPipeCall(proto::Op op) {
  return [op](const HarnessModel& m, const GenConfig&) -> CommandPtr {
    return std::make_shared<const NamedPipeCall>(m, op);
  };
}

bool always(const Drawing&) {
  return true;
}
bool anyHandle(const Drawing& d) {
  return !d.handles.empty();
}
// Some running process holds a handle of one of `kinds`.
Available anyOf(std::initializer_list<K> kinds) {
  return [list = std::vector<K>(kinds)](const Drawing& d) {
    return std::any_of(d.handles.begin(), d.handles.end(), [&](const HandleView& h) {
      return std::find(list.begin(), list.end(), h.kind) != list.end();
    });
  };
}
// Some running process holds a handle of one of `kinds` with less than its
// kind's full access: a call that checks a right has something to refuse.
Available anyRestricted(std::initializer_list<K> kinds) {
  return [list = std::vector<K>(kinds)](const Drawing& d) {
    return std::any_of(d.handles.begin(), d.handles.end(), [&](const HandleView& h) {
      return std::find(list.begin(), list.end(), h.kind) != list.end() && pick::restricted(d.m, h);
    });
  };
}
// A running process may still have a child within the depth limit.
bool canSpawn(const Drawing& d) {
  for (const auto& p : runningProcesses(d.m))
    if (d.m.depth.at(p) < d.c.maxDepth) return true;
  return false;
}

// Creating and opening objects, and the handles' own calls.
Choices objectsAndHandles() {
  return {
      {proto::Op::CreateEvent, 12, always, plain<CreateObject>()},
      {proto::Op::OpenEvent, 5, always, plain<OpenObject>()},
      {proto::Op::CreateMailslot, 8, always, plain<CreateMailslot>()},
      {proto::Op::OpenMailslot, 10, always, plain<OpenMailslot>()},
      {proto::Op::CreatePipe, 8, always, plain<CreatePipe>()},
      {proto::Op::Close, 8, anyHandle, plain<CloseHandle>()},
      {proto::Op::Close, 3, always, plain<CloseBadHandle>()},
      {proto::Op::Close, 4,
       [](const Drawing& d) {
         return anyOf({K::MailslotServer})(d) && anyOf({K::MailslotClient})(d);
       },
       plain<CloseMailslotServer>()},
      {proto::Op::Dup, 10, anyHandle, plain<DuplicateHandle>()},
      {proto::Op::Set, 6, anyHandle, plain<SetHandleInformation>()},
      {proto::Op::Write, 16, anyOf({K::MailslotClient, K::PipeWrite}), plain<WriteFile>()},
      {proto::Op::Read, 12, anyOf({K::MailslotServer, K::PipeRead}), plain<ReadFile>()},
      {proto::Op::Query, 6, anyHandle, plain<Query>()},
  };
}

// Process trees: children, their ends, and the waits that observe an end.
Choices processes() {
  return {
      {proto::Op::Spawn, 14, canSpawn, withConfig<CreateProcess>()},
      {proto::Op::Exit, 7, [](const Drawing& d) { return runningProcesses(d.m).size() >= 2; },
       plain<ExitProcess>()},
      {proto::Op::Terminate, 6,
       [](const Drawing& d) { return !otherProcessHandles(d.m, false).empty(); },
       plain<TerminateProcess>()},
      {proto::Op::Wait, 16, [](const Drawing& d) { return !endedProcessHandles(d.m).empty(); },
       plain<WaitForSingleObject>()},
  };
}

// Pipes as programs use them: is the writer still alive (SPEC 33-38), and a
// parent closing what its child inherited (SPEC 50).
Choices anonymousPipes() {
  return {
      {proto::Op::Peek, 14, anyOf({K::PipeRead, K::PipeWrite}), plain<PeekNamedPipe>()},
      {proto::Op::Dup, 8, [](const Drawing& d) { return runningProcesses(d.m).size() >= 2; },
       plain<DuplicateHandleCloseSource>()},
  };
}

// Named pipes (SPEC 40-49). Connect, disconnect and the state query are
// drawn only where the model settles them, so that the draws become steps.
Choices namedPipes() {
  const auto ends = anyOf({K::NamedPipeServer, K::NamedPipeClient});
  return {
      {proto::Op::CreateNamedPipe, 12, always, plain<CreateNamedPipe>()},
      {proto::Op::Write, 3, ends,
       [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
         return std::make_shared<const WriteFile>(m, true);
       }},
      {proto::Op::Read, 3, ends,
       [](const HarnessModel& m, const GenConfig&) -> CommandPtr {
         return std::make_shared<const ReadFile>(m, true);
       }},
      {proto::Op::OpenNamedPipe, 24, anyOf({K::NamedPipeServer}), plain<OpenNamedPipe>()},
      {proto::Op::ConnectNamedPipe, 12,
       [](const Drawing& d) {
         return anyOf({K::NamedPipeServer})(d) &&
                !pick::settledServers(d.m, proto::Op::ConnectNamedPipe).empty();
       },
       namedPipeCall(proto::Op::ConnectNamedPipe)},
      {proto::Op::DisconnectNamedPipe, 45,
       [](const Drawing& d) {
         return anyOf({K::NamedPipeServer})(d) &&
                !pick::settledServers(d.m, proto::Op::DisconnectNamedPipe).empty();
       },
       namedPipeCall(proto::Op::DisconnectNamedPipe)},
      {proto::Op::PipeState, 10,
       [](const Drawing& d) {
         return anyOf({K::NamedPipeServer, K::NamedPipeClient})(d) &&
                !pick::stateQueryEnds(d.m).empty();
       },
       namedPipeCall(proto::Op::PipeState)},
  };
}

// Standard handles (SPEC 51-66).
Choices standardHandles() {
  return {
      {proto::Op::GetStd, 9, [](const Drawing& d) { return !pick::knownStdSlots(d.m).empty(); },
       plain<GetStdHandle>()},
      {proto::Op::SetStd, 6, always, plain<SetStdHandle>()},
      // Read again while the child spawned last runs, and set again while a
      // child has a console of its own (SetStdHandle mostly picks one): what
      // a child gets from its parent's slots is where systems depart.
      {proto::Op::GetStd, 29,
       [](const Drawing& d) {
         const std::string last = "C" + std::to_string(d.m.nextChild - 1);
         return d.m.bindings.processes.count(last) && d.m.bindings.processes.at(last).alive &&
                !pick::knownStdSlots(d.m).empty();
       },
       plain<GetStdHandle>()},
      {proto::Op::SetStd, 12,
       [](const Drawing& d) {
         for (const auto& p : runningProcesses(d.m))
           if (hasConsole(d.m, p)) return true;
         return false;
       },
       plain<SetStdHandle>()},
      {proto::Op::Spawn, 12, canSpawn, withConfig<CreateProcessStd>()},
      {proto::Op::Spawn, 13,
       [](const Drawing& d) {
         for (const auto& p : runningProcesses(d.m))
           if (d.m.depth.at(p) < d.c.maxDepth && hasConsole(d.m, p)) return true;
         return false;
       },
       withConfig<CreateProcessStd>(true)},
  };
}

// Access (SPEC 67-77): restricted opens and copies, then the calls that
// check a right, drawn again while a restricted handle exists so that a
// restriction is put to the test before the sequence ends.
Choices accessRights() {
  const std::initializer_list<K> signalled = {K::Event, K::Semaphore, K::Mutex};
  return {
      {proto::Op::OpenEvent, 14, always, plain<OpenObjectWithAccess>()},
      {proto::Op::Dup, 14,
       anyOf({K::Event, K::Mutex, K::Semaphore, K::Mapping, K::Process, K::Thread, K::PipeRead,
              K::PipeWrite}),
       plain<DuplicateHandleWithAccess>()},
      {proto::Op::Signal, 4, anyOf(signalled), plain<SignalObject>()},
      {proto::Op::Wait, 3, anyOf(signalled), plain<WaitForObject>()},
      {proto::Op::Map, 3, anyOf({K::Mapping}), plain<MapViewOfFile>()},
      {proto::Op::Signal, 50, anyRestricted(signalled), plain<SignalObject>()},
      {proto::Op::Wait, 50, anyRestricted(signalled), plain<WaitForObject>()},
      {proto::Op::Map, 16, anyRestricted({K::Mapping}), plain<MapViewOfFile>()},
  };
}

// Every command the generator may draw, family by family.
const std::vector<Choice>& choices() {
  static const std::vector<Choice> table = [] {
    std::vector<Choice> all;
    for (auto family :
         {objectsAndHandles, processes, anonymousPipes, namedPipes, standardHandles, accessRights})
      for (Choice& c : family()) all.push_back(std::move(c));
    return all;
  }();
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
  const Drawing drawing{m, config, pick::handlesWhere(m, [](const HandleView&) { return true; })};
  std::vector<const Choice*> open;
  int total = 0;
  for (const auto& c : choices())
    if (wanted(config, c.op) && c.available(drawing)) {
      open.push_back(&c);
      total += c.weight;
    }
  // Nothing to do (every wanted op needs a handle that does not exist yet):
  // a discard, which makes rapidcheck end or retry the sequence.
  if (open.empty()) return rc::gen::exec([]() -> CommandPtr { RC_DISCARD("no command applies"); });
  // The draw runs again when rapidcheck shrinks it, after `m` has moved on:
  // it keeps its own copy of the model, shared by every copy of the closure.
  auto model = std::make_shared<const HarnessModel>(m);
  return rc::gen::exec([model, config, open = std::move(open), total]() -> CommandPtr {
    int draw = pick::draw(rc::gen::inRange(0, total));
    for (const Choice* c : open) {
      if (draw < c->weight) return c->make(*model, config);
      draw -= c->weight;
    }
    return open.back()->make(*model, config);
  });
}

}  // namespace hc::props
