// Creating and opening named objects (SPEC 4-9): events, mutexes, semaphores
// and file mappings.
#include <string>

#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;
using detail::unsettled;

// SPEC 4-7: a new object (HandleCount 1), or a new handle to the same-type
// object holding the name (183), or NULL with ERROR_INVALID_HANDLE.
Outcome System::createNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit) {
  runningProcess(p);
  if (!name.empty()) {
    if (const auto existing = lookupName(name)) {
      if (objects_[*existing].kind != kind)
        return fail(RuleId::NameOfOtherTypeFails, win32::kInvalidHandle);  // SPEC 6
      // SPEC 5: inherit from this call's attributes
      Outcome out = succeed(RuleId::CreateExistingNameOpensIt);
      out.alreadyExists = true;
      out.error = win32::kAlreadyExists;
      out.handle = addHandle(p, *existing, inherit);
      return out;
    }
  }
  const ObjectId o = newObject(KernelObject{.kind = kind, .name = std::string(name)});
  if (!name.empty()) names_.emplace(std::string(name), o);  // SPEC 7: exact, case-sensitive
  Outcome out = succeed(RuleId::CreateMakesNewObject);      // SPEC 4: inherit iff sa.bInheritHandle
  out.handle = addHandle(p, o, inherit);
  return out;
}

// SPEC 8, 6, 9: a new handle to the named object, or 2 (no such name, or its
// object is gone: SPEC 9) / 6 (other type: SPEC 6).
// SPEC 70: the handle carries the requested access, generic rights mapped
// (SPEC 68); nothing requested is the type's *_ALL_ACCESS. SPEC 71: access 0
// is refused with 5. SPEC 72: OpenMutex refuses a right a mutex does not
// have (5, or 1314 for ACCESS_SYSTEM_SECURITY); on the other types, and
// MAXIMUM_ALLOWED on any, unsettled.
// Quirk open-zero-access-succeeds: access 0 opens a handle with mask 0.
// Quirk open-accepts-invalid-access-bits: OpenMutex keeps the invalid bits.
Outcome System::openNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit,
                          std::optional<std::uint32_t> access) {
  runningProcess(p);
  const auto existing = lookupName(name);
  if (!existing) return fail(RuleId::OpenAddsHandle, win32::kFileNotFound);
  if (objects_[*existing].kind != kind)
    return fail(RuleId::NameOfOtherTypeFails, win32::kInvalidHandle);
  const std::uint32_t requested = access.value_or(validAccess(kind));
  RuleId rule = access ? RuleId::OpenGrantsRequestedAccess : RuleId::OpenAddsHandle;
  if (requested == 0) {
    if (!profile_.has(QuirkId::OpenZeroAccessSucceeds))
      return fail(RuleId::OpenWithZeroAccessFails, win32::kAccessDenied);
    rule = RuleId::OpenWithZeroAccessFails;
  }
  if (requested & access::kMaximumAllowed) return unsettled(RuleId::GenericRightsMappedByType);
  std::uint32_t granted = mapGenericAccess(kind, requested);
  if (const std::uint32_t invalid = granted & ~validAccess(kind)) {
    if (kind != ObjectKind::Mutex) return unsettled(RuleId::OpenMutexRefusesInvalidRights);
    rule = RuleId::OpenMutexRefusesInvalidRights;
    if (!profile_.has(QuirkId::OpenAcceptsInvalidAccessBits)) {
      if (invalid == access::kSystemSecurity) return fail(rule, win32::kPrivilegeNotHeld);
      if (!(invalid & access::kSystemSecurity)) return fail(rule, win32::kAccessDenied);
      return unsettled(rule);  // both kinds of refusal at once
    }
  }
  // SPEC 70: FILE_MAP_COPY (the value of SECTION_QUERY) opens for reading.
  if (kind == ObjectKind::Mapping && requested == access::kSectionQuery)
    granted = access::kSectionMapRead;
  Outcome out = succeed(rule);
  out.handle = addHandle(p, *existing, inherit, granted);
  return out;
}

// SPEC 4-6: CreateEventW(sa, FALSE, FALSE, name). Returns the handle or the error.
Outcome System::createEvent(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Event, name, inherit);
}

// SPEC 4-6: CreateMutexW(sa, FALSE, name). Returns the handle or the error.
Outcome System::createMutex(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Mutex, name, inherit);
}

// SPEC 4-6: CreateSemaphoreW(sa, 0, 1, name). Returns the handle or the error.
Outcome System::createSemaphore(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Semaphore, name, inherit);
}

// SPEC 4-6: CreateFileMappingW(INVALID_HANDLE_VALUE, sa, ...). Returns the handle or the error.
Outcome System::createFileMapping(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Mapping, name, inherit);
}

// SPEC 8, 70: OpenEventW. Returns the handle, or 2 / 6 / 5.
Outcome System::openEvent(ProcessId p, std::string_view name, bool inherit,
                          std::optional<std::uint32_t> access) {
  return openNamed(p, ObjectKind::Event, name, inherit, access);
}

// SPEC 8, 70, 72: OpenMutexW. Returns the handle, or 2 / 6 / 5.
Outcome System::openMutex(ProcessId p, std::string_view name, bool inherit,
                          std::optional<std::uint32_t> access) {
  return openNamed(p, ObjectKind::Mutex, name, inherit, access);
}

// SPEC 8, 70: OpenSemaphoreW. Returns the handle, or 2 / 6 / 5.
Outcome System::openSemaphore(ProcessId p, std::string_view name, bool inherit,
                              std::optional<std::uint32_t> access) {
  return openNamed(p, ObjectKind::Semaphore, name, inherit, access);
}

// SPEC 8, 70: OpenFileMappingW. Returns the handle, or 2 / 6 / 5.
Outcome System::openFileMapping(ProcessId p, std::string_view name, bool inherit,
                                std::optional<std::uint32_t> access) {
  return openNamed(p, ObjectKind::Mapping, name, inherit, access);
}

}  // namespace hc::model
