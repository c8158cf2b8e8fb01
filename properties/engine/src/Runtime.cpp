// The fixed part of every reproducer: shared state, expectation checks,
// observation helpers, the Win32 calls the steps make, and the driver
// (coordinator and scenario processes). Plain C-style C++ that builds with
// MinGW-w64 and MSVC, in the manner of a Wine conformance test.
#include "Runtime.h"

namespace hc::engine {

// Between the scenario's shape (NPROCESSES, NSLOTS, STEP_TIMEOUT_MS,
// process_label[], slot_name[]) and the step functions.
const char* const kRuntimeHelpers = R"repro(
/* Functions have external linkage: a scenario uses only some of them, and no
 * compiler should warn about the rest. */

/* ---------------------------------------------------------------------------
 * Shared state: one named file mapping that the coordinator creates and every
 * scenario process maps. It says whose turn it is, holds the handle value
 * bound to each scenario name, and collects the log the coordinator prints.
 * Only the process whose turn it is writes to it (the coordinator waits).
 */

#define LOG_SIZE 65536
#define POISON 0xdeadbeef         /* SetLastError() before each call: a stale error never passes */
#define WOULD_BLOCK 0xfffffffeu   /* pseudo error: the call would wait forever, so it was not made */

enum process_state { STATE_NOT_STARTED, STATE_RUNNING, STATE_EXITED, STATE_NEVER_STARTED };

struct shared
{
    volatile LONG turn;                   /* index into parts[] of the part that runs now */
    volatile LONG trouble;                /* harness trouble: everyone stops, exit 2 */
    volatile LONG failures;               /* steps whose expectations did not all hold */
    volatile LONG quit;                   /* the run is over: scenario processes leave */
    volatile LONG exiting;                /* 1 + index of a process about to exit, or 0 */
    volatile LONG exit_watched;           /* the coordinator holds a handle to it */
    volatile LONG state[NPROCESSES];      /* enum process_state */
    volatile DWORD pid[NPROCESSES];
    volatile LONG inherited[NPROCESSES][NSLOTS];  /* spawn: the child holds this slot's value */
    volatile ULONG64 slot[NSLOTS];        /* the handle value bound to each scenario name */
    WCHAR prefix[32];                     /* per-run prefix of every object name */
    int step_failed;                      /* the step in progress ... */
    char step_why[2048];                  /* ... and what did not hold */
    volatile LONG log_len;
    char log[LOG_SIZE];
};

static struct shared *shared;
static int me = -1;           /* this scenario process's index; -1 in the coordinator */
static LONG current_part;     /* the part this process runs */
static char mapping_name[64];

struct part
{
    int process;              /* which scenario process runs it */
    int line;                 /* its line in the scenario */
    const char *text;         /* the step as written (without expectations) */
    int first, last;          /* a step is one part, or two when a check runs in another process */
    void (*run)(void);
};
extern const struct part parts[NPARTS + 1];

void coordinator_finish(int status);

void log_text(const char *text)
{
    LONG at = shared->log_len, len = (LONG)strlen(text);
    if (at + len > LOG_SIZE) len = LOG_SIZE - at;
    memcpy(shared->log + at, text, len);
    MemoryBarrier();
    InterlockedExchange(&shared->log_len, at + len);
}

void log_printf(const char *format, ...)
{
    char buffer[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, sizeof(buffer), format, args);
    va_end(args);
    buffer[sizeof(buffer) - 1] = 0;
    log_text(buffer);
}

/* Harness trouble, not a finding: log it, stop every process, exit 2. */
void trouble(const char *format, ...)
{
    char buffer[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, sizeof(buffer), format, args);
    va_end(args);
    buffer[sizeof(buffer) - 1] = 0;
    if (current_part >= 0 && current_part < NPARTS)
        log_printf("line %d: %s: harness trouble: %s\n", parts[current_part].line,
                   parts[current_part].text, buffer);
    else
        log_printf("harness trouble: %s\n", buffer);
    InterlockedExchange(&shared->trouble, 1);
    if (me < 0) coordinator_finish(2);
    ExitProcess(2);
}

/* An expectation that did not hold: kept for the step's line. */
void fail(const char *format, ...)
{
    char buffer[512];
    size_t used = strlen(shared->step_why);
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, sizeof(buffer), format, args);
    va_end(args);
    buffer[sizeof(buffer) - 1] = 0;
    if (shared->step_failed && used + 2 < sizeof(shared->step_why))
    {
        strcpy(shared->step_why + used, "; ");
        used += 2;
    }
    strncpy(shared->step_why + used, buffer, sizeof(shared->step_why) - used - 1);
    shared->step_failed = 1;
}

