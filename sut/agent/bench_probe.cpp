// hc-bench-probe.exe: the Win32 side of the benchmarks. Times one
// kind of Win32 call inside the process with QueryPerformanceCounter and
// prints one machine-readable line per timed iteration; the host benchmarks
// (bench/Win32Lookup.bench.cpp, bench/CreateProcess.bench.cpp) start it once
// per family and arguments and hand the times to Google Benchmark as manual
// time. Only <windows.h>: no protocol, no CRT I/O beyond WriteFile.
//
//   hc-bench-probe lookup N ITER
//     opens N unnamed events, then per iteration times kLookupBatch calls of
//     GetHandleInformation on handles spread over the table, and as many
//     DuplicateHandle + CloseHandle pairs. Prints
//       gethandleinformation N <ns per call>
//       duplicateclose N <ns per pair>
//   hc-bench-probe spawn MODE N ITER
//     opens N inheritable events, then per iteration times CreateProcess of
//     itself as a child that exits at once, up to WaitForSingleObject on it:
//       none  bInheritHandles = FALSE
//       all   bInheritHandles = TRUE (N inheritable handles go to the child)
//       list  TRUE with PROC_THREAD_ATTRIBUTE_HANDLE_LIST = { first handle }
//       pair  one child of each of the three per iteration, back to back
//     Prints `spawn MODE N <ns>`. Before timing, one untimed child (per mode)
//     checks which of the first and the last handle it received and prints
//       check MODE N listed=<0|1> other=<0|1>
//   hc-bench-probe child [H1 H2]  the child: exits 0 at once; with handle values,
//     exits with bit 0 = H1 is open here, bit 1 = H2 is open here.
// Exit 0 on success, 2 on bad arguments, 1 when a Win32 call fails (the line
// `error CALL <GetLastError()>` says which).
#include <windows.h>

namespace {

constexpr int kLookupBatch = 64;  // calls per timed lookup iteration (QPC is ~100 ns)

void writeOut(const char* text) {
  DWORD written = 0;
  WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, lstrlenA(text), &written, nullptr);
}

// Appends `v` in decimal to `out`; returns the new end.
char* appendNumber(char* out, unsigned long long v) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *out++ = digits[--n];
  *out = '\0';
  return out;
}

char* appendText(char* out, const char* text) {
  while (*text != '\0') *out++ = *text++;
  *out = '\0';
  return out;
}

// "<tag> <a> <ns>\n" with ns to one decimal (tenths of a nanosecond).
void printTiming(const char* tag, unsigned long long a, unsigned long long tenthsNs) {
  char line[128];
  char* p = appendText(line, tag);
  p = appendText(p, " ");
  p = appendNumber(p, a);
  p = appendText(p, " ");
  p = appendNumber(p, tenthsNs / 10);
  p = appendText(p, ".");
  p = appendNumber(p, tenthsNs % 10);
  appendText(p, "\n");
  writeOut(line);
}

int fail(const char* call) {
  char line[96];
  char* p = appendText(line, "error ");
  p = appendText(p, call);
  p = appendText(p, " ");
  p = appendNumber(p, GetLastError());
  appendText(p, "\n");
  writeOut(line);
  return 1;
}

// Non-negative decimal argument, or -1.
long long parseCount(const wchar_t* s) {
  if (s == nullptr || *s == L'\0') return -1;
  long long v = 0;
  for (; *s != L'\0'; ++s) {
    if (*s < L'0' || *s > L'9' || v > 100000000) return -1;
    v = v * 10 + (*s - L'0');
  }
  return v;
}

struct Clock {
  LARGE_INTEGER frequency{};
  Clock() { QueryPerformanceFrequency(&frequency); }
  static long long now() {
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return t.QuadPart;
  }
  // Tenths of a nanosecond per operation for `ticks` over `ops` operations.
  unsigned long long tenthsNsPerOp(long long ticks, long long ops) const {
    const double ns = static_cast<double>(ticks) * 1e9 / static_cast<double>(frequency.QuadPart);
    return static_cast<unsigned long long>(ns * 10.0 / static_cast<double>(ops) + 0.5);
  }
};

// N unnamed manual-reset events; false (and the error printed) on failure.
bool openEvents(HANDLE* handles, long long n, bool inherit) {
  SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, inherit ? TRUE : FALSE};
  for (long long i = 0; i < n; ++i) {
    handles[i] = CreateEventW(&sa, TRUE, FALSE, nullptr);
    if (handles[i] == nullptr) {
      fail("CreateEventW");
      return false;
    }
  }
  return true;
}

