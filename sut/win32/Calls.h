#pragma once
/* The Win32 call layer: one function per operation of the table of operations
 * (sut/protocol/Ops.h), each the call with its SECURITY_ATTRIBUTES and
 * SetLastError(HC_POISON) before it, and the observation of a handle.
 *
 * Plain C-style C++ that needs <windows.h> alone: the agent compiles these
 * files, and a generated reproducer embeds their text (hc_embed_sources in
 * sut/win32/CMakeLists.txt drops `#pragma once` and our own `#include "..."`
 * lines, so the files are embedded in dependency order: Calls.h first). Every
 * function has external linkage, so a reproducer that uses only some of them
 * compiles without warnings about the rest. Calls take wide (W) strings. */
#include <windows.h>

/* Wine's test idiom: SetLastError() before each checked call, so a stale
 * error never passes for a real one. */
#define HC_POISON 0xdeadbeef

/* MinGW-w64 declares it only in the DDK headers. */
#ifndef DUPLICATE_SAME_ATTRIBUTES
#define DUPLICATE_SAME_ATTRIBUTES 0x00000004
#endif

/* What a call returned. */
struct hc_call
{
    BOOL succeeded;
    DWORD error;              /* GetLastError() right after the call; 0 when it succeeded and set none */
    BOOL already_exists;      /* succeeded with ERROR_ALREADY_EXISTS */
    BOOL would_block;         /* not made (a read that would wait forever) or not done in time */
    HANDLE handle;            /* the new handle: create, open, dup; a pipe's read end; hProcess */
    HANDLE handle2;           /* a pipe's write end; hThread */
    DWORD child_pid;          /* spawn */
    BOOL has_data;            /* read */
    DWORD data_len;
    char data[4096];
    BOOL has_exit_code;       /* wait on a process or thread */
    DWORD exit_code;
    BOOL has_avail;           /* peek succeeded */
    DWORD avail;              /* PeekNamedPipe's *lpTotalBytesAvail */
    BOOL has_instances;       /* GetNamedPipeHandleState succeeded ... */
    DWORD instances;          /* ... with this nCurInstances */
    BOOL has_sizing;          /* spawn with an attribute list: the sizing call was made, */
    DWORD sizing_error;       /* its GetLastError() (0 when it returned TRUE) */
    DWORD sizing_bytes;       /* and its *lpSize (SPEC 78) */
};

/* Takes GetLastError() (first thing) and records the outcome of a call. */
void hc_settle(struct hc_call *c, BOOL succeeded);
/* A call that returns a handle, `failed` (NULL or INVALID_HANDLE_VALUE) on failure. */
void hc_settle_handle(struct hc_call *c, HANDLE h, HANDLE failed);

/* SPEC 4-7: Create* with a NULL sa unless the handle is to be inheritable;
 * `name` may be NULL. */
void hc_create_event(struct hc_call *c, BOOL inherit, const WCHAR *name);
void hc_create_mutex(struct hc_call *c, BOOL inherit, const WCHAR *name);
void hc_create_semaphore(struct hc_call *c, BOOL inherit, const WCHAR *name);
void hc_create_mapping(struct hc_call *c, BOOL inherit, const WCHAR *name);
/* SPEC 10: the server (read) handle of \\.\mailslot\NAME, read timeout 0
 * (ReadFile on an empty mailslot answers at once, SPEC 11). */
void hc_create_mailslot(struct hc_call *c, BOOL inherit, const WCHAR *name);
/* SPEC 13: handle = read end, handle2 = write end. */
void hc_create_pipe(struct hc_call *c, BOOL inherit);

/* SPEC 8, 70-72: Open* with dwDesiredAccess and bInheritHandle. */
void hc_open_event(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name);
void hc_open_mutex(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name);
void hc_open_semaphore(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name);
void hc_open_mapping(struct hc_call *c, DWORD access, BOOL inherit, const WCHAR *name);
/* SPEC 11: a mailslot client (write) handle; `share` is dwShareMode
 * (FILE_SHARE_READ in the textbook), `inherit` sa.bInheritHandle. */
