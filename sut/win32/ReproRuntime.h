#pragma once
/* The runtime of a generated reproducer: a scenario run for real across real
 * processes, in the manner of a Wine conformance test. A coordinator (the
 * program run without arguments) creates a named file mapping every process
 * shares (whose turn it is, the handle value bound to each scenario name, a
 * log) and a job object that ends every process with it, then starts P0.
 * Each scenario process (the program run again with `child INDEX MAPPING`)
 * runs its own parts of the steps when their turn comes; the coordinator
 * reports how each step ended.
 *
 * Valid C and C++. The generator writes, after this runtime: the scenario's
 * shape (the repro_* constants, process_label[], slot_name[]), one function
 * per step part, parts[], the error names, then the entry point: main()
 * (ReproMain.cpp) for a program of its own, START_TEST (ReproWineTest.c) for
 * a test in the conventions of Wine's conformance tests. Built with the call
 * layer (Calls.h) and embedded like it (sut/win32/CMakeLists.txt). */
#include "Calls.h"
#include "ReproChecks.h"

#define REPRO_MAX_PROCESSES 100   /* a scenario process index fits two digits */
#define REPRO_MAX_SLOTS 512       /* handle names, over all processes */
#define REPRO_MAX_PARTS 1024      /* step parts, over the whole scenario */
#define REPRO_LOG_SIZE 65536
#define REPRO_MAX_BLOCKS 16       /* parallel blocks in a scenario */
#define REPRO_MAX_BRANCHES 3      /* branches in a block */
#define REPRO_MAX_BLOCK_STEPS 64  /* steps in blocks, over the whole scenario */
#define REPRO_RESULT_SIZE 160     /* one step's result in a block row */

/* One part of a step: the step itself, or the checks on its handle when that
 * handle lives in another process. */
struct part
{
    int process;              /* which scenario process runs it */
    int line;                 /* its line in the scenario */
    const char *text;         /* the step as written (without expectations) */
    int first, last;          /* a step is one part, or two when a check runs in another process */
    void (*run)(void);
};

/* The scenario's shape, written by the generator. */
extern const int repro_processes;           /* scenario processes, P0 first */
extern const int repro_slots;               /* handle names, one per (process, name) */
extern const int repro_parts;
extern const DWORD repro_step_timeout_ms;   /* a step taking longer is harness trouble */
extern const char *const process_label[];
extern const char *const slot_name[];
extern const struct part parts[];

/* A parallel block (ReproBlocks.cpp): parts first .. first + count - 1, one
 * per step, branch by branch; branch k is parts first + start[k] ..
 * first + start[k + 1] - 1, all in one scenario process, run on a thread of
 * its own. `allowed` are the rows the model allows: each interleaving's
 * step results in part order, joined by " | " (the generator tabulates
 * them). */
struct block
{
    int first, count, branches;
    int start[REPRO_MAX_BRANCHES + 1];
    int records;              /* index of its first step's block_record */
    int line;                 /* the line of its first step */
    const char *const *allowed;
    int allowed_count;
    /* The Wine-style test: rows only Wine's known quirks give (the model's
     * wine profile), which it marks todo_wine; NULL elsewhere. */
    const char *const *wine_only;
    int wine_only_count;
    /* The scenario processes (bit i: process i) a DuplicateHandle of the
     * block names besides its caller, held open by the processes that run
     * branches while it runs (ReproBlocks.cpp). */
    unsigned hold;
};
extern const int repro_blocks;
extern const struct block blocks[];
/* How many times a scenario with blocks runs, each time afresh, until a run
 * departs; the environment variable REPRO_RUNS overrides it. 1 without blocks. */
extern const int repro_runs;

/* What a step of a block did, kept by its thread. */
struct block_record
{
    LONG failed;                        /* an explicit expectation did not hold ... */
    char why[512];                      /* ... and this is what */
    char result[REPRO_RESULT_SIZE];     /* its entry in the block's row (record_result) */
};

