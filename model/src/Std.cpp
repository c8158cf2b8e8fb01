// Standard handles (SPEC 51-62): the slots, and what CreateProcess puts in a child's.
#include <cassert>

#include "Calls.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

namespace {
// SPEC 1: the low two bits are ignored, so (HANDLE)1..3 are NULL as well.
bool isNullValue(HandleValue h) {
  return (h & ~HandleValue{3}) == 0;
}
}  // namespace

// System::StdPlan (System.h): how each of the child's slots is filled
// (SPEC 55's lines), decided before the child exists so that a refusal or
// an unsettled case changes nothing.

// SPEC 51: the value as stored; P0's before the scenario set it is the
// harness's and unsettled.
Outcome System::getStdHandle(ProcessId p, std::uint32_t slot) {
  const Process& process = runningProcess(p);
  assert(slot < kStdSlots && "model: std slot 0-2");
  if (!process.std[slot].known) return unsettled(RuleId::StdSlotIsPlainValue);
  Outcome out = succeed(RuleId::StdSlotIsPlainValue);
  out.handle = process.std[slot].value;
  return out;
}

// SPEC 51: any value is stored; nothing is validated, opened or closed.
Outcome System::setStdHandle(ProcessId p, std::uint32_t slot, HandleValue value) {
  Process& process = runningProcess(p);
  assert(slot < kStdSlots && "model: std slot 0-2");
  process.std[slot] = StdSlot{.value = value, .known = true};
  return succeed(RuleId::StdSlotIsPlainValue);
}

// What planStd reads while it decides: the parent, the spawn's
// STARTUPINFO fields and console flags, and how the child's console is made.
struct System::StdRequest {
  enum class Mode : std::uint8_t { Inherit, NewConsole, Detach };
  const Process& parent;
  std::optional<std::array<HandleValue, kStdSlots>> fields;
  std::uint32_t console = 0;  // the console flags, kSpawnGui aside
  bool gui = false;
  bool inherit = false;  // bInheritHandles
  bool list = false;     // a handle list is given
  Mode mode = Mode::Inherit;
};

// SPEC 54-62 (windows7: SPEC 55's Windows 7 lines, 62, 66).
Outcome System::planStd(ProcessId p, const SpawnOptions& options, StdPlan& plan) const {
  const bool harness = (options.console & ~kSpawnGui) == 0;
  StdRequest request{.parent = processes_[p],
                     .fields = options.stdHandles,
                     .console = harness ? kSpawnDetached : options.console & ~kSpawnGui,
                     .gui = (options.console & kSpawnGui) != 0,
                     .inherit = options.inheritHandles,
                     .list = options.handleList.has_value()};
  if (harness && !request.fields) request.fields.emplace();  // STARTF_USESTDHANDLES, NULL fields
  // No rule says whose slots a child given a designated parent (SPEC 82) is
  // handed through STARTUPINFO or a console flag: not predicted.
  if (options.parentProcess && !(harness && !options.stdHandles))
    return unsettled(RuleId::DesignatedParentTableInherited);
  if (std::optional<Outcome> refused = planConsole(request, plan)) return *refused;
  for (std::uint32_t i = 0; i < kStdSlots; ++i) {
    if (planFieldSlot(request, i, plan.slots[i])) continue;
    std::optional<Outcome> unsettledSlot;
    if (request.mode == StdRequest::Mode::NewConsole)  // line 2
      unsettledSlot = planFreshSlot(request, i, plan.slots[i]);
    else if (request.mode != StdRequest::Mode::Detach && !request.fields)
      unsettledSlot = planParentSlot(request, i, plan);
    // Otherwise lines 3, 4: NULL.
    if (unsettledSlot) return *unsettledSlot;
  }
  return succeed(plan.rule);
}

