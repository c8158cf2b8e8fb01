# libFuzzer targets (HANDLECHECK_FUZZ, the asan preset): clang only. Each
# target is a fuzz/ folder next to the code it fuzzes and registers itself with
# handlecheck_fuzzer(), which gives it two ctest cases (label fuzz):
#   Fuzz::<Name>::Run          fuzzes for HANDLECHECK_FUZZ_SECONDS from the
#                              seeds, writing new inputs to build*/fuzz/<name>/
#                              and any crash input there too (artifact_prefix);
#   Fuzz::<Name>::Regressions  runs each file of fuzz/regressions/ (every crash
#                              input found so far, copied there) once, forever.
# A crash input becomes a regression by copying it from build*/fuzz/<name>/ to
# the target's fuzz/regressions/ folder.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "HANDLECHECK_FUZZ needs clang (libFuzzer): configure with the asan preset")
endif()
set(HANDLECHECK_FUZZ_SECONDS 20 CACHE STRING "How long each Fuzz::*::Run ctest case fuzzes")

# handlecheck_fuzzer(NAME <name> SOURCES <files> LIBRARIES <libs>
#                    INSTRUMENT <libs whose code gets coverage feedback>
#                    SEEDS <dirs or files> [DICT <libFuzzer dictionary>])
function(handlecheck_fuzzer)
  cmake_parse_arguments(F "" "NAME;DICT" "SOURCES;LIBRARIES;INSTRUMENT;SEEDS" ${ARGN})
  set(target hc-fuzz-${F_NAME})
  add_executable(${target} ${F_SOURCES})
  target_link_libraries(${target} PRIVATE ${F_LIBRARIES})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  handlecheck_warnings(${target})
  # Coverage feedback from the code under test, not only from the target.
  foreach(lib IN LISTS F_INSTRUMENT)
    target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link)
  endforeach()

  string(TOLOWER ${F_NAME} dir)
  set(work ${PROJECT_BINARY_DIR}/fuzz/${dir})
  file(MAKE_DIRECTORY ${work}/corpus)
  set(regressions ${CMAKE_CURRENT_SOURCE_DIR}/regressions)
  set(dict)
  if(F_DICT)
    set(dict -dict=${F_DICT})
  endif()
  # -seed: a Run case fuzzes the same way every time; -timeout: an input that
  # takes longer than 10 s is a finding too (a hang).
  add_test(NAME Fuzz::${F_NAME}::Run
           COMMAND ${target} -seed=1 -max_total_time=${HANDLECHECK_FUZZ_SECONDS} -timeout=10
                   -rss_limit_mb=2048 -print_final_stats=1 ${dict} -artifact_prefix=${work}/
                   ${work}/corpus ${regressions} ${F_SEEDS})
  set_tests_properties(Fuzz::${F_NAME}::Run PROPERTIES
    LABELS fuzz TIMEOUT 300 FAIL_REGULAR_EXPRESSION "ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:")
  add_test(NAME Fuzz::${F_NAME}::Regressions
           COMMAND ${CMAKE_COMMAND} -DFUZZER=$<TARGET_FILE:${target}> -DDIR=${regressions}
                   -P ${PROJECT_SOURCE_DIR}/cmake/FuzzRegressions.cmake)
  set_tests_properties(Fuzz::${F_NAME}::Regressions PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