/* Wine's test idiom: ok(condition, "expected ..., got ...", ...). */
#define ok(condition, ...) do { if (!(condition)) fail(__VA_ARGS__); } while (0)

void begin_step(void)
{
    shared->step_failed = 0;
    shared->step_why[0] = 0;
}

void end_step(void)
{
    const struct part *p = &parts[current_part];
    if (shared->step_failed)
    {
        log_printf("line %d: %s: %s\n", p->line, p->text, shared->step_why);
        InterlockedIncrement(&shared->failures);
    }
    else
        log_printf("line %d: %s: ok\n", p->line, p->text);
}

/* Waits until *value == want; harness trouble after STEP_TIMEOUT_MS. */
void wait_until(volatile LONG *value, LONG want, const char *what)
{
    DWORD start = GetTickCount();
    while (*value != want)
    {
        if (shared->trouble) ExitProcess(2);
        if (GetTickCount() - start > STEP_TIMEOUT_MS)
            trouble("%s: no answer within %u ms", what, (unsigned)STEP_TIMEOUT_MS);
        Sleep(1);
    }
}

)repro"
    // (pieces under 16 KB: MSVC's limit for one string literal)
    R"repro(/* ---------------------------------------------------------------------------
 * What a call returned, and the checks on it.
 */

struct call
{
    BOOL succeeded;
    DWORD error;              /* GetLastError() right after the call; 0 if it set none */
    BOOL has_data;            /* ReadFile */
    DWORD data_len;
    char data[4096];
    BOOL has_exit_code;       /* WaitForSingleObject on a process or thread */
    DWORD exit_code;
};

void settle(struct call *c, BOOL succeeded)
{
    DWORD error = GetLastError();
    c->succeeded = succeeded;
    c->error = succeeded && error == POISON ? 0 : error;
}

const char *error_text(DWORD error)
{
    static char buffers[4][64];
    static int next;
    char *buffer = buffers[next++ % 4];
    const char *name = NULL;
    switch (error)
    {
    case ERROR_FILE_NOT_FOUND: name = "ERROR_FILE_NOT_FOUND"; break;
    case ERROR_ACCESS_DENIED: name = "ERROR_ACCESS_DENIED"; break;
    case ERROR_INVALID_HANDLE: name = "ERROR_INVALID_HANDLE"; break;
    case ERROR_SHARING_VIOLATION: name = "ERROR_SHARING_VIOLATION"; break;
    case ERROR_HANDLE_EOF: name = "ERROR_HANDLE_EOF"; break;
    case ERROR_INVALID_PARAMETER: name = "ERROR_INVALID_PARAMETER"; break;
    case ERROR_BROKEN_PIPE: name = "ERROR_BROKEN_PIPE"; break;
    case ERROR_SEM_TIMEOUT: name = "ERROR_SEM_TIMEOUT"; break;
    case ERROR_ALREADY_EXISTS: name = "ERROR_ALREADY_EXISTS"; break;
    case ERROR_NO_DATA: name = "ERROR_NO_DATA"; break;
    case WOULD_BLOCK: return "a call that would block";
    }
    if (name) sprintf(buffer, "error=%s", name);
    else sprintf(buffer, "error=%lu", (unsigned long)error);
    return buffer;
}

const char *outcome_text(const struct call *c)
{
    if (!c->succeeded) return error_text(c->error);
    return c->error == ERROR_ALREADY_EXISTS ? "ok, already-exists" : "ok";
}

void expect_ok(const struct call *c)
{
    ok(c->succeeded, "expected ok, got %s", outcome_text(c));
}

void expect_error(const struct call *c, DWORD error, const char *as_written)
{
    ok(!c->succeeded && c->error == error, "expected error=%s, got %s", as_written, outcome_text(c));
}

void expect_already_exists(const struct call *c)
{
    ok(c->succeeded && c->error == ERROR_ALREADY_EXISTS, "expected already-exists, got %s",
       outcome_text(c));
}

void expect_data(const struct call *c, const char *text)
{
    size_t len = strlen(text);
    if (!c->has_data)
        fail("expected data=%s, got no data (%s)", text, outcome_text(c));
    else
        ok(c->data_len == len && !memcmp(c->data, text, len), "expected data=%s, got data=%.*s",
           text, (int)c->data_len, c->data);
}

