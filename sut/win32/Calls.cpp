/* The Win32 calls of the table of operations (Calls.h): each one with its
 * SECURITY_ATTRIBUTES and the SetLastError(HC_POISON) before it. */
#include "Calls.h"

void hc_settle(struct hc_call *c, BOOL succeeded)
{
    DWORD error = GetLastError();
    c->succeeded = succeeded;
    c->error = succeeded && error == HC_POISON ? 0 : error;
    c->already_exists = succeeded && error == ERROR_ALREADY_EXISTS;
}

void hc_settle_handle(struct hc_call *c, HANDLE h, HANDLE failed)
{
    hc_settle(c, h != failed);
    if (c->succeeded) c->handle = h;
}

/* SPEC 4: NULL unless the handle is to be inheritable. */
SECURITY_ATTRIBUTES *hc_security_attributes(SECURITY_ATTRIBUTES *sa, BOOL inherit)
{
    sa->nLength = sizeof(*sa);
    sa->lpSecurityDescriptor = NULL;
    sa->bInheritHandle = TRUE;
    return inherit ? sa : NULL;
}

void hc_create_event(struct hc_call *c, BOOL inherit, const WCHAR *name)
{
    SECURITY_ATTRIBUTES sa;
    HANDLE h;
    SetLastError(HC_POISON);
    h = CreateEventW(hc_security_attributes(&sa, inherit), FALSE, FALSE, name);
    hc_settle_handle(c, h, NULL);
}

void hc_create_mutex(struct hc_call *c, BOOL inherit, const WCHAR *name)
{
    SECURITY_ATTRIBUTES sa;
    HANDLE h;
    SetLastError(HC_POISON);
    h = CreateMutexW(hc_security_attributes(&sa, inherit), FALSE, name);
    hc_settle_handle(c, h, NULL);
}

void hc_create_semaphore(struct hc_call *c, BOOL inherit, const WCHAR *name)
{
    SECURITY_ATTRIBUTES sa;
    HANDLE h;
    SetLastError(HC_POISON);
    h = CreateSemaphoreW(hc_security_attributes(&sa, inherit), 0, 1, name);
    hc_settle_handle(c, h, NULL);
}

void hc_create_mapping(struct hc_call *c, BOOL inherit, const WCHAR *name)
{
    SECURITY_ATTRIBUTES sa;
    HANDLE h;
    SetLastError(HC_POISON);
    h = CreateFileMappingW(INVALID_HANDLE_VALUE, hc_security_attributes(&sa, inherit), PAGE_READWRITE, 0,
                           4096, name);
    hc_settle_handle(c, h, NULL);
}

/* PREFIX followed by NAME, on the process heap (HeapFree it); NULL when out of memory. */
WCHAR *hc_device_path(const WCHAR *prefix, const WCHAR *name)
{
    int len = lstrlenW(prefix) + lstrlenW(name) + 1;
    WCHAR *path = (WCHAR *)HeapAlloc(GetProcessHeap(), 0, len * sizeof(WCHAR));
    if (!path) return NULL;
    lstrcpyW(path, prefix);
    lstrcatW(path, name);
    return path;
}

/* \\.\mailslot\NAME, as hc_device_path gives it. */
WCHAR *hc_mailslot_path(const WCHAR *name)
{
    return hc_device_path(L"\\\\.\\mailslot\\", name);
}

void hc_create_mailslot(struct hc_call *c, BOOL inherit, const WCHAR *name)
{
    SECURITY_ATTRIBUTES sa;
    SECURITY_ATTRIBUTES *psa = hc_security_attributes(&sa, inherit);
    WCHAR *path = hc_mailslot_path(name);
    HANDLE h;
    SetLastError(path ? HC_POISON : ERROR_NOT_ENOUGH_MEMORY);
    h = path ? CreateMailslotW(path, 0, 0, psa) : INVALID_HANDLE_VALUE;
    hc_settle_handle(c, h, INVALID_HANDLE_VALUE);
    if (path) HeapFree(GetProcessHeap(), 0, path);
}

