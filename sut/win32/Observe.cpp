/* Observing a handle (Calls.h): GetHandleInformation for the flags,
 * NtQueryObject for HandleCount and the type name, GetMailslotInfo for the
 * messages waiting on a mailslot server, and CompareObjectHandles for
 * sameness. ntdll and kernelbase entry points are looked up at run time, so
 * nothing needs an import library beyond kernel32. */
#include "Calls.h"

typedef LONG (WINAPI *hc_NtQueryObject)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG (WINAPI *hc_NtCompareObjects)(HANDLE, HANDLE);
typedef LONG (WINAPI *hc_NtQuerySystemInformation)(ULONG, PVOID, ULONG, PULONG);
typedef BOOL (WINAPI *hc_CompareObjectHandles)(HANDLE, HANDLE);

/* winternl.h differs between MinGW and the Windows SDK: our own layouts
 * (from the DDK, stable since NT4) of what we read. ObjectBasicInformation: */
struct hc_object_basic_information
{
    ULONG attributes;
    ACCESS_MASK granted_access;
    ULONG handle_count;
    ULONG pointer_count;
    ULONG reserved[10];
};

/* UNICODE_STRING, at the start of ObjectTypeInformation. */
struct hc_counted_string
{
    USHORT length;            /* in bytes */
    USHORT maximum_length;
    PWSTR buffer;
};

/* SystemExtendedHandleInformation entries, for hc_same_object's fallback. */
struct hc_handle_entry_ex
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

struct hc_handle_information_ex
{
    ULONG_PTR count;
    ULONG_PTR reserved;
    struct hc_handle_entry_ex handles[1];
};

#define HC_OBJECT_BASIC_INFORMATION 0
#define HC_OBJECT_TYPE_INFORMATION 2
#define HC_SYSTEM_EXTENDED_HANDLE_INFORMATION 64
#define HC_STATUS_INFO_LENGTH_MISMATCH ((LONG)0xc0000004)

/* GetProcAddress, through void (*)(void) so that no compiler warns about the cast. */
void (*hc_get_proc(const WCHAR *module, const char *name))(void)
{
    HMODULE m = GetModuleHandleW(module);
    return m ? (void (*)(void))GetProcAddress(m, name) : NULL;
}

/* Several calls make one observation. A close on another thread between
 * them would tear it (valid, yet no HandleCount nor type): such an
 * observation is made again, so that it reads as one instant, and the
 * second GetHandleInformation tells a torn one from a handle the queries
 * cannot read. */
void hc_observe(HANDLE h, struct hc_observation *o)
{
    hc_NtQueryObject query = (hc_NtQueryObject)hc_get_proc(L"ntdll.dll", "NtQueryObject");
    struct hc_object_basic_information basic;
    ULONG_PTR type_buffer[1024 / sizeof(ULONG_PTR)];
    DWORD next = 0, flags = 0;
    ULONG len = 0;
    int attempt;

    for (attempt = 0; attempt < 3; attempt++)
    {
        ZeroMemory(o, sizeof(*o));
        o->valid = GetHandleInformation(h, &o->flags);
        if (!o->valid) return;
        o->is_mailslot = GetMailslotInfo(h, NULL, &next, &o->messages, NULL);
        if (!o->is_mailslot) o->messages = 0;
        if (!query) return;
        ZeroMemory(&basic, sizeof(basic));
        if (query(h, HC_OBJECT_BASIC_INFORMATION, &basic, sizeof(basic), &len) >= 0)
        {
            o->has_count = TRUE;
            o->count = basic.handle_count;
            o->access = basic.granted_access;
        }
        ZeroMemory(type_buffer, sizeof(type_buffer));
        if (query(h, HC_OBJECT_TYPE_INFORMATION, type_buffer, sizeof(type_buffer), &len) >= 0)
        {
            const struct hc_counted_string *name = (const struct hc_counted_string *)type_buffer;
            int i, n = name->buffer ? name->length / (int)sizeof(WCHAR) : 0;
            if (n > (int)sizeof(o->type) - 1) n = sizeof(o->type) - 1;
            for (i = 0; i < n; i++) o->type[i] = (char)name->buffer[i];  /* NT type names are ASCII */
            o->type[n] = 0;
        }
        if ((o->has_count && o->type[0]) || GetHandleInformation(h, &flags)) return;
    }
}

/* The object a handle of this process refers to, from the system handle
 * table; NULL if it is not listed (or the system hides object addresses). */
PVOID hc_object_address(HANDLE h)
{
    hc_NtQuerySystemInformation query =
        (hc_NtQuerySystemInformation)hc_get_proc(L"ntdll.dll", "NtQuerySystemInformation");
    ULONG size = 1 << 20, i;
    struct hc_handle_information_ex *info = NULL;
    PVOID object = NULL;
    LONG status;

    if (!query) return NULL;
    for (;;)
    {
        info = (struct hc_handle_information_ex *)HeapAlloc(GetProcessHeap(), 0, size);
        if (!info) return NULL;
        status = query(HC_SYSTEM_EXTENDED_HANDLE_INFORMATION, info, size, NULL);
        if (status != HC_STATUS_INFO_LENGTH_MISMATCH || size >= (1u << 28)) break;
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

/* CompareObjectHandles (kernelbase, Windows 10 1607+ and Wine) first, then
 * NtCompareObjects (ntdll, the same call underneath); on older systems the
 * object addresses of the system handle table, which Windows 7-8.1 report. */
int hc_same_object(HANDLE a, HANDLE b)
{
    hc_CompareObjectHandles compare =
        (hc_CompareObjectHandles)hc_get_proc(L"kernelbase.dll", "CompareObjectHandles");
    hc_NtCompareObjects nt_compare;
    PVOID x, y;

    if (!compare) compare = (hc_CompareObjectHandles)hc_get_proc(L"kernel32.dll", "CompareObjectHandles");
    if (compare) return compare(a, b) ? 1 : 0;
    nt_compare = (hc_NtCompareObjects)hc_get_proc(L"ntdll.dll", "NtCompareObjects");
    if (nt_compare) return nt_compare(a, b) == 0 ? 1 : 0;
    x = hc_object_address(a);
    y = hc_object_address(b);
    if (!x || !y) return -1;
    return x == y ? 1 : 0;
}

int hc_own_handles(HANDLE *out, int max, ULONG_PTR highest)
{
    DWORD flags = 0;
    ULONG_PTR value;
    int found = 0;

    for (value = 4; value <= highest; value += 4)
    {
        if (!GetHandleInformation((HANDLE)value, &flags)) continue;
        if (found < max) out[found] = (HANDLE)value;
        found++;
    }
    return found;
}

/* After hc_observe, which it calls (a reproducer embeds the two in this order). */
void hc_signal(struct hc_call *c, HANDLE h)
{
    struct hc_observation o;
    BOOL done;
    hc_observe(h, &o);  /* the type decides the call; reading it needs no right */
    SetLastError(HC_POISON);
    if (!lstrcmpA(o.type, "Semaphore"))
        done = ReleaseSemaphore(h, 1, NULL);
    else if (!lstrcmpA(o.type, "Mutant"))
        done = ReleaseMutex(h);
    else
        done = SetEvent(h);
    hc_settle(c, done);
}
