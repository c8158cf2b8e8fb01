/* The reproducer's driver (ReproRuntime.h). The coordinator creates the
 * shared mapping and a job object, starts P0, and watches: it prints the log,
 * reports each ended step, makes exits synchronous, skips the steps of a
 * process that is not running, and ends the run. Every scenario process (this
 * program run again with `child INDEX MAPPING`) runs the parts that are its
 * own, in turn. */
#include "ReproRuntime.h"

/* ---- a scenario process ------------------------------------------------ */

/* Every handle its parent noted as inherited is open here at the parent's
 * value, with HANDLE_FLAG_INHERIT (SPEC 22). */
void check_inherited(void)
{
    int i;
    for (i = 0; i < repro_slots; i++)
    {
        DWORD flags = 0;
        if (!shared->inherited[me][i]) continue;
        if (!GetHandleInformation(handle_of(i), &flags))
            fail("expected %s (%p) inherited by %s at the same value (SPEC 22), got an invalid handle",
                 slot_name[i], handle_of(i), process_label[me]);
        else
            expect(flags & HANDLE_FLAG_INHERIT, "expected %s (%p) in %s to keep HANDLE_FLAG_INHERIT (SPEC 22), "
                   "got noinherit", slot_name[i], handle_of(i), process_label[me]);
    }
}

/* Maps the shared state; the view keeps the mapping alive, so the handle is
 * closed and the process's handle table belongs to the scenario alone. */
BOOL map_shared(const char *name)
{
    HANDLE mapping = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    if (!mapping) return FALSE;
    shared = (struct shared *)MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(*shared));
    CloseHandle(mapping);
    return shared != NULL;
}

int scenario_process(int index, const char *name)
{
    const struct block *b;
    LONG started = -1;   /* the block whose branches this process started */
    if (!map_shared(name) || index < 0 || index >= repro_processes) return 2;
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
        if (started >= 0 && turn != started)
        {
            release_block_processes();
            started = -1;
        }
        if (turn < repro_parts && (b = block_at(turn)) != NULL)
        {
            if (started != turn) start_branches(b);
            started = turn;
            Sleep(1);
        }
        else if (turn < repro_parts && parts[turn].process == me)
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

/* ---- the coordinator --------------------------------------------------- */

HANDLE repro_job, repro_mapping;
LONG repro_printed, repro_reported;

/* The log as it grows; after the first run, only a run that does not end
 * well prints it (end_run). */
void print_log(void)
{
    LONG len = shared->log_len;
    if (len <= repro_printed || repro_run > 1) return;
    fwrite(shared->log + repro_printed, 1, len - repro_printed, stdout);
    fflush(stdout);
    repro_printed = len;
}

/* Hands each step that ended before part `turn` to report_step. */
void report_steps(LONG turn)
{
    for (; repro_reported < turn && repro_reported < repro_parts; repro_reported++)
        if (report_step && shared->outcome[repro_reported].ended)
            report_step(&parts[repro_reported], &shared->outcome[repro_reported]);
}

int end_run(int status)
{
    InterlockedExchange(&shared->quit, 1);
    /* JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: no scenario process outlives the run */
    if (repro_job) CloseHandle(repro_job);
    repro_job = NULL;
    print_log();
    report_steps(shared->turn);
    if (status == 0 && shared->failures) status = 1;
    if (repro_run > 1 && status != 0)
    {
        printf("run %d:\n", repro_run);
        fwrite(shared->log, 1, shared->log_len, stdout);
    }
    if (repro_run > 1 && status == 0)
        return status;  /* run_scenario says how the runs ended */
    if (status == 2)
        printf("harness trouble: the run is not conclusive\n");
    else if (status == 1)
        printf("%ld step(s) departed from the scenario\n", (long)shared->failures);
    else
        printf("every expectation holds\n");
    fflush(stdout);
    return status;
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
    if (WaitForSingleObject(process, repro_step_timeout_ms) != WAIT_OBJECT_0)
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
        begin_step();
        fail("not run, %s is not running", process_label[p->process]);
        while (!parts[turn].last) turn++;
    }
    else
        fail("not checked in %s, which is not running", process_label[p->process]);
    end_step();
    InterlockedExchange(&shared->turn, turn + 1);
}

/* The shared mapping, under a name of this run, and the run's object-name prefix. */
BOOL create_shared(void)
{
    HANDLE mapping;
    char prefix[32];
    int i;
    if (shared) UnmapViewOfFile(shared);
    if (repro_mapping) CloseHandle(repro_mapping);
    shared = NULL;
    sprintf(mapping_name, "repro-%lu-%lu-%d", (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(),
            repro_run);
    repro_mapping = mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(struct shared),
                                 mapping_name);
    if (!mapping)
    {
        printf("harness trouble: CreateFileMapping failed, error %lu\n", GetLastError());
        return FALSE;
    }
    shared = (struct shared *)MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(*shared));
    if (!shared)
    {
        printf("harness trouble: MapViewOfFile failed, error %lu\n", GetLastError());
        return FALSE;
    }
    sprintf(prefix, "repro%lux%lux%d_", (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(),
            repro_run);
    for (i = 0; prefix[i]; i++) shared->prefix[i] = (WCHAR)prefix[i];
    return TRUE;
}

