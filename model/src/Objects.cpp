// Creating and opening named objects (SPEC 4-9): events, mutexes, semaphores
// and file mappings.
#include <string>

#include "Calls.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::fail;
using detail::succeed;

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
Outcome System::openNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit) {
  runningProcess(p);
  const auto existing = lookupName(name);
  if (!existing) return fail(RuleId::OpenAddsHandle, win32::kFileNotFound);
  if (objects_[*existing].kind != kind)
    return fail(RuleId::NameOfOtherTypeFails, win32::kInvalidHandle);
  Outcome out = succeed(RuleId::OpenAddsHandle);
  out.handle = addHandle(p, *existing, inherit);
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

// SPEC 8: OpenEventW. Returns the handle, or 2 / 6.
Outcome System::openEvent(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Event, name, inherit);
}

// SPEC 8: OpenMutexW. Returns the handle, or 2 / 6.
Outcome System::openMutex(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Mutex, name, inherit);
}

// SPEC 8: OpenSemaphoreW. Returns the handle, or 2 / 6.
Outcome System::openSemaphore(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Semaphore, name, inherit);
}

// SPEC 8: OpenFileMappingW. Returns the handle, or 2 / 6.
Outcome System::openFileMapping(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Mapping, name, inherit);
}

}  // namespace hc::model
