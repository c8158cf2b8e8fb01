/* Scenario names, object names, and the reproducer's steps that need more
 * than one call of the call layer (ReproRuntime.h). */
#include "ReproRuntime.h"

HANDLE handle_of(int slot)
{
    return (HANDLE)(ULONG_PTR)shared->slot[slot];
}

/* SPEC 1: a real handle is a non-zero multiple of 4. */
void bind_handle(int slot, HANDLE h)
{
    expect(h && !((ULONG_PTR)h & 3), "expected %s to be a non-zero multiple of 4, got %p",
           slot >= 0 ? slot_name[slot] : "the new handle", h);
    if (slot >= 0) shared->slot[slot] = (ULONG64)(ULONG_PTR)h;
}

/* SPEC 51: a std slot holds a plain number (NULL, INVALID_HANDLE_VALUE, a
 * value not open, another name's value): bound as it is, no SPEC 1 check. */
void bind_value(int slot, HANDLE h)
{
    shared->slot[slot] = (ULONG64)(ULONG_PTR)h;
}

/* "<prefix>NAME": every object name carries the run's prefix, so runs never meet. */
const WCHAR *object_name(const WCHAR *name)
{
    static WCHAR buffers[4][MAX_PATH];
    static int next;
    WCHAR *buffer = buffers[next++ % 4];
    lstrcpynW(buffer, shared->prefix, MAX_PATH);
    lstrcpynW(buffer + lstrlenW(buffer), name, MAX_PATH - lstrlenW(buffer));
    return buffer;
}

void mark_exited(DWORD pid)
{
    int i;
    for (i = 0; i < repro_processes; i++)
        if (shared->pid[i] == pid && shared->state[i] == STATE_RUNNING)
            InterlockedExchange(&shared->state[i], STATE_EXITED);
}

/* The command line of scenario process `index`: this program (self_command,
 * else its path), "child", the index and the name of the shared mapping. */
void child_command_line(WCHAR *exe, WCHAR *cmdline, int index)
{
    WCHAR *p;
    int i;
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    if (self_command[0])
        MultiByteToWideChar(CP_ACP, 0, self_command, -1, cmdline, MAX_PATH + 64);
    else
    {
        lstrcpyW(cmdline, L"\"");
        lstrcatW(cmdline, exe);
        lstrcatW(cmdline, L"\"");
    }
    lstrcatW(cmdline, L" child ");
    p = cmdline + lstrlenW(cmdline);
    if (index >= 10) *p++ = (WCHAR)(L'0' + index / 10);
    *p++ = (WCHAR)(L'0' + index % 10);
    *p++ = L' ';
    for (i = 0; mapping_name[i]; i++) *p++ = (WCHAR)mapping_name[i];
    *p = 0;
}

/* A GUI-subsystem copy of this program beside it, <exe>-gui.exe: the same
 * image with the PE header's Subsystem set to IMAGE_SUBSYSTEM_WINDOWS_GUI,
 * for a `gui` child (SPEC 59). The scenario processes talk through the
 * shared mapping, so a child without a console runs as any other. A copy a
 * running child holds is already the one this run made. */
static void gui_image(WCHAR *exe)
{
    WCHAR gui[MAX_PATH + 16];
    IMAGE_DOS_HEADER dos;
    WORD subsystem = IMAGE_SUBSYSTEM_WINDOWS_GUI;
    DWORD done = 0;
    LARGE_INTEGER at;
    HANDLE file;
    BOOL patched;
    lstrcpyW(gui, exe);
    lstrcatW(gui, L"-gui.exe");
    if (!CopyFileW(exe, gui, FALSE))
    {
        if (GetFileAttributesW(gui) == INVALID_FILE_ATTRIBUTES)
            trouble("cannot copy this program for a GUI child (error %lu)", GetLastError());
        lstrcpyW(exe, gui);
        return;
    }
    file = CreateFileW(gui, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) trouble("cannot open the GUI copy of this program (error %lu)", GetLastError());
    patched = ReadFile(file, &dos, sizeof(dos), &done, NULL) && done == sizeof(dos);
    at.QuadPart = (LONGLONG)dos.e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                  FIELD_OFFSET(IMAGE_OPTIONAL_HEADER, Subsystem);
    patched = patched && SetFilePointerEx(file, at, NULL, FILE_BEGIN) &&
         WriteFile(file, &subsystem, sizeof(subsystem), &done, NULL) && done == sizeof(subsystem);
    CloseHandle(file);
    if (!patched) trouble("cannot make the copy of this program a GUI image (error %lu)", GetLastError());
    lstrcpyW(exe, gui);
}

/* Notes, before the call, which names the child inherits (SPEC 22-23, 25):
 * open, HANDLE_FLAG_INHERIT set and, with a handle list, listed. The child
 * finds them at the same value and checks them when it starts. In a
 * parallel block the flags may change under the call: every open listed
 * name is passed on, none checked. */
