// CreateProcess and inheritance (SPEC 22-25), attribute lists and the designated
// parent (SPEC 78-85).
#include <algorithm>
#include <cassert>
#include <utility>

#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

namespace {
// SPEC 79: an attribute's cbSize counts sizeof(HANDLE), 8 on 64-bit Windows.
constexpr std::uint32_t kHandleSize = 8;

// SPEC 78: a PROC_THREAD_ATTRIBUTE_LIST on 64-bit Windows, a header and one
// entry per attribute, 24 bytes each.
constexpr std::uint32_t kAttributeListHeaderBytes = 24;
constexpr std::uint32_t kAttributeEntryBytes = 24;

// SPEC 1: the low two bits are ignored, so (HANDLE)1..3 are NULL as well.
bool isNullEntry(HandleValue h) {
  return (h & ~HandleValue{3}) == 0;
}
// SPEC 80: the same handle (not NULL) twice in a list is unsettled; a real
// handle's low two bits are ignored (SPEC 1), a pseudo handle is itself.
bool listsAHandleTwice(const std::vector<HandleValue>& list) {
  const auto same = [](HandleValue a, HandleValue b) {
    if (isPseudoHandle(a) || isPseudoHandle(b)) return a == b;
    return (a & ~HandleValue{3}) == (b & ~HandleValue{3});
  };
  for (std::size_t i = 0; i < list.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (!isNullEntry(list[i]) && same(list[i], list[j])) return true;
  return false;
}
}  // namespace

// SPEC 78: what InitializeProcThreadAttributeList(NULL, n, 0, &size) reports
// for the n attributes the spawn adds (handle list, parent, unknown), as it
// fails with ERROR_INSUFFICIENT_BUFFER; nothing without an attribute list.
std::optional<std::uint32_t> System::attributeListSize(const SpawnOptions& options) {
  const std::uint32_t attributes = (options.handleList ? 1U : 0U) +
                                   (options.parentProcess ? 1U : 0U) +
                                   (options.unknownAttribute ? 1U : 0U);
  if (attributes == 0) return std::nullopt;
  return kAttributeListHeaderBytes + kAttributeEntryBytes * attributes;
}

// SPEC 79, 84, 80, 85: why CreateProcess fails (no process), why its outcome
// is unsettled, or an outcome with ok and no rule when it goes ahead.
// UpdateProcThreadAttribute refuses an empty list before CreateProcess runs;
// then the designated parent's handle, then the list, read in the table the
// child inherits from.
Outcome System::spawnRefusal(ProcessId p, const SpawnOptions& given) const {
  if (const Outcome refusal = attributeRefusal(given); !refusal.ok) return refusal;
  const SpawnOptions options = listed(given);
  if (const Outcome refusal = parentRefusal(p, options); !refusal.ok) {
    // SPEC does not say which CreateProcess checks first, the parent or the list.
    if (options.handleList && !refusal.unsettled &&
        !listRefusal(p, SpawnOptions{.inheritHandles = options.inheritHandles,
                                     .handleList = options.handleList})
             .ok)
      return unsettled(RuleId::DesignatedParentHandleChecked);
    return refusal;
  }
  return listRefusal(inheritanceSource(p, options), options);
}

// SPEC 79: UpdateProcThreadAttribute, called for the handle list, then the
// parent, then the unknown attribute: the first refusal.
Outcome System::attributeRefusal(const SpawnOptions& options) const {
  if (options.handleList) {
    const std::uint32_t bytes = options.listBytes.value_or(
        static_cast<std::uint32_t>(options.handleList->size()) * kHandleSize);
    // Quirk empty-handle-list-inherits-all: Wine accepts a list of 0 bytes.
    const bool emptyAccepted = bytes == 0 && profile_.has(QuirkId::EmptyHandleListInheritsAll);
    if ((bytes == 0 || bytes % kHandleSize != 0) && !emptyAccepted)
      return fail(RuleId::UpdateProcThreadAttributeChecks, win32::kBadLength);
  }
  if (options.parentProcess && options.parentBytes.value_or(kHandleSize) != kHandleSize)
    return fail(RuleId::UpdateProcThreadAttributeChecks, win32::kBadLength);
  if (options.unknownAttribute)
    return fail(RuleId::UpdateProcThreadAttributeChecks, win32::kNotSupported);
  return Outcome{.ok = true};
}

// SPEC 79: the entries a list of cbSize bytes holds, the first cbSize / sizeof(HANDLE).
// Quirk empty-handle-list-inherits-all: Wine treats a list of 0 bytes as no
// list at all.
SpawnOptions System::listed(const SpawnOptions& options) const {
  SpawnOptions out = options;
  if (!options.handleList || !options.listBytes) return out;
  if (*options.listBytes == 0 && profile_.has(QuirkId::EmptyHandleListInheritsAll)) {
    out.handleList.reset();
    return out;
  }
  out.handleList->resize(
      std::min<std::size_t>(out.handleList->size(), *options.listBytes / kHandleSize));
  return out;
}

// SPEC 84: the designated parent is a handle of p's to a running process,
// holding PROCESS_CREATE_PROCESS.
Outcome System::parentRefusal(ProcessId p, const SpawnOptions& options) const {
  if (!options.parentProcess) return Outcome{.ok = true};
  const HandleValue h = *options.parentProcess;
  // GetCurrentProcess() as the parent: Windows versions differ (W-proc: broken()).
  if (h == kCurrentProcess) return unsettled(RuleId::DesignatedParentHandleChecked);
  const std::optional<ObjectId> object = resolve(p, h);
  if (!object || objects_[*object].kind != ObjectKind::Process)
    return fail(RuleId::DesignatedParentHandleChecked, win32::kInvalidHandle);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!(entry->access & access::kProcessCreateProcess))
    return fail(RuleId::DesignatedParentHandleChecked, win32::kAccessDenied);
  // A parent that has exited: untested on Windows, and Wine's server aborts on it.
  if (!processes_[objects_[*object].process].running)
    return unsettled(RuleId::DesignatedParentHandleChecked);
  return Outcome{.ok = true};
}