void hc_open_mailslot(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD share);

/* SPEC 40-42: the server end of a new instance of \\.\pipe\NAME, buffers
 * of 4096 bytes each way. GetLastError after a success is not contractual
 * (SPEC 41): a success reports none. */
void hc_create_named_pipe(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD open_mode,
                          DWORD pipe_mode, DWORD max_instances);
/* SPEC 43: a client end, CreateFileW(\\.\pipe\NAME, access, 0, sa,
 * OPEN_EXISTING, 0, NULL); a success reports no error, as above. */
void hc_open_named_pipe(struct hc_call *c, BOOL inherit, const WCHAR *name, DWORD access);
/* SPEC 44, 45: ConnectNamedPipe(h, NULL), made only on what cannot block
 * (the harness never connects a PIPE_WAIT server that listens), and
 * DisconnectNamedPipe(h). */
void hc_connect_named_pipe(struct hc_call *c, HANDLE h);
void hc_disconnect_named_pipe(struct hc_call *c, HANDLE h);
/* SPEC 46: GetNamedPipeHandleState(h, &state, &instances, NULL, NULL, NULL, 0). */
void hc_named_pipe_state(struct hc_call *c, HANDLE h);

void hc_close(struct hc_call *c, HANDLE h);                              /* SPEC 14-16 */
void hc_set_information(struct hc_call *c, HANDLE h, DWORD mask, DWORD flags);  /* SPEC 17 */
/* SPEC 18-21: DuplicateHandle from this process into process `target_pid`
 * (this one when it is our own id, else opened by id just for the call),
 * DUPLICATE_SAME_ACCESS | `options` (DUPLICATE_CLOSE_SOURCE,
 * DUPLICATE_SAME_ATTRIBUTES). */
void hc_duplicate(struct hc_call *c, HANDLE source, DWORD target_pid, BOOL inherit, DWORD options);
/* SPEC 50: DuplicateHandle(hSource, h, NULL, NULL, 0, FALSE,
 * DUPLICATE_CLOSE_SOURCE), closing h inside process `source_pid` (this
 * process when it is our own id, else opened by id just for the call). */
void hc_duplicate_close_source(struct hc_call *c, DWORD source_pid, HANDLE h);
/* Before a parallel block: opens process `pid` (PROCESS_DUP_HANDLE) for the
 * block's DuplicateHandle calls to use, so that none of them opens one while
 * other threads free and take values; after it, closes them all. */
void hc_hold_dup_process(DWORD pid);
void hc_release_dup_processes(void);
/* SPEC 73: as hc_duplicate, with dwDesiredAccess `access` and without
 * DUPLICATE_SAME_ACCESS. */
void hc_duplicate_access(struct hc_call *c, HANDLE source, DWORD target_pid, DWORD access,
                         BOOL inherit, DWORD options);
/* SPEC 76: SetEvent, ReleaseSemaphore(h, 1, NULL) or ReleaseMutex, chosen by
 * the object's NT type (SetEvent for any other type). */
void hc_signal(struct hc_call *c, HANDLE h);
/* SPEC 76: MapViewOfFile(h, access, 0, 0, 0), unmapped at once. */
void hc_map(struct hc_call *c, HANDLE h, DWORD access);
void hc_write(struct hc_call *c, HANDLE h, const char *text, DWORD len);
/* ReadFile of one message. A pipe with nothing buffered is not read
 * (would_block): the call would wait forever. */
void hc_read(struct hc_call *c, HANDLE h);
/* SPEC 33-38: PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL); never waits. */
void hc_peek(struct hc_call *c, HANDLE h);
/* SPEC 27: WaitForSingleObject, then the exit code of a process or thread;
 * would_block (and error WAIT_TIMEOUT) when not signalled in time. */
void hc_wait(struct hc_call *c, HANDLE h, DWORD timeout_ms);
/* SPEC 28: TerminateProcess, then a wait (up to timeout_ms) for the end,
 * since the call is asynchronous. */
