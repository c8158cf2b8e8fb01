// hc-wine-probe.exe: each Wine departure from SPEC that handlecheck reports,
// re-checked by a direct Win32 program with no harness (no agent, no pipe,
// no hub), so that it is Wine's and not the harness's. One check per run:
//   hc-wine-probe.exe CHECK
// prints "CHECK: SPEC says X, observed Y: AGREES|DIVERGES" and exits 0
// (1 when the check itself could not run). Children are this exe with
// `child A B`: their exit code has bit 0/1 set when handle A/B is valid.
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <string>
#include <vector>

namespace {

wchar_t gSelf[MAX_PATH];

using NtQueryObjectFn = LONG(WINAPI*)(HANDLE, ULONG, PVOID, ULONG, PULONG);

// NtQueryObject(ObjectBasicInformation).HandleCount (third ULONG).
unsigned long handleCount(HANDLE h) {
  const auto query = reinterpret_cast<NtQueryObjectFn>(reinterpret_cast<void (*)()>(
      GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryObject")));
  ULONG info[14] = {};
  ULONG len = 0;
  return query && query(h, 0, info, sizeof info, &len) >= 0 ? info[2] : 0;
}

struct Spawn {
  bool inheritHandles = false;
  bool processInherit = false;
  DWORD flags = DETACHED_PROCESS;
  std::vector<HANDLE> list;  // PROC_THREAD_ATTRIBUTE_HANDLE_LIST when non-empty
  bool emptyList = false;    // a handle list of 0 bytes (SPEC 79) instead
  HANDLE a = nullptr, b = nullptr;
};

struct Child {
  BOOL ok = FALSE;
  DWORD error = 0;
  PROCESS_INFORMATION pi{};
  // Waits, closes pi's handles; the child's exit code (validity bits).
  DWORD finish() {
    DWORD code = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
  }
};

Child spawn(Spawn s) {
  wchar_t cmd[700];
  std::swprintf(cmd, 700, L"\"%ls\" child %p %p", gSelf, s.a, s.b);
  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags =
      STARTF_USESTDHANDLES;  // NULL std handles: nothing but the test's handles
  std::vector<unsigned char> storage;
  Child c;
  if (!s.list.empty() || s.emptyList) {
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
    storage.resize(size);
    si.lpAttributeList = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage.data());
    InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size);
    SetLastError(0xdeadbeef);
    if (!UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                   s.list.data(), s.emptyList ? 0 : s.list.size() * sizeof(HANDLE),
                                   nullptr, nullptr)) {
      c.error = GetLastError();
      DeleteProcThreadAttributeList(si.lpAttributeList);
      return c;
    }
    s.flags |= EXTENDED_STARTUPINFO_PRESENT;
  }
  SECURITY_ATTRIBUTES psa{sizeof psa, nullptr, s.processInherit};
  SetLastError(0xdeadbeef);
  c.ok = CreateProcessW(gSelf, cmd, &psa, nullptr, s.inheritHandles, s.flags, nullptr, nullptr,
                        &si.StartupInfo, &c.pi);
  c.error = c.ok ? 0 : GetLastError();
  if (si.lpAttributeList) DeleteProcThreadAttributeList(si.lpAttributeList);
  return c;
}

int report(const char* check, const std::string& spec, const std::string& observed) {
  std::printf("%s: SPEC says %s, observed %s: %s\n", check, spec.c_str(), observed.c_str(),
              spec == observed ? "AGREES" : "DIVERGES");
  return 0;
}

std::string num(unsigned long v) {
  return std::to_string(v);
}

SECURITY_ATTRIBUTES gInherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
// Per process: probes run in parallel (ctest -j) and must not share a mailslot.
const std::wstring kSlotName =
    L"\\\\.\\mailslot\\hc-wine-probe-" + std::to_wstring(GetCurrentProcessId());
const wchar_t* const kSlot = kSlotName.c_str();

