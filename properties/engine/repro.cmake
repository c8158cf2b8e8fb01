# Standalone C++ reproducers: the generator (part of hc_engine) turns a
# scenario into one self-contained .cpp (only <windows.h>) that performs it
# for real. Included from engine/CMakeLists.txt.
# The call layer and the runtime come from sut/win32, embedded at build time.
target_sources(hc_engine PRIVATE src/Reproducer.cpp)
target_link_libraries(hc_engine PRIVATE hc_win32_embedded)

# Host unit tests: what the generated text holds (label model).
handlecheck_add_gtest(hc_repro_tests PREFIX "Repro::" LABEL model
  SOURCES test/repro/Reproducer.test.cpp test/repro/Blocks.test.cpp LIBRARIES hc_engine)
target_compile_definitions(hc_repro_tests PRIVATE
  HC_REPRO_TEXTBOOK="${HC_CORPUS_DIR}/textbook-mailslot.hcs")

# Test helper: hc-repro-emit SCENARIO.hcs OUT.cpp (the library, nothing more).
add_executable(hc-repro-emit test/repro/Emit.cpp)
target_link_libraries(hc-repro-emit PRIVATE hc_engine)
handlecheck_warnings(hc-repro-emit)

# Under Wine (label wine): generate, build with MinGW-w64 at test time, run
# with hc-wine, check the exit status (0: every expectation holds, 1: the
# system departs) and what it prints. Without the MinGW compiler these
# tests fail and say so: a reproducer that was never built proves nothing.
if(NOT WIN32)
  find_program(HC_REPRO_MINGW_CXX NAMES x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-g++
               DOC "MinGW-w64 C++ compiler the reproducer tests build with")
  set(HC_REPRO_TOOLS ${CMAKE_CURRENT_SOURCE_DIR}/test/repro)
  function(handlecheck_repro_wine_test name scenario exit match)
    if(NOT HANDLECHECK_REPRO_WINE_TESTS)
      return()
    endif()
    add_test(NAME Repro::Wine::${name}
      COMMAND ${CMAKE_COMMAND}
              "-DEMIT=$<TARGET_FILE:hc-repro-emit>" "-DHCWINE=$<TARGET_FILE:hc-wine>"
              "-DCXX=${HC_REPRO_MINGW_CXX}" "-DSCENARIO=${scenario}"
              "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/repro/${name}"
              "-DEXIT=${exit}" "-DMATCH=${match}"
              -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test/repro/RunReproUnderWine.cmake)
    set_tests_properties(Repro::Wine::${name} PROPERTIES
      LABELS wine FIXTURES_REQUIRED wine TIMEOUT 300)
  endfunction()
  # A reproducer of a scenario with parallel blocks (either flavour: FLAVOUR
  # cpp or wine-c), run under Wine at most 3 times (REPRO_RUNS) to keep
  # ctest short; extra arguments go to RunReproUnderWine.cmake as they are
  # (-DEDIT_FROM=.. -DEDIT_TO=..: a planted departure).
  function(handlecheck_block_repro_test name scenario flavour exit match)
    if(NOT HANDLECHECK_REPRO_WINE_TESTS)
      return()
    endif()
    set(c_args "")
    if(flavour STREQUAL "wine-c")
      set(c_args "-DCC=${HC_REPRO_MINGW_CC}" "-DWINETEST=${PROJECT_SOURCE_DIR}/properties/engine/winetest")
    endif()
    add_test(NAME Repro::Wine::Block::${name}
      COMMAND ${CMAKE_COMMAND}
              "-DEMIT=$<TARGET_FILE:hc-repro-emit>" "-DHCWINE=$<TARGET_FILE:hc-wine>"
              "-DCXX=${HC_REPRO_MINGW_CXX}" ${c_args} "-DSCENARIO=${scenario}"
              "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/repro/block/${name}"
              "-DEXIT=${exit}" "-DMATCH=${match}" -DRUNS=3 ${ARGN}
              -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test/repro/RunReproUnderWine.cmake)
    set_tests_properties(Repro::Wine::Block::${name} PROPERTIES
      LABELS wine FIXTURES_REQUIRED wine TIMEOUT 300)
  endfunction()
  # The scenario's Wine-style test (.wine.c): built as C against the stand-in
  # wine/test.h, run under Wine the way Wine runs a test, it must fail at
  # exactly the lines where the wine profile departs from the scenario
  # (properties/cli/test/divergences.py wine-test). Needs `handlecheck`.
  find_program(HC_REPRO_MINGW_CC NAMES x86_64-w64-mingw32-gcc-posix x86_64-w64-mingw32-gcc
               DOC "MinGW-w64 C compiler the Wine-style tests build with")
  # Wine's source (ci/setup.sh fetches Debian's wine source package there):
  # with it, the Wine-style tests are also built against the real test.h.
  set(HC_WINE_SOURCE "${PROJECT_SOURCE_DIR}/.cache/wine-source/wine" CACHE PATH
      "Wine source tree with include/wine/test.h and dlls/winecrt0/debug.c")
  if(EXISTS "${HC_WINE_SOURCE}/include/wine/test.h" AND EXISTS "${HC_WINE_SOURCE}/dlls/winecrt0/debug.c")
    set(HC_WINE_SOURCE_FOUND TRUE CACHE INTERNAL "")
    message(STATUS "Wine-style tests: Wine's real include/wine/test.h from ${HC_WINE_SOURCE} "
                   "(ctest -L wine-test-h), and the stand-in (ctest -L wine-test-stand-in)")
  else()
    set(HC_WINE_SOURCE_FOUND FALSE CACHE INTERNAL "")
    message(STATUS "Wine-style tests: only the stand-in wine/test.h (no Wine source at "
                   "${HC_WINE_SOURCE}; ci/setup.sh fetches it)")
  endif()
  # A Wine-style test names its objects as the scenario does, as Wine's own
  # tests do (\\.\mailslot\hc_box), and all of them run in one prefix: two
  # tests that name the same object never run at once (a second
  # CreateMailslotW fails with ERROR_ALREADY_EXISTS). The locks are the names
  # the scenario gives (`create mailslot|namedpipe N`, `open TYPE N`,
  # `name=N`), case folded as the object namespace folds them.
  function(handlecheck_wine_object_locks scenario out)
    file(STRINGS ${scenario} lines REGEX "(create (mailslot|namedpipe)|open [a-z]+) [A-Za-z0-9_]|name=")
    set(locks "")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "#.*" "" line "${line}")
      string(REGEX MATCHALL "(create (mailslot|namedpipe)|open [a-z]+) [A-Za-z0-9_]+|name=[A-Za-z0-9_]+"
             found "${line}")
      foreach(f IN LISTS found)
        string(REGEX REPLACE ".*[ =]" "" object "${f}")
        string(TOLOWER "${object}" object)
        list(APPEND locks "wine-test object ${object}")
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES locks)
    set(${out} "${locks}" PARENT_SCOPE)
  endfunction()
  function(handlecheck_wine_c_test name scenario)
    if(NOT HANDLECHECK_REPRO_WINE_TESTS)
      return()
    endif()
    handlecheck_wine_object_locks(${scenario} locks)
    list(PREPEND locks "wine-test ${name}")
    add_test(NAME Repro::WineTest::${name}
      COMMAND ${HANDLECHECK_PYTHON3} ${PROJECT_SOURCE_DIR}/properties/cli/test/divergences.py wine-test
              $<TARGET_FILE:handlecheck> $<TARGET_FILE:hc-repro-emit> $<TARGET_FILE:hc-wine>
              ${HC_REPRO_MINGW_CC} ${CMAKE_CURRENT_BINARY_DIR}/wine-test/${name} ${scenario})
    set_tests_properties(Repro::WineTest::${name} PROPERTIES LABELS "wine;wine-test-stand-in"
      FIXTURES_REQUIRED wine TIMEOUT 300 RESOURCE_LOCK "${locks}"
      ENVIRONMENT "HC_WINETEST_INCLUDE=${PROJECT_SOURCE_DIR}/properties/engine/winetest")
    # The same against Wine's real include/wine/test.h and winecrt0, built the
    # way makedep builds a test (a testlist.c), when the source is at hand.
    if(HC_WINE_SOURCE_FOUND)
      add_test(NAME Repro::WineTestRealHeader::${name}
        COMMAND ${HANDLECHECK_PYTHON3} ${PROJECT_SOURCE_DIR}/properties/cli/test/divergences.py wine-test
                $<TARGET_FILE:handlecheck> $<TARGET_FILE:hc-repro-emit> $<TARGET_FILE:hc-wine>
                ${HC_REPRO_MINGW_CC} ${CMAKE_CURRENT_BINARY_DIR}/wine-test-h/${name} ${scenario})
      set_tests_properties(Repro::WineTestRealHeader::${name} PROPERTIES
        LABELS "wine;wine-test-h" FIXTURES_REQUIRED wine TIMEOUT 300
        # Never two builds of one test at once, nor two tests naming one object.
        RESOURCE_LOCK "${locks}"
        ENVIRONMENT "HC_WINE_SOURCE=${HC_WINE_SOURCE}")
    endif()
  endfunction()
  # Scenarios that hold on Wine: exit 0.
  handlecheck_repro_wine_test(GrandchildAndHandleListHold
    ${HC_CORPUS_DIR}/grandchild-handle-list.hcs 0
    "line 11: G1: dup E to P0 as FROMG: ok.*line 21: query M: ok.*every expectation holds")
  # The reproducer reports a departure with the line and exits 1.
  handlecheck_repro_wine_test(WrongExpectationDeparts
    ${HC_CORPUS_DIR}/wrong-count.hcs 1
    "line 5: query E: expected count=3, got count=2.*1 step\\(s\\) departed")
  handlecheck_repro_wine_test(StepOfAnExitedProcessIsNotRun
    ${HC_CORPUS_DIR}/exited-child.hcs 1
    "line 6: wait HP: ok.*line 7: C1: create event as E: not run, C1 is not running")
  # Wine 8 departs from SPEC here (reported to the lead as quirks; each test
  # checks the exact departure, so it fails once Wine changes). The textbook
  # example of properties/scenario/README.md departs only at line 4, through the mailslot one.
  handlecheck_repro_wine_test(TextbookMailslotShowsMailslotInheritQuirk
    ${HC_CORPUS_DIR}/textbook-mailslot.hcs 1
    "line 3: P0: spawn C1 inherit as HP HT: ok line 4: query MS: expected count=2, got count=1. expected inherit, got noinherit line 5: .*line 12: close MS: ok 1 step\\(s\\) departed")
  handlecheck_repro_wine_test(MailslotInheritIgnored
    ${HC_CORPUS_DIR}/spec10-mailslot-inherit.hcs 1
    "line 3: create mailslot box inherit as MS: expected inherit, got noinherit")
  handlecheck_repro_wine_test(HandleListAcceptsNonInheritable
    ${HC_CORPUS_DIR}/handle-list-noninheritable.hcs 1
    "line 6: spawn C1 inherit only E as HP HT: expected error=ERROR_INVALID_PARAMETER, got ok")
  # The stale-close counterexample holds under Wine as a reproducer too.
  handlecheck_repro_wine_test(Corpus::stale-close-after-first-named-call
    ${HC_CORPUS_DIR}/stale-close-after-first-named-call.hcs 0 "every expectation holds")
  # Parallel blocks: the race files that hold on Wine hold as reproducers of
  # both flavours, each block on threads, in every run.
  file(GLOB hc_race_files ${HC_CORPUS_DIR}/race-*.hcs)
  foreach(f IN LISTS hc_race_files)
    file(STRINGS ${f} expect_line REGEX "^# expect: " LIMIT_COUNT 1)
    get_filename_component(stem ${f} NAME_WE)
    if(expect_line MATCHES "wine=hold")
      handlecheck_block_repro_test(${stem} ${f} cpp 0
        "block from line [0-9]+: [^:]*: an interleaving the model allows.*every expectation holds in all 3 runs")
      handlecheck_block_repro_test(${stem}::WineTest ${f} wine-c 0
        "every expectation holds in all 3 runs")
    endif()
  endforeach()
  # The race itself: in the leaking file T2's spawn lands between T1's two
  # `set` steps in some run (under Wine 8.0 within the first two runs in our
  # tries), C2 inherits W and `query W` reads count=3. At most 50 runs.
  handlecheck_block_repro_test(race-inherit-handle-list-leaks::Reproduces
    ${HC_CORPUS_DIR}/race-inherit-handle-list-leaks.hcs cpp 1
    "line 17: P0.T1: query W: expected count=2, got count=3.*run [0-9]+ of at most 50 departs" -DRUNS=50)
  # A block that departs under Wine through a named quirk: the program
  # departs in the first run, the Wine-style test marks the row todo_wine and
  # passes.
  set(hc_twice ${HC_CORPUS_DIR}/block-close-source-twice.hcs)
  handlecheck_block_repro_test(QuirkRowDeparts ${hc_twice} cpp 1
    "block from line 14: error=ERROR_INVALID_HANDLE [|] error=ERROR_INVALID_HANDLE: no interleaving the model allows.*run 1 of at most 3 departs")
  handlecheck_block_repro_test(QuirkRowIsTodoWine::WineTest ${hc_twice} wine-c 0
    "Test marked todo: run 1: block from line 14: no interleaving the model allows gives error=ERROR_INVALID_HANDLE [|] error=ERROR_INVALID_HANDLE")
  # A planted departure: an explicit expectation inside a block that no
  # schedule meets fails the first run, which the reproducer names.
  set(hc_planted ${HC_CORPUS_DIR}/block-planted-departures.hcs)
  handlecheck_block_repro_test(ExpectationInBlockDeparts ${hc_planted} cpp 1
    "line 15: P0.T2: close E: expected error=ERROR_INVALID_HANDLE, got ok.*block from line 13: ok [|] ok: an interleaving the model allows.*1 step[(]s[)] departed from the scenario run 1 of at most 3 departs")
  handlecheck_block_repro_test(ExpectationInBlockDeparts::WineTest ${hc_planted} wine-c 1
    "run 1 of at most 3 departs")
  # A planted table: the one row the second block gives replaced by one that
  # never happens, so the row observed is outside the table in every run.
  handlecheck_block_repro_test(RowOutsideTableDeparts ${hc_planted} cpp 1
    "block from line 22: ok [|] ok [|] ok: no interleaving the model allows gives these results [(]run 1.*run 1 of at most 3 departs"
    "-DEDIT_FROM=\"ok | ok | ok\"," "-DEDIT_TO=\"ok | ok | error=ERROR_INVALID_HANDLE\",")
  if(HANDLECHECK_REPRO_WINE_TESTS)
    # Every scenario and corpus file gives a reproducer that builds clean.
    add_test(NAME Repro::Wine::EveryScenarioBuilds
      COMMAND ${CMAKE_COMMAND} "-DEMIT=$<TARGET_FILE:hc-repro-emit>" "-DCXX=${HC_REPRO_MINGW_CXX}"
              "-DCC=${HC_REPRO_MINGW_CC}" "-DWINETEST=${PROJECT_SOURCE_DIR}/properties/engine/winetest"
              "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/repro/all"
              "-DDIRS=${HC_CORPUS_DIR}"
              -P ${HC_REPRO_TOOLS}/EveryScenarioBuilds.cmake)
    set_tests_properties(Repro::Wine::EveryScenarioBuilds PROPERTIES
      LABELS wine TIMEOUT 900 PASS_REGULAR_EXPRESSION "[1-9][0-9]* reproducers build")
  endif()
endif()