// SPEC 80, 85: the list's entries, looked up in `source`'s table. Without a
// designated parent: a list without bInheritHandles is refused; a handle
// listed twice is unsettled; a pseudo entry, an open entry that is not
// inheritable are refused (each shown alone on Windows); then a value that
// is not open is unsettled. With one, any entry that is
// not an inheritable handle of the designated parent is unsettled.
Outcome System::listRefusal(ProcessId source, const SpawnOptions& options) const {
  if (!options.handleList) return Outcome{.ok = true};
  if (!options.inheritHandles) {
    // Quirk handle-list-without-inherit-accepted: Wine ignores the list.
    if (profile_.has(QuirkId::HandleListWithoutInheritAccepted)) return Outcome{.ok = true};
    return fail(RuleId::CreateProcessValidatesHandleList, win32::kInvalidParameter);
  }
  const bool designated = options.parentProcess.has_value();
  const RuleId rule =
      designated ? RuleId::HandleListInDesignatedParent : RuleId::CreateProcessValidatesHandleList;
  if (listsAHandleTwice(*options.handleList)) return unsettled(rule);
  // Quirk handle-list-never-rejected: Wine skips pseudo and non-inheritable entries.
  const bool refuses = !profile_.has(QuirkId::HandleListNeverRejected);
  bool open = true;
  for (const HandleValue h : *options.handleList) {
    if (isNullEntry(h)) continue;
    const HandleEntry* entry = isPseudoHandle(h) ? nullptr : processes_[source].table.lookup(h);
    if (designated && (!entry || !entry->inherit)) return unsettled(rule);
    if (isPseudoHandle(h) || (entry && !entry->inherit)) {
      if (refuses) return fail(rule, win32::kInvalidParameter);
      continue;
    }
    open = open && entry;
  }
  if (!open) return unsettled(rule);
  return Outcome{.ok = true};
}

ProcessId System::inheritanceSource(ProcessId p, const SpawnOptions& options) const {
  if (!options.parentProcess) return p;
  const std::optional<ObjectId> object = resolve(p, *options.parentProcess);
  assert(object && objects_[*object].kind == ObjectKind::Process &&
         "model: a designated parent beginSpawn accepted");
  return objects_[*object].process;
}

// SPEC 80: a NULL entry anywhere in an accepted list: nothing is inherited.
// Quirk handle-list-null-inherits: Wine skips the NULL and inherits the rest.
bool System::handleListInheritsNothing(const SpawnOptions& given) const {
  const SpawnOptions options = listed(given);
  if (!options.handleList || profile_.has(QuirkId::HandleListNullInherits)) return false;
  return std::any_of(options.handleList->begin(), options.handleList->end(), isNullEntry);
}

