// CreateProcess and inheritance (SPEC 22-25).
#include <algorithm>
#include <cassert>
#include <utility>

#include "Calls.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

namespace {
// SPEC 1: the low two bits are ignored, so (HANDLE)1..3 are NULL as well.
bool isNullEntry(HandleValue h) {
  return (h & ~HandleValue{3}) == 0;
}
}  // namespace

// SPEC 25: why a handle list makes CreateProcess fail (87, no process), why
// its outcome is unsettled, or an outcome with ok and no rule when it is
// accepted. An empty list never reaches CreateProcess (ERROR_BAD_LENGTH). Refusals come
// first: a list without bInheritHandles, a pseudo
// entry, an open entry that is not inheritable (each shown alone on
// Windows); then a value that is not open: unsettled.
Outcome System::spawnRefusal(ProcessId p, const SpawnOptions& options) const {
  if (!options.handleList) return Outcome{.ok = true};
  // UpdateProcThreadAttribute refuses an empty list before CreateProcess runs.
  if (options.handleList->empty())
    return fail(RuleId::HandleListLimitsInheritance, win32::kBadLength);
  if (!options.inheritHandles) {
    // Quirk handle-list-without-inherit-accepted: Wine ignores the list.
    if (profile_.has(QuirkId::HandleListWithoutInheritAccepted)) return Outcome{.ok = true};
    return fail(RuleId::HandleListLimitsInheritance, win32::kInvalidParameter);
  }
  // Quirk handle-list-never-rejected: Wine skips pseudo and non-inheritable entries.
  const bool refuses = !profile_.has(QuirkId::HandleListNeverRejected);
  bool notOpen = false;
  for (const HandleValue h : *options.handleList) {
    if (isNullEntry(h)) continue;
    if (isPseudoHandle(h)) {
      if (refuses) return fail(RuleId::HandleListLimitsInheritance, win32::kInvalidParameter);
      continue;
    }
    const HandleEntry* entry = processes_[p].table.lookup(h);
    if (!entry) {
      notOpen = true;
    } else if (!entry->inherit && refuses) {
      return fail(RuleId::HandleListLimitsInheritance, win32::kInvalidParameter);
    }
  }
  if (notOpen) return unsettled(RuleId::HandleListLimitsInheritance);
  return Outcome{.ok = true};
}

// SPEC 25: a NULL entry anywhere in an accepted list: nothing is inherited.
// Quirk handle-list-null-inherits: Wine skips the NULL and inherits the rest.
bool System::handleListInheritsNothing(const SpawnOptions& options) const {
  if (!options.handleList || profile_.has(QuirkId::HandleListNullInherits)) return false;
  return std::any_of(options.handleList->begin(), options.handleList->end(), isNullEntry);
}

// SPEC 22-25: CreateProcessW. Returns hProcess, hThread and the child; 87 and
// no process for a refused handle list; unsettled (no change) for a list
// naming a value that is not open (SPEC 25).
Outcome System::spawn(ProcessId p, const SpawnOptions& options) {
  const Outcome begun = beginSpawn(p, options);
  if (!begun.ok) return begun;
  const std::size_t slots = processes_[p].table.slots();
  for (std::size_t index = 0; index < slots; ++index) inheritEntry(p, begun.child, options, index);
  return finishSpawn(p, begun.child, options);
}

// SPEC 25, 86: the list's checks, then the child with its process and thread
// objects and no handles yet.
Outcome System::beginSpawn(ProcessId p, const SpawnOptions& options) {
  runningProcess(p);
  if (const Outcome refusal = spawnRefusal(p, options); !refusal.ok) return refusal;
  StdPlan plan;
  if (const Outcome slots = planStd(p, options, plan); !slots.ok) return slots;
  const auto child = static_cast<ProcessId>(processes_.size());
  Process process;
  process.parent = p;
  process.object =
      newObject(KernelObject{.kind = ObjectKind::Process, .running = true, .process = child});
  process.thread =
      newObject(KernelObject{.kind = ObjectKind::Thread, .running = true, .process = child});
  processes_.push_back(std::move(process));
  Outcome out{.ok = true};
  out.child = child;
  return out;
}

// SPEC 22-23, 86: the parent's entry at `index`, copied whole (value, object,
// access, inherit and protect) when it is inheritable now, adding one to
// HandleCount. SPEC 25: a list limits the copies to the listed values, and a
// NULL entry in it to none.
void System::inheritEntry(ProcessId p, ProcessId child, const SpawnOptions& options,
                          std::size_t index) {
  if (!options.inheritHandles || handleListInheritsNothing(options)) return;
  const HandleValue value = HandleTable::valueOf(index);
  const HandleEntry* entry = processes_[p].table.lookup(value);
  if (!entry || !entry->inherit) return;
  if (options.handleList &&
      std::none_of(options.handleList->begin(), options.handleList->end(), [&](HandleValue h) {
        return !isNullEntry(h) && !isPseudoHandle(h) &&
               HandleTable::indexOf(h) == HandleTable::indexOf(value);
      }))
    return;
  const HandleEntry copy = *entry;
  const bool added = processes_[child].table.addAt(value, copy);
  assert(added && "model: each index is copied once into a table that had it free");
  (void)added;
  ++objects_[copy.object].handleCount;
}

// SPEC 55-62: the child's slots, after inheritance (duplicates and fresh
// console handles take values the inherited entries left free); SPEC 24:
// pi.hProcess / pi.hThread are new handles in the parent, made after every
// copy, so they never reach this child.
Outcome System::finishSpawn(ProcessId p, ProcessId child, const SpawnOptions& options) {
  // The slot plan as the parent's slots stand now; beginSpawn accepted the
  // same options, so it cannot fail here.
  StdPlan plan;
  [[maybe_unused]] const Outcome slots = planStd(p, options, plan);
  assert(slots.ok && "model: beginSpawn accepted these options");
  applyStd(p, child, plan);
  const bool stdSpawn = options.console != 0 || options.stdHandles.has_value();
  Outcome out = succeed(stdSpawn                 ? plan.rule
                        : options.handleList     ? RuleId::HandleListLimitsInheritance
                        : options.inheritHandles ? RuleId::InheritCopiesEntry
                                                 : RuleId::OnlyInheritableHandlesInherited);
  out.child = child;
  // Quirk spawn-handles-ignore-security-attributes: Wine drops both flags.
  const bool ignored = profile_.has(QuirkId::SpawnHandlesIgnoreSecurityAttributes);
  out.handle = addHandle(p, processes_[child].object, options.processInherit && !ignored);
  out.handle2 = addHandle(p, processes_[child].thread, options.threadInherit && !ignored);
  return out;
}

}  // namespace hc::model
