// Model invariants under random sequences of every call (RapidCheck).
// A step is a few raw numbers interpreted against the current state (which
// running process, which of its handles, which name), so every generated
// sequence is valid whatever shrinking removes; now and then a step uses a bad
// value (NULL, a never-opened value, a pseudo handle) instead of a handle.
#include "handlecheck/model/Invariants.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handlecheck/model/Rules.h"
#include "handlecheck/model/System.h"

// RC_ASSERT with a message that names the API and what went wrong.
#define HC_ASSERT_MSG(condition, message) \
  do {                                    \
    if (!(condition)) RC_FAIL(message);   \
  } while (false)

namespace hc::model {
namespace {

enum class Op : std::uint8_t {
  CreateEvent,
  CreateMutex,
  CreateSemaphore,
  CreateMapping,
  OpenEvent,
  OpenMutex,
  OpenSemaphore,
  OpenMapping,
  CreateMailslot,
  OpenMailslot,
  CreatePipe,
  Spawn,
  Close,
  Duplicate,
  Set,
  Write,
  Read,
  Exit,
  Terminate,
  Wait,
  Peek,
  CloseSourceIn,  // DuplicateHandle(hOther, h, NULL, ..., DUPLICATE_CLOSE_SOURCE)
};
constexpr std::uint32_t kOps = static_cast<std::uint32_t>(Op::CloseSourceIn) + 1;

struct Step {
  std::uint32_t op = 0;       // Op, modulo kOps (Exit/Terminate made rarer below)
  std::uint32_t process = 0;  // which running process calls
  std::uint32_t handle = 0;   // which of its open handles; see badValue
  std::uint32_t other = 0;    // second handle / target process / name / mask
  std::uint32_t flags = 0;    // inherit, closeSource, ... bits
};

// Names that collide on purpose: "a"/"A" (SPEC 7), "m"/"M" (mailslots fold).
constexpr std::array<const char*, 5> kNames{"", "a", "A", "b", "m"};
constexpr std::array<const char*, 3> kSlots{"m", "M", "n"};

std::vector<ProcessId> runningProcesses(const System& system) {
  std::vector<ProcessId> out;
  for (ProcessId p = 0; p < system.processes().size(); ++p)
    if (system.process(p).running) out.push_back(p);
  return out;
}

std::vector<HandleValue> openHandles(const System& system, ProcessId p) {
  std::vector<HandleValue> out;
  system.process(p).table.forEach([&](HandleValue v, const HandleEntry&) { out.push_back(v); });
  return out;
}

// One in eight picks is a bad value: NULL, never opened, or a pseudo handle.
HandleValue pickHandle(const System& system, ProcessId p, std::uint32_t pick) {
  const std::vector<HandleValue> open = openHandles(system, p);
  if (open.empty() || pick % 8 == 7) {
    constexpr std::array<HandleValue, 4> kBad{0, 0x4000, kCurrentProcess, kCurrentThread};
    return kBad[(pick / 8) % kBad.size()];
  }
  return open[(pick / 8) % open.size()];
}

// Applies one step; returns the Outcome, or nothing when the step does not
// apply (no process running, or a harness precondition would be broken).
std::optional<Outcome> apply(System& system, const Step& s) {
  const std::vector<ProcessId> running = runningProcesses(system);
  if (running.empty()) return std::nullopt;
  const ProcessId p = running[s.process % running.size()];
  const bool inherit = (s.flags & 1) != 0;
  const HandleValue h = pickHandle(system, p, s.handle);
  const std::string name = kNames[s.other % kNames.size()];
  const std::string slot = kSlots[s.other % kSlots.size()];
  Op op = static_cast<Op>(s.op % kOps);
  // Exits are made rarer (a quarter), and the root's rarer still, so that trees grow deep.
  if ((op == Op::Exit || op == Op::Terminate) && (s.flags & 0x30) != 0) op = Op::Close;
  if (op == Op::Exit && p == 0 && (s.flags & 0x300) != 0) op = Op::Close;
  switch (op) {
    case Op::CreateEvent:
      return system.createEvent(p, name, inherit);
    case Op::CreateMutex:
      return system.createMutex(p, name, inherit);
    case Op::CreateSemaphore:
      return system.createSemaphore(p, name, inherit);
    case Op::CreateMapping:
      return system.createFileMapping(p, name, inherit);
    case Op::OpenEvent:
      return system.openEvent(p, name, inherit);
    case Op::OpenMutex:
      return system.openMutex(p, name, inherit);
    case Op::OpenSemaphore:
      return system.openSemaphore(p, name, inherit);
    case Op::OpenMapping:
      return system.openFileMapping(p, name, inherit);
    case Op::CreateMailslot:
      return system.createMailslot(p, slot, inherit);
    case Op::OpenMailslot:
      return system.openMailslot(p, slot, inherit, static_cast<MailslotShare>((s.flags >> 2) % 3));
    case Op::CreatePipe:
      return system.createPipe(p, inherit);
    case Op::Spawn: {
      SpawnOptions options{.inheritHandles = (s.flags & 2) != 0,
                           .processInherit = (s.flags & 4) != 0,
                           .threadInherit = (s.flags & 8) != 0};
      if (s.flags & 0x40) {
        std::vector<HandleValue> list{h};
        if (s.flags & 0x80) list.push_back(pickHandle(system, p, s.other));
        options.handleList = std::move(list);
      }
      // SPEC 82-85: a designated parent, any handle of the caller's.
      if (s.flags & 0x400) options.parentProcess = pickHandle(system, p, s.other >> 8);
      return system.spawn(p, options);
    }
    case Op::Close:
      return system.closeHandle(p, h);
    case Op::Duplicate: {
      const ProcessId target = static_cast<ProcessId>(s.other % system.processes().size());
      return system.duplicateHandle(p, h, target, inherit, (s.flags & 2) != 0, (s.flags & 4) != 0);
    }
    case Op::Set:
      return system.setHandleInformation(p, h, s.other & 3, s.flags & 3);
    case Op::Write:
      return system.writeFile(p, h, std::string(s.other % 5, 'x'));
    case Op::Read:
      return system.readFile(p, h);
    case Op::Exit:
      return system.exitProcess(p, s.other % 4);
    case Op::Terminate: {
      // Precondition: never oneself (nobody would be left to reply).
      if (const HandleEntry* e = system.process(p).table.lookup(h);
          e && system.object(e->object).kind == ObjectKind::Process &&
          system.object(e->object).process == p)
        return std::nullopt;
      if (h == kCurrentProcess) return std::nullopt;
      return system.terminateProcess(p, h, s.other % 4);
    }
    case Op::Wait:
      return system.waitForSingleObject(p, h);
    case Op::Peek:
      return system.peekNamedPipe(p, h);
    case Op::CloseSourceIn: {
      const ProcessId source = static_cast<ProcessId>(s.other % system.processes().size());
      return system.duplicateHandleCloseSource(p, source, pickHandle(system, source, s.handle));
    }
  }
  return std::nullopt;
}

// SPEC 22 at the moment of a successful spawn: the child's table holds exactly
// copies of its parent's inheritable entries (before hProcess/hThread) that
// the handle list allowed: same value, same object, same access, inherit set,
// protect as in the parent. SPEC 82: the parent is the designated one if any.
void checkInheritance(const System& before, const System& after, const Outcome& out) {
  const HandleTable& child = after.process(out.child).table;
  const ProcessId p = after.process(out.child).parent;
  child.forEach([&](HandleValue v, const HandleEntry& copy) {
    const HandleEntry* parent = before.process(p).table.lookup(v);
    HC_ASSERT_MSG(parent != nullptr, "CreateProcess: child holds a value its parent did not");
    HC_ASSERT_MSG(parent->inherit, "CreateProcess: a non-inheritable handle was inherited");
    HC_ASSERT_MSG(parent->object == copy.object, "CreateProcess: inherited value, other object");
    HC_ASSERT_MSG(parent->access == copy.access, "CreateProcess: inherited with other access");
    HC_ASSERT_MSG(copy.inherit && copy.protect == parent->protect,
                  "CreateProcess: inherited flags wrong");
  });
}

void checkInvariants(const System& system) {
  const auto broken = brokenInvariant(system);
  HC_ASSERT_MSG(!broken.has_value(), "model invariant: " + broken.value_or(""));
}

RC_GTEST_PROP(Invariants, HoldAfterEveryStepOfAnySequence, ()) {
  // Up to 100 steps, drawn uniformly (not ramped by size): long sequences from the first run.
  const auto length = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(1, 101));
  const auto steps = *rc::gen::container<std::vector<Step>>(
      length,
      rc::gen::build<Step>(rc::gen::set(&Step::op, rc::gen::inRange<std::uint32_t>(0, 2 * kOps)),
                           rc::gen::set(&Step::process), rc::gen::set(&Step::handle),
                           rc::gen::set(&Step::other), rc::gen::set(&Step::flags)));
  System system;
  std::vector<Outcome> outcomes;
  for (const Step& step : steps) {
    const System before = system;
    const std::optional<Outcome> out = apply(system, step);
    checkInvariants(system);
    if (!out) continue;
    outcomes.push_back(*out);
    HC_ASSERT_MSG(isRule(out->rule), "an outcome without its SPEC rule");
    if (out->unsettled) HC_ASSERT_MSG(system == before, "an unsettled call changed the model");
    if (!out->ok) {
      const bool closesSource = static_cast<Op>(step.op % kOps) == Op::Duplicate;
      const bool exits = static_cast<Op>(step.op % kOps) == Op::Exit;
      HC_ASSERT_MSG(closesSource || exits || system == before,
                    "a failed or blocked call changed the model");
    }
    if (out->ok && out->child != kNoProcess) checkInheritance(before, system, *out);
  }