HANDLE* allocHandles(long long n) {
  return static_cast<HANDLE*>(
      HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(HANDLE) * static_cast<SIZE_T>(n + 1)));
}

int lookup(long long n, long long iterations) {
  if (n < 1) return 2;
  HANDLE* handles = allocHandles(n);
  if (handles == nullptr || !openEvents(handles, n, false)) return 1;
  const Clock clock;
  const HANDLE self = GetCurrentProcess();
  // Handles visited in a fixed pseudo-random order (LCG), so a table that is
  // not a flat array would show in the larger sizes.
  unsigned int state = 20240601u;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return handles[(state >> 8) % static_cast<unsigned int>(n)];
  };
  for (long long it = -1; it < iterations; ++it) {  // iteration -1 warms up, untimed
    HANDLE batch[kLookupBatch];
    for (HANDLE& h : batch) h = next();

    long long start = Clock::now();
    for (HANDLE h : batch) {
      DWORD flags = 0;
      if (!GetHandleInformation(h, &flags)) return fail("GetHandleInformation");
    }
    const long long infoTicks = Clock::now() - start;

    start = Clock::now();
    for (HANDLE h : batch) {
      HANDLE dup = nullptr;
      if (!DuplicateHandle(self, h, self, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return fail("DuplicateHandle");
      if (!CloseHandle(dup)) return fail("CloseHandle");
    }
    const long long dupTicks = Clock::now() - start;

    if (it < 0) continue;
    printTiming("gethandleinformation", static_cast<unsigned long long>(n),
                clock.tenthsNsPerOp(infoTicks, kLookupBatch));
    printTiming("duplicateclose", static_cast<unsigned long long>(n),
                clock.tenthsNsPerOp(dupTicks, kLookupBatch));
  }
  return 0;
}

enum class SpawnMode { None, All, List };

// Runs "<self> child [h1 h2]" with `mode`'s inheritance and waits for it.
// Returns its exit code, or -1 after printing the failing call.
long long spawnChild(SpawnMode mode, HANDLE listed, HANDLE first, HANDLE last, bool check) {
  static wchar_t self[MAX_PATH];
  if (self[0] == L'\0' && GetModuleFileNameW(nullptr, self, MAX_PATH) == 0) {
    fail("GetModuleFileNameW");
    return -1;
  }
  wchar_t commandLine[MAX_PATH + 64];
  lstrcpyW(commandLine, L"\"");
  lstrcatW(commandLine, self);
  lstrcatW(commandLine, L"\" child");
  if (check) {
    char values[48];
    char* p = appendText(values, " ");
    p = appendNumber(p, reinterpret_cast<ULONG_PTR>(first));
    p = appendText(p, " ");
    appendNumber(p, reinterpret_cast<ULONG_PTR>(last));
    wchar_t wide[48];
    MultiByteToWideChar(CP_ACP, 0, values, -1, wide, 48);
    lstrcatW(commandLine, wide);
  }

  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof(si);
  // DETACHED_PROCESS, as the agent does: under Wine 8, CREATE_NO_WINDOW starts
  // a conhost.exe per child (~30 ms, and it inherits the handles too).
  DWORD flags = DETACHED_PROCESS;
  BOOL inherit = mode == SpawnMode::None ? FALSE : TRUE;
  alignas(16) static unsigned char attributeSpace[256];
  if (mode == SpawnMode::List) {
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
    if (size > sizeof(attributeSpace)) {
      SetLastError(ERROR_INSUFFICIENT_BUFFER);
      fail("InitializeProcThreadAttributeList");
      return -1;
    }
    auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributeSpace);
    if (!InitializeProcThreadAttributeList(list, 1, 0, &size)) {
      fail("InitializeProcThreadAttributeList");
      return -1;
    }
    static HANDLE listedHandle;
    listedHandle = listed;
    if (!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, &listedHandle,
                                   sizeof(HANDLE), nullptr, nullptr)) {
      fail("UpdateProcThreadAttribute");
      return -1;
    }
    si.lpAttributeList = list;
    flags |= EXTENDED_STARTUPINFO_PRESENT;
  }
  PROCESS_INFORMATION pi{};
  const BOOL created = CreateProcessW(self, commandLine, nullptr, nullptr, inherit, flags, nullptr,
                                      nullptr, &si.StartupInfo, &pi);
  if (mode == SpawnMode::List)
    DeleteProcThreadAttributeList(reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributeSpace));
  if (!created) {
    fail("CreateProcessW");
    return -1;
  }
  if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0) {
    fail("WaitForSingleObject");
    return -1;
  }
  DWORD code = 0;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return code;
}

