/* A scenario written the way the reproducer generator writes one, linked
 * with the reproducer runtime (sut/win32/Repro*.cpp) as hc-repro-runtime-check.exe:
 * every build compiles the runtime, and Wine::Repro::RuntimeRunsAScenario
 * runs it. The scenario:
 *    1  create event inherit as E => ok count=1
 *    2  spawn C1 inherit as HP HT => ok
 *    3  C1: query E => inherit count=2
 *    4  C1: exit 0
 *    5  wait HP => ok exitcode=0
 *    6  query E => count=1
 *    7  close E => ok
 *    8  close E => error=ERROR_INVALID_HANDLE
 */
#include "ReproRuntime.h"

enum process_index { proc_P0, proc_C1 };
enum slot_index { slot_P0_E, slot_P0_HP, slot_P0_HT, slot_C1_E };

const int repro_processes = 2;
const int repro_slots = 4;
const int repro_parts = 8;
const DWORD repro_step_timeout_ms = 10000;
const char* const process_label[] = {"P0", "C1"};
const char* const slot_name[] = {"E", "HP", "HT", "E"};
const struct repro_error_name repro_error_names[] = {{6, "ERROR_INVALID_HANDLE"}};
const int repro_error_count = 1;
// No parallel block: one run.
const struct block blocks[] = {{-1, 0, 0, {0, 0, 0, 0}, 0, 0, NULL, 0, NULL, 0, 0}};
const int repro_blocks = 0;
const int repro_runs = 1;

static void line_1(void) {
  struct hc_call c;
  ZeroMemory(&c, sizeof(c));
  hc_create_event(&c, TRUE, object_name(L"E"));
  if (c.succeeded) bind_handle(slot_P0_E, c.handle);
  expect_ok(&c);
  expect_count(handle_of(slot_P0_E), 1, FALSE);
}

static void line_2(void) {
  static const int parent_slots[] = {slot_P0_E};
  static const int child_slots[] = {slot_C1_E};
  struct spawn_request r;
  struct hc_call c;
  ZeroMemory(&c, sizeof(c));
  ZeroMemory(&r, sizeof(r));
  r.child = proc_C1;
  r.inherit_handles = TRUE;
  r.list_len = -1;
  r.count = 1;
  r.parent_slots = parent_slots;
  r.child_slots = child_slots;
  r.process_slot = slot_P0_HP;
  r.thread_slot = slot_P0_HT;
  spawn(&c, &r);
  expect_ok(&c);
}

static void line_3(void) {
  expect_flag(handle_of(slot_C1_E), HANDLE_FLAG_INHERIT, TRUE, "inherit");
  expect_count(handle_of(slot_C1_E), 2, FALSE);
}

static void line_4(void) {
  exit_process(0);
}

static void line_5(void) {
  struct hc_call c;
  ZeroMemory(&c, sizeof(c));
  wait_for(&c, handle_of(slot_P0_HP));
  expect_ok(&c);
  expect_exit_code(&c, 0);
}

static void line_6(void) {
  expect_count(handle_of(slot_P0_E), 1, FALSE);
}

static void line_7(void) {
  struct hc_call c;
  ZeroMemory(&c, sizeof(c));
  hc_close(&c, handle_of(slot_P0_E));
  expect_ok(&c);
}

static void line_8(void) {
  struct hc_call c;
  ZeroMemory(&c, sizeof(c));
  hc_close(&c, handle_of(slot_P0_E));
  expect_error(&c, ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE");
}

const struct part parts[] = {
    {proc_P0, 1, "create event inherit as E", 1, 1, line_1},
    {proc_P0, 2, "spawn C1 inherit as HP HT", 1, 1, line_2},
    {proc_C1, 3, "C1: query E", 1, 1, line_3},
    {proc_C1, 4, "C1: exit 0", 1, 1, line_4},
    {proc_P0, 5, "wait HP", 1, 1, line_5},
    {proc_P0, 6, "query E", 1, 1, line_6},
    {proc_P0, 7, "close E", 1, 1, line_7},
    {proc_P0, 8, "close E", 1, 1, line_8},
    {-1, 0, "", 0, 0, NULL},
};
