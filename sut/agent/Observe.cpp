#include "Observe.h"

#include "Win32.h"

#include "Win32Text.h"

namespace hc::agent {
namespace {

// winternl.h differs between MinGW and the Windows SDK: our own definitions of
// the two NtQueryObject classes we use (layouts from the DDK, stable since NT4).
constexpr ULONG kObjectBasicInformation = 0;
constexpr ULONG kObjectTypeInformation = 2;

struct BasicInformation {
  ULONG attributes;
  ACCESS_MASK grantedAccess;
  ULONG handleCount;
  ULONG pointerCount;
  ULONG pagedPoolCharge;
  ULONG nonPagedPoolCharge;
  ULONG reserved[3];
  ULONG nameInfoSize;
  ULONG typeInfoSize;
  ULONG securityDescriptorSize;
  LARGE_INTEGER creationTime;
};

struct CountedString {  // UNICODE_STRING
  USHORT length;        // bytes
  USHORT maximumLength;
  PWSTR buffer;
};

using NtQueryObjectFn = LONG(WINAPI*)(HANDLE, ULONG, PVOID, ULONG, PULONG);
using CompareObjectHandlesFn = BOOL(WINAPI*)(HANDLE, HANDLE);

// GetProcAddress returns FARPROC; going through void(*)() keeps
// -Wcast-function-type quiet and is what MSVC accepts too.
template <typename Fn>
Fn lookup(const wchar_t* module, const char* name) {
  const HMODULE m = GetModuleHandleW(module);
  if (!m) return nullptr;
  return reinterpret_cast<Fn>(reinterpret_cast<void (*)()>(GetProcAddress(m, name)));
}

NtQueryObjectFn ntQueryObject() {
  static const NtQueryObjectFn fn = lookup<NtQueryObjectFn>(L"ntdll.dll", "NtQueryObject");
  return fn;
}

}  // namespace

proto::Observation observe(proto::Handle value) {
  proto::Observation o;
  o.handle = value;
  const HANDLE h = toHandle(value);
  DWORD flags = 0;
  SetLastError(0xdeadbeef);
  o.valid = GetHandleInformation(h, &flags) != FALSE;
  if (o.valid) {
    o.inherit = (flags & HANDLE_FLAG_INHERIT) != 0;
    o.protect = (flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
  }
  const NtQueryObjectFn query = ntQueryObject();
  if (!query) return o;
  BasicInformation basic{};
  ULONG len = 0;
  if (query(h, kObjectBasicInformation, &basic, sizeof basic, &len) >= 0) o.handleCount = basic.handleCount;
  alignas(8) unsigned char buf[1024] = {};
  if (query(h, kObjectTypeInformation, buf, sizeof buf, &len) >= 0) {
    const auto* name = reinterpret_cast<const CountedString*>(buf);
    if (name->buffer) o.type = narrow(std::wstring_view(name->buffer, name->length / sizeof(wchar_t)));
  }
  return o;
}

int compareObjects(proto::Handle a, proto::Handle b) {
  static const CompareObjectHandlesFn fn = [] {
    auto f = lookup<CompareObjectHandlesFn>(L"kernelbase.dll", "CompareObjectHandles");
    return f ? f : lookup<CompareObjectHandlesFn>(L"kernel32.dll", "CompareObjectHandles");
  }();
  if (!fn) return -1;
  return fn(toHandle(a), toHandle(b)) ? 1 : 0;
}

}  // namespace hc::agent
