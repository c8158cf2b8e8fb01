/* The reproducers' one check library (ReproChecks.h): what a call returned
 * and what a handle looks like, each departure handed to fail(). Embedded
 * as text into every reproducer: the multi-process ones (after the runtime)
 * and the straight-line ones. */
#include "ReproChecks.h"

/* ---- what a call returned ---------------------------------------------- */

const char *error_text(DWORD error)
{
    static char buffers[4][64];
    static int next;
    char *buffer = buffers[next++ % 4];
    int i;
    for (i = 0; i < repro_error_count; i++)
        if (repro_error_names[i].code == error)
        {
            sprintf(buffer, "error=%s", repro_error_names[i].name);
            return buffer;
        }
    sprintf(buffer, "error=%lu", (unsigned long)error);
    return buffer;
}

const char *outcome_text(const struct hc_call *c)
{
    if (c->would_block) return "a call that would block";
    if (!c->succeeded) return error_text(c->error);
    return c->already_exists ? "ok, already-exists" : "ok";
}

void expect_ok(const struct hc_call *c)
{
    expect(c->succeeded, "expected ok, got %s", outcome_text(c));
}

void expect_error(const struct hc_call *c, DWORD error, const char *as_written)
{
    expect(!c->succeeded && !c->would_block && c->error == error, "expected error=%s, got %s", as_written,
           outcome_text(c));
}

void expect_already_exists(const struct hc_call *c)
{
    expect(c->already_exists, "expected already-exists, got %s", outcome_text(c));
}

void expect_data(const struct hc_call *c, const char *text)
{
    size_t len = strlen(text);
    if (!c->has_data)
        fail("expected data=%s, got no data (%s)", text, outcome_text(c));
    else
        expect(c->data_len == len && !memcmp(c->data, text, len), "expected data=%s, got data=%.*s",
               text, (int)c->data_len, c->data);
}

void expect_exit_code(const struct hc_call *c, DWORD code)
{
    if (!c->has_exit_code)
        fail("expected exitcode=%lu, got no exit code (%s)", (unsigned long)code, outcome_text(c));
    else
        expect(c->exit_code == code, "expected exitcode=%lu, got exitcode=%lu", (unsigned long)code,
               (unsigned long)c->exit_code);
}

void expect_avail(const struct hc_call *c, DWORD avail)
{
    if (!c->has_avail)
        fail("expected avail=%lu, got no avail (%s)", (unsigned long)avail, outcome_text(c));
    else
        expect(c->avail == avail, "expected avail=%lu, got avail=%lu", (unsigned long)avail,
               (unsigned long)c->avail);
}

void expect_instances(const struct hc_call *c, DWORD instances)
{
    if (!c->has_instances)
        fail("expected instances=%lu, got no instance count (%s)", (unsigned long)instances,
             outcome_text(c));
    else
        expect(c->instances == instances, "expected instances=%lu, got instances=%lu",
               (unsigned long)instances, (unsigned long)c->instances);
}

/* SPEC 78: the spawn's sizing call failed with ERROR_INSUFFICIENT_BUFFER and
 * reported `bytes`. */
void expect_attribute_list_size(const struct hc_call *c, DWORD bytes)
{
    if (!c->has_sizing)
        fail("expected attribute-list-size=%lu, got no sizing call", (unsigned long)bytes);
    else
        expect(c->sizing_error == ERROR_INSUFFICIENT_BUFFER && c->sizing_bytes == bytes,
               "expected attribute-list-size=%lu, got size %lu with error %s", (unsigned long)bytes,
               (unsigned long)c->sizing_bytes, error_text(c->sizing_error));
}

/* SPEC 51: what GetStdHandle returned is a plain value, compared as a number. */
void expect_value(const struct hc_call *c, HANDLE want, const char *as_written)
{
    if (!c->succeeded)
        fail("expected value=%s, got %s", as_written, outcome_text(c));
    else
        expect(c->handle == want, "expected value=%s (%p), got value=%p", as_written, want, c->handle);
}

/* ---- what a handle looks like ------------------------------------------ */

void expect_valid(HANDLE h)
{
    struct hc_observation o;
    hc_observe(h, &o);
    expect(o.valid, "expected valid, got invalid");
}

void expect_invalid(HANDLE h)
{
    struct hc_observation o;
    hc_observe(h, &o);
    expect(!o.valid, "expected invalid, got valid");
}

/* inherit / noinherit / protect / noprotect */
void expect_flag(HANDLE h, DWORD flag, BOOL on, const char *name)
{
    struct hc_observation o;
    BOOL is_on;
    hc_observe(h, &o);
    if (!o.valid)
    {
        fail("expected %s%s, got invalid", on ? "" : "no", name);
        return;
    }
    is_on = (o.flags & flag) != 0;
    expect(is_on == on, "expected %s%s, got %s%s", on ? "" : "no", name, is_on ? "" : "no", name);
}

/* count=N, count>=N. SPEC 29: for processes and threads the system may hold
 * handles too, so there HandleCount is only a lower bound. */
void expect_count(HANDLE h, ULONG count, BOOL at_least)
{
    struct hc_observation o;
    hc_observe(h, &o);
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
    expect(at_least ? o.count >= count : o.count == count, "expected count%s%lu, got count=%lu",
           at_least ? ">=" : "=", (unsigned long)count, (unsigned long)o.count);
}

void expect_type(HANDLE h, const char *type)
{
    struct hc_observation o;
    hc_observe(h, &o);
    if (!o.valid)
        fail("expected type=%s, got invalid", type);
    else
        expect(!strcmp(o.type, type), "expected type=%s, got type=%s", type, o.type);
}

/* messages=N: GetMailslotInfo's count on a mailslot server handle. */
void expect_messages(HANDLE h, DWORD messages)
{
    struct hc_observation o;
    hc_observe(h, &o);
    if (!o.is_mailslot)
        fail("expected messages=%lu, got no mailslot server handle", (unsigned long)messages);
    else
        expect(o.messages == messages, "expected messages=%lu, got messages=%lu", (unsigned long)messages,
               (unsigned long)o.messages);
}

void expect_access(HANDLE h, DWORD access)
{
    struct hc_observation o;
    hc_observe(h, &o);
    if (!o.valid || !o.has_count)
        fail("expected access=0x%lx, got no granted access", (unsigned long)access);
    else
        expect(o.access == access, "expected access=0x%lx, got access=0x%lx", (unsigned long)access,
               (unsigned long)o.access);
}

void expect_same(HANDLE h, HANDLE other, const char *other_name)
{
    int same = hc_same_object(h, other);
    if (same < 0)
        fail("expected same=%s, got no answer (CompareObjectHandles unavailable or handle invalid)",
             other_name);
    else
        expect(same, "expected same=%s, got a different object", other_name);
}