// SPEC 54, 59: how the child's console is made; refused or unsettled, the
// outcome to return.
std::optional<Outcome> System::planConsole(StdRequest& request, StdPlan& plan) const {
  using Mode = StdRequest::Mode;
  const bool gui = request.gui;
  std::uint32_t& console = request.console;
  // SPEC 54: CREATE_NEW_CONSOLE with DETACHED_PROCESS is refused.
  if ((console & kSpawnNewConsole) && (console & kSpawnDetached)) {
    // Quirk new-console-with-detached-accepted: Wine makes a new console.
    if (!profile_.has(QuirkId::NewConsoleWithDetachedAccepted))
      return fail(RuleId::ConsoleCreationMode, win32::kInvalidParameter);
    console = kSpawnNewConsole;
  }
  Mode& mode = request.mode;
  if (console & (kSpawnNewConsole | kSpawnNoWindow))
    mode = (console & kSpawnDetached) ? Mode::Detach : Mode::NewConsole;
  else if (console & kSpawnDetached)
    mode = Mode::Detach;
  // SPEC 59: a GUI child starts without a console; whether one asked for
  // with CREATE_NEW_CONSOLE or CREATE_NO_WINDOW is made is not settled.
  else if (gui)
    ;
  // The parent's console: without one the child would get a new console
  // (SPEC 54, documented only): not predicted, nor for P0's unknown one.
  else if (request.parent.console != ConsoleState::Attached)
    return unsettled(RuleId::ConsoleCreationMode);
  if (gui && mode == Mode::NewConsole) return unsettled(RuleId::GuiChildStdSlots);
  plan.gui = gui;
  plan.console = mode == Mode::Detach || gui ? ConsoleState::None : ConsoleState::Attached;
  // Quirk gui-child-std-duplicated: Wine attaches a GUI child to its
  // parent's console as it does a console child.
  if (gui && mode == Mode::Inherit && profile_.has(QuirkId::GuiChildStdDuplicated))
    plan.console = request.parent.console;
  // Quirk new-console-host-inherits: under Wine a child given a new console
  // allocates it itself, and the conhost.exe it starts with bInheritHandles
  // inherits its inheritable entries.
  plan.consoleHost = mode == Mode::NewConsole && profile_.has(QuirkId::NewConsoleHostInherits);
  plan.rule = mode == Mode::Detach       ? RuleId::DetachedChildStdNull
              : mode == Mode::NewConsole ? RuleId::NewConsoleFreshStdHandles
                                         : RuleId::ChildStdSlotRule;
  return std::nullopt;
}

// SPEC 55's line 1 (windows7: every field of STARTF_USESTDHANDLES): whether
// slot i's STARTUPINFO field decides it, as planned in `slot`.
bool System::planFieldSlot(const StdRequest& request, std::uint32_t i, StdPlan::Slot& slot) const {
  using Line = StdPlan::Line;
  if (!request.fields) return false;
  const HandleValue field = (*request.fields)[i];
  if (profile_.windows7 || (request.inherit && !isNullValue(field))) {
    // Quirk handle-list-inherits-unlisted-std: a field's handle is inherited unlisted.
    slot = {Line::Verbatim, field,
            request.list && profile_.has(QuirkId::HandleListInheritsUnlistedStd)};
    slot.unknownWhenNulled = request.mode == StdRequest::Mode::NewConsole;
    return true;
  }
  // Quirk stdhandles-without-inherit-duplicated: Wine duplicates the fields
  // (the harness's own spawn too, when a step names them), for a new
  // console as well; a field that names no handle leaves the slot NULL,
  // which a new console then fills with a fresh handle.
  if (!request.inherit && !isNullValue(field) &&
      profile_.has(QuirkId::StdHandlesWithoutInheritDuplicated)) {
    if (request.parent.table.lookup(field)) {
      slot = {Line::Duplicate, field};
      return true;
    }
    return request.mode != StdRequest::Mode::NewConsole;
  }
  return false;
}

