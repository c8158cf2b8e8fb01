// The model behind the Backend interface: one System call per request op,
// the Outcome translated field by field into the Reply an agent would send.
#include "handlecheck/engine/ModelBackend.h"

#include <cstdio>

namespace hc::engine {
namespace {

// A pseudo handle is never in the table (SPEC 1), yet NtQueryObject on it
// answers for the object it stands for: the caller's process or thread.
model::HandleInfo pseudoInfo(const model::System& system, model::ProcessId p,
                             model::HandleValue v) {
  const model::Process& self = system.process(p);
  const model::ObjectId id = v == model::kCurrentProcess ? self.object : self.thread;
  const model::KernelObject& object = system.object(id);
  return model::HandleInfo{
      .valid = true, .handleCount = object.handleCount, .kind = object.kind, .object = id};
}

proto::Observation observe(const model::System& system, model::ProcessId p, proto::Handle h) {
  const model::HandleValue v = toModel(h);
  const bool pseudo = v == model::kCurrentProcess || v == model::kCurrentThread;
  const model::HandleInfo info = pseudo ? pseudoInfo(system, p, v) : system.handleInfo(p, v);
  proto::Observation o;
  o.handle = h;
  if (!info.valid) return o;  // what GetHandleInformation/NtQueryObject give for a bad value
  o.valid = true;
  o.inherit = info.inherit;
  o.protect = info.protect;
  o.handleCount = info.handleCount;
  // SPEC 61: a console handle's type name (File on Windows 8+, Device under
  // Wine) and HandleCount are not contractual: no type, a lower bound.
  if (info.kind != model::ObjectKind::Console) o.type = std::string(model::typeName(info.kind));
  if (info.messages) o.messages = static_cast<int>(*info.messages);
  o.hasAccess = info.access.has_value();
  o.access = info.access.value_or(0);
  o.mayDrop = info.hostHeld;
  return o;
}

model::MailslotShare shareOf(std::uint32_t bits) {
  if (bits == 0) return model::MailslotShare::None;
  if (bits & proto::kShareWrite) return model::MailslotShare::ReadWrite;
  return model::MailslotShare::Read;
}

// The access an open or a duplicate asks for; none: the call's default.
std::optional<std::uint32_t> desiredAccess(const proto::Request& q) {
  return q.hasDesiredAccess ? std::optional<std::uint32_t>(q.desiredAccess) : std::nullopt;
}

model::NamedPipeOptions namedPipeOptions(const proto::Request& q) {
  return model::NamedPipeOptions{
      .openMode = q.openMode, .pipeMode = q.pipeMode, .maxInstances = q.maxInstances};
}

}  // namespace

model::HandleValue toModel(proto::Handle h) {
  if (h == proto::kCurrentProcess) return model::kCurrentProcess;
  if (h == proto::kCurrentThread) return model::kCurrentThread;
  // (HANDLE)-10..-12: the std slot ids CloseHandle takes (SPEC 53).
  if (h >= 0xFFFFFFFFFFFFFFF4u) return static_cast<model::HandleValue>(h);
  if (h > 0xFFFFFFFFu) return 0;
  return static_cast<model::HandleValue>(h);
}

namespace {
// A model value as a 64-bit process sees it: (HANDLE)-1 and the other
// small negative values sign-extended (a std slot may hold them, SPEC 51).
proto::Handle toWire(model::HandleValue v) {
  if (v >= 0xFFFFFFF4u) return static_cast<proto::Handle>(static_cast<std::int32_t>(v));
  return v;
}
}  // namespace

ModelBackend::ModelBackend(model::Profile profile) : system_(profile) {}

std::string ModelBackend::name() const {
  return "model (" + std::string(system_.profile().name) + ")";
}

model::ProcessId ModelBackend::processOf(proto::AgentId id) const {
  const auto it = processes_.find(id);
  return it == processes_.end() ? model::kNoProcess : it->second;
}

model::SpawnOptions ModelBackend::spawnOptions(const proto::Request& q) const {
  model::SpawnOptions options{.inheritHandles = q.spawnInherit,
                              .processInherit = q.processInherit,
                              .threadInherit = q.threadInherit,
                              .console = q.console};
  if (q.useStdHandles)
    options.stdHandles = std::array<model::HandleValue, model::kStdSlots>{
        toModel(q.stdInput), toModel(q.stdOutput), toModel(q.stdError)};
  if (q.useHandleList) {
    options.handleList.emplace();
    for (const proto::Handle listed : q.handleList) options.handleList->push_back(toModel(listed));
  }
  if (q.hasParentProcess) options.parentProcess = toModel(q.parentProcess);
  if (q.listSize >= 0) options.listBytes = static_cast<std::uint32_t>(q.listSize);
  if (q.parentSize >= 0) options.parentBytes = static_cast<std::uint32_t>(q.parentSize);
  options.unknownAttribute = q.unknownAttribute;
  return options;
}

// CreateProcessW whole (SPEC 22-25, 82-85), or in its parts (SPEC 86): started and
// held, or finished after its copies.
model::Outcome ModelBackend::spawn(model::ProcessId self, const proto::Request& q) {
  if (processes_.count(q.target))
    throw sut::BackendFailure("model: spawn: agent id " + std::to_string(q.target) +
                              " is already in use");
  model::Outcome out;
  if (finish_) {
    const auto held = pending_.find(*finish_);
    finish_.reset();
    if (held == pending_.end() || held->second.parent != self)
      throw sut::BackendFailure("model: spawn: no spawn of this process is in progress");
    out = system_.finishSpawn(self, held->second.child, held->second.options);
    pending_.erase(held);
  } else if (hold_) {
    const std::size_t key = *hold_;
    hold_.reset();
    const model::SpawnOptions options = spawnOptions(q);
    out = system_.beginSpawn(self, options);
    if (out.ok) {
      pending_[key] = PendingSpawn{self, out.child, options, 0};
      throw SpawnHeld("model: spawn held after its start");
    }
  } else {
    out = system_.spawn(self, spawnOptions(q));
  }
  if (out.ok) processes_[q.target] = out.child;
  return out;
}

bool ModelBackend::copyNextEntry(std::size_t key) {
  PendingSpawn& held = pending_.at(key);
  // SPEC 82: the entries come from the child's parent, the designated one if any.
  const model::ProcessId source = system_.process(held.child).parent;
  if (held.next >= system_.process(source).table.slots()) return false;
  system_.inheritEntry(held.parent, held.child, held.options, held.next++);
  return true;
}

// Mixes what a search's states most often differ in: each process's entries
// and each object's HandleCount; sameState decides.
std::size_t ModelBackend::stateHash() const {
  std::size_t h = 1469598103934665603ull;
  const auto mix = [&h](std::size_t v) { h = (h ^ v) * 1099511628211ull; };
  for (const model::Process& p : system_.processes()) {
    mix(p.running);
    p.table.forEach([&](model::HandleValue v, const model::HandleEntry& e) {
      mix(v);
      mix(e.object);
      mix(std::size_t{e.inherit} | std::size_t{e.protect} << 1);
    });
  }
  for (const model::KernelObject& o : system_.objects()) mix(o.handleCount), mix(o.messages.size());
  for (const auto& [key, held] : pending_) mix(key), mix(held.next);
  return h;
}

// DuplicateHandle, from self to the target or from the source into self
// with DUPLICATE_CLOSE_SOURCE.
model::Outcome ModelBackend::duplicate(model::ProcessId self, const proto::Request& q) {
  const model::HandleValue h = toModel(q.handle);
  if (q.fromSource) {
    const model::ProcessId source = processOf(q.source);
    if (source == model::kNoProcess)
      throw sut::BackendFailure("model: dup: no agent " + std::to_string(q.source));
    return system_.duplicateHandleCloseSource(self, source, h);
  }
  const model::ProcessId target = processOf(q.target);
  if (target == model::kNoProcess)
    throw sut::BackendFailure("model: dup: no agent " + std::to_string(q.target));
  return system_.duplicateHandle(self, h, target, q.inherit, q.closeSource, q.sameAttributes,
                                 desiredAccess(q));
}

// TerminateProcess; the agent would kill itself before it could reply: no
// reply at all.
model::Outcome ModelBackend::terminate(model::ProcessId self, const proto::Request& q) {
  const model::HandleValue h = toModel(q.handle);
  const model::HandleInfo info = system_.handleInfo(self, h);
  if (h == model::kCurrentProcess || (info.valid && info.kind == model::ObjectKind::Process &&
                                      system_.object(info.object).process == self))
    throw sut::BackendFailure("model: terminate: agent " + std::to_string(q.process) +
                              " would terminate itself (no reply)");
  return system_.terminateProcess(self, h, q.code);
}

// GetStdHandle, SetStdHandle.
model::Outcome ModelBackend::stdHandle(model::ProcessId self, const proto::Request& q) {
  if (q.stdSlot >= model::kStdSlots)
    throw sut::BackendFailure("model: std slot " + std::to_string(q.stdSlot));
  return q.op == proto::Op::GetStd ? system_.getStdHandle(self, q.stdSlot)
                                   : system_.setStdHandle(self, q.stdSlot, toModel(q.handle));
}

model::Outcome ModelBackend::call(model::ProcessId self, const proto::Request& q) {
  using proto::Op;
  model::System& s = system_;
  const model::HandleValue h = toModel(q.handle);
  const std::optional<std::uint32_t> desired = desiredAccess(q);
  switch (q.op) {
    case Op::Ping:
    case Op::Query:
    case Op::Observe:
    case Op::Reset:
    case Op::Quit:
      return model::Outcome{.ok = true};
    case Op::Block:  // the model's blocks run step by step (props::runBlockOnModel)
      throw sut::BackendFailure(
          "the model runs a parallel block one step at a time, not as `block`");
    case Op::CreateEvent:
      return s.createEvent(self, q.name, q.inherit);
    case Op::CreateMutex:
      return s.createMutex(self, q.name, q.inherit);
    case Op::CreateSemaphore:
      return s.createSemaphore(self, q.name, q.inherit);
    case Op::CreateMapping:
      return s.createFileMapping(self, q.name, q.inherit);
    case Op::CreateMailslot:
      return s.createMailslot(self, q.name, q.inherit);
    case Op::CreatePipe:
      return s.createPipe(self, q.inherit);
    case Op::OpenEvent:
      return s.openEvent(self, q.name, q.inherit, desired);
    case Op::OpenMutex:
      return s.openMutex(self, q.name, q.inherit, desired);
    case Op::OpenSemaphore:
      return s.openSemaphore(self, q.name, q.inherit, desired);
    case Op::OpenMapping:
      return s.openFileMapping(self, q.name, q.inherit, desired);
    case Op::OpenMailslot:
      return s.openMailslot(self, q.name, q.inherit, shareOf(q.share));
    case Op::Spawn:
      return spawn(self, q);
    case Op::Close:
      return s.closeHandle(self, h);
    case Op::Dup:
      return duplicate(self, q);
    case Op::Set:
      return s.setHandleInformation(self, h, q.setMask, q.setFlags);
    case Op::Write:
      return s.writeFile(self, h, q.text);
    case Op::Read:
      return s.readFile(self, h);
    case Op::Exit:
      return s.exitProcess(self, q.code);
    case Op::Terminate:
      return terminate(self, q);
    case Op::Wait:
      return s.waitForSingleObject(self, h);
    case Op::Peek:
      return s.peekNamedPipe(self, h);
    case Op::CreateNamedPipe:
      return s.createNamedPipe(self, q.name, namedPipeOptions(q), q.inherit);
    case Op::OpenNamedPipe:
      return s.openNamedPipe(self, q.name, q.access, q.inherit);
    case Op::ConnectNamedPipe:
      return s.connectNamedPipe(self, h);
    case Op::DisconnectNamedPipe:
      return s.disconnectNamedPipe(self, h);
    case Op::PipeState:
      return s.getNamedPipeHandleState(self, h);
    case Op::GetStd:
    case Op::SetStd:
      return stdHandle(self, q);
    case Op::Signal:
      return s.signalObject(self, h);
    case Op::Map:
      return s.mapViewOfFile(self, h, q.mapWrite);
  }
  throw sut::BackendFailure("model: unknown op");
}

proto::Reply ModelBackend::perform(const proto::Request& q) {
  const model::ProcessId self = processOf(q.process);
  const std::string op(proto::opName(q.op));
  if (self == model::kNoProcess)
    throw sut::BackendFailure("model: " + op + ": no agent " + std::to_string(q.process));
  if (!system_.process(self).running)
    throw sut::BackendFailure("model: " + op + ": agent " + std::to_string(q.process) +
                              " has exited");
  const model::Outcome out = call(self, q);
  lastRule_ = out.rule;
  if (out.unsettled)
    throw Unsettled(out.rule, "model: " + op + " in agent " + std::to_string(q.process) +
                                  ": the outcome is unsettled");
  if (out.blocks)
    throw WouldBlock("model: " + op + " of handle " + proto::hex(q.handle) + " in agent " +
                     std::to_string(q.process) + " would block forever");
  proto::Reply r;
  r.ok = out.ok;
  r.error = out.ok ? (out.alreadyExists ? model::win32::kAlreadyExists : 0) : out.error;
  r.alreadyExists = out.alreadyExists;
  r.handle = toWire(out.handle);
  r.handle2 = toWire(out.handle2);
  if (q.op == proto::Op::Spawn && out.ok) r.childPid = out.child;
  if (out.data) {
    r.hasData = true;
    r.data = *out.data;
  }
  if (out.exitCode) {
    r.hasExitCode = true;
    r.exitCode = *out.exitCode;
  }
  if (out.available) {
    r.hasAvail = true;
    r.avail = *out.available;
  }
  if (out.instances) r.instances = static_cast<int>(*out.instances);
  if (out.attributeListSize) {
    r.hasSizing = true;
    r.sizingError = model::win32::kInsufficientBuffer;
    r.sizingBytes = *out.attributeListSize;
  }
  // After an exit nothing is left to observe or compare in that process.
  const bool alive = system_.process(self).running;
  if (q.op == proto::Op::Query && q.compareWith && alive)
    r.same = system_.sameObject(self, toModel(q.handle), toModel(q.compareWith)) ? 1 : 0;
  if (alive)
    for (const proto::Handle h : q.observe) r.observations.push_back(observe(system_, self, h));
  if (alive && q.observeNew && r.ok) {
    if (r.handle) r.observations.push_back(observe(system_, self, r.handle));
    if (r.handle2) r.observations.push_back(observe(system_, self, r.handle2));
    if (q.compareWith && q.op != proto::Op::Query)
      r.same = system_.sameObject(self, toModel(r.handle), toModel(q.compareWith)) ? 1 : 0;
  }
  return r;
}

}  // namespace hc::engine