void expect_exit_code(const struct call *c, DWORD code)
{
    if (!c->has_exit_code)
        fail("expected exitcode=%lu, got no exit code (%s)", (unsigned long)code, outcome_text(c));
    else
        ok(c->exit_code == code, "expected exitcode=%lu, got exitcode=%lu", (unsigned long)code,
           (unsigned long)c->exit_code);
}

)repro"
    // (pieces under 16 KB: MSVC's limit for one string literal)
    R"repro(/* ---------------------------------------------------------------------------
 * Observing a handle: GetHandleInformation for the flags, NtQueryObject for
 * HandleCount and the type name, CompareObjectHandles for sameness. ntdll and
 * kernelbase entry points are looked up at run time (GetProcAddress), so the
 * file needs no import library beyond kernel32.
 */

typedef LONG (WINAPI *NtQueryObject_func)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG (WINAPI *NtCompareObjects_func)(HANDLE, HANDLE);
typedef LONG (WINAPI *NtQuerySystemInformation_func)(ULONG, PVOID, ULONG, PULONG);
typedef BOOL (WINAPI *CompareObjectHandles_func)(HANDLE, HANDLE);

/* ObjectBasicInformation (class 0), layout from the DDK. */
struct object_basic_information
{
    ULONG attributes;
    ACCESS_MASK granted_access;
    ULONG handle_count;
    ULONG pointer_count;
    ULONG reserved[10];
};

/* UNICODE_STRING, at the start of ObjectTypeInformation (class 2). */
struct counted_string
{
    USHORT length;            /* in bytes */
    USHORT maximum_length;
    PWSTR buffer;
};

/* SystemExtendedHandleInformation (class 64) entries, for the same= fallback. */
struct handle_entry_ex
{
    PVOID object;
    ULONG_PTR pid;
    ULONG_PTR handle;
    ULONG access;
    USHORT back_trace_index;
    USHORT type_index;
    ULONG attributes;
    ULONG reserved;
};

struct handle_information_ex
{
    ULONG_PTR count;
    ULONG_PTR reserved;
    struct handle_entry_ex handles[1];
};

/* GetProcAddress, through void (*)(void) so that no compiler warns about the cast. */
void (*get_proc(const char *module, const char *name))(void)
{
    HMODULE m = GetModuleHandleA(module);
    return m ? (void (*)(void))GetProcAddress(m, name) : NULL;
}

struct observation
{
    BOOL valid;
    DWORD flags;              /* HANDLE_FLAG_INHERIT, HANDLE_FLAG_PROTECT_FROM_CLOSE */
    BOOL has_count;
    ULONG count;              /* HandleCount */
    char type[64];            /* NT type name, "" if unknown */
};

void observe(HANDLE h, struct observation *o)
{
    NtQueryObject_func query = (NtQueryObject_func)get_proc("ntdll.dll", "NtQueryObject");
    struct object_basic_information basic;
    ULONG_PTR type_buffer[1024 / sizeof(ULONG_PTR)];
    ULONG len;

    memset(o, 0, sizeof(*o));
    o->valid = GetHandleInformation(h, &o->flags);
    if (!o->valid || !query) return;
    memset(&basic, 0, sizeof(basic));
    if (query(h, 0 /* ObjectBasicInformation */, &basic, sizeof(basic), &len) >= 0)
    {
        o->has_count = TRUE;
        o->count = basic.handle_count;
    }
    memset(type_buffer, 0, sizeof(type_buffer));
    if (query(h, 2 /* ObjectTypeInformation */, type_buffer, sizeof(type_buffer), &len) >= 0)
    {
        /* OBJECT_TYPE_INFORMATION starts with the UNICODE_STRING TypeName */
        const struct counted_string *name = (const struct counted_string *)type_buffer;
        int i, n = name->length / (int)sizeof(WCHAR);
        if (!name->buffer) n = 0;
        if (n > (int)sizeof(o->type) - 1) n = sizeof(o->type) - 1;
        for (i = 0; i < n; i++) o->type[i] = (char)name->buffer[i];
        o->type[n] = 0;
    }
}

/* The object a handle of this process refers to, from the system handle
 * table; NULL if it is not listed (or the system hides object addresses). */