HANDLE openClient() {
  SetLastError(0xdeadbeef);
  return CreateFileW(kSlot, GENERIC_WRITE, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
}

// SPEC 10: CreateMailslot with sa.bInheritHandle = TRUE gives an inheritable handle.
int spec10() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, &gInherit);
  if (ms == INVALID_HANDLE_VALUE) return 1;
  DWORD flags = 0;
  GetHandleInformation(ms, &flags);
  Spawn s;
  s.inheritHandles = true;
  s.a = ms;
  Child c = spawn(s);
  const DWORD seen = c.ok ? c.finish() & 1 : 0;
  return report("spec10-mailslot-inherit", "inherit=1 child-valid=1",
                "inherit=" + num(flags & HANDLE_FLAG_INHERIT) + " child-valid=" + num(seen));
}

// SPEC 11: a second client (GENERIC_WRITE, FILE_SHARE_READ) opens while the first is open.
int spec11() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, nullptr);
  const HANDLE first = openClient();
  if (ms == INVALID_HANDLE_VALUE || first == INVALID_HANDLE_VALUE) return 1;
  const HANDLE second = openClient();
  return report("spec11-second-client", "error=0",
                "error=" + num(second == INVALID_HANDLE_VALUE ? GetLastError() : 0));
}

// SPEC 12: with every server handle closed, opening the name fails with 2 even while a client is
// open.
int spec12() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, nullptr);
  const HANDLE client = openClient();
  if (ms == INVALID_HANDLE_VALUE || client == INVALID_HANDLE_VALUE) return 1;
  CloseHandle(ms);
  const HANDLE again = openClient();
  return report("spec12-mailslot-outlives-server", "error=2",
                "error=" + num(again == INVALID_HANDLE_VALUE ? GetLastError() : 0));
}

