/* A minimal stand-in for Wine's include/wine/test.h, for machines without
 * Wine's source: enough of its conventions (ok(), todo_wine, START_TEST,
 * winetest_get_mainargs, wait_child_process, wine_dbgstr_w) for the tests
 * handlecheck writes to build with MinGW-w64 outside Wine's tree and run
 * under Wine or Windows, with the real header's semantics: a failed ok()
 * prints "FILE:LINE: Test failed: MESSAGE"; inside todo_wine on Wine it
 * prints "Test marked todo" instead and a success there is the failure;
 * the platform is "wine" under Wine unless WINETEST_PLATFORM says
 * otherwise; the program is run as `PROGRAM [TEST [ARGS...]]` (no TEST: the
 * only test) and exits with the number of failures (at most 255), as the
 * child processes of Wine's tests do. */
#ifndef HANDLECHECK_WINE_TEST_H
#define HANDLECHECK_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winbase.h>
#include <windef.h>

#ifdef __GNUC__
#define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WINETEST_PRINTF_ATTR(fmt, args)
#endif

static int winetest_failures, winetest_successes, winetest_todos, winetest_argc;
static char** winetest_argv;
static const char* winetest_file;
static int winetest_line;
static int winetest_todo_level, winetest_todo_loop;
static const char* winetest_platform = "windows";

static inline void winetest_set_location(const char* file, int line) {
  const char* slash = strrchr(file, '/');
  winetest_file = slash ? slash + 1 : file;
  winetest_line = line;
}

static inline void winetest_ok(int condition, const char* format, ...) WINETEST_PRINTF_ATTR(2, 3);
static inline void winetest_ok(int condition, const char* format, ...) {
  va_list args;
  if (winetest_todo_level) {
    if (condition) {
      printf("%s:%d: Test succeeded inside todo block: ", winetest_file, winetest_line);
      winetest_failures++;
    } else {
      printf("%s:%d: Test marked todo: ", winetest_file, winetest_line);
      winetest_todos++;
    }
  } else if (condition) {
    winetest_successes++;
    return;
  } else {
    printf("%s:%d: Test failed: ", winetest_file, winetest_line);
    winetest_failures++;
  }
  va_start(args, format);
  vprintf(format, args);
  va_end(args);
}

static inline void winetest_start_todo(int is_todo) {
  winetest_todo_level = is_todo;
  winetest_todo_loop = 1;
}
static inline int winetest_loop_todo(void) {
  int run = winetest_todo_loop;
  winetest_todo_loop = 0;
  return run;
}
static inline void winetest_end_todo(void) {
  winetest_todo_level = 0;
}

#define todo_if(is_todo) \
  for (winetest_start_todo(is_todo); winetest_loop_todo(); winetest_end_todo())
#define todo_wine todo_if(!strcmp(winetest_platform, "wine"))

/* argv[0] is the program, argv[1] the test's name, then the test's own
 * arguments: how a test starts itself again as a child process. */
static inline int winetest_get_mainargs(char*** argv) {
  *argv = winetest_argv;
  return winetest_argc;
}

/* Waits for a child started by the test; its exit status is its failures. */
static inline void winetest_wait_child_process(HANDLE process) {
  DWORD code = 1;
  if (WaitForSingleObject(process, 30000) != WAIT_OBJECT_0) {
    printf("%s:%d: Test failed: the child process did not end\n", winetest_file, winetest_line);
    winetest_failures++;
    return;
  }
  GetExitCodeProcess(process, &code);
  winetest_failures += (int)code;
}

/* A wide string for a message (ASCII only; others as '?'). */
static inline const char* wine_dbgstr_w(const WCHAR* s) {
  static char buf[4][256];
  static int next;
  char* out = buf[next++ % 4];
  int i;
  if (!s) return "(null)";
  out[0] = '"';
  for (i = 0; s[i] && i < 250; i++) out[i + 1] = s[i] < 0x80 ? (char)s[i] : '?';
  out[i + 1] = '"';
  out[i + 2] = 0;
  return out;
}

#define ok (winetest_set_location(__FILE__, __LINE__), 0) ? (void)0 : winetest_ok
#define wait_child_process \
  (winetest_set_location(__FILE__, __LINE__), 0) ? (void)0 : winetest_wait_child_process

/* Under Wine ntdll exports wine_server_call (as the real header checks). */
static inline void winetest_init_platform(void) {
  static char platform[32];
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  if (GetEnvironmentVariableA("WINETEST_PLATFORM", platform, sizeof(platform)))
    winetest_platform = platform;
  else if (ntdll && GetProcAddress(ntdll, "wine_server_call"))
    winetest_platform = "wine";
}

#define START_TEST(name)                                                                    \
  static void func_##name(void);                                                            \
  int main(int argc, char** argv) {                                                         \
    winetest_argc = argc;                                                                   \
    winetest_argv = argv;                                                                   \
    winetest_init_platform();                                                               \
    if (argc > 1 && strcmp(argv[1], #name)) {                                               \
      printf("Fatal: test '%s' does not exist.\n", argv[1]);                                \
      return 1;                                                                             \
    }                                                                                       \
    func_##name();                                                                          \
    if (argc <= 2)                                                                          \
      printf("%s: %d tests executed (%d marked as todo, %d failures), 0 skipped.\n", #name, \
             winetest_successes + winetest_failures + winetest_todos, winetest_todos,       \
             winetest_failures);                                                            \
    fflush(stdout);                                                                         \
    return winetest_failures < 255 ? winetest_failures : 255;                               \
  }                                                                                         \
  static void func_##name(void)

#endif
