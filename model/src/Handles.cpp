// Closing, handle flags and duplicating (SPEC 14-21, 3).
#include <cassert>

#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

namespace {

// What DuplicateHandle(..., desired, ...) without DUPLICATE_SAME_ACCESS
// makes of the copy's mask.
struct CopyAccess {
  bool settled = true;  // false: SPEC leaves it open
  bool denied = false;  // ERROR_ACCESS_DENIED
  std::uint32_t mask = 0;
};

// SPEC 73 (b-d), 72, 77: the copy of a handle holding `source` gets
// `desired`, generic rights mapped, bits the type does not have dropped
// (SPEC 72, [K]), the implied query rights added; a file object's copy may
// not ask for more than its source holds (SPEC 73 d, [K]). Unsettled:
// MAXIMUM_ALLOWED, ACCESS_SYSTEM_SECURITY, generic rights on a process or
// thread (SPEC 68), a mailslot's or named pipe end's mask (SPEC 69).
// Quirk dup-keeps-invalid-access-bits: the bits stay.
// Quirk file-dup-escalation-allowed: a pipe end's copy gets the extra rights.
CopyAccess duplicateAccess(ObjectKind kind, std::uint32_t source, std::uint32_t desired,
                           const Profile& profile) {
  if (desired & (access::kMaximumAllowed | access::kSystemSecurity)) return {.settled = false};
  if ((kind == ObjectKind::Process || kind == ObjectKind::Thread) &&
      (desired & access::kGenericBits))
    return {.settled = false};
  if (!accessIsSettled(kind)) return {.settled = false};
  std::uint32_t mapped = mapGenericAccess(kind, desired);
  if (!profile.has(QuirkId::DupKeepsInvalidAccessBits)) mapped &= validAccess(kind);
  if (isFileKind(kind) && (mapped & ~source) && !profile.has(QuirkId::FileDupEscalationAllowed))
    return {.denied = true};
  return {.mask = withImpliedAccess(kind, mapped)};
}

}  // namespace

// SPEC 14-16: CloseHandle. TRUE and the entry is gone (SPEC 14), or 6 (not
// open: SPEC 15; protected, and it stays: SPEC 16). SPEC 15: a pseudo
// handle gives TRUE and nothing changes.
Outcome System::closeHandle(ProcessId p, HandleValue h) {
  Process& process = runningProcess(p);
  if (isPseudoHandle(h)) return succeed(RuleId::CloseNotOpenFails);  // never in the table (SPEC 1)
  // SPEC 53: (HANDLE)-10..-12 name the std slots; the outcome is not settled.
  if (h >= kStdErrorId && h <= kStdInputId) return unsettled(RuleId::CloseHandleOnStdSlotId);
  const HandleEntry* entry = process.table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  if (entry->protect) return fail(RuleId::ProtectedHandleStaysOpen, win32::kInvalidHandle);
  closeEntry(p, h);
  return succeed(RuleId::CloseRemovesEntry);
}

// SPEC 17: SetHandleInformation(h, mask, flags): exactly the bits in mask
// (1 inherit, 2 protect) change; 6 if h is not open (pseudo handles included).
Outcome System::setHandleInformation(ProcessId p, HandleValue h, std::uint32_t mask,
                                     std::uint32_t flags) {
  Process& process = runningProcess(p);
  HandleEntry* entry = process.table.lookup(h);
  if (!entry) return fail(RuleId::SetHandleInformationMasksFlags, win32::kInvalidHandle);
  if (mask & kHandleFlagInherit) entry->inherit = (flags & kHandleFlagInherit) != 0;
  if (mask & kHandleFlagProtect) entry->protect = (flags & kHandleFlagProtect) != 0;
  return succeed(RuleId::SetHandleInformationMasksFlags);
}