/* How a step ended, kept by the part that ended it for the coordinator's
 * report. */
struct step_outcome
{
    volatile LONG ended;
    LONG failed;              /* an expectation did not hold ... */
    LONG why_at, why_len;     /* ... and this is what, in the log */
};

enum process_state { STATE_NOT_STARTED, STATE_RUNNING, STATE_EXITED, STATE_NEVER_STARTED };

/* The shared mapping. Only the process whose turn it is writes to it (the
 * coordinator waits). */
struct shared
{
    volatile LONG turn;                   /* index into parts[] of the part that runs now */
    volatile LONG trouble;                /* harness trouble: everyone stops, exit 2 */
    volatile LONG failures;               /* steps whose expectations did not all hold */
    volatile LONG quit;                   /* the run is over: scenario processes leave */
    volatile LONG exiting;                /* 1 + index of a process about to exit, or 0 */
    volatile LONG exit_watched;           /* the coordinator holds a handle to it */
    volatile LONG state[REPRO_MAX_PROCESSES];  /* enum process_state */
    volatile DWORD pid[REPRO_MAX_PROCESSES];
    volatile LONG inherited[REPRO_MAX_PROCESSES][REPRO_MAX_SLOTS];  /* spawn: the child holds this slot's value */
    volatile ULONG64 slot[REPRO_MAX_SLOTS];  /* the handle value bound to each scenario name */
    WCHAR prefix[32];                     /* per-run prefix of every object name */
    int step_failed;                      /* the step in progress ... */
    char step_why[2048];                  /* ... and what did not hold */
    struct step_outcome outcome[REPRO_MAX_PARTS];  /* by part */
    /* Parallel blocks, by index in blocks[]: the barrier (threads made and
     * their handles closed, threads waiting) and the threads done. */
    volatile LONG block_ready[REPRO_MAX_BLOCKS];
    volatile LONG block_arrived[REPRO_MAX_BLOCKS];
    volatile LONG block_done[REPRO_MAX_BLOCKS];
    struct block_record record[REPRO_MAX_BLOCK_STEPS];
    volatile LONG log_len;
    char log[REPRO_LOG_SIZE];
};

extern struct shared *shared;
extern int me;                 /* this scenario process's index; -1 in the coordinator */
extern LONG current_part;      /* the part this process runs */
extern char mapping_name[64];
/* How this program starts itself again: in a Wine test "\"argv[0]\" TEST"
 * (winetest_get_mainargs); empty: the module's path. "child INDEX MAPPING"
 * follows. */
extern char self_command[MAX_PATH + 64];
/* The coordinator's report of each ended step besides the log (Wine's ok()
 * in a Wine test); NULL: the log alone. */
extern void (*report_step)(const struct part *p, const struct step_outcome *o);
/* The coordinator's report of a block's row besides the log: `allowed`
 * when the model allows it. NULL: the log alone. */
extern void (*report_block)(const struct block *b, const char *row, BOOL allowed);
extern int repro_run;          /* which run this is, from 1 */

/* ReproLog.cpp: the log, harness trouble, and the steps; its fail() is the
 * check library's (ReproChecks.h): kept for the step's line. */
void log_text(const char *text);
void log_printf(const char *format, ...);
void trouble(const char *format, ...);   /* log it, stop every process, exit 2 */
void begin_step(void);
void end_step(void);
void wait_until(volatile LONG *value, LONG want, const char *what);

/* ReproSteps.cpp: scenario names, object names, and the steps that need
 * more than one call of the call layer. */
HANDLE handle_of(int slot);
void bind_handle(int slot, HANDLE h);
void bind_value(int slot, HANDLE h);   /* a std slot's value: any number (SPEC 51) */
const WCHAR *object_name(const WCHAR *name);
void mark_exited(DWORD pid);
void child_command_line(WCHAR *exe, WCHAR *cmdline, int index);

