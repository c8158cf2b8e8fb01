/* The reproducer's log, harness trouble, and its expectations (ReproRuntime.h). */
#include "ReproRuntime.h"

struct shared *shared;
int me = -1;
LONG current_part;
char mapping_name[64];
char self_command[MAX_PATH + 64];
void (*report_step)(const struct part *p, const struct step_outcome *o);

void log_text(const char *text)
{
    LONG at = shared->log_len, len = (LONG)strlen(text);
    if (at + len > REPRO_LOG_SIZE) len = REPRO_LOG_SIZE - at;
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
    if (current_part >= 0 && current_part < repro_parts)
        log_printf("line %d: %s: harness trouble: %s\n", parts[current_part].line,
                   parts[current_part].text, buffer);
    else
        log_printf("harness trouble: %s\n", buffer);
    InterlockedExchange(&shared->trouble, 1);
    ExitProcess(me < 0 ? end_run(2) : 2);
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

void begin_step(void)
{
    shared->step_failed = 0;
    shared->step_why[0] = 0;
}

/* Logs the step's line and keeps its outcome for the coordinator's report. */
void end_step(void)
{
    const struct part *p = &parts[current_part];
    struct step_outcome *o = &shared->outcome[current_part];
    log_printf("line %d: %s: ", p->line, p->text);
    o->failed = shared->step_failed;
    o->why_at = shared->log_len;
    log_text(shared->step_failed ? shared->step_why : "ok");
    o->why_len = shared->log_len - o->why_at;
    log_text("\n");
    if (shared->step_failed) InterlockedIncrement(&shared->failures);
    InterlockedExchange(&o->ended, 1);
}

/* Waits until *value == want; harness trouble after the step timeout. */
void wait_until(volatile LONG *value, LONG want, const char *what)
{
    DWORD start = GetTickCount();
    while (*value != want)
    {
        if (shared->trouble) ExitProcess(2);
        if (GetTickCount() - start > repro_step_timeout_ms)
            trouble("%s: no answer within %u ms", what, (unsigned)repro_step_timeout_ms);
        Sleep(1);
    }
}

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

void expect_same(HANDLE h, HANDLE other, const char *other_name)
{
    int same = hc_same_object(h, other);
    if (same < 0)
        fail("expected same=%s, got no answer (CompareObjectHandles unavailable or handle invalid)",
             other_name);
    else
        expect(same, "expected same=%s, got a different object", other_name);
}