void note_inherited(const struct spawn_request *r)
{
    int i, j;
    if (!r->inherit_handles) return;
    for (i = 0; i < r->count; i++)
    {
        HANDLE h = handle_of(r->parent_slots[i]);
        DWORD flags = 0;
        BOOL listed = r->list_len < 0;
        /* SPEC 79: a list of list_size bytes holds its first list_size / 8 entries. */
        int entries = r->list_size >= 0 && r->list_size / 8 < r->list_len ? r->list_size / 8 : r->list_len;
        for (j = 0; j < entries; j++)
            if (r->list[j] == h) listed = TRUE;
        if (h && listed && r->in_block)
            shared->slot[r->child_slots[i]] = shared->slot[r->parent_slots[i]];
        else if (h && listed && GetHandleInformation(h, &flags) && (flags & HANDLE_FLAG_INHERIT))
        {
            shared->slot[r->child_slots[i]] = shared->slot[r->parent_slots[i]];
            shared->inherited[r->child][r->child_slots[i]] = 1;
        }
    }
}

/* CreateProcessW of this program as the new scenario process, then a wait
 * for it to start (it checks its inherited handles first). pi.hProcess and
 * pi.hThread stay open as `as HP HT` (SPEC 24). */
void spawn(struct hc_call *c, const struct spawn_request *r)
{
    WCHAR exe[MAX_PATH], cmdline[2 * MAX_PATH];
    struct hc_spawn_args args;
    int i;

    if (!r->inherit_noted) note_inherited(r);
    child_command_line(exe, cmdline, r->child);
    if (r->gui) gui_image(exe);
    ZeroMemory(&args, sizeof(args));
    args.list_size = args.parent_size = -1;  /* the right sizes (SPEC 79) */
    args.exe = exe;
    args.command_line = cmdline;
    args.inherit_handles = r->inherit_handles;
    args.list_len = r->list_len;
    args.list = r->list;
    args.process_inherit = r->process_inherit;
    args.thread_inherit = r->thread_inherit;
    args.console_given = r->console_given;
    args.creation_flags = r->creation_flags;
    args.use_std = r->use_std;
    for (i = 0; i < 3; i++) args.std[i] = r->std[i];
    args.list_size = r->list_size;
    args.parent_size = r->parent_size;
    args.unknown_attribute = r->unknown_attribute;
    args.use_parent = r->use_parent;
    args.parent = r->parent;
    hc_spawn(c, &args);
    if (!c->succeeded)
    {
        for (i = 0; i < repro_slots; i++) shared->inherited[r->child][i] = 0;
        InterlockedExchange(&shared->state[r->child], STATE_NEVER_STARTED);
        return;
    }
    bind_handle(r->process_slot, c->handle);
    bind_handle(r->thread_slot, c->handle2);
    wait_until(&shared->state[r->child], STATE_RUNNING, "the new process did not start");
}

/* DuplicateHandle into scenario process `target`; the new value is bound there. */
void duplicate(struct hc_call *c, HANDLE source, int target, BOOL inherit, DWORD options, int out_slot)
{
    hc_duplicate(c, source, shared->pid[target], inherit, options);
    if (c->succeeded) bind_handle(out_slot, c->handle);
}

/* The same with dwDesiredAccess `access` instead of DUPLICATE_SAME_ACCESS. */
void duplicate_access(struct hc_call *c, HANDLE source, int target, DWORD access, BOOL inherit,
                      DWORD options, int out_slot)
{
    hc_duplicate_access(c, source, shared->pid[target], access, inherit, options);
    if (c->succeeded) bind_handle(out_slot, c->handle);
}

/* DuplicateHandle with no target process: closes h in scenario process `source`. */
void close_source_in(struct hc_call *c, int source, HANDLE h)
{
    hc_duplicate_close_source(c, shared->pid[source], h);
}

/* A slot's value, whatever it is, bound like the harness binds it: even
 * NULL or INVALID_HANDLE_VALUE (SPEC 51). */
void get_std(struct hc_call *c, DWORD id, int slot)
{
    hc_get_std(c, id);
    bind_value(slot, c->handle);
}

/* Not signalled within a quarter of the step timeout: the call would block. */
void wait_for(struct hc_call *c, HANDLE h)
{
    hc_wait(c, h, repro_step_timeout_ms / 4);
}

/* TerminateProcess waits for the end, so the next step observes its effects
 * (SPEC 28); a process that does not end is harness trouble. */
void terminate_process(struct hc_call *c, HANDLE process, UINT code)
{
    hc_terminate(c, process, code, repro_step_timeout_ms);
    if (!c->succeeded) return;
    if (WaitForSingleObject(process, 0) != WAIT_OBJECT_0) trouble("the terminated process did not end");
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
