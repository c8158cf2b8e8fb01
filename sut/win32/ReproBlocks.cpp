/* Parallel blocks in a reproducer (ReproRuntime.h). When the turn reaches a
 * block, every scenario process that owns a branch starts one thread per
 * branch (CreateThread, its handle closed at once so the scenario's handle
 * table is what the scenario made); the threads wait at a barrier and all
 * leave it together, each runs its branch's steps back to back and keeps
 * each step's result and failed expectations in the shared mapping. The
 * coordinator then logs the steps and checks the block's row (its steps'
 * results) against the rows the model allows.
 *
 * The barrier is a spinning counter in the shared mapping, not an event:
 * it reaches every scenario process without a handle in any of their
 * tables (a named event would be one more entry that steps count and
 * children may inherit), and spinning threads leave it within a few
 * instructions of each other, where an event's waiters wake one after the
 * other in the scheduler's order. */
#include "ReproRuntime.h"

DWORD repro_tls = TLS_OUT_OF_INDEXES;

const struct block *block_at(LONG turn)
{
    int i;
    for (i = 0; i < repro_blocks; i++)
        if (blocks[i].first == turn) return &blocks[i];
    return NULL;
}

struct branch_run
{
    const struct block *b;
    int branch;
};

/* Waits at the barrier: every thread of the block made (its handle closed)
 * and waiting. Yields now and then: there may be more threads than CPUs. */
static void barrier(int index, int total)
{
    LONG spins = 0;
    InterlockedIncrement(&shared->block_arrived[index]);
    while (shared->block_arrived[index] < total || shared->block_ready[index] < total)
    {
        if (shared->trouble || shared->quit) ExitThread(0);
        if (++spins % 1024 == 0)
            SwitchToThread();
        else
            YieldProcessor();
    }
}

static DWORD WINAPI branch_main(void *arg)
{
    const struct branch_run *run = (const struct branch_run *)arg;
    const struct block *b = run->b;
    int index = (int)(b - blocks), i;
    barrier(index, b->branches);
    for (i = b->start[run->branch]; i < b->start[run->branch + 1]; i++)
    {
        TlsSetValue(repro_tls, &shared->record[b->records + i]);
        parts[b->first + i].run();
    }
    TlsSetValue(repro_tls, NULL);
    InterlockedIncrement(&shared->block_done[index]);
    return 0;
}

/* A process that runs branches holds the processes the block's
 * DuplicateHandle calls name (b->hold) open for the block, released by
 * release_block_processes once the turn has left it, as the agent does: a
 * process handle opened during the call could receive the value a
 * concurrent CloseHandle had just freed, and the call would then copy, or
 * close with DUPLICATE_CLOSE_SOURCE, that process handle instead of the
 * scenario's handle. */
static void hold_block_processes(const struct block *b)
{
    int k, p;
    for (k = 0; k < b->branches; k++)
        if (parts[b->first + b->start[k]].process == me) break;
    if (k == b->branches) return;
    for (p = 0; p < repro_processes; p++)
        if (p != me && (b->hold & (1u << p)) && shared->pid[p]) hc_hold_dup_process((DWORD)shared->pid[p]);
}

void release_block_processes(void)
{
    hc_release_dup_processes();
}

void start_branches(const struct block *b)
{
    static struct branch_run runs[REPRO_MAX_BRANCHES];
    int index = (int)(b - blocks), k;
    if (repro_tls == TLS_OUT_OF_INDEXES && (repro_tls = TlsAlloc()) == TLS_OUT_OF_INDEXES)
        trouble("TlsAlloc failed, error %lu", GetLastError());
    hold_block_processes(b);
    for (k = 0; k < b->branches; k++)
    {
        HANDLE thread;
        if (parts[b->first + b->start[k]].process != me) continue;
        runs[k].b = b;
        runs[k].branch = k;
        thread = CreateThread(NULL, 0, branch_main, &runs[k], 0, NULL);
        if (!thread) trouble("CreateThread failed, error %lu", GetLastError());
        CloseHandle(thread);
        InterlockedIncrement(&shared->block_ready[index]);
    }
}

void record_result(const struct hc_call *c)
{
    struct block_record *r;
    if (repro_tls == TLS_OUT_OF_INDEXES || !(r = (struct block_record *)TlsGetValue(repro_tls))) return;
    if (c->succeeded && !c->would_block && c->has_data)
        snprintf(r->result, sizeof(r->result), "%s, data=%.*s", outcome_text(c), (int)c->data_len, c->data);
    else
        snprintf(r->result, sizeof(r->result), "%s", outcome_text(c));
    r->result[sizeof(r->result) - 1] = 0;
}

/* Every step of the block as the log shows steps, then its row: one of the
 * allowed rows, or a departure of its own. */
void judge_block(const struct block *b)
{
    char row[REPRO_MAX_BLOCK_STEPS * 8 + REPRO_RESULT_SIZE * 24];
    BOOL allowed = FALSE;
    int i;
    row[0] = 0;
    for (i = 0; i < b->count; i++)
    {
        const struct block_record *r = &shared->record[b->records + i];
        current_part = b->first + i;
        begin_step();
        if (r->failed) fail("%s", r->why);
        end_step();
        if (i) strcat(row, " | ");
        strcat(row, r->result);
    }
    for (i = 0; i < b->allowed_count; i++)
        if (!strcmp(row, b->allowed[i])) allowed = TRUE;
    if (allowed)
        log_printf("block from line %d: %s: an interleaving the model allows\n", b->line, row);
    else
    {
        log_printf("block from line %d: %s: no interleaving the model allows gives these results "
                   "(run %d; the %d rows it allows are in blocks[])\n", b->line, row, repro_run, b->allowed_count);
        InterlockedIncrement(&shared->failures);
    }
    if (report_block) report_block(b, row, allowed);
    InterlockedExchange(&shared->turn, b->first + b->count);
}

void skip_block(const struct block *b)
{
    int i;
    for (i = 0; i < b->count; i++)
    {
        current_part = b->first + i;
        begin_step();
        fail("not run, %s is not running", process_label[parts[current_part].process]);
        end_step();
    }
    InterlockedExchange(&shared->turn, b->first + b->count);
}