// SPEC 22-25, 78-85: CreateProcessW. Returns hProcess, hThread and the
// child, and the size its attribute list's sizing call reports; an error and
// no process for a refused list or designated parent; unsettled (no change)
// for what SPEC leaves open (spawnRefusal).
Outcome System::spawn(ProcessId p, const SpawnOptions& options) {
  const Outcome begun = beginSpawn(p, options);
  if (!begun.ok) return begun;
  const std::size_t slots = processes_[inheritanceSource(p, options)].table.slots();
  for (std::size_t index = 0; index < slots; ++index) inheritEntry(p, begun.child, options, index);
  return finishSpawn(p, begun.child, options);
}

// SPEC 78-80, 84-86: the sizing call's report, the checks, then the child
// with its process and thread objects and no handles yet; its parent is the
// designated one (SPEC 82).
Outcome System::beginSpawn(ProcessId p, const SpawnOptions& options) {
  runningProcess(p);
  if (Outcome refusal = spawnRefusal(p, options); !refusal.ok) {
    refusal.attributeListSize = attributeListSize(options);
    return refusal;
  }
  StdPlan plan;
  if (Outcome slots = planStd(p, options, plan); !slots.ok) {
    slots.attributeListSize = attributeListSize(options);
    return slots;
  }
  const auto child = static_cast<ProcessId>(processes_.size());
  Process process;
  process.parent = inheritanceSource(p, options);
  process.object =
      newObject(KernelObject{.kind = ObjectKind::Process, .running = true, .process = child});
  process.thread =
      newObject(KernelObject{.kind = ObjectKind::Thread, .running = true, .process = child});
  processes_.push_back(std::move(process));
  Outcome out{.ok = true};
  out.child = child;
  out.attributeListSize = attributeListSize(options);
  return out;
}

// SPEC 22-23, 86: the parent's entry at `index`, copied whole (value, object,
// access, inherit and protect) when it is inheritable now, adding one to
// HandleCount. SPEC 82: the parent is the child's, the designated one when
// there is one, whatever the caller's table holds. SPEC 81: a list limits
// the copies to the listed values; SPEC 80: a NULL entry in it to none.
void System::inheritEntry(ProcessId /*caller*/, ProcessId child, const SpawnOptions& given,
                          std::size_t index) {
  const SpawnOptions options = listed(given);
  if (!options.inheritHandles || handleListInheritsNothing(options)) return;
  const HandleValue value = HandleTable::valueOf(index);
  const HandleEntry* entry = processes_[processes_[child].parent].table.lookup(value);
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
// console handles take values the inherited entries left free); SPEC 24, 83:
// pi.hProcess / pi.hThread are new handles in the caller (the designated
// parent's table gets neither), made after every copy, so they never reach
// this child.
Outcome System::finishSpawn(ProcessId p, ProcessId child, const SpawnOptions& given) {
  const SpawnOptions options = listed(given);
  // The slot plan as the parent's slots stand now; beginSpawn accepted the
  // same options, so it cannot fail here.
  StdPlan plan;
  [[maybe_unused]] const Outcome slots = planStd(p, options, plan);
  assert(slots.ok && "model: beginSpawn accepted these options");
  applyStd(p, child, plan);
  const bool stdSpawn = options.console != 0 || options.stdHandles.has_value();
  // Quirk empty-handle-list-inherits-all: the dropped list names the rule Wine departs from.
  const bool listDropped = given.handleList && !options.handleList;
  Outcome out = succeed(listDropped              ? RuleId::UpdateProcThreadAttributeChecks
                        : stdSpawn               ? plan.rule
                        : options.parentProcess  ? RuleId::DesignatedParentTableInherited
                        : options.handleList     ? RuleId::HandleListInheritsListedOnly
                        : options.inheritHandles ? RuleId::InheritCopiesEntry
                                                 : RuleId::OnlyInheritableHandlesInherited);
  out.child = child;
  out.attributeListSize = attributeListSize(given);
  // Quirk spawn-handles-ignore-security-attributes: Wine drops both flags.
  const bool ignored = profile_.has(QuirkId::SpawnHandlesIgnoreSecurityAttributes);
  out.handle = addHandle(p, processes_[child].object, options.processInherit && !ignored);
  out.handle2 = addHandle(p, processes_[child].thread, options.threadInherit && !ignored);
  return out;
}

}  // namespace hc::model