void hc_create_pipe(struct hc_call *c, BOOL inherit)
{
    SECURITY_ATTRIBUTES sa;
    SECURITY_ATTRIBUTES *psa = hc_security_attributes(&sa, inherit);
    HANDLE read_end = NULL, write_end = NULL;
    BOOL done;
    SetLastError(HC_POISON);
    done = CreatePipe(&read_end, &write_end, psa, 0);
    hc_settle(c, done);
    if (!done) return;
    c->handle = read_end;
    c->handle2 = write_end;
}

/* OpenEventW, OpenMutexW, OpenSemaphoreW and OpenFileMappingW: an object
   opened by name, NULL on failure. */
typedef HANDLE (WINAPI *hc_open_function)(DWORD, BOOL, const WCHAR *);

void hc_open_named(struct hc_call *c, hc_open_function open, DWORD access, BOOL inherit,
                   const WCHAR *name)
{
    HANDLE h;
    SetLastError(HC_POISON);
    h = open(access, inherit, name);
    hc_settle_handle(c, h, NULL);
}

void hc_open_event(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name)
{
    hc_open_named(c, OpenEventW, access, inherit, name);
}

void hc_open_mutex(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name)
{
    hc_open_named(c, OpenMutexW, access, inherit, name);
}

void hc_open_semaphore(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name)
{
    hc_open_named(c, OpenSemaphoreW, access, inherit, name);
}

void hc_open_mapping(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name)
{
    hc_open_named(c, OpenFileMappingW, access, inherit, name);
}

void hc_open_mailslot(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD share)
{
    SECURITY_ATTRIBUTES sa;
    SECURITY_ATTRIBUTES *psa = hc_security_attributes(&sa, inherit);
    WCHAR *path = hc_mailslot_path(name);
    HANDLE h;
    SetLastError(path ? HC_POISON : ERROR_NOT_ENOUGH_MEMORY);
    h = path ? CreateFileW(path, GENERIC_WRITE, share, psa, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
             : INVALID_HANDLE_VALUE;
    hc_settle_handle(c, h, INVALID_HANDLE_VALUE);
    if (path) HeapFree(GetProcessHeap(), 0, path);
}

/* \\.\pipe\NAME, as hc_device_path gives it. */
WCHAR *hc_pipe_path(const WCHAR *name)
{
    return hc_device_path(L"\\\\.\\pipe\\", name);
}

/* A pipe handle's outcome, without the error a success may leave behind. */
void hc_settle_pipe(struct hc_call *c, HANDLE h)
{
    hc_settle_handle(c, h, INVALID_HANDLE_VALUE);
    if (!c->succeeded) return;
    c->error = 0;
    c->already_exists = FALSE;
}

void hc_create_named_pipe(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD open_mode,
                          DWORD pipe_mode, DWORD max_instances)
{
    SECURITY_ATTRIBUTES sa;
    SECURITY_ATTRIBUTES *psa = hc_security_attributes(&sa, inherit);
    WCHAR *path = hc_pipe_path(name);
    HANDLE h;
    SetLastError(path ? HC_POISON : ERROR_NOT_ENOUGH_MEMORY);
    h = path ? CreateNamedPipeW(path, open_mode, pipe_mode, max_instances, 4096, 4096, 0, psa)
             : INVALID_HANDLE_VALUE;
    hc_settle_pipe(c, h);
    if (path) HeapFree(GetProcessHeap(), 0, path);
}

void hc_open_named_pipe(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD access)
{
    SECURITY_ATTRIBUTES sa;
    SECURITY_ATTRIBUTES *psa = hc_security_attributes(&sa, inherit);
    WCHAR *path = hc_pipe_path(name);
    HANDLE h;
    SetLastError(path ? HC_POISON : ERROR_NOT_ENOUGH_MEMORY);
    h = path ? CreateFileW(path, access, 0, psa, OPEN_EXISTING, 0, NULL) : INVALID_HANDLE_VALUE;
    hc_settle_pipe(c, h);
    if (path) HeapFree(GetProcessHeap(), 0, path);
}

void hc_connect_named_pipe(struct hc_call *c, HANDLE h)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = ConnectNamedPipe(h, NULL);
    hc_settle(c, done);
}