PVOID object_address(HANDLE h)
{
    NtQuerySystemInformation_func query =
        (NtQuerySystemInformation_func)get_proc("ntdll.dll", "NtQuerySystemInformation");
    ULONG size = 1 << 20, i;
    struct handle_information_ex *info = NULL;
    PVOID object = NULL;
    LONG status;

    if (!query) return NULL;
    for (;;)
    {
        info = (struct handle_information_ex *)HeapAlloc(GetProcessHeap(), 0, size);
        if (!info) return NULL;
        status = query(64 /* SystemExtendedHandleInformation */, info, size, NULL);
        if (status != (LONG)0xc0000004 /* STATUS_INFO_LENGTH_MISMATCH */ || size >= (1u << 28)) break;
        HeapFree(GetProcessHeap(), 0, info);
        size *= 4;
    }
    if (status >= 0)
        for (i = 0; i < info->count; i++)
            if (info->handles[i].pid == GetCurrentProcessId() && info->handles[i].handle == (ULONG_PTR)h)
                object = info->handles[i].object;
    HeapFree(GetProcessHeap(), 0, info);
    return object;
}

/* 1: a and b refer to the same object, 0: they do not, -1: cannot tell.
 * CompareObjectHandles (kernelbase, Windows 10 and Wine) first, then
 * NtCompareObjects (ntdll, the same call underneath). Fallback for older
 * systems: the object addresses from the system handle table
 * (SystemExtendedHandleInformation), which Windows 7-8.1 report. */
int same_object(HANDLE a, HANDLE b)
{
    CompareObjectHandles_func compare =
        (CompareObjectHandles_func)get_proc("kernelbase.dll", "CompareObjectHandles");
    NtCompareObjects_func nt_compare;
    PVOID x, y;

    if (!compare) compare = (CompareObjectHandles_func)get_proc("kernel32.dll", "CompareObjectHandles");
    if (compare) return compare(a, b) ? 1 : 0;
    nt_compare = (NtCompareObjects_func)get_proc("ntdll.dll", "NtCompareObjects");
    if (nt_compare) return nt_compare(a, b) == 0 ? 1 : 0;
    x = object_address(a);
    y = object_address(b);
    if (!x || !y) return -1;
    return x == y ? 1 : 0;
}

void expect_valid(HANDLE h)
{
    struct observation o;
    observe(h, &o);
    ok(o.valid, "expected valid, got invalid");
}

void expect_invalid(HANDLE h)
{
    struct observation o;
    observe(h, &o);
    ok(!o.valid, "expected invalid, got valid");
}

/* inherit / noinherit / protect / noprotect */
void expect_flag(HANDLE h, DWORD flag, BOOL on, const char *name)
{
    struct observation o;
    BOOL is_on;
    observe(h, &o);
    if (!o.valid)
    {
        fail("expected %s%s, got invalid", on ? "" : "no", name);
        return;
    }
    is_on = (o.flags & flag) != 0;
    ok(is_on == on, "expected %s%s, got %s%s", on ? "" : "no", name, is_on ? "" : "no", name);
}

/* count=N, count>=N. SPEC 29: for processes and threads the system may hold
 * handles too, so there HandleCount is only a lower bound. */
void expect_count(HANDLE h, ULONG count, BOOL at_least)
{
    struct observation o;
    observe(h, &o);
    if (!o.valid)
    {
        fail("expected count%s%lu, got invalid", at_least ? ">=" : "=", (unsigned long)count);
        return;
    }
    if (!o.has_count)
    {
        fail("expected count%s%lu, got no HandleCount (NtQueryObject failed)", at_least ? ">=" : "=",
             (unsigned long)count);
        return;
    }
    if (!strcmp(o.type, "Process") || !strcmp(o.type, "Thread")) at_least = TRUE;
    ok(at_least ? o.count >= count : o.count == count, "expected count%s%lu, got count=%lu",
       at_least ? ">=" : "=", (unsigned long)count, (unsigned long)o.count);
}

void expect_type(HANDLE h, const char *type)
{
    struct observation o;
    observe(h, &o);
    if (!o.valid)
        fail("expected type=%s, got invalid", type);
    else
        ok(!strcmp(o.type, type), "expected type=%s, got type=%s", type, o.type);
}

void expect_same(HANDLE h, HANDLE other, const char *other_name)
{
    int same = same_object(h, other);
    if (same < 0)
        fail("expected same=%s, got no answer (CompareObjectHandles unavailable or handle invalid)",
             other_name);
    else
        ok(same, "expected same=%s, got a different object", other_name);
}

)repro"
    // (pieces under 16 KB: MSVC's limit for one string literal)
    R"repro(/* ---------------------------------------------------------------------------
 * Scenario names, object names, and the calls that need more than one line.
 */

HANDLE handle_of(int slot)
{
    return (HANDLE)(ULONG_PTR)shared->slot[slot];
}

