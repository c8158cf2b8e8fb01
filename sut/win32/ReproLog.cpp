/* The reproducer's log, harness trouble, and the multi-process reproducer's
 * fail(): what did not hold in a step, kept for its line (ReproRuntime.h). */
#include "ReproRuntime.h"

struct shared *shared;
int me = -1;
LONG current_part;
char mapping_name[64];
char self_command[MAX_PATH + 64];
void (*report_step)(const struct part *p, const struct step_outcome *o);
void (*report_block)(const struct block *b, const char *row, BOOL allowed);
int repro_run = 1;

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

/* A step of a parallel block keeps what did not hold in its own record. */
static void fail_in_block(struct block_record *r, const char *why)
{
    size_t used = strlen(r->why);
    if (r->failed && used + 2 < sizeof(r->why))
    {
        strcpy(r->why + used, "; ");
        used += 2;
    }
    while (*why && used + 1 < sizeof(r->why)) r->why[used++] = *why++;
    r->why[used] = 0;
    r->failed = 1;
}

/* An expectation that did not hold: kept for the step's line. */
void fail(const char *format, ...)
{
    char buffer[512];
    size_t used = strlen(shared->step_why);
    struct block_record *r =
        repro_tls == TLS_OUT_OF_INDEXES ? NULL : (struct block_record *)TlsGetValue(repro_tls);
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, sizeof(buffer), format, args);
    va_end(args);
    buffer[sizeof(buffer) - 1] = 0;
    if (r)
    {
        fail_in_block(r, buffer);
        return;
    }
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