void hc_disconnect_named_pipe(struct hc_call *c, HANDLE h)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = DisconnectNamedPipe(h);
    hc_settle(c, done);
}

void hc_named_pipe_state(struct hc_call *c, HANDLE h)
{
    DWORD state = 0, instances = 0;
    BOOL done;
    SetLastError(HC_POISON);
    done = GetNamedPipeHandleState(h, &state, &instances, NULL, NULL, NULL, 0);
    hc_settle(c, done);
    c->has_instances = done;
    c->instances = done ? instances : 0;
}

void hc_close(struct hc_call *c, HANDLE h)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = CloseHandle(h);
    hc_settle(c, done);
}

void hc_set_information(struct hc_call *c, HANDLE h, DWORD mask, DWORD flags)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = SetHandleInformation(h, mask, flags);
    hc_settle(c, done);
}

/* Processes opened for DuplicateHandle before a parallel block starts, kept
   until it ends (hc_hold_dup_process): a process handle opened by a call of
   the block could take a value another thread's CloseHandle had just freed,
   and the call's DuplicateHandle of that value would then copy, or close
   with DUPLICATE_CLOSE_SOURCE, the caller's process handle instead. Returns
   the handle held for `pid` (NULL: none); with `process`, holds it for
   `pid` first; `pid` 0 closes them all. */
static HANDLE hc_held_process(DWORD pid, HANDLE process)
{
    static DWORD pids[16];
    static HANDLE handles[16];
    int i;
    for (i = 0; i < 16; i++)
    {
        if (!pid && pids[i])
        {
            CloseHandle(handles[i]);
            pids[i] = 0;
        }
        else if (pid && pids[i] == pid)
            return handles[i];
    }
    for (i = 0; pid && process && i < 16; i++)
        if (!pids[i])
        {
            pids[i] = pid;
            handles[i] = process;
            return process;
        }
    return NULL;
}

void hc_hold_dup_process(DWORD pid)
{
    HANDLE process;
    if (pid == GetCurrentProcessId() || hc_held_process(pid, NULL)) return;
    process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    if (process && !hc_held_process(pid, process)) CloseHandle(process);
}

void hc_release_dup_processes(void)
{
    hc_held_process(0, NULL);
}

/* Closes a process hc_dup_process opened for one call to process `pid`. */
static void hc_done_with_process(DWORD pid, HANDLE process)
{
    if (process != GetCurrentProcess() && process != hc_held_process(pid, NULL))
        CloseHandle(process);
}

/* The process a DuplicateHandle names: this one by its pseudo-handle, one
   held for the block, another opened with PROCESS_DUP_HANDLE (close it
   after, hc_done_with_process). FALSE, with the call settled as failed,
   when it cannot be opened. */
BOOL hc_dup_process(struct hc_call *c, DWORD pid, HANDLE *process)
{
    *process = GetCurrentProcess();
    if (pid == GetCurrentProcessId()) return TRUE;
    if ((*process = hc_held_process(pid, NULL))) return TRUE;
    SetLastError(HC_POISON);
    *process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    if (*process) return TRUE;
    hc_settle(c, FALSE);
    return FALSE;
}

void hc_duplicate_access(struct hc_call *c, HANDLE source, DWORD target_pid, DWORD access,
                         BOOL inherit, DWORD options)
{
    HANDLE target, out = NULL;
    BOOL done;
    if (!hc_dup_process(c, target_pid, &target)) return;
    SetLastError(HC_POISON);
    done = DuplicateHandle(GetCurrentProcess(), source, target, &out, access, inherit, options);
    hc_settle(c, done);
    if (done) c->handle = out;
    hc_done_with_process(target_pid, target);
}