/* SPEC 1: a real handle is a non-zero multiple of 4. */
void bind_handle(int slot, HANDLE h)
{
    ok(h && !((ULONG_PTR)h & 3), "expected %s to be a non-zero multiple of 4, got %p",
       slot >= 0 ? slot_name[slot] : "the new handle", h);
    if (slot >= 0) shared->slot[slot] = (ULONG64)(ULONG_PTR)h;
}

/* "<prefix>NAME": every object name carries the run's prefix. */
const WCHAR *object_name(const WCHAR *name)
{
    static WCHAR buffers[4][MAX_PATH];
    static int next;
    WCHAR *buffer = buffers[next++ % 4];
    lstrcpyW(buffer, shared->prefix);
    lstrcatW(buffer, name);
    return buffer;
}

const WCHAR *mailslot_name(const WCHAR *name)
{
    static WCHAR buffer[MAX_PATH];
    lstrcpyW(buffer, L"\\\\.\\mailslot\\");
    lstrcatW(buffer, object_name(name));
    return buffer;
}

void mark_exited(DWORD pid)
{
    int i;
    for (i = 0; i < NPROCESSES; i++)
        if (shared->pid[i] == pid && shared->state[i] == STATE_RUNNING)
            InterlockedExchange(&shared->state[i], STATE_EXITED);
}

/* The command line of scenario process `index`: this program, "child", the
 * index and the name of the shared mapping. */
void child_command_line(WCHAR *exe, WCHAR *cmdline, int index)
{
    WCHAR *p;
    int i;
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    lstrcpyW(cmdline, L"\"");
    lstrcatW(cmdline, exe);
    lstrcatW(cmdline, L"\" child ");
    p = cmdline + lstrlenW(cmdline);
    if (index >= 10) *p++ = (WCHAR)(L'0' + index / 10);
    *p++ = (WCHAR)(L'0' + index % 10);
    *p++ = L' ';
    for (i = 0; mapping_name[i]; i++) *p++ = (WCHAR)mapping_name[i];
    *p = 0;
}

/* How a step creates a scenario process (CreateProcessW of this program). */
struct spawn_request
{
    int child;                    /* the new scenario process */
    BOOL inherit_handles;         /* bInheritHandles */
    int list_len;                 /* PROC_THREAD_ATTRIBUTE_HANDLE_LIST entries; -1: no list */
    HANDLE list[16];
    BOOL process_inherit;         /* lpProcessAttributes->bInheritHandle */
    BOOL thread_inherit;          /* lpThreadAttributes->bInheritHandle */
    int count;                    /* the caller's names the child may inherit ... */
    const int *parent_slots;      /* ... as the caller knows them ... */
    const int *child_slots;       /* ... and as the child will */
    int process_slot, thread_slot;  /* `as HP HT` */
};

/* Before the call, notes which names the child inherits (SPEC 22-23, 25):
 * open, HANDLE_FLAG_INHERIT set and, with a handle list, listed. The child
 * finds them at the same value and checks them when it starts; this waits
 * for that. pi.hProcess and pi.hThread stay open as `as HP HT` (SPEC 24). */
