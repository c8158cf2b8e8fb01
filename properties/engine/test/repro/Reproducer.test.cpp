// What writeReproducer writes, checked on the host: the Win32 calls of each
// step with the step's flavour, the expectations as checks, and the
// scenario's lines as the program's log lines. (Repro::Wine::* build and run
// the same files under Wine.)
#include "handlecheck/engine/Reproducer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

namespace hc::engine {
namespace {

std::string generate(const std::string& text, const ReproOptions& options = {}) {
  return writeReproducer(scenario::parse(text, "test.hcs"), options);
}

::testing::AssertionResult has(const std::string& code, const std::string& what) {
  if (code.find(what) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the reproducer has no `" << what << "`";
}

TEST(Reproducer, TextbookExampleMakesEveryCall) {
  const std::string code = writeReproducer(scenario::parseFile(HC_REPRO_TEXTBOOK), {});
  EXPECT_TRUE(has(code, "#include <windows.h>"));
  EXPECT_TRUE(has(code, "hc_create_mailslot(&c, TRUE, object_name(L\"demo\"));"));
  EXPECT_TRUE(has(code, "if (c.succeeded) bind_handle(slot_P0_MS, c.handle);"));
  EXPECT_TRUE(has(code, "r.inherit_handles = TRUE;"));
  EXPECT_TRUE(has(code, "spawn(&c, &r);"));
  EXPECT_TRUE(has(code, "hc_open_mailslot(&c, FALSE, object_name(L\"demo\"), FILE_SHARE_READ);"));
  EXPECT_TRUE(has(code, "hc_write(&c, handle_of(slot_C1_CL), text, 5);"));
  EXPECT_TRUE(has(code, "hc_read(&c, handle_of(slot_P0_MS));"));
  EXPECT_TRUE(has(code, "expect_data(&c, \"hello\");"));
  EXPECT_TRUE(has(code, "exit_process(0);"));
  EXPECT_TRUE(has(code, "wait_for(&c, handle_of(slot_P0_HP));"));
  EXPECT_TRUE(has(code, "expect_exit_code(&c, 0);"));
  EXPECT_TRUE(has(code, "expect_count(handle_of(slot_P0_MS), 2, FALSE);"));
  EXPECT_TRUE(
      has(code, "expect_flag(handle_of(slot_P0_MS), HANDLE_FLAG_INHERIT, TRUE, \"inherit\");"));
  EXPECT_TRUE(has(code, "hc_close(&c, handle_of(slot_P0_MS));"));
  EXPECT_TRUE(has(code, "expect_error(&c, 6, \"ERROR_INVALID_HANDLE\");"));
  EXPECT_TRUE(has(code, "{ 6, \"ERROR_INVALID_HANDLE\" },")) << "error names for the log";
  // The call layer's functions it uses and the runtime, embedded from sut/win32.
  EXPECT_TRUE(has(code, "/* ---- sut/win32: the call layer's functions this program uses ---- */"));
  EXPECT_TRUE(has(code, "/* ---- sut/win32/ReproRuntime.h ---- */"));
  EXPECT_FALSE(has(code, "hc_create_semaphore")) << "a call the scenario does not make";
  EXPECT_TRUE(has(code, "SetLastError(HC_POISON);"));
  EXPECT_TRUE(has(code, "CreateMailslotW(path, 0, 0, psa)"));
  EXPECT_TRUE(has(
      code, "CreateProcessW(a->exe, a->command_line, &process_sa, &thread_sa, a->inherit_handles"));
  EXPECT_TRUE(has(code, "NtQueryObject")) << "count= and type= come from NtQueryObject";
  EXPECT_TRUE(has(code, "JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE"));
  EXPECT_FALSE(has(code, "\n#include \"")) << "our own headers are not included, they are embedded";
  // Each step runs in its own process, in order.
  EXPECT_TRUE(has(code, "{ proc_P0, 2, \"create mailslot demo inherit as MS\", 1, 1, line_2 },"));
  EXPECT_TRUE(has(code, "{ proc_C1, 5, \"C1: open mailslot demo as CL\", 1, 1, line_5 },"));
  EXPECT_TRUE(has(code, "const int repro_parts = 11;"));
}

TEST(Reproducer, ScenarioLinesAreListedInTheHeaderComment) {
  ReproOptions options;
  options.title = "handlecheck counterexample";
  options.notes = {"seed 42", "a */ in a note cannot end the comment"};
  options.divergingLine = 2;
  const std::string code = generate("create event as E => ok\nclose E => ok\n", options);
  EXPECT_TRUE(has(code, " * handlecheck counterexample\n"));
  EXPECT_TRUE(has(code, " * seed 42\n"));
  EXPECT_TRUE(has(code, "a * / in a note"));
  EXPECT_TRUE(has(code, "   2  close E => ok    <-- the model and the system part here"));
}

TEST(Reproducer, InheritedNamesAreKnownInTheChildAtTheParentsSlots) {
  const std::string code = generate(
      "create event inherit as A\ncreate event as B\nspawn C1 inherit only A as HP HT\n"
      "C1: query A => valid\n");
  EXPECT_TRUE(has(code, "static const int parent_slots[] = { slot_P0_A, slot_P0_B };"));
  EXPECT_TRUE(has(code, "static const int child_slots[] = { slot_C1_A, slot_C1_B };"));
  EXPECT_TRUE(has(code, "r.list_len = 1;"));
  EXPECT_TRUE(has(code, "r.list[0] = handle_of(slot_P0_A);"));
}

TEST(Reproducer, SpawnFlavourFollowsTheStep) {
  const std::string code = generate("spawn C1 noinherit process-inherit thread-inherit as HP HT\n");
  EXPECT_TRUE(has(code, "r.inherit_handles = FALSE;"));
  EXPECT_TRUE(has(code, "r.list_len = -1;"));
  EXPECT_TRUE(has(code, "r.process_inherit = TRUE;"));
  EXPECT_TRUE(has(code, "r.thread_inherit = TRUE;"));
}

// The agent's spawn (sut/agent/SpawnAgent.cpp): the console words replace
// DETACHED_PROCESS, stdin=/stdout=/stderr= are STARTF_USESTDHANDLES fields.
TEST(Reproducer, SpawnCarriesStdHandlesAndConsoleWords) {
  const std::string code = generate(
      "create pipe inherit as R W\nspawn C1 inherit no-window stdout=W stderr=#0x10 as HP HT\n"
      "spawn C2 inherit-console as HQ HU\n");
  EXPECT_TRUE(has(code, "r.console_given = TRUE;\n    r.creation_flags = CREATE_NO_WINDOW;"));
  EXPECT_TRUE(has(code,
                  "r.use_std = TRUE;\n    r.std[0] = NULL;\n    r.std[1] = handle_of(slot_P0_W);\n"
                  "    r.std[2] = (HANDLE)(ULONG_PTR)0x10;"));
  EXPECT_TRUE(has(code, "r.console_given = TRUE;\n    r.creation_flags = 0;"));
  EXPECT_TRUE(has(code, "args.use_std = r->use_std;"));
}

// SPEC 59: a `gui` child runs a GUI-subsystem copy of the program; `gui`
// is no creation flag (alone it is the harness's own spawn).
TEST(Reproducer, GuiChildRunsAGuiCopy) {
  const std::string code =
      generate("spawn C1 gui as HP HT\nspawn C2 inherit-console gui as HQ HU\n");
  EXPECT_TRUE(has(code, "r.console_given = FALSE;\n    r.creation_flags = 0;\n    r.gui = TRUE;"));
  EXPECT_TRUE(has(code, "r.console_given = TRUE;\n    r.creation_flags = 0;\n    r.gui = TRUE;"));
  EXPECT_TRUE(has(code, "if (r->gui) gui_image(exe);"));
  const std::string test =
      writeWineTest(scenario::parse("spawn C1 no-window as H1 T1 => ok\n"
                                    "C1: spawn C2 inherit-console gui as H2 T2 => ok\n"
                                    "C1: spawn C3 inherit-console as H3 T3 => ok\n",
                                    "t.hcs"));
  EXPECT_TRUE(has(test, "if (gui) gui_image(image);"));
  EXPECT_TRUE(has(test, "0, 0, NULL, NULL, NULL, TRUE, &h_H2, &h_T2);"));
  EXPECT_TRUE(has(test, "0, 0, NULL, NULL, NULL, FALSE, &h_H3, &h_T3);"));
  EXPECT_TRUE(has(test, "IMAGE_SUBSYSTEM_WINDOWS_GUI"));
}

// SPEC 51: a slot's value is bound as it is (no SPEC 1 check) and `value=`
// compares it, in this process or through another's name.
TEST(Reproducer, StdBindsAPlainValueAndChecksValue) {
  const std::string code = generate(
      "create pipe inherit as R W\nspawn C1 inherit stdout=W detached as HP HT\n"
      "C1: std out as O => ok, value=P0.W\nC1: std err as E => value=#0x0\n");
  EXPECT_TRUE(has(code, "get_std(&c, STD_OUTPUT_HANDLE, slot_C1_O);"));
  EXPECT_TRUE(has(code, "expect_value(&c, handle_of(slot_P0_W), \"P0.W\");"));
  EXPECT_TRUE(has(code, "expect_value(&c, (HANDLE)(ULONG_PTR)0x0, \"#0x0\");"));
  EXPECT_TRUE(has(code, "void bind_value(int slot, HANDLE h)"));
  EXPECT_FALSE(has(code, "bind_handle(slot_C1_O"));
}

TEST(Reproducer, DupIntoAChildIsCheckedInTheChild) {
  const std::string code = generate(
      "create event as E\nspawn C1 as HP HT\ndup E to C1 inherit close-source as X => ok, "
      "count=1\n");
  EXPECT_TRUE(has(
      code,
      "duplicate(&c, handle_of(slot_P0_E), proc_C1, TRUE, DUPLICATE_CLOSE_SOURCE, slot_C1_X);"));
  EXPECT_TRUE(
      has(code,
          "static void line_3_in_C1(void)\n{\n    expect_count(handle_of(slot_C1_X), 1, FALSE);"));
  EXPECT_TRUE(
      has(code, "{ proc_P0, 3, \"dup E to C1 inherit close-source as X\", 1, 0, line_3 },"));
  EXPECT_TRUE(
      has(code, "{ proc_C1, 3, \"dup E to C1 inherit close-source as X\", 0, 1, line_3_in_C1 },"));
}

TEST(Reproducer, RawValuesAndFlagsAreWrittenAsIs) {
  const std::string code = generate(
      "close #0x104 => error=6\ncreate mutex name=m as M\nset M inherit=on protect=off => ok, "
      "protect\n"
      "write M \"a \\\"quoted\\\" text\"\n");
  EXPECT_TRUE(has(code, "hc_close(&c, (HANDLE)(ULONG_PTR)0x104);"));
  EXPECT_TRUE(has(code, "expect_error(&c, 6, \"6\");"));
  EXPECT_TRUE(has(code, "hc_create_mutex(&c, FALSE, object_name(L\"m\"));"));
  EXPECT_TRUE(has(code,
                  "hc_set_information(&c, handle_of(slot_P0_M), HANDLE_FLAG_INHERIT|"
                  "HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_INHERIT);"));
  EXPECT_TRUE(has(code, "static const char text[] = \"a \\\"quoted\\\" text\";"));
}

TEST(Reproducer, UnknownNamesAndLabelsAreRefused) {
  EXPECT_THROW(generate("close H\n"), std::invalid_argument);
  EXPECT_THROW(generate("C9: create event as E\n"), std::invalid_argument);
  EXPECT_THROW(generate("spawn C1 as A B\nspawn C1 as C D\n"), std::invalid_argument);
  EXPECT_THROW(generate("spawn C1 noinherit as A B\ncreate event as E\nC1: close E\n"),
               std::invalid_argument)
      << "a name bound after the spawn is not the child's";
}

TEST(Reproducer, ProgramHasMainAndNoWineTest) {
  const std::string code = generate("spawn C1 as HP HT => ok\n");
  EXPECT_TRUE(has(code, "int main(int argc, char **argv)"));
  EXPECT_FALSE(has(code, "wine/test.h"));
  EXPECT_FALSE(has(code, "START_TEST(handlecheck)"));
}

std::size_t lineCount(const std::string& code) {
  return static_cast<std::size_t>(std::count(code.begin(), code.end(), '\n'));
}

// A divergence as `check` writes it: the expectations the model predicts, the
// departures the system made marked todo_wine, the quirk's note above them.
std::string divergenceTest(const std::string& text, int line,
                           const std::set<std::string>& departs) {
  ReproOptions options;
  options.title = "known quirk q (SPEC 1 [T]): what the system did";
  options.notes = {"found by: handlecheck check --backend wine --profile windows --seed 1"};
  options.divergingLine = line;
  options.departures[line] = departs;
  options.departureNote = {
      "SPEC 1 [T], Wine's q: a description of the departure long enough to take two lines of "
      "the note above the check, as the catalogue's descriptions do",
      "Windows: dlls/kernel32/tests/process.c, test_something: ok(ret, \"...\") and more "
      "evidence that wraps onto a second line of the comment"};
  options.testName = "q";
  return writeWineTest(scenario::parse(text, "d.hcs"), options);
}

// The sizes a Wine reviewer takes: a divergence of up to 6 steps is at most 60
// lines in one process, 150 across several (standard handles, a handle list and
// four processes included), and still checks its departure as todo_wine.
TEST(Reproducer, WineTestOfADivergenceIsShort) {
  const std::string one = divergenceTest(
      "create pipe as H1 H2 => ok, valid, noinherit, noprotect, count=1, type=File, "
      "access=0x120189\n"
      "dup H1 access=0x40000000 as H3 => error=ERROR_ACCESS_DENIED\n"
      "query H1 => valid, noinherit, noprotect, count=1, type=File, access=0x120189\n",
      2, {"error=ERROR_ACCESS_DENIED"});
  EXPECT_LE(lineCount(one), 60u) << one;
  EXPECT_TRUE(has(one, "todo_wine ok(!(ret) && GetLastError() == ERROR_ACCESS_DENIED"));
  const std::string spawned =
      ", valid, noinherit, noprotect, count>=1, type=Process, access=0x1fffff\n";
  const std::string four = divergenceTest(
      "spawn C1 as H1 H2 => ok" + spawned + "C1: spawn C2 process-inherit as H3 H4 => ok" +
          spawned +
          "C1: spawn C3 inherit stdin=H3 stdout=H3 stderr=H4 detached new-console as H5 H6 => ok" +
          spawned +
          "C3: create mutex name=b inherit as H8 => ok, valid, inherit, noprotect, count=1, "
          "type=Mutant, access=0x1f0001\n"
          "C3: spawn C4 inherit-console as H11 H12 => ok" +
          spawned +
          "C3: query H8 => valid, inherit, noprotect, count=3, type=Mutant, access=0x1f0001\n",
      6, {"count=3"});
  EXPECT_LE(lineCount(four), 150u) << four;
  EXPECT_TRUE(has(four, "todo_wine ok(handle_count(h_H8) == 3, "));
  const std::string list = divergenceTest(
      "spawn C3 no-window as H5 H6 => ok" + spawned +
          "C3: create pipe inherit as H8 H9 => ok, valid, inherit, noprotect, count=1, "
          "type=File, access=0x120189\n"
          "C3: spawn C6 inherit only H9,#0x0 inherit-console as H17 H18 => ok, "
          "attribute-list-size=48" +
          spawned + "C3: query H9 => valid, inherit, noprotect, count=1, type=File\n",
      4, {"count=1"});
  EXPECT_LE(lineCount(list), 150u) << list;
  EXPECT_TRUE(has(list, "todo_wine ok(handle_count(h_H9) == 1, "));
}

// Across processes the Wine-style test starts itself as Wine's process.c
// does: the role and the parent's id on the command line, a named event
// only where the child's steps come, wait_child_process at the end.
TEST(Reproducer, WineTestAcrossProcessesStartsItselfAsWineTestsDo) {
  const std::string code = writeWineTest(
      scenario::parse("create event inherit as E => ok\nspawn C1 inherit as HP HT => ok\nC1: "
                      "query E => count=2\nclose E => ok\n",
                      "t.hcs"));
  EXPECT_TRUE(has(code, "\n#include \"wine/test.h\"\n"));
  EXPECT_TRUE(has(code, "START_TEST(t)"));
  EXPECT_TRUE(has(code, "if (winetest_get_mainargs(&argv) >= 4)"));
  // E's value is known when C1 starts: its command line carries it, no mapping.
  EXPECT_TRUE(has(code,
                  "sprintf(cmdline, \"\\\"%s\\\" %s %s %lu %lu\", argv[0], argv[1], role, "
                  "test_pid, (DWORD)(ULONG_PTR)shared[0]);"));
  EXPECT_TRUE(has(code, "        shared[0] = (HANDLE)(ULONG_PTR)strtoul(argv[4], NULL, 10);\n"));
  EXPECT_FALSE(has(code, "map_shared"));
  EXPECT_TRUE(has(code, "static void child_C1(void)"));
  EXPECT_TRUE(has(code, "    run_child(h_HP, &events_C1);  /* C1's steps */\n"));
  EXPECT_TRUE(has(code, "    h_E = shared[0];  /* E, from P0 */\n"));
  EXPECT_TRUE(has(code, "ok(handle_count(h_E) == 2, "));
  EXPECT_TRUE(has(code, "    if (h_HP) wait_child_process(h_HP);\n"));
  EXPECT_FALSE(has(code, "int main("));
  EXPECT_FALSE(has(code, "strncpy"));
}

// A child whose steps come right after its spawn and end the scenario runs them
// as it starts: no events, the test waits for it to end; steps after the last
// check are left out, they assert nothing.
TEST(Reproducer, WineTestChildThatRunsLastIsNotPaced) {
  const std::string code = writeWineTest(
      scenario::parse("create event inherit as E => ok\nspawn C1 inherit as HP HT => ok\nC1: "
                      "query E => count=2\nC1: close E\n",
                      "t.hcs"));
  EXPECT_TRUE(has(code, "static void child_C1(void)"));
  EXPECT_TRUE(has(code, "ok(handle_count(h_E) == 2, "));
  EXPECT_TRUE(has(code, "    if (h_HP) wait_child_process(h_HP);\n"));
  EXPECT_FALSE(has(code, "run_child"));
  EXPECT_FALSE(has(code, "child_event"));
  EXPECT_FALSE(has(code, "CloseHandle(h_E)")) << "the last step checks nothing";
}

// A child whose one run of steps is the test's last, after P0's: woken once by
// its `go` event, it runs them and returns; P0 only waits for it.
TEST(Reproducer, WineTestChildRunOnceLastIsWokenOnce) {
  const std::string code = writeWineTest(
      scenario::parse("create event inherit as E => ok\nspawn C1 inherit as HP HT => ok\n"
                      "query E => count=2\nC1: query E => count=2\n",
                      "t.hcs"));
  EXPECT_TRUE(has(code, "    WaitForSingleObject(child_event(\"C1\", \"go\"), INFINITE);\n"));
  EXPECT_TRUE(has(code,
                  "    SetEvent(child_event(\"C1\", \"go\"));  /* C1's steps, then it returns */\n"
                  "    if (h_HP) wait_child_process(h_HP);\n"));
  EXPECT_FALSE(has(code, "run_child"));
  EXPECT_FALSE(has(code, "events.done"));
}

// A value a child binds and P0 reads later is not known at the child's start:
// it crosses through the named mapping.
TEST(Reproducer, WineTestValueBoundInAChildCrossesThroughTheMapping) {
  const std::string code =
      writeWineTest(scenario::parse("spawn C1 as HP HT => ok\nC1: create event as E => ok\n"
                                    "dup E from C1 close-source => ok\n",
                                    "t.hcs"));
  EXPECT_TRUE(has(code, "static HANDLE *map_shared(void)\n"));
  EXPECT_TRUE(has(code, "    shared[0] = h_E;\n"));
  EXPECT_TRUE(has(code, "    h_E = shared[0];  /* E, from C1 */\n"));
  EXPECT_FALSE(has(code, "strtoul(argv[4]"));
}

// In one process: the calls themselves, from the table's templates, each
// expectation one ok() after SetLastError(0xdeadbeef), nothing else.
TEST(Reproducer, WineTestInOneProcessIsStraightLine) {
  const std::string code = writeWineTest(
      scenario::parse("create event inherit as E => ok, inherit\nclose E => ok\nclose E => "
                      "error=ERROR_INVALID_HANDLE\n",
                      "t.hcs"));
  EXPECT_TRUE(has(code, "START_TEST(t)\n{\n    test_t();\n}\n"));
  EXPECT_TRUE(has(code,
                  "    SetLastError(0xdeadbeef);\n"
                  "    h_E = CreateEventW(&sa, FALSE, FALSE, NULL);\n"
                  "    ok(h_E != NULL, \"CreateEventW failed, error %lu\\n\", GetLastError());\n"));
  EXPECT_TRUE(
      has(code, "    ok((flags & HANDLE_FLAG_INHERIT), \"h_E: got flags %#lx\\n\", flags);\n"));
  EXPECT_TRUE(has(code, "ok(!(ret) && GetLastError() == ERROR_INVALID_HANDLE, "));
  EXPECT_FALSE(has(code, "handle_count"));  // only the helpers it uses
  EXPECT_FALSE(has(code, "start_child"));
  EXPECT_FALSE(has(code, "hc_"));
}

// A known departure is todo_wine, under the note that says why.
TEST(Reproducer, WineTestMarksDeparturesTodoWine) {
  ReproOptions options;
  options.departures[1] = {"inherit"};
  options.departureNote = {"SPEC 10: why"};
  options.testName = "mailslot-inherit";
  const std::string code = writeWineTest(
      scenario::parse("create mailslot box inherit as M => ok, inherit\n", "t.hcs"), options);
  EXPECT_TRUE(has(code, "START_TEST(mailslot_inherit)"));
  EXPECT_TRUE(has(code, "CreateMailslotW(L\"\\\\\\\\.\\\\mailslot\\\\hc_box\", 0, 0, &sa);"));
  EXPECT_TRUE(has(code, "    ok(h_M != INVALID_HANDLE_VALUE, "));
  EXPECT_TRUE(has(code,
                  "    /* SPEC 10: why */\n"
                  "    flags = 0;\n"
                  "    GetHandleInformation(h_M, &flags);\n"
                  "    todo_wine ok((flags & HANDLE_FLAG_INHERIT), \"h_M: got flags %#lx\\n\", "
                  "flags);\n"));
}

// Standard handles: GetStdHandle's value bound like a created handle but never
// checked for success (a slot may hold NULL), SetStdHandle, a spawn's std fields
// and console word as the agent passes them, a child that spawns in turn.
TEST(Reproducer, WineTestWritesStdHandlesAndConsoleWords) {
  const std::string code =
      writeWineTest(scenario::parse("create pipe inherit as R W => ok\n"
                                    "spawn C1 inherit stdout=W no-window as H1 T1 => ok\n"
                                    "C1: std out as O => ok, value=W\n"
                                    "C1: setstd err O => ok\n"
                                    "C1: spawn C2 inherit-console as H2 T2 => ok\n"
                                    "C2: std err as E => ok, value=#0x0\n"
                                    "spawn C3 as H3 T3 => ok\n",
                                    "t.hcs"));
  EXPECT_TRUE(has(code,
                  "ret = start_child(\"C1\", TRUE, NULL, NULL, CREATE_NO_WINDOW, "
                  "STARTF_USESTDHANDLES, NULL, h_W, NULL, &h_H1, &h_T1);"));
  EXPECT_TRUE(has(code, ".dwFlags = startf,"));
  EXPECT_TRUE(has(code, "    h_O = GetStdHandle(STD_OUTPUT_HANDLE);\n"));
  EXPECT_FALSE(has(code, "ok(h_O != ")) << "no ok() on GetStdHandle's success";
  EXPECT_TRUE(has(code, "ok(h_O == h_W, "));
  EXPECT_TRUE(has(code, "ret = SetStdHandle(STD_ERROR_HANDLE, h_O);"));
  EXPECT_TRUE(has(
      code, "ret = start_child(\"C2\", FALSE, NULL, NULL, 0, 0, NULL, NULL, NULL, &h_H2, &h_T2);"))
      << "inherit-console: no creation flag, no STARTF_USESTDHANDLES";
  EXPECT_TRUE(has(code, "ok(h_E == (HANDLE)(ULONG_PTR)0x0, "));
  EXPECT_TRUE(has(code, "    run_child(NULL, &events_C2);  /* C2's steps */\n"));
  EXPECT_TRUE(has(code, "    if (h_H2) wait_child_process(h_H2);\n")) << "C1 waits for C2";
  EXPECT_TRUE(has(code,
                  "ret = start_child(\"C3\", FALSE, NULL, NULL, DETACHED_PROCESS, "
                  "STARTF_USESTDHANDLES, NULL, NULL, NULL, &h_H3, &h_T3);"))
      << "the harness's own spawn: DETACHED_PROCESS, NULL std fields";
  EXPECT_TRUE(has(code, "        child_output(argv);\n"));
  EXPECT_FALSE(has(code, "hc_"));
}

// In one process, std and setstd need none of the children's helpers.
TEST(Reproducer, WineTestStdInOneProcessHasNoChildHelpers) {
  const std::string code = writeWineTest(scenario::parse(
      "create event as E => ok\nsetstd in E => ok\nstd in as I => ok, value=E\n", "t.hcs"));
  EXPECT_TRUE(has(code, "    ret = SetStdHandle(STD_INPUT_HANDLE, h_E);\n"));
  EXPECT_TRUE(has(code, "    h_I = GetStdHandle(STD_INPUT_HANDLE);\n"));
  EXPECT_TRUE(has(code, "ok(h_I == h_E, "));
  EXPECT_FALSE(has(code, "child_output"));
  EXPECT_FALSE(has(code, "test_output"));
}

// A handle invalid on the system reads flags 0: of its state only `valid` is
// checked, or `noinherit` would succeed inside todo_wine.
TEST(Reproducer, WineTestChecksOnlyValidityOfAHandleThatDepartsInvalid) {
  ReproOptions options;
  options.departures[2] = {"valid", "noinherit"};
  const std::string code = writeWineTest(
      scenario::parse("create event as E => ok\nquery E => valid, noinherit\n", "t.hcs"), options);
  EXPECT_TRUE(has(code, "todo_wine ok(GetHandleInformation(h_E, &flags), "));
  EXPECT_FALSE(has(code, "HANDLE_FLAG_INHERIT"));
}

}  // namespace
}  // namespace hc::engine