// SPEC 18-21, 3: DuplicateHandle(self, h, target, &out, 0, inherit,
// DUPLICATE_SAME_ACCESS[|CLOSE_SOURCE][|SAME_ATTRIBUTES]). Returns the new
// handle (in target), or 6 (h not open) / 5 (target exited: SPEC 21).
// SPEC 18: the copy's inherit is `inherit` and protect is dropped; with
// sameAttributes both come from the source (a pseudo source has neither).
// SPEC 19: close-source closes the source even when the duplication fails,
// except a protected source: then the copy is made and the source stays.
// SPEC 3: within one process close-source returns the source's value.
// SPEC 73: the copy's mask is the source's, or with `desiredAccess` that
// access (generic rights mapped, SPEC 68; the implied query rights, SPEC 77).
Outcome System::duplicateHandle(ProcessId p, HandleValue h, ProcessId target, bool inherit,
                                bool closeSource, bool sameAttributes,
                                std::optional<std::uint32_t> desiredAccess) {
  runningProcess(p);
  assert(target < processes_.size() && "model: DuplicateHandle into no such process");
  const auto source = resolve(p, h);  // SPEC 20: pseudo handles name real objects
  if (!source) return fail(RuleId::DuplicateAddsHandle, win32::kInvalidHandle);  // nothing changes
  const HandleEntry* entry = processes_[p].table.lookup(h);  // nullptr for pseudo handles
  // SPEC 20: a pseudo source gives a real handle with the object's full access.
  std::uint32_t access = entry ? entry->access : detail::grantedAccess(objects_[*source].kind);
  if (desiredAccess) {
    const CopyAccess copy =
        duplicateAccess(objects_[*source].kind, access, *desiredAccess, profile_);
    if (!copy.settled) return unsettled(RuleId::DuplicateSetsAccess);
    if (copy.denied) {
      // Whether close-source still closes the source here is not settled.
      if (closeSource) return unsettled(RuleId::DuplicateSetsAccess);
      return fail(RuleId::DuplicateSetsAccess, win32::kAccessDenied);
    }
    access = copy.mask;
  }
  const bool protectedSource = entry && entry->protect;
  const bool closesSource = closeSource && entry && !protectedSource;  // SPEC 19
  const bool sameFlags = sameAttributes && !profile_.has(QuirkId::DupSameAttributesIgnored);
  const bool copyInherit = sameFlags ? entry && entry->inherit : inherit;
  const bool copyProtect = sameFlags && protectedSource;

  if (!processes_[target].running) {     // SPEC 21
    if (closesSource) closeEntry(p, h);  // SPEC 19: closed even when duplication fails
    return fail(RuleId::DuplicateIntoExitedProcessFails, win32::kAccessDenied);
  }
  if (closesSource && target == p) {
    // SPEC 3: the new handle has the source's value: the entry is reused
    // (HandleCount + 1 - 1), with the copy's flags.
    HandleEntry* same = processes_[p].table.lookup(h);
    same->inherit = copyInherit;
    same->protect = copyProtect;
    same->access = access;
    Outcome out = succeed(RuleId::NewHandleValueNotContractual);
    out.handle = HandleTable::valueOf(HandleTable::indexOf(h));
    return out;
  }
  const ObjectId o = *source;
  ++objects_[o].handleCount;
  Outcome out = succeed(!entry                           ? RuleId::PseudoSourceGivesRealHandle
                        : protectedSource && closeSource ? RuleId::CloseSourceClosesEvenOnFailure
                        : desiredAccess                  ? RuleId::DuplicateSetsAccess
                                                         : RuleId::DuplicateAddsHandle);
  out.handle = processes_[target].table.add(
      HandleEntry{.object = o, .access = access, .inherit = copyInherit, .protect = copyProtect});
  if (closesSource) closeEntry(p, h);
  return out;
}

// SPEC 50: DuplicateHandle(hSource, h, NULL, NULL, 0, FALSE,
// DUPLICATE_CLOSE_SOURCE), made by p with hSource naming `source`: TRUE and h
// is closed in source's table, as its own CloseHandle would (SPEC 14, and
// SPEC 32 for a pipe end); 6 if h is not open there. Unsettled: a pseudo or
// protected h, and a source that has exited.
// Quirk dup-null-target-close-fails: FALSE with 6; h is closed only when the
// source is the caller itself.
Outcome System::duplicateHandleCloseSource(ProcessId p, ProcessId source, HandleValue h) {
  runningProcess(p);
  assert(source < processes_.size() && "model: DuplicateHandle from no such process");
  if (!processes_[source].running || isPseudoHandle(h))
    return unsettled(RuleId::CloseSourceInAnotherProcess);
  const HandleEntry* entry = processes_[source].table.lookup(h);
  if (!entry) return fail(RuleId::CloseSourceInAnotherProcess, win32::kInvalidHandle);
  if (entry->protect) return unsettled(RuleId::CloseSourceInAnotherProcess);
  if (profile_.has(QuirkId::DupNullTargetCloseFails)) {
    if (source == p) closeEntry(source, h);
    return fail(RuleId::CloseSourceInAnotherProcess, win32::kInvalidHandle);
  }
  closeEntry(source, h);
  return succeed(RuleId::CloseSourceInAnotherProcess);
}

}  // namespace hc::model