  // Coverage: how deep the process tree grew (depth 3 = a great-grandchild).
  std::size_t depth = 0;
  for (ProcessId p = 0; p < system.processes().size(); ++p) {
    std::size_t d = 0;
    for (ProcessId q = p; system.process(q).parent != kNoProcess; q = system.process(q).parent) ++d;
    depth = std::max(depth, d);
  }
  RC_TAG(std::min<std::size_t>(depth, 3), steps.size() / 25);

  // Same steps, same outcomes, same state: the model is deterministic.
  System replay;
  std::vector<Outcome> replayed;
  for (const Step& step : steps)
    if (auto out = apply(replay, step)) replayed.push_back(*out);
  HC_ASSERT_MSG(replay == system, "the same steps gave another model state");
  HC_ASSERT_MSG(replayed == outcomes, "the same steps gave other outcomes");

  // SPEC 26 + usage counts: once every process has exited nothing is alive.
  for (ProcessId p = 0; p < system.processes().size(); ++p)
    if (system.process(p).running) system.exitProcess(p, 0);
  checkInvariants(system);
  for (ObjectId o = 0; o < system.objects().size(); ++o)
    HC_ASSERT_MSG(system.object(o).destroyed, "object " + std::to_string(o) + " (" +
                                                  std::string(kindName(system.object(o).kind)) +
                                                  ") outlived every process");
}

}  // namespace
}  // namespace hc::model