void spawn(struct call *c, const struct spawn_request *r)
{
    SECURITY_ATTRIBUTES process_sa = { sizeof(process_sa), NULL, r->process_inherit };
    SECURITY_ATTRIBUTES thread_sa = { sizeof(thread_sa), NULL, r->thread_inherit };
    STARTUPINFOEXW si;
    PROCESS_INFORMATION pi;
    DWORD flags = DETACHED_PROCESS | CREATE_UNICODE_ENVIRONMENT;
    WCHAR exe[MAX_PATH], cmdline[2 * MAX_PATH];
    HANDLE list[16];
    SIZE_T size = 0;
    BYTE *attributes = NULL;
    int i, j;

    if (r->inherit_handles)
        for (i = 0; i < r->count; i++)
        {
            HANDLE h = handle_of(r->parent_slots[i]);
            DWORD handle_flags = 0;
            BOOL listed = r->list_len < 0;
            for (j = 0; j < r->list_len; j++)
                if (r->list[j] == h) listed = TRUE;
            if (h && listed && GetHandleInformation(h, &handle_flags) && (handle_flags & HANDLE_FLAG_INHERIT))
            {
                shared->slot[r->child_slots[i]] = shared->slot[r->parent_slots[i]];
                shared->inherited[r->child][r->child_slots[i]] = 1;
            }
        }
    child_command_line(exe, cmdline, r->child);

    /* Explicit, empty standard handles: a child inherits no console or
     * harness handle by the std-handle route (SPEC 23's exception). And no
     * console: under Wine a conhost.exe would inherit handles as well. */
    memset(&si, 0, sizeof(si));
    si.StartupInfo.cb = sizeof(si.StartupInfo);
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    if (r->list_len >= 0)
    {
        for (i = 0; i < r->list_len; i++) list[i] = r->list[i];
        InitializeProcThreadAttributeList(NULL, 1, 0, &size);
        attributes = (BYTE *)HeapAlloc(GetProcessHeap(), 0, size);
        si.lpAttributeList = (LPPROC_THREAD_ATTRIBUTE_LIST)attributes;
        if (!attributes || !InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size))
            trouble("InitializeProcThreadAttributeList failed, error %lu", GetLastError());
        if (!UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list,
                                       r->list_len * sizeof(HANDLE), NULL, NULL))
            trouble("UpdateProcThreadAttribute(PROC_THREAD_ATTRIBUTE_HANDLE_LIST) failed, error %lu",
                    GetLastError());
        si.StartupInfo.cb = sizeof(si);
        flags |= EXTENDED_STARTUPINFO_PRESENT;
    }

    SetLastError(POISON);
    settle(c, CreateProcessW(exe, cmdline, &process_sa, &thread_sa, r->inherit_handles, flags, NULL, NULL,
                             &si.StartupInfo, &pi));
    if (attributes)
    {
        DeleteProcThreadAttributeList(si.lpAttributeList);
        HeapFree(GetProcessHeap(), 0, attributes);
    }
    if (!c->succeeded)
    {
        for (i = 0; i < NSLOTS; i++) shared->inherited[r->child][i] = 0;
        InterlockedExchange(&shared->state[r->child], STATE_NEVER_STARTED);
        return;
    }
    bind_handle(r->process_slot, pi.hProcess);
    bind_handle(r->thread_slot, pi.hThread);
    wait_until(&shared->state[r->child], STATE_RUNNING, "the new process did not start");
}

/* DuplicateHandle(GetCurrentProcess(), source, target, &out, 0, inherit,
 * DUPLICATE_SAME_ACCESS [| DUPLICATE_CLOSE_SOURCE]); the target process is
 * opened by pid just for the call. The new value is bound in the target. */
void duplicate(struct call *c, HANDLE source, int target, BOOL inherit, BOOL close_source,
                      int out_slot)
{
    HANDLE process = GetCurrentProcess(), out = NULL;
    DWORD options = DUPLICATE_SAME_ACCESS | (close_source ? DUPLICATE_CLOSE_SOURCE : 0);

    if (target != me)
    {
        SetLastError(POISON);
        process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, shared->pid[target]);
        if (!process)
        {
            settle(c, FALSE);
            return;
        }
    }
    SetLastError(POISON);
    settle(c, DuplicateHandle(GetCurrentProcess(), source, process, &out, 0, inherit, options));
    if (c->succeeded) bind_handle(out_slot, out);
    if (target != me) CloseHandle(process);
}

/* ReadFile of one message. A mailslot (read timeout 0) answers at once; a
 * pipe with nothing buffered would wait forever, so it is not read. */
void read_message(struct call *c, HANDLE h)
{
    DWORD next = 0, count = 0, available = 0, got = 0;
    BOOL mailslot = GetMailslotInfo(h, NULL, &next, &count, NULL);

    if (!mailslot && PeekNamedPipe(h, NULL, 0, NULL, &available, NULL) && !available)
    {
        c->succeeded = FALSE;
        c->error = WOULD_BLOCK;
        return;
    }
    SetLastError(POISON);
    settle(c, ReadFile(h, c->data, sizeof(c->data), &got, NULL));
    c->has_data = c->succeeded;
    c->data_len = got;
}

/* WaitForSingleObject, then the exit code of a process or thread (SPEC 27).
 * Not signalled within a while: the call would block. */
void wait_for(struct call *c, HANDLE h)
{
    DWORD result, code = 0;
    SetLastError(POISON);
    result = WaitForSingleObject(h, STEP_TIMEOUT_MS / 4);
    if (result == WAIT_TIMEOUT)
    {
        c->succeeded = FALSE;
        c->error = WOULD_BLOCK;
        return;
    }
    settle(c, result != WAIT_FAILED);
    if (c->succeeded && (GetExitCodeProcess(h, &code) || GetExitCodeThread(h, &code)))
    {
        c->has_exit_code = TRUE;
        c->exit_code = code;
    }
}