// SPEC 55's line 2: a fresh console handle in slot i; unsettled, the
// outcome to return.
std::optional<Outcome> System::planFreshSlot(const StdRequest& request, std::uint32_t i,
                                             StdPlan::Slot& slot) const {
  slot = {StdPlan::Line::Fresh, 0};
  // Quirk no-window-child-gets-std-duplicates: without STARTF_USESTDHANDLES
  // and bInheritHandles Wine also duplicates the parent's slot into the
  // child, inheritable, and leaves the copy in no slot. For a protected or
  // pseudo source not predicted.
  const bool noWindow = request.console == kSpawnNoWindow;
  if (!noWindow || request.fields || !profile_.has(QuirkId::NoWindowChildGetsStdDuplicates))
    return std::nullopt;
  const StdSlot& from = request.parent.std[i];
  // P0's own slots hold the harness's handles: their copies name
  // objects no scenario step can reach.
  if (!from.known || isNullValue(from.value)) return std::nullopt;
  // With bInheritHandles the child gets the inheritable entries and no
  // duplicates, as the quirk stdhandles-without-inherit-duplicated
  // (Wine duplicates std handles for a child that inherits nothing);
  // under a handle list, quirk handle-list-std-not-duplicated, an
  // inheritable std handle is inherited listed or not, a non-inheritable
  // one not at all.
  if (request.inherit) {
    if (request.list && profile_.has(QuirkId::HandleListStdNotDuplicated)) {
      slot.value = from.value;
      slot.inheritEntry = true;
    }
    return std::nullopt;
  }
  const HandleEntry* entry = request.parent.table.lookup(from.value);
  // The stand-in settles these as Wine's server duplicates: a pseudo
  // value names no entry to copy, and a copy is never protected.
  if (!entry) {
    if (isPseudoHandle(from.value) && !profile_.standIn)
      return unsettled(RuleId::NewConsoleFreshStdHandles);
    return std::nullopt;
  }
  if (entry->protect && !profile_.standIn) return unsettled(RuleId::NewConsoleFreshStdHandles);
  slot.leaked = from.value;
  return std::nullopt;
}

// SPEC 55's lines 5 and 6: slot i from the parent's slot, its value or a
// duplicate; unsettled, the outcome to return.
std::optional<Outcome> System::planParentSlot(const StdRequest& request, std::uint32_t i,
                                              StdPlan& plan) const {
  using Line = StdPlan::Line;
  const bool windows7 = profile_.windows7;
  const bool inherit = request.inherit;
  const bool list = request.list;
  StdPlan::Slot& slot = plan.slots[i];
  const StdSlot& from = request.parent.std[i];
  // Line 5 (windows7: with a handle list too, SPEC 58).
  const bool line5 = inherit && (!list || windows7);
  // Quirk handle-list-std-not-duplicated: Wine takes the value (inherited
  // when inheritable, SPEC 56's quirk nulls it otherwise).
  const bool listTakesValue = inherit && list && profile_.has(QuirkId::HandleListStdNotDuplicated);
  // SPEC 59: where line 6 would duplicate, a GUI child gets NULL, whatever
  // the parent's slot holds (before Windows 8 as well: the duplication is
  // for console children only). Quirk gui-child-std-duplicated: Wine
  // duplicates as for a console child.
  if (request.gui && !line5 && !listTakesValue && !profile_.has(QuirkId::GuiChildStdDuplicated)) {
    plan.rule = RuleId::GuiChildStdSlots;
    return std::nullopt;
  }
  if (!from.known) return unsettled(RuleId::ChildStdSlotRule);
  if (line5) {
    slot = {Line::Verbatim, from.value};
    return std::nullopt;
  }
  if (listTakesValue) {
    slot = {Line::Verbatim, from.value, true};
    return std::nullopt;
  }
  // Line 6: a duplicate of the parent's handle (SPEC 57, 58).
  if (list) plan.rule = RuleId::HandleListStillDuplicatesStd;
  if (from.value == kInvalidHandleValue) {  // SPEC 62
    if (windows7) slot = {Line::ParentProcess, from.value};
    return std::nullopt;
  }
  if (from.value == kCurrentThread) return unsettled(RuleId::DuplicatedStdSlotKeepsFlags);
  // windows7: a console pseudo value (3 mod 4) is no table entry and cannot
  // be duplicated into another process (SPEC 66); what the slot gets is
  // not settled.
  if (windows7 && (from.value & 3) == 3) return unsettled(RuleId::TraditionalConsoleHandles);
  if (request.parent.table.lookup(from.value)) slot = {Line::Duplicate, from.value};
  return std::nullopt;
}

