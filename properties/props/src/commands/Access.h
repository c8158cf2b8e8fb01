#pragma once
// Access masks (SPEC 67-77): opens and duplicates that ask for a restricted
// access, and the calls that check a right: SetEvent / ReleaseSemaphore /
// ReleaseMutex, MapViewOfFile, a wait on a synchronization object. Only
// masks SPEC settles are drawn (no MAXIMUM_ALLOWED, no bits a type lacks but
// on OpenMutex and 0x80 on an event's copy, no generic rights on process or
// thread copies, of file handles only pipe ends).
#include <optional>
#include <tuple>
#include <utility>

#include "Pick.h"
#include "handlecheck/model/Access.h"

namespace hc::props {

namespace pick {

// A desired access for an open or a copy of an object of that kind.
inline std::uint32_t accessFor(model::ObjectKind kind) {
  using K = model::ObjectKind;
  switch (kind) {
    case K::Event:
    case K::Semaphore:
      return draw(rc::gen::element<std::uint32_t>(0x100000, 0x2, 0x100002, 0x80000000, 0x40000000,
                                                  0x20000000, 0x1F0003, 0x20000, 0, 0x80));
    case K::Mutex:  // 0x2 is not a mutex's right (SPEC 72)
      return draw(rc::gen::element<std::uint32_t>(0x100000, 0x20000, 0xC0000000, 0x20000000, 0x1,
                                                  0x1F0001, 0, 0x2));
    case K::Mapping:  // FILE_MAP_READ, FILE_MAP_WRITE, both, FILE_MAP_COPY, GENERIC_READ, all
      return draw(rc::gen::element<std::uint32_t>(0x4, 0x2, 0x6, 0x1, 0x80000000, 0xF001F, 0));
    case K::Process:  // with a query right, so that a wait can read the exit code
      return draw(rc::gen::element<std::uint32_t>(0x101000, 0x101001, 0x100400, 0x1000, 0x1));
    case K::Thread:
      return draw(rc::gen::element<std::uint32_t>(0x100800, 0x100040, 0x800));
    case K::PipeRead:  // SYNCHRONIZE, GENERIC_READ (within the read end's), GENERIC_WRITE (not)
    case K::PipeWrite:
      return draw(rc::gen::element<std::uint32_t>(0x100000, 0x80000000, 0x40000000));
    default:
      return 0x100000;
  }
}

// The kinds of named object that have an open op, and that op.
inline constexpr std::pair<model::ObjectKind, proto::Op> kOpens[] = {
    {model::ObjectKind::Event, proto::Op::OpenEvent},
    {model::ObjectKind::Mutex, proto::Op::OpenMutex},
    {model::ObjectKind::Semaphore, proto::Op::OpenSemaphore},
    {model::ObjectKind::Mapping, proto::Op::OpenMapping},
};

// The kind of object an open op opens.
inline model::ObjectKind kindOfOpen(proto::Op op) {
  for (const auto& [kind, open] : kOpens)
    if (open == op) return kind;
  return model::ObjectKind::Event;
}

// The open op for a named object of that kind, if it has one.
inline std::optional<proto::Op> openOf(model::ObjectKind kind) {
  for (const auto& [named, open] : kOpens)
    if (named == kind) return open;
  return std::nullopt;
}

}  // namespace pick

// OpenEventW / OpenMutexW / OpenSemaphoreW / OpenFileMappingW with a
// restricted access (SPEC 68, 70-72): mostly of a live named object, with
// its own type, so that the access decides the outcome.
struct OpenObjectWithAccess : StepCommand {
  explicit OpenObjectWithAccess(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.process = pick::process(m);
    std::vector<std::pair<proto::Op, std::string>> named;
    for (const model::KernelObject& o : m.backend.system().objects())
      if (!o.destroyed && !o.name.empty())
        if (const auto op = pick::openOf(o.kind)) named.emplace_back(*op, o.name);
    if (!named.empty() && pick::coin(80)) {
      std::tie(s.op, s.objectName) = pick::draw(rc::gen::elementOf(named));
    } else {
      s.op = pick::draw(rc::gen::element(proto::Op::OpenEvent, proto::Op::OpenMutex,
                                         proto::Op::OpenSemaphore, proto::Op::OpenMapping));
      s.objectName = pick::objectName();
    }
    s.desiredAccess = pick::accessFor(pick::kindOfOpen(s.op));
    s.inherit = pick::coin(75);
    s.as = {pick::freshName(m)};
    return s;
  }
};

// The kinds whose copies may ask for a settled access (SPEC 73): a pipe
// end's copy asking for more than its source is refused (SPEC 73 d).
inline bool restrictable(const HandleView& h) {
  using K = model::ObjectKind;
  return pick::isKind(h, {K::Event, K::Mutex, K::Semaphore, K::Mapping, K::Process, K::Thread,
                          K::PipeRead, K::PipeWrite});
}

// DuplicateHandle(..., desired, inherit, 0) without DUPLICATE_SAME_ACCESS
// (SPEC 73, 77), within the caller or into another process.
struct DuplicateHandleWithAccess : StepCommand {
  explicit DuplicateHandleWithAccess(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Dup;
    const HandleView h = pick::anyOf(pick::handlesWhere(m, restrictable));
    s.process = h.process;
    s.handle = {h.name, {}};
    if (pick::coin(30)) {
      std::vector<std::string> targets;
      for (const auto& [label, binding] : m.bindings.processes) targets.push_back(label);
      s.target = pick::draw(rc::gen::elementOf(targets));
      if (s.target == s.process) s.target.clear();
    }
    s.desiredAccess = pick::accessFor(h.kind);
    s.inherit = pick::coin(75);  // restricted handles inherited by later spawns
    s.as = {pick::freshName(m)};
    return s;
  }
};

namespace pick {

// Whether the model's entry for h holds less than its kind's full access.
inline bool restricted(const HarnessModel& m, const HandleView& h) {
  const auto& caller = m.bindings.processes.at(h.process);
  const auto value = caller.names.find(h.name);
  if (value == caller.names.end()) return false;
  const model::ProcessId p = m.backend.processOf(caller.agent);
  const model::HandleInfo info =
      m.backend.system().handleInfo(p, static_cast<model::HandleValue>(value->second));
  return info.valid && info.access && *info.access != model::allAccess(info.kind);
}

// A handle of one of `kinds`, most often a restricted one, whose rights the
// call then checks.
inline HandleView checkedHandle(const HarnessModel& m,
                                std::initializer_list<model::ObjectKind> kinds) {
  const auto all = handlesWhere(m, [&](const HandleView& v) { return isKind(v, kinds); });
  std::vector<HandleView> narrow;
  for (const HandleView& h : all)
    if (restricted(m, h)) narrow.push_back(h);
  return anyOf(!narrow.empty() && coin(90) ? narrow : all);
}

}  // namespace pick

// SetEvent / ReleaseSemaphore / ReleaseMutex (SPEC 76), by the object's type.
struct SignalObject : StepCommand {
  explicit SignalObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using K = model::ObjectKind;
    scenario::Step s;
    s.op = proto::Op::Signal;
    const HandleView h = pick::checkedHandle(m, {K::Event, K::Semaphore, K::Mutex});
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

// WaitForSingleObject on an event, semaphore or mutex (SPEC 76); a wait the
// model says would block fails the precondition.
struct WaitForObject : StepCommand {
  explicit WaitForObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using K = model::ObjectKind;
    scenario::Step s;
    s.op = proto::Op::Wait;
    const HandleView h = pick::checkedHandle(m, {K::Event, K::Semaphore, K::Mutex});
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

// MapViewOfFile(h, FILE_MAP_READ or FILE_MAP_WRITE) (SPEC 76).
struct MapViewOfFile : StepCommand {
  explicit MapViewOfFile(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Map;
    const HandleView h = pick::checkedHandle(m, {model::ObjectKind::Mapping});
    s.process = h.process;
    s.handle = {h.name, {}};
    s.mapWrite = pick::coin(50);
    return s;
  }
};

}  // namespace hc::props