/* TerminateProcess; it is asynchronous, so wait for the end before the next
 * step observes its effects (SPEC 28). */
void terminate_process(struct call *c, HANDLE process, UINT code)
{
    SetLastError(POISON);
    settle(c, TerminateProcess(process, code));
    if (!c->succeeded) return;
    if (WaitForSingleObject(process, STEP_TIMEOUT_MS) != WAIT_OBJECT_0)
        trouble("the terminated process did not end");
    mark_exited(GetProcessId(process));
}

/* ExitProcess, made synchronous: the coordinator opens this process before
 * it exits and waits for it, so the next step sees its handles closed
 * (SPEC 26). The step is logged first: nothing runs here afterwards. */
void exit_process(UINT code)
{
    end_step();
    InterlockedExchange(&shared->exiting, me + 1);
    wait_until(&shared->exit_watched, 1, "the coordinator did not watch the exit");
    ExitProcess(code);
}
)repro";


// After the step functions and parts[].
const char* const kRuntimeDriver = R"repro(
/* ---------------------------------------------------------------------------
 * The driver. The coordinator (this program run without arguments) creates
 * the shared mapping and a job object, starts P0, and watches: it prints the
 * log, makes exits synchronous, skips the steps of a process that is not
 * running, and ends the run. Every scenario process (this program run as
 * `child INDEX MAPPING`) runs the parts that are its own, in turn.
 */

/* In a new scenario process: every handle its parent noted as inherited is
 * open here at the parent's value, with HANDLE_FLAG_INHERIT (SPEC 22). */
void check_inherited(void)
{
    int i;
    for (i = 0; i < NSLOTS; i++)
    {
        DWORD flags = 0;
        if (!shared->inherited[me][i]) continue;
        if (!GetHandleInformation(handle_of(i), &flags))
            fail("expected %s (%p) inherited by %s at the same value (SPEC 22), got an invalid handle",
                 slot_name[i], handle_of(i), process_label[me]);
        else
            ok(flags & HANDLE_FLAG_INHERIT, "expected %s (%p) in %s to keep HANDLE_FLAG_INHERIT (SPEC 22), "
               "got noinherit", slot_name[i], handle_of(i), process_label[me]);
    }
}

int scenario_process(int index, const char *name)
{
    HANDLE mapping = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    if (!mapping) return 2;
    shared = (struct shared *)MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(*shared));
    /* The view keeps the mapping alive: closing the handle leaves this
     * process's handle table to the scenario alone. */
    CloseHandle(mapping);
    if (!shared || index < 0 || index >= NPROCESSES) return 2;
    me = index;
    current_part = shared->turn;
    lstrcpynA(mapping_name, name, sizeof(mapping_name));
    shared->pid[me] = GetCurrentProcessId();
    check_inherited();
    InterlockedExchange(&shared->state[me], STATE_RUNNING);

    for (;;)
    {
        LONG turn = shared->turn;
        if (shared->quit || shared->trouble) ExitProcess(0);
        if (turn < NPARTS && parts[turn].process == me)
        {
            current_part = turn;
            if (parts[turn].first) begin_step();
            parts[turn].run();
            if (parts[turn].last) end_step();
            InterlockedExchange(&shared->turn, turn + 1);
        }
        else
            Sleep(1);
    }
}

static HANDLE job;
static LONG printed;

void print_log(void)
{
    LONG len = shared->log_len;
    if (len <= printed) return;
    fwrite(shared->log + printed, 1, len - printed, stdout);
    fflush(stdout);
    printed = len;
}

void coordinator_finish(int status)
{
    InterlockedExchange(&shared->quit, 1);
    /* JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: no scenario process outlives the run */
    if (job) CloseHandle(job);
    job = NULL;
    print_log();
    if (status == 0 && shared->failures) status = 1;
    if (status == 2)
        printf("harness trouble: the run is not conclusive\n");
    else if (status == 1)
        printf("%ld step(s) departed from the scenario\n", (long)shared->failures);
    else
        printf("every expectation holds\n");
    fflush(stdout);
    ExitProcess(status);
}

/* A scenario process asked to exit: hold a handle to it while it does, wait
 * until it is gone, then pass the turn on. */
