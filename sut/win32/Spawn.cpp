/* CreateProcessW with every knob of the table of operations' spawn (Calls.h). */
#include "Calls.h"

void hc_spawn(struct hc_call *c, const struct hc_spawn_args *a)
{
    SECURITY_ATTRIBUTES process_sa = { sizeof(process_sa), NULL, a->process_inherit };
    SECURITY_ATTRIBUTES thread_sa = { sizeof(thread_sa), NULL, a->thread_inherit };
    /* DETACHED_PROCESS, not CREATE_NO_WINDOW: under Wine 8, CREATE_NO_WINDOW
     * starts a conhost.exe that inherits every inheritable handle of the
     * parent (an event's HandleCount reads 3, not 2). */
    DWORD flags = (a->console_given ? a->creation_flags : DETACHED_PROCESS) | CREATE_UNICODE_ENVIRONMENT
                  | a->extra_flags;
    STARTUPINFOEXW si;
    PROCESS_INFORMATION pi;
    SIZE_T size = 0;
    BYTE *attributes = NULL;
    BOOL done;

    ZeroMemory(&si, sizeof(si));
    ZeroMemory(&pi, sizeof(pi));
    si.StartupInfo.cb = sizeof(si.StartupInfo);
    if (a->use_std)
    {
        si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        si.StartupInfo.hStdInput = a->std[0];
        si.StartupInfo.hStdOutput = a->std[1];
        si.StartupInfo.hStdError = a->std[2];
    }
    else if (!a->console_given)
        si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;  /* and NULL std handles (SPEC 55 line 4) */
    if (a->list_len >= 0 || a->use_parent || a->unknown_attribute)
    {
        DWORD count = (a->list_len >= 0 ? 1 : 0) + (a->use_parent ? 1 : 0) + (a->unknown_attribute ? 1 : 0);
        SIZE_T list_size = a->list_size >= 0 ? (SIZE_T)a->list_size : a->list_len * sizeof(HANDLE);
        SIZE_T parent_size = a->parent_size >= 0 ? (SIZE_T)a->parent_size : sizeof(HANDLE);
        /* SPEC 78: the sizing call fails with ERROR_INSUFFICIENT_BUFFER and
         * reports the size; what it said is part of the outcome. */
        SetLastError(HC_POISON);
        c->has_sizing = TRUE;
        c->sizing_error = InitializeProcThreadAttributeList(NULL, count, 0, &size) ? 0 : GetLastError();
        c->sizing_bytes = (DWORD)size;
        attributes = (BYTE *)HeapAlloc(GetProcessHeap(), 0, size);
        si.lpAttributeList = (LPPROC_THREAD_ATTRIBUTE_LIST)attributes;
        SetLastError(attributes ? HC_POISON : ERROR_NOT_ENOUGH_MEMORY);
        if (!attributes || !InitializeProcThreadAttributeList(si.lpAttributeList, count, 0, &size))
        {
            hc_settle(c, FALSE);
            if (attributes) HeapFree(GetProcessHeap(), 0, attributes);
            return;
        }
        /* The list stores a pointer to each value: a->list and a->parent live
         * until the call returns. The unknown attribute's value is a->parent too
         * (never read: the attribute is refused). */
        SetLastError(HC_POISON);
        if ((a->list_len >= 0 &&
             !UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                        (PVOID)a->list, list_size, NULL, NULL)) ||
            (a->use_parent &&
             !UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_PARENT_PROCESS,
                                        (PVOID)&a->parent, parent_size, NULL, NULL)) ||
            (a->unknown_attribute &&
             !UpdateProcThreadAttribute(si.lpAttributeList, 0, 0xcafe, (PVOID)&a->parent,
                                        sizeof(HANDLE), NULL, NULL)))
        {
            hc_settle(c, FALSE);
            DeleteProcThreadAttributeList(si.lpAttributeList);
            HeapFree(GetProcessHeap(), 0, attributes);
            return;
        }
        si.StartupInfo.cb = sizeof(si);
        flags |= EXTENDED_STARTUPINFO_PRESENT;
    }
    SetLastError(HC_POISON);
    done = CreateProcessW(a->exe, a->command_line, &process_sa, &thread_sa, a->inherit_handles, flags, NULL, NULL,
                        &si.StartupInfo, &pi);
    hc_settle(c, done);
    if (attributes)
    {
        DeleteProcThreadAttributeList(si.lpAttributeList);
        HeapFree(GetProcessHeap(), 0, attributes);
    }
    if (!done) return;
    c->handle = pi.hProcess;
    c->handle2 = pi.hThread;
    c->child_pid = pi.dwProcessId;
}
