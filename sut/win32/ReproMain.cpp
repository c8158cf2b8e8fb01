/* The reproducer as a program of its own (ReproRuntime.h): run without
 * arguments it is the coordinator, run as `child INDEX MAPPING` a scenario
 * process. */
#include "ReproRuntime.h"

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "child")) run_child(argv[2], argv[3]);
    if (argc != 1)
    {
        printf("usage: %s\n(exit status 0: every expectation holds, in every run with parallel blocks;\n"
               "1: the system departs; 2: harness trouble. REPRO_RUNS=N: run a scenario with blocks N times)\n",
               argv[0]);
        return 2;
    }
    return run_scenario();
}