/* How a step creates a scenario process. */
struct spawn_request
{
    int child;                    /* the new scenario process */
    BOOL inherit_handles;         /* bInheritHandles */
    int list_len;                 /* PROC_THREAD_ATTRIBUTE_HANDLE_LIST entries; -1: no list */
    HANDLE list[16];
    BOOL process_inherit;         /* lpProcessAttributes->bInheritHandle */
    BOOL thread_inherit;          /* lpThreadAttributes->bInheritHandle */
    int list_size;                /* SPEC 79: the list's cbSize in bytes; -1: the right one */
    int parent_size;              /* the parent's cbSize; -1: sizeof(HANDLE) */
    BOOL unknown_attribute;       /* attribute 0xcafe added (refused) */
    BOOL use_parent;              /* PROC_THREAD_ATTRIBUTE_PARENT_PROCESS (SPEC 82-85) ... */
    HANDLE parent;                /* ... with this process handle of the caller's */
    BOOL inherit_noted;           /* the designated parent ran note_inherited already */
    int count;                    /* the caller's names the child may inherit ... */
    const int *parent_slots;      /* ... as the caller knows them ... */
    const int *child_slots;       /* ... and as the child will */
    int process_slot, thread_slot;  /* `as HP HT` */
    BOOL console_given;           /* creation_flags replaces DETACHED_PROCESS (SPEC 54) */
    DWORD creation_flags;         /* DETACHED_PROCESS, CREATE_NEW_CONSOLE, CREATE_NO_WINDOW or 0 */
    BOOL use_std;                 /* STARTF_USESTDHANDLES with std[] (SPEC 55) */
    HANDLE std[3];                /* hStdInput, hStdOutput, hStdError */
    BOOL gui;                     /* a GUI-subsystem copy of this program (SPEC 59) */
    /* A step of a parallel block: what the child inherits depends on the
     * schedule, so every candidate name's value is passed on and none is
     * checked when the child starts (the steps after the block check). */
    BOOL in_block;
};
void spawn(struct hc_call *c, const struct spawn_request *r);
/* What the child of a spawn by r inherits from this process, in shared memory (the
 * caller's own spawn does it; a designated parent does it in its own part). */
void note_inherited(const struct spawn_request *r);
void duplicate(struct hc_call *c, HANDLE source, int target, BOOL inherit, DWORD options, int out_slot);
void duplicate_access(struct hc_call *c, HANDLE source, int target, DWORD access, BOOL inherit,
                      DWORD options, int out_slot);
void close_source_in(struct hc_call *c, int source, HANDLE h);
void wait_for(struct hc_call *c, HANDLE h);
/* GetStdHandle(id), its value bound to `slot` as it is (SPEC 51). */
void get_std(struct hc_call *c, DWORD id, int slot);
void terminate_process(struct hc_call *c, HANDLE process, UINT code);
void exit_process(UINT code);

/* ReproBlocks.cpp: parallel blocks. */
extern DWORD repro_tls;       /* a block thread's block_record; TLS_OUT_OF_INDEXES elsewhere */
const struct block *block_at(LONG turn);   /* the block whose first part is `turn`, or NULL */
void start_branches(const struct block *b);  /* this process's branches, each on a thread */
void release_block_processes(void);  /* ends what start_branches held for its block */
void record_result(const struct hc_call *c); /* a block step's result, for its row */
void judge_block(const struct block *b);     /* coordinator: log, check the row, pass the turn */
void skip_block(const struct block *b);      /* coordinator: a branch's process is not running */

/* ReproDriver.cpp: the coordinator and the scenario processes. */
int coordinator(void);                              /* one run; returns the exit status */
int run_scenario(void);                             /* repro_runs runs; returns the exit status */
void run_child(const char *index, const char *mapping);  /* does not return */
int end_run(int status);                            /* returns the exit status */
