/* A minimal stand-in for Wine's include/wine/test.h: enough of its
 * conventions (ok(), START_TEST, winetest_get_mainargs) for the tests
 * handlecheck writes to build with MinGW-w64 outside Wine's tree and run
 * under Wine or Windows, with the real header's semantics: a failed ok()
 * prints "FILE:LINE: Test failed: MESSAGE"; the program is run as
 * `PROGRAM [TEST [ARGS...]]` (no TEST: the only test) and exits with the
 * number of failures (at most 255), as the child processes of Wine's tests
 * do. */
#ifndef HANDLECHECK_WINE_TEST_H
#define HANDLECHECK_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifdef __GNUC__
#define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WINETEST_PRINTF_ATTR(fmt, args)
#endif

static int winetest_failures, winetest_successes, winetest_argc;
static char** winetest_argv;
static const char* winetest_file;
static int winetest_line;

static inline void winetest_set_location(const char* file, int line) {
  winetest_file = file;
  winetest_line = line;
}

static inline void winetest_ok(int condition, const char* format, ...) WINETEST_PRINTF_ATTR(2, 3);
static inline void winetest_ok(int condition, const char* format, ...) {
  va_list args;
  if (condition) {
    winetest_successes++;
    return;
  }
  printf("%s:%d: Test failed: ", winetest_file, winetest_line);
  va_start(args, format);
  vprintf(format, args);
  va_end(args);
  winetest_failures++;
}

/* argv[0] is the program, argv[1] the test's name, then the test's own
 * arguments: how a test starts itself again as a child process. */
static inline int winetest_get_mainargs(char*** argv) {
  *argv = winetest_argv;
  return winetest_argc;
}

#define ok (winetest_set_location(__FILE__, __LINE__), 0) ? (void)0 : winetest_ok

#define START_TEST(name)                                                                 \
  static void func_##name(void);                                                         \
  int main(int argc, char** argv) {                                                      \
    winetest_argc = argc;                                                                \
    winetest_argv = argv;                                                                \
    if (argc > 1 && strcmp(argv[1], #name)) {                                            \
      printf("Fatal: test '%s' does not exist.\n", argv[1]);                             \
      return 1;                                                                          \
    }                                                                                    \
    func_##name();                                                                       \
    printf("%s: %d tests executed (0 marked as todo, %d failures), 0 skipped.\n", #name, \
           winetest_successes + winetest_failures, winetest_failures);                   \
    fflush(stdout);                                                                      \
    return winetest_failures < 255 ? winetest_failures : 255;                            \
  }                                                                                      \
  static void func_##name(void)

#endif