// Fills the child's slots as planned: duplicates keep the parent entry's
// access, inherit and protect, one entry per slot (SPEC 57); fresh console
// handles are inheritable, output and error two handles to one object
// (SPEC 61; windows7: the pseudo values 0x3, 0x7, 0xb, no entries, SPEC 66).
void System::applyStd(ProcessId p, ProcessId child, const StdPlan& plan) {
  using Line = StdPlan::Line;
  processes_[child].console = plan.console;
  processes_[child].gui = plan.gui;
  ObjectId input = kNoObject;
  ObjectId output = kNoObject;
  const auto fresh = [&](std::uint32_t i) -> HandleValue {
    if (profile_.windows7) return 4 * i + 3;
    ObjectId& object = i == 0 ? input : output;
    if (object == kNoObject) object = newObject(KernelObject{.kind = ObjectKind::Console});
    return addHandle(child, object, true);
  };
  // Quirks handle-list-std-not-duplicated, handle-list-inherits-unlisted-std:
  // Wine inherits an inheritable std handle whatever the list says. Its
  // server does so as it builds the child's table, before any slot's
  // duplicate or console handle exists, so every slot's entry is in
  // place before the first new one takes a free value.
  for (const StdPlan::Slot& slot : plan.slots) {
    if (!slot.inheritEntry) continue;
    const HandleEntry* entry = processes_[p].table.lookup(slot.value);
    if (entry && entry->inherit && !processes_[child].table.lookup(slot.value) &&
        processes_[child].table.addAt(slot.value, *entry))
      ++objects_[entry->object].handleCount;
  }
  for (std::uint32_t i = 0; i < kStdSlots; ++i) {
    const StdPlan::Slot& slot = plan.slots[i];
    HandleValue value = 0;
    bool known = true;
    switch (slot.line) {
      case Line::Null:
        break;
      case Line::Verbatim:
        value = slot.value;
        // Quirk unresolved-std-value-nulled: Wine drops a value the child
        // did not inherit (unless a new console's handle took it).
        if (profile_.has(QuirkId::UnresolvedStdValueNulled) && !isNullValue(value) &&
            !processes_[child].table.lookup(value)) {
          value = 0;
          known = !slot.unknownWhenNulled || profile_.standIn;  // a stand-in reads NULL
        }
        break;
      case Line::Fresh: {
        if (slot.leaked != 0) {
          HandleEntry entry = *processes_[p].table.lookup(slot.leaked);
          entry.inherit = true;
          entry.protect = false;
          ++objects_[entry.object].handleCount;
          processes_[child].table.add(entry);
        }
        value = fresh(i);
        break;
      }
      case Line::Duplicate: {
        HandleEntry entry = *processes_[p].table.lookup(slot.value);
        // Quirks std-dup-forces-inherit, stdhandles-without-inherit-duplicated:
        // Wine's copies are inheritable and unprotected.
        if (profile_.has(QuirkId::StdDupForcesInherit)) {
          entry.inherit = true;
          entry.protect = false;
        }
        ++objects_[entry.object].handleCount;
        value = processes_[child].table.add(entry);
        break;
      }
      case Line::ParentProcess:
        value = addHandle(child, processes_[p].object, false);
        break;
    }
    processes_[child].std[i] = StdSlot{.value = value, .known = known};
  }
  dropNonFileStd(child);
  if (plan.consoleHost) consoleHostInherits(child);
}

// Quirk std-slot-not-file-nulled: Wine's child start-up drops a slot whose
// object has no file behind it in Wine's server (an event, a mutex, a
// semaphore, a process, a thread; a section has one); the entry stays.
void System::dropNonFileStd(ProcessId child) {
  if (!profile_.has(QuirkId::StdSlotNotFileNulled)) return;
  for (StdSlot& slot : processes_[child].std)
    if (const HandleEntry* entry = processes_[child].table.lookup(slot.value);
        entry && !isNullValue(slot.value) && typeName(objects_[entry->object].kind) != "File" &&
        objects_[entry->object].kind != ObjectKind::Mapping)
      slot.value = 0;
}

// The console host inherits every inheritable entry the child now holds;
// console handles aside, whose HandleCount the model does not follow.
void System::consoleHostInherits(ProcessId child) {
  Process& started = processes_[child];
  started.table.forEach([&](HandleValue, const HandleEntry& entry) {
    if (!entry.inherit || objects_[entry.object].kind == ObjectKind::Console) return;
    ++objects_[entry.object].handleCount;
    started.consoleHostCopies.push_back(entry.object);
  });
}

}  // namespace hc::model