// SPEC 22: one inheriting child adds exactly one handle, whatever the creation flags
// (here CREATE_NO_WINDOW, which under Wine starts a conhost.exe).
int spec22NoWindow() {
  const HANDLE ev = CreateEventW(&gInherit, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.flags = CREATE_NO_WINDOW;
  s.a = ev;
  Child c = spawn(s);
  if (!c.ok) return 1;
  Sleep(200);
  const unsigned long during = handleCount(ev);
  c.finish();
  Sleep(200);
  return report("spec22-create-no-window", "count-with-child=2 count-after-exit=1",
                "count-with-child=" + num(during) + " count-after-exit=" + num(handleCount(ev)));
}

// SPEC 25: any inheritable handle may be listed; here a file mapping (Section).
int spec25Mapping() {
  const HANDLE section =
      CreateFileMappingW(INVALID_HANDLE_VALUE, &gInherit, PAGE_READWRITE, 0, 4096, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.list = {section};
  s.a = section;
  Child c = spawn(s);
  const DWORD seen = c.ok ? c.finish() & 1 : 0;
  return report("spec25-list-mapping", "ok=1 error=0 child-valid=1",
                "ok=" + num(c.ok) + " error=" + num(c.error) + " child-valid=" + num(seen));
}

// SPEC 22: an inherited copy is the parent's whole entry: `inherit` and `protect`.
int spec22Protect() {
  const HANDLE mutex = CreateMutexW(nullptr, FALSE, nullptr);
  SetHandleInformation(mutex, HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE,
                       HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
  Spawn s;
  s.inheritHandles = true;
  s.a = mutex;
  s.b = mutex;  // child: bit 0 valid, bit 1 protect (see wmain)
  Child c = spawn(s);
  const DWORD code = c.ok ? c.finish() : 0;
  return report("spec22-protect-inherited", "child-valid=1 child-protect=1",
                "child-valid=" + num(code & 1) + " child-protect=" + num((code >> 1) & 1));
}

// SPEC 24: lpProcessAttributes->bInheritHandle = TRUE makes pi.hProcess inheritable.
int spec24() {
  Spawn s;
  s.processInherit = true;
  Child c = spawn(s);
  if (!c.ok) return 1;
  DWORD flags = 0;
  GetHandleInformation(c.pi.hProcess, &flags);
  c.finish();
  return report("spec24-process-inherit", "inherit=1",
                "inherit=" + num(flags & HANDLE_FLAG_INHERIT));
}

// SPEC 25: a non-inheritable handle in the handle list fails CreateProcess with 87.
int spec25() {
  const HANDLE plain = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.list = {plain};
  Child c = spawn(s);
  if (c.ok) c.finish();
  return report("spec25-list-noninheritable", "ok=0 error=87",
                "ok=" + num(c.ok) + " error=" + num(c.error));
}

// SPEC 25: a NULL entry anywhere in the handle list: CreateProcess succeeds
// and the child inherits nothing, not even the listed inheritable handle.
int spec25Null() {
  const HANDLE ev = CreateEventW(&gInherit, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.list = {ev, nullptr};
  s.a = ev;
  Child c = spawn(s);
  const DWORD seen = c.ok ? c.finish() & 1 : 0;
  return report("spec25-list-null", "ok=1 child-valid=0",
                "ok=" + num(c.ok) + " child-valid=" + num(seen));
}

// SPEC 79: UpdateProcThreadAttribute refuses a handle list of 0 bytes with
// ERROR_BAD_LENGTH (24); nothing is inherited.
int spec79EmptyList() {
  const HANDLE ev = CreateEventW(&gInherit, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.list = {ev};
  s.emptyList = true;
  s.a = ev;
  Child c = spawn(s);
  const DWORD seen = c.ok ? c.finish() & 1 : 0;
  return report("spec79-empty-list", "ok=0 error=24 child-valid=0",
                "ok=" + num(c.ok) + " error=" + num(c.error) + " child-valid=" + num(seen));
}

// SPEC 25: a handle list given with bInheritHandles = FALSE fails with 87.
int spec25NoInherit() {
  const HANDLE ev = CreateEventW(&gInherit, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = false;
  s.list = {ev};
  s.a = ev;
  Child c = spawn(s);
  if (c.ok) c.finish();
  return report("spec25-list-without-inherit", "ok=0 error=87",
                "ok=" + num(c.ok) + " error=" + num(c.error));
}

// SPEC 25: a pseudo handle (GetCurrentProcess()) in the handle list fails with 87.
int spec25Pseudo() {
  const HANDLE ev = CreateEventW(&gInherit, FALSE, FALSE, nullptr);
  Spawn s;
  s.inheritHandles = true;
  s.list = {ev, GetCurrentProcess()};
  s.a = ev;
  Child c = spawn(s);
  if (c.ok) c.finish();
  return report("spec25-list-pseudo", "ok=0 error=87",
                "ok=" + num(c.ok) + " error=" + num(c.error));
}

// SPEC 11: GetMailslotInfo counts the waiting messages, a zero-length one
// included (three waiting, then the zero-length one alone).
int spec11Count() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, nullptr);
  const HANDLE client = openClient();
  if (ms == INVALID_HANDLE_VALUE || client == INVALID_HANDLE_VALUE) return 1;
  DWORD written = 0;
  WriteFile(client, "a", 1, &written, nullptr);
  WriteFile(client, "bc", 2, &written, nullptr);
  WriteFile(client, "", 0, &written, nullptr);
  DWORD next = 0, messages = 0, left = 0;
  GetMailslotInfo(ms, nullptr, &next, &messages, nullptr);
  char buffer[8];
  ReadFile(ms, buffer, sizeof buffer, &written, nullptr);
  ReadFile(ms, buffer, sizeof buffer, &written, nullptr);
  GetMailslotInfo(ms, nullptr, &next, &left, nullptr);  // only the zero-length one waits
  return report("spec11-message-count", "messages=3 empty-one-left=1",
                "messages=" + num(messages) + " empty-one-left=" + num(left));
}

// SPEC 11 (Vista and later): a client may open with share mode 0.
int spec11ShareNone() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, nullptr);
  if (ms == INVALID_HANDLE_VALUE) return 1;
  SetLastError(0xdeadbeef);
  const HANDLE client = CreateFileW(kSlot, GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  return report("spec11-share-none", "error=0",
                "error=" + num(client == INVALID_HANDLE_VALUE ? GetLastError() : 0));
}

// SPEC 11: two clients that both share read and write open together.
int spec11ShareReadWrite() {
  const HANDLE ms = CreateMailslotW(kSlot, 0, 0, nullptr);
  if (ms == INVALID_HANDLE_VALUE) return 1;
  const DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE;
  const HANDLE first = CreateFileW(kSlot, GENERIC_WRITE, share, nullptr, OPEN_EXISTING, 0, nullptr);
  SetLastError(0xdeadbeef);
  const HANDLE second =
      CreateFileW(kSlot, GENERIC_WRITE, share, nullptr, OPEN_EXISTING, 0, nullptr);
  return report("spec11-share-read-write", "first=1 error=0",
                "first=" + num(first != INVALID_HANDLE_VALUE) +
                    " error=" + num(second == INVALID_HANDLE_VALUE ? GetLastError() : 0));
}

// SPEC 28: once the process is known to have exited (a wait on its handle
// returned), TerminateProcess fails with ERROR_ACCESS_DENIED.
int spec28() {
  Spawn s;
  Child c = spawn(s);
  if (!c.ok) return 1;
  TerminateProcess(c.pi.hProcess, 1);
  WaitForSingleObject(c.pi.hProcess, INFINITE);
  SetLastError(0xdeadbeef);
  const BOOL again = TerminateProcess(c.pi.hProcess, 2);
  const DWORD error = again ? 0 : GetLastError();
  DWORD code = 0;
  GetExitCodeProcess(c.pi.hProcess, &code);
  c.finish();
  return report("spec28-terminate-exited", "ok=0 error=5 exitcode=1",
                "ok=" + num(again) + " error=" + num(error) + " exitcode=" + num(code));
}

// SPEC 19, 3: DuplicateHandle of a protected source with DUPLICATE_CLOSE_SOURCE
// in the same process: TRUE, the source stays open and protected, the copy
// has another value.
int spec19() {
  const HANDLE ev = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  SetHandleInformation(ev, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
  HANDLE out = nullptr;
  const BOOL ok = DuplicateHandle(GetCurrentProcess(), ev, GetCurrentProcess(), &out, 0, FALSE,
                                  DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
  DWORD flags = 0;
  const BOOL open = GetHandleInformation(ev, &flags);
  return report("spec19-protected-close-source", "ok=1 source-open=1 source-protect=1 same-value=0",
                "ok=" + num(ok) + " source-open=" + num(open) +
                    " source-protect=" + num((flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) ? 1 : 0) +
                    " same-value=" + num(out == ev));
}

// SPEC 13: after the write end closes and the buffer is drained, ReadFile
// fails with 109; after the read end closes, WriteFile fails with 232.
int spec13() {
  HANDLE r = nullptr, w = nullptr, r2 = nullptr, w2 = nullptr;
  if (!CreatePipe(&r, &w, nullptr, 0) || !CreatePipe(&r2, &w2, nullptr, 0)) return 1;
  char buffer[8];
  DWORD n = 0;
  WriteFile(w, "hi", 2, &n, nullptr);
  CloseHandle(w);
  const BOOL first = ReadFile(r, buffer, sizeof buffer, &n, nullptr);
  SetLastError(0xdeadbeef);
  const BOOL second = ReadFile(r, buffer, sizeof buffer, &n, nullptr);
  const DWORD readError = second ? 0 : GetLastError();
  CloseHandle(r2);
  SetLastError(0xdeadbeef);
  const BOOL write = WriteFile(w2, "x", 1, &n, nullptr);
  return report("spec13-pipe-errors", "read=1 read-error=109 write-error=232",
                "read=" + num(first) + " read-error=" + num(readError) +
                    " write-error=" + num(write ? 0 : GetLastError()));
}

// SPEC 15: CloseHandle on a pseudo handle returns TRUE.
int spec15() {
  SetLastError(0xdeadbeef);
  const BOOL process = CloseHandle(GetCurrentProcess());
  const BOOL thread = CloseHandle(GetCurrentThread());
  return report("spec15-close-pseudo", "process=1 thread=1",
                "process=" + num(process) + " thread=" + num(thread));
}

// SPEC 41b: another instance of an existing pipe, with a free slot and
// FILE_FLAG_FIRST_PIPE_INSTANCE, fails with ERROR_ACCESS_DENIED.
int spec41() {
  const std::wstring name = L"\\\\.\\pipe\\hc-wine-probe-" + std::to_wstring(GetCurrentProcessId());
  const HANDLE first =
      CreateNamedPipeW(name.c_str(), PIPE_ACCESS_DUPLEX, PIPE_NOWAIT, 2, 4096, 4096, 0, nullptr);
  if (first == INVALID_HANDLE_VALUE) return 1;
  SetLastError(0xdeadbeef);
  const HANDLE second =
      CreateNamedPipeW(name.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                       PIPE_NOWAIT, 2, 4096, 4096, 0, nullptr);
  return report("spec41-first-pipe-instance", "error=5",
                "error=" + num(second == INVALID_HANDLE_VALUE ? GetLastError() : 0));
}

// SPEC 50: DuplicateHandle(hChild, w, NULL, NULL, 0, FALSE,
// DUPLICATE_CLOSE_SOURCE) closes the child's inherited copy of a pipe's write
// end; with the parent's own copy closed too, the reader is at end of file.
int spec50() {
  HANDLE r = nullptr, w = nullptr;
  if (!CreatePipe(&r, &w, &gInherit, 0)) return 1;
  Spawn s;
  s.inheritHandles = true;
  s.a = w;
  Child c = spawn(s);
  if (!c.ok) return 1;
  SetLastError(0xdeadbeef);
  const BOOL ok =
      DuplicateHandle(c.pi.hProcess, w, nullptr, nullptr, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
  const DWORD error = ok ? 0 : GetLastError();
  CloseHandle(w);
  DWORD avail = 0;
  SetLastError(0xdeadbeef);
  const BOOL peek = PeekNamedPipe(r, nullptr, 0, nullptr, &avail, nullptr);
  const DWORD peekError = peek ? 0 : GetLastError();
  c.finish();
  return report("spec50-close-source-no-target", "ok=1 error=0 peek-error=109",
                "ok=" + num(ok) + " error=" + num(error) + " peek-error=" + num(peekError));
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc == 4 && std::wstring(argv[1]) == L"child") {
    const auto a =
        reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(std::wcstoull(argv[2], nullptr, 16)));
    const auto b =
        reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(std::wcstoull(argv[3], nullptr, 16)));
    DWORD flags = 0;
    int code = (a && GetHandleInformation(a, &flags) ? 1 : 0) |
               (b && GetHandleInformation(b, &flags) ? 2 : 0);
    if (a && a == b)  // one handle: bit 0 valid, bit 1 HANDLE_FLAG_PROTECT_FROM_CLOSE
      code = GetHandleInformation(a, &flags)
                 ? 1 | ((flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) ? 2 : 0)
                 : 0;
    Sleep(300);  // alive while the parent counts
    return code;
  }
  GetModuleFileNameW(nullptr, gSelf, MAX_PATH);
  const std::wstring check = argc == 2 ? argv[1] : L"";
  if (check == L"spec10") return spec10();
  if (check == L"spec11") return spec11();
  if (check == L"spec12") return spec12();
  if (check == L"spec22-no-window") return spec22NoWindow();
  if (check == L"spec24") return spec24();
  if (check == L"spec25") return spec25();
  if (check == L"spec25-mapping") return spec25Mapping();
  if (check == L"spec22-protect") return spec22Protect();
  if (check == L"spec25-null") return spec25Null();
  if (check == L"spec25-noinherit") return spec25NoInherit();
  if (check == L"spec25-pseudo") return spec25Pseudo();
  if (check == L"spec11-count") return spec11Count();
  if (check == L"spec11-share-none") return spec11ShareNone();
  if (check == L"spec11-share-read-write") return spec11ShareReadWrite();
  if (check == L"spec28") return spec28();
  if (check == L"spec19") return spec19();
  if (check == L"spec13") return spec13();
  if (check == L"spec15") return spec15();
  if (check == L"spec41") return spec41();
  if (check == L"spec50") return spec50();
  if (check == L"spec79-empty-list") return spec79EmptyList();
  std::fputs(
      "usage: hc-wine-probe.exe spec10|spec11|spec11-count|spec11-share-none|"
      "spec11-share-read-write|spec12|spec13|spec15|spec19|spec22-no-window|spec22-protect|"
      "spec24|spec25|spec25-mapping|spec25-null|spec25-noinherit|spec25-pseudo|spec28|spec41|"
      "spec50|spec79-empty-list\n",
      stderr);
  return 2;
}