/* A job object that ends every scenario process when the coordinator ends. */
void create_job(void)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    repro_job = CreateJobObjectW(NULL, NULL);
    ZeroMemory(&limits, sizeof(limits));
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (repro_job && !SetInformationJobObject(repro_job, JobObjectExtendedLimitInformation, &limits, sizeof(limits)))
    {
        CloseHandle(repro_job);
        repro_job = NULL;
    }
}

/* P0 is a child like the others, started with bInheritHandles=FALSE so it
 * holds none of the coordinator's handles; suspended until it is in the job. */
void start_p0(void)
{
    WCHAR exe[MAX_PATH], cmdline[2 * MAX_PATH];
    struct hc_spawn_args args;
    struct hc_call c;
    child_command_line(exe, cmdline, 0);
    ZeroMemory(&args, sizeof(args));
    args.list_size = args.parent_size = -1;  /* the right sizes (SPEC 79) */
    ZeroMemory(&c, sizeof(c));
    args.exe = exe;
    args.command_line = cmdline;
    args.list_len = -1;
    args.extra_flags = CREATE_SUSPENDED;
    hc_spawn(&c, &args);
    if (!c.succeeded) trouble("CreateProcess(P0) failed, error %lu", c.error);
    if (!repro_job || !AssignProcessToJobObject(repro_job, c.handle))
        printf("note: no job object (error %lu): processes left at the end are not ended for us\n",
               GetLastError());
    ResumeThread(c.handle2);
    CloseHandle(c.handle2);
    CloseHandle(c.handle);
    wait_until(&shared->state[0], STATE_RUNNING, "P0 did not start");
}

/* Every process that runs a branch of b is running. */
BOOL branches_running(const struct block *b)
{
    int k;
    for (k = 0; k < b->branches; k++)
        if (shared->state[parts[b->first + b->start[k]].process] != STATE_RUNNING) return FALSE;
    return TRUE;
}

int coordinator(void)
{
    DWORD since;
    LONG turn, seen = -1;
    const struct block *b;

    if (!create_shared()) return 2;
    repro_printed = repro_reported = 0;
    current_part = -1;
    create_job();
    start_p0();
    since = GetTickCount();
    for (;;)
    {
        print_log();
        if (shared->trouble) return end_run(2);
        turn = shared->turn;
        report_steps(turn);
        if (turn >= repro_parts) break;
        if (turn != seen)
        {
            seen = turn;
            since = GetTickCount();
        }
        if (shared->exiting)
            watch_exit();
        else if ((b = block_at(turn)) != NULL && !branches_running(b))
            skip_block(b);
        else if (b && shared->block_done[b - blocks] == b->branches)
            judge_block(b);
        else if (!b && shared->state[parts[turn].process] != STATE_RUNNING)
            skip_part(turn);
        else if (GetTickCount() - since > repro_step_timeout_ms)
        {
            current_part = turn;
            trouble("%s did not answer within %u ms", process_label[parts[turn].process],
                    (unsigned)repro_step_timeout_ms);
        }
        else
            Sleep(1);
    }
    return end_run(0);
}

/* The scenario run repro_runs times (REPRO_RUNS in the environment, if set),
 * each time with new processes and objects, until a run does not end well:
 * one run sees one schedule of its parallel blocks. Returns that run's
 * status, or 0 when every run held. */
int run_scenario(void)
{
    const char *env = getenv("REPRO_RUNS");
    int runs = env && atoi(env) > 0 ? atoi(env) : repro_runs, status = 0;
    for (repro_run = 1; repro_run <= runs; repro_run++)
        if ((status = coordinator()) != 0) break;
    if (!repro_blocks) return status;
    if (status == 0)
        printf("every expectation holds in all %d runs: no departure showed within %d runs\n", runs, runs);
    else if (status == 1)
        printf("run %d of at most %d departs\n", repro_run, runs);
    fflush(stdout);
    return status;
}

/* A scenario process: INDEX and the shared mapping's name from its command line. */
void run_child(const char *index_text, const char *mapping)
{
    int index = 0;
    const char *p;
    for (p = index_text; *p >= '0' && *p <= '9'; p++) index = index * 10 + (*p - '0');
    /* kernelbase opens a cached \\BaseNamedObjects handle on a process's
     * first named-object call; made now, it never takes a value that a
     * step has just closed (handlecheck's agents do the same). */
    OpenEventW(SYNCHRONIZE, FALSE, L"handlecheck-warm-up");
    ExitProcess(scenario_process(index, mapping));
}
