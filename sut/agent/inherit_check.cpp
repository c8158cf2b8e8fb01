// The first real check (SPEC 4, 22): an inheritable event created by the
// parent is valid in a child started with bInheritHandles=TRUE, at the same
// value, with HANDLE_FLAG_INHERIT still set. Prints what it sees; exit 0 only
// when the child confirms. Built with MinGW-w64 (static) or MSVC.
#include <windows.h>

#include <cstdio>
#include <cwchar>

namespace {

int child(const wchar_t* valueText) {
  const auto value = static_cast<ULONG_PTR>(std::wcstoull(valueText, nullptr, 16));
  const HANDLE h = reinterpret_cast<HANDLE>(value);
  DWORD flags = 0;
  SetLastError(0xdeadbeef);
  const BOOL valid = GetHandleInformation(h, &flags);
  std::printf("child: handle 0x%llx %s, inherit=%d\n", static_cast<unsigned long long>(value),
              valid ? "valid" : "invalid", (flags & HANDLE_FLAG_INHERIT) ? 1 : 0);
  if (!valid) std::printf("FAIL: GetHandleInformation: error %lu\n", GetLastError());
  std::fflush(stdout);
  return valid && (flags & HANDLE_FLAG_INHERIT) ? 0 : 1;
}

int parent() {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  const HANDLE event = CreateEventW(&sa, FALSE, FALSE, nullptr);
  if (!event) {
    std::printf("FAIL: CreateEventW: error %lu\n", GetLastError());
    return 1;
  }
  std::printf("parent: event 0x%llx\n", reinterpret_cast<unsigned long long>(event));
  std::fflush(stdout);

  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  wchar_t cmd[2 * MAX_PATH];
  std::swprintf(cmd, 2 * MAX_PATH, L"\"%ls\" child %llx", self,
                reinterpret_cast<unsigned long long>(event));
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!CreateProcessW(nullptr, cmd, nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi)) {
    std::printf("FAIL: CreateProcessW: error %lu\n", GetLastError());
    return 1;
  }
  if (WaitForSingleObject(pi.hProcess, 30000) != WAIT_OBJECT_0) {
    TerminateProcess(pi.hProcess, 1);
    std::printf("FAIL: child did not exit within 30 s\n");
    return 1;
  }
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  std::printf("%s: child exit code %lu\n", code == 0 ? "PASS" : "FAIL", code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  CloseHandle(event);
  return code == 0 ? 0 : 1;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc == 3 && std::wcscmp(argv[1], L"child") == 0) return child(argv[2]);
  return parent();
}