void hc_duplicate(struct hc_call *c, HANDLE source, DWORD target_pid, BOOL inherit, DWORD options)
{
    hc_duplicate_access(c, source, target_pid, 0, inherit, DUPLICATE_SAME_ACCESS | options);
}

void hc_duplicate_close_source(struct hc_call *c, DWORD source_pid, HANDLE h)
{
    HANDLE source;
    BOOL done;
    if (!hc_dup_process(c, source_pid, &source)) return;
    SetLastError(HC_POISON);
    done = DuplicateHandle(source, h, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
    hc_settle(c, done);
    hc_done_with_process(source_pid, source);
}

void hc_write(struct hc_call *c, HANDLE h, const char *text, DWORD len)
{
    DWORD written = 0;
    BOOL done;
    SetLastError(HC_POISON);
    done = WriteFile(h, text, len, &written, NULL);
    hc_settle(c, done);
}

void hc_read(struct hc_call *c, HANDLE h)
{
    DWORD next = 0, count = 0, available = 0, got = 0;
    BOOL mailslot = GetMailslotInfo(h, NULL, &next, &count, NULL), done;
    if (!mailslot && PeekNamedPipe(h, NULL, 0, NULL, &available, NULL) && !available)
    {
        c->succeeded = FALSE;
        c->would_block = TRUE;
        return;
    }
    SetLastError(HC_POISON);
    done = ReadFile(h, c->data, sizeof(c->data), &got, NULL);
    hc_settle(c, done);
    c->has_data = done;
    c->data_len = done ? got : 0;
}

void hc_peek(struct hc_call *c, HANDLE h)
{
    DWORD avail = HC_POISON;
    BOOL done;
    SetLastError(HC_POISON);
    done = PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL);
    hc_settle(c, done);
    c->has_avail = done;
    c->avail = done ? avail : 0;
}

void hc_wait(struct hc_call *c, HANDLE h, DWORD timeout_ms)
{
    DWORD result, code = 0;
    SetLastError(HC_POISON);
    result = WaitForSingleObject(h, timeout_ms);
    if (result == WAIT_TIMEOUT)
    {
        c->succeeded = FALSE;
        c->error = WAIT_TIMEOUT;
        c->would_block = TRUE;
        return;
    }
    hc_settle(c, result != WAIT_FAILED);
    if (c->succeeded && (GetExitCodeProcess(h, &code) || GetExitCodeThread(h, &code)))
    {
        c->has_exit_code = TRUE;
        c->exit_code = code;
    }
}

void hc_terminate(struct hc_call *c, HANDLE process, UINT code, DWORD timeout_ms)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = TerminateProcess(process, code);
    hc_settle(c, done);
    if (done) WaitForSingleObject(process, timeout_ms);
}

/* SPEC 51-52: a valid id returns the slot's value, whatever it is, and
 * leaves the last error alone; an unknown id sets ERROR_INVALID_HANDLE. */
void hc_get_std(struct hc_call *c, DWORD id)
{
    HANDLE h;
    SetLastError(HC_POISON);
    h = GetStdHandle(id);
    hc_settle(c, GetLastError() == HC_POISON);
    c->handle = h;
}

void hc_set_std(struct hc_call *c, DWORD id, HANDLE h)
{
    BOOL done;
    SetLastError(HC_POISON);
    done = SetStdHandle(id, h);
    hc_settle(c, done);
}

void hc_map(struct hc_call *c, HANDLE h, DWORD access)
{
    void *view;
    SetLastError(HC_POISON);
    view = MapViewOfFile(h, access, 0, 0, 0);
    hc_settle(c, view != NULL);
    if (view) UnmapViewOfFile(view);
}
