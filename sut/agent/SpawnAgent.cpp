#include "SpawnAgent.h"

#include <bcrypt.h>

#include <memory>

#include "Win32Text.h"

namespace hc::agent {
namespace {

std::wstring selfPath() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n < path.size()) {
      path.resize(n);
      return path;
    }
    path.resize(path.size() * 2);
  }
}

}  // namespace

std::wstring freshPipeName(proto::AgentId id) {
  unsigned char bytes[16] = {};
  BCryptGenRandom(nullptr, bytes, sizeof bytes, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  static constexpr wchar_t kHex[] = L"0123456789abcdef";
  std::wstring name = L"\\\\.\\pipe\\handlecheck-";
  for (unsigned char b : bytes) {
    name += kHex[b >> 4];
    name += kHex[b & 0xf];
  }
  return name + L"-" + std::to_wstring(id);
}

SpawnResult spawnAgent(const SpawnSpec& spec) {
  SpawnResult result;
  const std::wstring exe = selfPath();
  std::wstring cmd = L"\"" + exe + L"\" --agent " + std::to_wstring(spec.id) + L" --pipe " + widen(spec.pipe);

  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof si;
  // Explicit, empty standard handles: a child never inherits a console or
  // harness handle by the std-handle route (SPEC 23's exception).
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  // DETACHED_PROCESS, not CREATE_NO_WINDOW: under Wine 8, CREATE_NO_WINDOW
  // starts a conhost.exe that inherits every inheritable handle of the
  // parent (an event's HandleCount reads 3, not 2, and stays 2 after the
  // child exits). An agent needs no console at all.
  DWORD flags = DETACHED_PROCESS | CREATE_UNICODE_ENVIRONMENT;

  std::unique_ptr<unsigned char[]> attrStorage;
  std::vector<HANDLE> list = spec.handleList;  // must outlive CreateProcessW
  if (spec.useHandleList) {
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
    attrStorage = std::make_unique<unsigned char[]>(size);
    auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attrStorage.get());
    SetLastError(0xdeadbeef);
    if (!InitializeProcThreadAttributeList(attrs, 1, 0, &size)) {
      result.error = GetLastError();
      return result;
    }
    SetLastError(0xdeadbeef);
    if (!UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list.data(),
                                   list.size() * sizeof(HANDLE), nullptr, nullptr)) {
      result.error = GetLastError();
      DeleteProcThreadAttributeList(attrs);
      return result;
    }
    si.StartupInfo.cb = sizeof(STARTUPINFOEXW);
    si.lpAttributeList = attrs;
    flags |= EXTENDED_STARTUPINFO_PRESENT;
  } else {
    si.StartupInfo.cb = sizeof(STARTUPINFOW);
  }

  SECURITY_ATTRIBUTES processSa{sizeof processSa, nullptr, spec.processInherit};
  SECURITY_ATTRIBUTES threadSa{sizeof threadSa, nullptr, spec.threadInherit};
  SetLastError(0xdeadbeef);
  result.ok = CreateProcessW(exe.c_str(), cmd.data(), &processSa, &threadSa, spec.inheritHandles, flags,
                             nullptr, nullptr, &si.StartupInfo, &result.pi) != FALSE;
  result.error = GetLastError();
  if (si.lpAttributeList) DeleteProcThreadAttributeList(si.lpAttributeList);
  return result;
}

}  // namespace hc::agent
