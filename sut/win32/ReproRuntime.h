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

/* ReproDriver.cpp: the coordinator and the scenario processes. */
int coordinator(void);                              /* returns the exit status */
void run_child(const char *index, const char *mapping);  /* does not return */
int end_run(int status);                            /* returns the exit status */
