/* A minimal stand-in for Wine's include/wine/test.h: enough of its
 * conventions (ok(), START_TEST, winetest_get_mainargs) for the tests
 * handlecheck writes to build with MinGW-w64 outside Wine's tree and run
 * under Wine or Windows. Each failed ok() prints "FILE:LINE: Test failed:
 * MESSAGE"; the program exits 1 when any failed, 0 otherwise. */
#ifndef HANDLECHECK_WINE_TEST_H
#define HANDLECHECK_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>

static int winetest_failures, winetest_successes, winetest_argc;
static char **winetest_argv;
static const char *winetest_file;
static int winetest_line;

static inline int winetest_set_location(const char *file, int line)
{
    winetest_file = file;
    winetest_line = line;
    return 0;
}

static inline int winetest_ok(int condition, const char *format, ...)
{
    va_list args;
    if (condition) { winetest_successes++; return 1; }
    printf("%s:%d: Test failed: ", winetest_file, winetest_line);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    winetest_failures++;
    return 0;
}

static inline int winetest_get_mainargs(char ***argv)
{
    *argv = winetest_argv;
    return winetest_argc;
}

#define ok winetest_set_location(__FILE__, __LINE__) ? 0 : winetest_ok

#define START_TEST(name)                                                             \
    static void func_##name(void);                                                   \
    int main(int argc, char **argv)                                                  \
    {                                                                                \
        winetest_argc = argc;                                                        \
        winetest_argv = argv;                                                        \
        func_##name();                                                               \
        printf("%s: %d tests executed (0 marked as todo, %d failures), 0 skipped.\n", \
               #name, winetest_successes + winetest_failures, winetest_failures);    \
        fflush(stdout);                                                              \
        return winetest_failures ? 1 : 0;                                            \
    }                                                                                \
    static void func_##name(void)

#endif