constexpr SpawnMode kModes[] = {SpawnMode::None, SpawnMode::All, SpawnMode::List};
const char* tagOf(SpawnMode mode) {
  return mode == SpawnMode::None  ? "spawn none"
         : mode == SpawnMode::All ? "spawn all"
                                  : "spawn list";
}

// The untimed first child of `mode`: prints what it received.
bool checkChild(SpawnMode mode, long long n, HANDLE first, HANDLE last) {
  const long long code = spawnChild(mode, first, first, last, true);
  if (code < 0) return false;
  char line[96];
  char* p = appendText(line, "check ");
  p = appendText(p, tagOf(mode) + 6);
  p = appendText(p, " ");
  p = appendNumber(p, static_cast<unsigned long long>(n));
  p = appendText(p, " listed=");
  p = appendNumber(p, static_cast<unsigned long long>(code & 1));
  p = appendText(p, " other=");
  p = appendNumber(p, static_cast<unsigned long long>((code >> 1) & 1));
  appendText(p, "\n");
  writeOut(line);
  return true;
}

// One timed child of `mode`; false after printing the failure.
bool timedChild(const Clock& clock, SpawnMode mode, long long n, HANDLE first, HANDLE last) {
  const long long start = Clock::now();
  const long long code = spawnChild(mode, first, first, last, false);
  const long long ticks = Clock::now() - start;
  if (code < 0) return false;
  if (code != 0) {
    SetLastError(static_cast<DWORD>(code));
    fail("child-exit-code");
    return false;
  }
  printTiming(tagOf(mode), static_cast<unsigned long long>(n), clock.tenthsNsPerOp(ticks, 1));
  return true;
}

// MODE none|all|list, or pair: per iteration one child of each of the three,
// back to back in a rotating order, so that the differences between them
// (the cost of inheriting N handles, the handle list's saving) are measured
// a few milliseconds apart, under the same load.
int spawn(const wchar_t* modeName, long long n, long long iterations) {
  bool pair = false;
  SpawnMode mode = SpawnMode::None;
  if (lstrcmpW(modeName, L"none") == 0) {
    mode = SpawnMode::None;
  } else if (lstrcmpW(modeName, L"all") == 0) {
    mode = SpawnMode::All;
  } else if (lstrcmpW(modeName, L"list") == 0 && n >= 1) {
    mode = SpawnMode::List;
  } else if (lstrcmpW(modeName, L"pair") == 0 && n >= 1) {
    pair = true;
  } else {
    return 2;
  }
  HANDLE* handles = allocHandles(n);
  if (handles == nullptr || !openEvents(handles, n, true)) return 1;
  const HANDLE first = n > 0 ? handles[0] : nullptr;
  const HANDLE last = n > 0 ? handles[n - 1] : nullptr;

  // Untimed children first: each reports what it received (and warms the loader up).
  for (const SpawnMode m : kModes) {
    if (!pair && m != mode) continue;
    if (n > 0 ? !checkChild(m, n, first, last) : spawnChild(m, first, first, last, false) < 0)
      return 1;
  }

  const Clock clock;
  for (long long it = 0; it < iterations; ++it) {
    if (!pair) {
      if (!timedChild(clock, mode, n, first, last)) return 1;
      continue;
    }
    for (int k = 0; k < 3; ++k)
      if (!timedChild(clock, kModes[(it + k) % 3], n, first, last)) return 1;
  }
  return 0;
}

// The child: nothing, or which of two handle values are open here.
int child(int argc, wchar_t** argv) {
  if (argc < 4) return 0;
  int code = 0;
  for (int i = 0; i < 2; ++i) {
    const long long v = parseCount(argv[2 + i]);
    DWORD flags = 0;
    if (v > 0 && GetHandleInformation(reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(v)), &flags))
      code |= 1 << i;
  }
  return code;
}

int usage() {
  writeOut(
      "usage: hc-bench-probe lookup N ITER | spawn none|all|list|pair N ITER | child [H1 H2]\n");
  return 2;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc >= 2 && lstrcmpW(argv[1], L"child") == 0) return child(argc, argv);
  if (argc == 4 && lstrcmpW(argv[1], L"lookup") == 0) {
    const long long n = parseCount(argv[2]), iterations = parseCount(argv[3]);
    if (n < 1 || iterations < 1) return usage();
    return lookup(n, iterations);
  }
  if (argc == 5 && lstrcmpW(argv[1], L"spawn") == 0) {
    const long long n = parseCount(argv[3]), iterations = parseCount(argv[4]);
    if (n < 0 || iterations < 1) return usage();
    const int rc = spawn(argv[2], n, iterations);
    return rc == 2 ? usage() : rc;
  }
  return usage();
}
