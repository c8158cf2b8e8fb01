// Calls that exercise a right (SPEC 76): signalling a synchronization
// object and mapping a view of a section, and the checks the other calls
// share.
#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

// SPEC 76: 5 when h's entry in p lacks every bit of `right`.
std::optional<Outcome> System::lacksRight(ProcessId p, HandleValue h, std::uint32_t right) const {
  const HandleEntry* entry = processes_.at(p).table.lookup(h);
  if (entry && !(entry->access & right))
    return fail(RuleId::OperationsCheckRights, win32::kAccessDenied);
  return std::nullopt;
}

// SPEC 76 names no right for the call: a file handle restricted below what
// creation grants is unsettled there.
bool System::restrictedFileHandle(ProcessId p, HandleValue h) const {
  const HandleEntry* entry = processes_.at(p).table.lookup(h);
  if (!entry) return false;
  const ObjectKind kind = objects_.at(entry->object).kind;
  return isFileKind(kind) && entry->access != allAccess(kind);
}

// SPEC 76: SetEvent (EVENT_MODIFY_STATE), ReleaseSemaphore(h, 1, NULL)
// (SEMAPHORE_MODIFY_STATE; the harness's semaphores count to 1 at most:
// ERROR_TOO_MANY_POSTS beyond) or ReleaseMutex (no right; 288 unless the
// caller owns it), by the object's type; on any other object SetEvent
// fails with 6. Returns TRUE or the error; the object is unchanged on failure.
Outcome System::signalObject(ProcessId p, HandleValue h) {
  runningProcess(p);
  const RuleId rule = RuleId::OperationsCheckRights;
  const auto o = resolve(p, h);
  if (!o || isPseudoHandle(h)) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  KernelObject& object = objects_[*o];
  switch (object.kind) {
    case ObjectKind::Event:
      if (const auto denied = lacksRight(p, h, access::kEventModifyState)) return *denied;
      object.signals = 1;
      return succeed(rule);
    case ObjectKind::Semaphore:
      if (const auto denied = lacksRight(p, h, access::kSemaphoreModifyState)) return *denied;
      if (object.signals >= 1) return fail(rule, win32::kTooManyPosts);
      ++object.signals;
      return succeed(rule);
    case ObjectKind::Mutex:
      if (object.owner != p) return fail(rule, win32::kNotOwner);
      if (--object.recursion == 0) object.owner = kNoProcess;
      return succeed(rule);
    default:
      return fail(rule, win32::kInvalidHandle);
  }
}

// SPEC 76: MapViewOfFile(h, FILE_MAP_READ) needs SECTION_MAP_READ,
// FILE_MAP_WRITE needs SECTION_MAP_WRITE: else NULL, 5. 6 for a handle
// that is not a section's. A write view through a handle without
// SECTION_MAP_READ is unsettled.
Outcome System::mapViewOfFile(ProcessId p, HandleValue h, bool write) {
  runningProcess(p);
  const RuleId rule = RuleId::OperationsCheckRights;
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry || objects_[entry->object].kind != ObjectKind::Mapping)
    return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  const std::uint32_t need = write ? access::kSectionMapWrite : access::kSectionMapRead;
  if (!(entry->access & need)) return fail(rule, win32::kAccessDenied);
  if (write && !(entry->access & access::kSectionMapRead)) return unsettled(rule);
  return succeed(rule);
}

}  // namespace hc::model
