// hc-pipe-round-trip.exe: the raw Wine/Windows named-pipe round trip between
// two processes, the floor under one harness command (host -> hub -> agent ->
// hub -> host; the host <-> hub leg is a Unix pipe under Wine, ~8 us). The
// parent writes a protocol-sized line, the child (this exe) echoes it; sync
// I/O on both ends; prints the median over 2000 round trips.
#include <windows.h>

#include <algorithm>
#include <cstdio>
#include <cwchar>
#include <string>
#include <vector>

int wmain(int argc, wchar_t** argv) {
  const std::wstring name =
      L"\\\\.\\pipe\\hc-round-trip-" +
      (argc > 2 ? std::wstring(argv[2]) : std::to_wstring(GetCurrentProcessId()));
  char buf[256];
  DWORD n = 0;
  if (argc > 2) {  // child: echo until the parent closes
    const HANDLE p = CreateFileW(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                 OPEN_EXISTING, 0, nullptr);
    while (ReadFile(p, buf, sizeof buf, &n, nullptr) && n) WriteFile(p, buf, n, &n, nullptr);
    return 0;
  }
  const HANDLE p = CreateNamedPipeW(name.c_str(), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1,
                                    65536, 65536, 0, nullptr);
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  std::wstring cmd =
      L"\"" + std::wstring(self) + L"\" child " + std::to_wstring(GetCurrentProcessId());
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (p == INVALID_HANDLE_VALUE || !CreateProcessW(self, cmd.data(), nullptr, nullptr, FALSE,
                                                   DETACHED_PROCESS, nullptr, nullptr, &si, &pi))
    return 1;
  ConnectNamedPipe(p, nullptr);
  LARGE_INTEGER f, a, b;
  QueryPerformanceFrequency(&f);
  const char line[] = "hc1 process=0 op=ping\n";
  std::vector<double> us;
  for (int i = 0; i < 2100; ++i) {
    QueryPerformanceCounter(&a);
    WriteFile(p, line, sizeof line - 1, &n, nullptr);
    ReadFile(p, buf, sizeof buf, &n, nullptr);
    QueryPerformanceCounter(&b);
    if (i >= 100)
      us.push_back(static_cast<double>(b.QuadPart - a.QuadPart) * 1e6 /
                   static_cast<double>(f.QuadPart));
  }
  std::sort(us.begin(), us.end());
  std::printf("pipe round trip between two processes: median %.1f us\n", us[us.size() / 2]);
  CloseHandle(p);
  WaitForSingleObject(pi.hProcess, 5000);
  return 0;
}
