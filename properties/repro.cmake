# Standalone C++ reproducers (issue 6): hc_repro turns a scenario into one
# self-contained .cpp (only <windows.h>) that performs it for real. Included
# from properties/CMakeLists.txt.
add_library(hc_repro STATIC
  src/repro/Reproducer.cpp
  src/repro/Runtime.cpp)
target_include_directories(hc_repro PUBLIC include)
target_link_libraries(hc_repro PUBLIC hc_scenario)
handlecheck_warnings(hc_repro)

# Host unit tests: what the generated text holds (label model).
add_executable(hc_repro_tests test/repro/Reproducer.test.cpp)
target_link_libraries(hc_repro_tests PRIVATE hc_repro GTest::gtest_main)
target_compile_definitions(hc_repro_tests PRIVATE
  HC_REPRO_TEXTBOOK="${CMAKE_CURRENT_SOURCE_DIR}/scenarios/textbook-mailslot.hcs")
handlecheck_warnings(hc_repro_tests)
gtest_discover_tests(hc_repro_tests TEST_PREFIX "Repro::" PROPERTIES LABELS model)

# Test helper: hc-repro-emit SCENARIO.hcs OUT.cpp (the library, nothing more).
add_executable(hc-repro-emit test/repro/Emit.cpp)
target_link_libraries(hc-repro-emit PRIVATE hc_repro)
handlecheck_warnings(hc-repro-emit)

# Under Wine (label wine): generate, build with MinGW-w64 at test time, run
# with hc-wine, check the exit status (0: every expectation holds, 1: the
# system departs) and what it prints. Without the MinGW compiler these
# tests fail and say so: a reproducer that was never built proves nothing.
if(NOT WIN32)
  find_program(HC_REPRO_MINGW_CXX NAMES x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-g++
               DOC "MinGW-w64 C++ compiler the reproducer tests build with")
  set(HC_REPRO_DATA ${CMAKE_CURRENT_SOURCE_DIR}/test/repro)
  function(handlecheck_repro_wine_test name scenario exit match)
    add_test(NAME Repro::Wine::${name}
      COMMAND ${CMAKE_COMMAND}
              "-DEMIT=$<TARGET_FILE:hc-repro-emit>" "-DHCWINE=$<TARGET_FILE:hc-wine>"
              "-DCXX=${HC_REPRO_MINGW_CXX}" "-DSCENARIO=${scenario}"
              "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/repro/${name}"
              "-DEXIT=${exit}" "-DMATCH=${match}"
              -P ${HC_REPRO_DATA}/RunReproUnderWine.cmake)
    set_tests_properties(Repro::Wine::${name} PROPERTIES
      LABELS wine FIXTURES_REQUIRED wine TIMEOUT 300)
  endfunction()
  # Scenarios that hold on Wine: exit 0.
  handlecheck_repro_wine_test(GrandchildAndHandleListHold
    ${HC_REPRO_DATA}/grandchild-handle-list.hcs 0
    "line 10: G1: dup E to P0 as FROMG: ok.*line 20: query M: ok.*every expectation holds")
  # The reproducer reports a departure with the line and exits 1.
  handlecheck_repro_wine_test(WrongExpectationDeparts
    ${HC_REPRO_DATA}/wrong-count.hcs 1
    "line 4: query E: expected count=3, got count=2.*1 step\\(s\\) departed")
  handlecheck_repro_wine_test(StepOfAnExitedProcessIsNotRun
    ${HC_REPRO_DATA}/exited-child.hcs 1
    "line 5: wait HP: ok.*line 6: C1: create event as E: not run, C1 is not running")
  # Wine 8 departs from SPEC here (reported to the lead as quirks; each test
  # checks the exact departure, so it fails once Wine changes). The textbook
  # example of SCENARIOS.md departs only at line 3, through the mailslot one.
  handlecheck_repro_wine_test(TextbookMailslotShowsMailslotInheritQuirk
    ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/textbook-mailslot.hcs 1
    "line 2: P0: spawn C1 inherit as HP HT: ok line 3: query MS: expected count=2, got count=1. expected inherit, got noinherit line 4: .*line 11: close MS: ok 1 step\\(s\\) departed")
  handlecheck_repro_wine_test(MailslotInheritIgnored
    ${HC_REPRO_DATA}/mailslot-inherit.hcs 1
    "line 4: create mailslot demo inherit as MS: expected inherit, got noinherit")
  handlecheck_repro_wine_test(HandleListAcceptsNonInheritable
    ${HC_REPRO_DATA}/handle-list-noninheritable.hcs 1
    "line 5: spawn C1 inherit only E as HP HT: expected error=ERROR_INVALID_PARAMETER, got ok")
  # Every quirk's corpus scenario (documented expectations) departs under
  # Wine in its reproducer too: the file one attaches to the Wine bug.
  file(GLOB HC_REPRO_CORPUS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/*.hcs)
  foreach(f IN LISTS HC_REPRO_CORPUS)
    get_filename_component(stem ${f} NAME_WE)
    # A quirk's scenario departs under Wine; a regression scenario holds.
    file(STRINGS ${f} quirk REGEX "^# quirk ")
    if(quirk)
      handlecheck_repro_wine_test(Corpus::${stem} ${f} 1 "step\\(s\\) departed from the scenario")
    else()
      handlecheck_repro_wine_test(Corpus::${stem} ${f} 0 "every expectation holds")
    endif()
  endforeach()
  # Every scenario and corpus file gives a reproducer that builds clean.
  add_test(NAME Repro::Wine::EveryScenarioBuilds
    COMMAND ${CMAKE_COMMAND} "-DEMIT=$<TARGET_FILE:hc-repro-emit>" "-DCXX=${HC_REPRO_MINGW_CXX}"
            "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/repro/all"
            "-DDIRS=${CMAKE_CURRENT_SOURCE_DIR}/scenarios|${CMAKE_CURRENT_SOURCE_DIR}/corpus|${HC_REPRO_DATA}"
            -P ${HC_REPRO_DATA}/EveryScenarioBuilds.cmake)
  set_tests_properties(Repro::Wine::EveryScenarioBuilds PROPERTIES
    LABELS wine TIMEOUT 300 PASS_REGULAR_EXPRESSION "[1-9][0-9]* reproducers build")
endif()