void hc_terminate(struct hc_call *c, HANDLE process, UINT code, DWORD timeout_ms);

/* SPEC 51: GetStdHandle(id) (handle = the slot's value, even NULL or
 * INVALID_HANDLE_VALUE) and SetStdHandle(id, h); id is STD_INPUT_HANDLE,
 * STD_OUTPUT_HANDLE or STD_ERROR_HANDLE. */
void hc_get_std(struct hc_call *c, DWORD id);
void hc_set_std(struct hc_call *c, DWORD id, HANDLE h);

/* CreateProcessW (SPEC 22-25, 54-62, 82-85). By default DETACHED_PROCESS
 * with STARTF_USESTDHANDLES and NULL fields: a child inherits nothing by the
 * std-handle route, and under Wine no conhost.exe inherits handles beside
 * it. `creation_flags` replaces DETACHED_PROCESS when `console_given`;
 * `use_std` passes the three fields, else STARTF_USESTDHANDLES is set only
 * without `console_given`. */
struct hc_spawn_args
{
    const WCHAR *exe;
    WCHAR *command_line;      /* CreateProcessW may write to it */
    BOOL inherit_handles;     /* bInheritHandles */
    int list_len;             /* PROC_THREAD_ATTRIBUTE_HANDLE_LIST entries; -1: no list */
    const HANDLE *list;
    BOOL process_inherit;     /* lpProcessAttributes->bInheritHandle */
    BOOL thread_inherit;      /* lpThreadAttributes->bInheritHandle */
    DWORD extra_flags;        /* more dwCreationFlags, e.g. CREATE_SUSPENDED */
    BOOL console_given;       /* creation_flags holds the console flags */
    DWORD creation_flags;     /* DETACHED_PROCESS, CREATE_NEW_CONSOLE, CREATE_NO_WINDOW or 0 */
    BOOL use_std;             /* STARTF_USESTDHANDLES with std[0..2] */
    HANDLE std[3];            /* hStdInput, hStdOutput, hStdError */
    BOOL use_parent;          /* PROC_THREAD_ATTRIBUTE_PARENT_PROCESS present (SPEC 82-85) */
    HANDLE parent;            /* its value: a process handle of the caller's */
    /* SPEC 79: cbSize of the list / the parent in bytes, -1 for the right
     * one; an unknown attribute (0xcafe) after them. */
    int list_size, parent_size;  /* -1 after ZeroMemory, or the sizes are 0 */
    BOOL unknown_attribute;
};
/* handle = pi.hProcess, handle2 = pi.hThread (SPEC 24), child_pid. */
void hc_spawn(struct hc_call *c, const struct hc_spawn_args *a);

/* What a process sees of one of its handle values without changing it. */
struct hc_observation
{
    BOOL valid;               /* GetHandleInformation succeeded */
    DWORD flags;              /* HANDLE_FLAG_INHERIT, HANDLE_FLAG_PROTECT_FROM_CLOSE */
    BOOL has_count;
    ULONG count;              /* NtQueryObject: ObjectBasicInformation.HandleCount */
    char type[64];            /* NtQueryObject: the NT type name, "" if unknown */
    BOOL is_mailslot;         /* GetMailslotInfo succeeded: a mailslot server handle ... */
    DWORD messages;           /* ... with this many messages waiting */
    ACCESS_MASK access;       /* NtQueryObject: ObjectBasicInformation.GrantedAccess */
};
void hc_observe(HANDLE h, struct hc_observation *o);
/* 1: a and b name the same object, 0: they do not, -1: cannot tell. */
int hc_same_object(HANDLE a, HANDLE b);
/* The handle values of this process's table up to `highest`, lowest first
 * (GetHandleInformation of each value): the count, of which the first `max`
 * are stored in `out`. Neither GetProcessHandleCount (0 under Wine 8.0) nor
 * the system handle table (Wine 8.0's server can crash listing it while an
 * exited process's object is still held) says where the table ends: the
 * caller bounds it. */
int hc_own_handles(HANDLE *out, int max, ULONG_PTR highest);
