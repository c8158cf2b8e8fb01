/* The reproducer as a test in the conventions of Wine's conformance tests
 * (ReproRuntime.h): the coordinator is the test, each scenario process the
 * test started again, as dlls/kernel32/tests do, with its arguments after
 * the test's name. Every check runs where its step runs, mostly in another
 * process: a scenario process's exit code is the scenario's own (`exit`,
 * `terminate`, `exitcode=`), so its failures cannot be counted the way
 * winetest_wait_child_process counts a child's. They reach the test
 * through the shared mapping instead, and the test checks each step's
 * outcome with ok(). */
#include "wine/test.h"

/* The step's expectations, from the scenario (the documented outcome). */
static void ok_step(const struct part *p, const struct step_outcome *o)
{
    ok(!o->failed, "run %d: line %d: %s: %.*s\n", repro_run, p->line, p->text, (int)o->why_len,
       shared->log + o->why_at);
}

/* A parallel block's results are one of the rows the model allows; a row
 * only Wine's known quirks give is todo_wine. */
static void ok_block(const struct block *b, const char *row, BOOL allowed)
{
    BOOL quirk = FALSE;
    int i;
    for (i = 0; i < b->wine_only_count; i++)
        if (!strcmp(row, b->wine_only[i])) quirk = TRUE;
    if (quirk)
        todo_wine ok(allowed, "run %d: block from line %d: no interleaving the model allows gives %s\n",
                     repro_run, b->line, row);
    else
        ok(allowed, "run %d: block from line %d: no interleaving the model allows gives %s\n", repro_run,
           b->line, row);
}

START_TEST(handlecheck)
{
    char **argv;
    int argc = winetest_get_mainargs(&argv);

    snprintf(self_command, sizeof(self_command), "\"%s\" %s", argv[0], argc > 1 ? argv[1] : "handlecheck");
    if (argc == 5 && !strcmp(argv[2], "child")) run_child(argv[3], argv[4]);
    report_step = ok_step;
    report_block = ok_block;
    ok(run_scenario() != 2, "harness trouble: the run is not conclusive\n");
}