void watch_exit(void)
{
    int index = shared->exiting - 1;
    HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, shared->pid[index]);
    current_part = shared->turn;
    if (!process) trouble("OpenProcess(%s) failed, error %lu", process_label[index], GetLastError());
    InterlockedExchange(&shared->exit_watched, 1);
    if (WaitForSingleObject(process, STEP_TIMEOUT_MS) != WAIT_OBJECT_0)
        trouble("%s did not exit", process_label[index]);
    CloseHandle(process);
    InterlockedExchange(&shared->state[index], STATE_EXITED);
    InterlockedExchange(&shared->exit_watched, 0);
    InterlockedExchange(&shared->exiting, 0);
    InterlockedExchange(&shared->turn, current_part + 1);
}

/* The step's process is not running (its spawn failed, or it exited): the
 * step cannot run, which is a departure of its own. */
void skip_part(LONG turn)
{
    const struct part *p = &parts[turn];
    current_part = turn;
    if (p->first)
    {
        log_printf("line %d: %s: not run, %s is not running\n", p->line, p->text,
                   process_label[p->process]);
        InterlockedIncrement(&shared->failures);
        while (!parts[turn].last) turn++;
    }
    else
    {
        fail("not checked in %s, which is not running", process_label[p->process]);
        end_step();
    }
    InterlockedExchange(&shared->turn, turn + 1);
}

int coordinator(void)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    WCHAR exe[MAX_PATH], cmdline[2 * MAX_PATH];
    char prefix[32];
    HANDLE mapping;
    DWORD since;
    LONG turn, seen = -1;
    int i;

    sprintf(mapping_name, "repro-%lu-%lu", (unsigned long)GetCurrentProcessId(),
            (unsigned long)GetTickCount());
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(struct shared),
                                 mapping_name);
    if (!mapping)
    {
        printf("harness trouble: CreateFileMapping failed, error %lu\n", GetLastError());
        return 2;
    }
    shared = (struct shared *)MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(*shared));
    if (!shared)
    {
        printf("harness trouble: MapViewOfFile failed, error %lu\n", GetLastError());
        return 2;
    }
    /* every object name carries this run's prefix: runs never meet */
    sprintf(prefix, "repro%lux%lu_", (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount());
    for (i = 0; prefix[i]; i++) shared->prefix[i] = (WCHAR)prefix[i];
    current_part = -1;

    job = CreateJobObjectW(NULL, NULL);
    memset(&limits, 0, sizeof(limits));
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (job && !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof(limits)))
    {
        CloseHandle(job);
        job = NULL;
    }

    /* P0 is a child like the others: it starts with bInheritHandles=FALSE,
     * so it holds none of the coordinator's handles. */
    child_command_line(exe, cmdline, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    if (!CreateProcessW(exe, cmdline, NULL, NULL, FALSE,
                        CREATE_SUSPENDED | DETACHED_PROCESS | CREATE_UNICODE_ENVIRONMENT, NULL, NULL, &si, &pi))
        trouble("CreateProcess(P0) failed, error %lu", GetLastError());
    if (!job || !AssignProcessToJobObject(job, pi.hProcess))
        printf("note: no job object (error %lu): processes left at the end are not ended for us\n",
               GetLastError());
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    wait_until(&shared->state[0], STATE_RUNNING, "P0 did not start");

    since = GetTickCount();
    for (;;)
    {
        print_log();
        if (shared->trouble) coordinator_finish(2);
        turn = shared->turn;
        if (turn >= NPARTS) break;
        if (turn != seen)
        {
            seen = turn;
            since = GetTickCount();
        }
        if (shared->exiting)
            watch_exit();
        else if (shared->state[parts[turn].process] != STATE_RUNNING)
            skip_part(turn);
        else if (GetTickCount() - since > STEP_TIMEOUT_MS)
        {
            current_part = turn;
            trouble("%s did not answer within %u ms", process_label[parts[turn].process],
                    (unsigned)STEP_TIMEOUT_MS);
        }
        else
            Sleep(1);
    }
    coordinator_finish(0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "child"))
    {
        int index = 0;
        const char *p;
        for (p = argv[2]; *p >= '0' && *p <= '9'; p++) index = index * 10 + (*p - '0');
        /* kernelbase opens a cached \\BaseNamedObjects handle on a process's
         * first named-object call; made now, it never takes a value that a
         * step has just closed (handlecheck's agents do the same). */
        OpenEventW(SYNCHRONIZE, FALSE, L"handlecheck-warm-up");
        return scenario_process(index, argv[3]);
    }
    if (argc != 1)
    {
        printf("usage: %s\n(exit status 0: every expectation holds, 1: the system departs, 2: harness trouble)\n",
               argv[0]);
        return 2;
    }
    return coordinator();
}
)repro";

}  // namespace hc::engine
