# How handlecheck registers its ctest tests.
#
# Every test carries exactly one of six labels, and the presets choose tests
# by label only:
#   model    no Wine, no browser: the model, the language, the engine, the
#            CLI on the model, the build's own checks (quick, the asan preset
#            runs them under the sanitizers)
#   wine     needs Wine, itself or through the fixture that writes its input
#            (fixture `wine`: one prefix and wineserver): the real system
#   native   the mingw preset: Windows executables under Wine that start
#            their agents themselves (--backend native)
#   fuzz     libFuzzer targets and the planted-bug proofs (asan preset only)
#   browser  headless Chromium renders the --html reports written on the model
#   wine-crash  opt-in, in no preset (`ctest -L '^wine-crash$'`): a scenario
#            that kills Wine's wineserver, run in a throw-away prefix
# Build::Labels::EveryTestHasOneLabel fails when a test has none or several.
set(HANDLECHECK_TEST_LABELS model wine native fuzz browser wine-crash)

# The generated reproducers' tests build each with MinGW-w64 at test time and
# run it under Wine (Repro::Wine::*, Repro::WineTest::*): minutes of work in
# which no host code runs but the generator, which the model tests cover. The
# asan preset leaves them out; its sanitizers would have nothing to check.
option(HANDLECHECK_REPRO_WINE_TESTS
       "Test generated reproducers by building them and running them under Wine" ON)

# The test scripts' interpreter (properties/cli/test/*.py and others).
find_program(HANDLECHECK_PYTHON3 NAMES python3 python DOC "Python 3 for the test scripts")

# Stops configuring when LABEL is not one of the five.
function(handlecheck_check_label label)
  if(NOT label IN_LIST HANDLECHECK_TEST_LABELS)
    message(FATAL_ERROR "handlecheck: test label `${label}` is not one of "
                        "${HANDLECHECK_TEST_LABELS} (cmake/HandlecheckTesting.cmake)")
  endif()
endfunction()

# handlecheck_add_gtest(<target> SOURCES <file>... [LIBRARIES <lib>...]
#                       PREFIX <ctest name prefix> LABEL <label>
#                       [PROPERTIES <property> <value>...])
# A GoogleTest executable (gtest_main, our warnings) whose cases become ctest
# tests named <prefix><Suite>.<Case>. Under a cross-compiling emulator (the
# mingw preset: Wine), listing the cases may first start the run's wineserver
# (ci/mingw-wine.sh): more than GoogleTest's default discovery timeout of 5 s.
function(handlecheck_add_gtest target)
  cmake_parse_arguments(G "" "PREFIX;LABEL" "SOURCES;LIBRARIES;PROPERTIES" ${ARGN})
  if(NOT G_SOURCES OR NOT G_PREFIX OR NOT G_LABEL)
    message(FATAL_ERROR "handlecheck_add_gtest(${target}): SOURCES, PREFIX and LABEL are required")
  endif()
  handlecheck_check_label(${G_LABEL})
  add_executable(${target} ${G_SOURCES})
  target_link_libraries(${target} PRIVATE ${G_LIBRARIES} GTest::gtest_main)
  handlecheck_warnings(${target})
  handlecheck_unity_build(${target})
  handlecheck_precompile_test_headers(${target})
  set(timeout)
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    set(timeout DISCOVERY_TIMEOUT 120)
  endif()
  gtest_discover_tests(${target} TEST_PREFIX "${G_PREFIX}" ${timeout}
                       PROPERTIES LABELS ${G_LABEL} ${G_PROPERTIES})
endfunction()

# find_program's validator: a clang-format whose major version is the pinned one.
function(handlecheck_is_pinned_clang_format result candidate)
  execute_process(COMMAND "${candidate}" --version OUTPUT_VARIABLE version ERROR_QUIET)
  if(NOT version MATCHES "clang-format version ${HANDLECHECK_CLANG_FORMAT_MAJOR}[.]")
    set(${result} FALSE PARENT_SCOPE)
  endif()
endfunction()

# The build's own checks (label model): every test has one label, and the
# tracked C and C++ sources are as clang-format (.clang-format) writes them.
function(handlecheck_add_build_checks)
  add_test(NAME Build::Labels::EveryTestHasOneLabel
    COMMAND ${CMAKE_COMMAND} -DCTEST=${CMAKE_CTEST_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR}
            "-DLABELS=${HANDLECHECK_TEST_LABELS}"
            -P ${PROJECT_SOURCE_DIR}/cmake/CheckTestLabels.cmake)
  # Versions of clang-format format differently: the tree is formatted with
  # this one, and a clang-format of another major version is passed over.
  set(HANDLECHECK_CLANG_FORMAT_MAJOR 14)
  find_program(HANDLECHECK_CLANG_FORMAT
    NAMES clang-format-${HANDLECHECK_CLANG_FORMAT_MAJOR} clang-format
    VALIDATOR handlecheck_is_pinned_clang_format
    DOC "clang-format ${HANDLECHECK_CLANG_FORMAT_MAJOR}, for the test Build::Format::*")
  find_program(HANDLECHECK_GIT git DOC "git, which lists the tracked sources for the format check")
  add_test(NAME Build::Format::SourcesAreClangFormatted
    COMMAND ${CMAKE_COMMAND} "-DCLANG_FORMAT=${HANDLECHECK_CLANG_FORMAT}"
            -DHANDLECHECK_CLANG_FORMAT_MAJOR=${HANDLECHECK_CLANG_FORMAT_MAJOR}
            "-DGIT=${HANDLECHECK_GIT}" -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/CheckClangFormat.cmake)
  set_tests_properties(Build::Labels::EveryTestHasOneLabel Build::Format::SourcesAreClangFormatted
    PROPERTIES LABELS model TIMEOUT 300)
endfunction()
