# Stateful model-versus-real properties (issue 6) and campaigns (issue 8):
# hc_props is the rc::state harness; its tests run it model-against-model
# (label model) and wine-profile-against-Wine (label wine).
add_library(hc_props STATIC
  src/props/Compare.cpp
  src/props/Trace.cpp
  src/props/Harness.cpp
  src/props/Generator.cpp
  src/props/Campaign.cpp
  src/props/Tables.cpp)
target_link_libraries(hc_props PUBLIC hc_replay rapidcheck)
handlecheck_warnings(hc_props)

add_executable(hc_props_tests test/props/Harness.test.cpp test/props/Quirks.test.cpp)
target_compile_definitions(hc_props_tests PRIVATE HC_CORPUS_DIR="${CMAKE_CURRENT_SOURCE_DIR}/corpus")
target_link_libraries(hc_props_tests PRIVATE hc_props GTest::gtest_main)
handlecheck_warnings(hc_props_tests)
gtest_discover_tests(hc_props_tests TEST_PREFIX "Props::" PROPERTIES LABELS model TIMEOUT 300)

# The issue-6 property: >= 200 sequences of up to 50 steps against the real
# system, fixed seed: on Linux the wine profile under Wine, on Windows the
# windows profile natively. Coverage is printed; a divergence prints the seed
# and the shrunk scenario and writes it to the build tree.
add_executable(hc_props_wine_tests test/props/WineProperty.test.cpp)
target_link_libraries(hc_props_wine_tests PRIVATE hc_props hc_driver GTest::gtest_main)
handlecheck_warnings(hc_props_wine_tests)
set(HC_PROPERTY_ENV "RC_PARAMS=seed=20261125;HANDLECHECK_SEED=20261125;HANDLECHECK_TESTS=200;HANDLECHECK_MAX_STEPS=50;HANDLECHECK_OUT=${CMAKE_BINARY_DIR}/props-real")
if(WIN32)
  add_test(NAME Props::Native::WindowsProfileMatchesWindows COMMAND hc_props_wine_tests)
  set_tests_properties(Props::Native::WindowsProfileMatchesWindows PROPERTIES
    LABELS native TIMEOUT 900 ENVIRONMENT "${HC_PROPERTY_ENV};HANDLECHECK_NATIVE=1")
else()
  add_test(NAME Props::Wine::WineProfileMatchesWine COMMAND hc_props_wine_tests)
  set_tests_properties(Props::Wine::WineProfileMatchesWine PROPERTIES
    LABELS wine FIXTURES_REQUIRED wine TIMEOUT 900 ENVIRONMENT "${HC_PROPERTY_ENV}")
endif()

# The corpus (properties/corpus/): every Wine quirk's minimal scenario and
# every shrunk counterexample, replayed on every run (test/CorpusCheck.cmake).
file(GLOB HC_CORPUS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/*.hcs)
foreach(f IN LISTS HC_CORPUS)
  get_filename_component(stem ${f} NAME_WE)
  foreach(mode windows wine-model)
    add_test(NAME Corpus::${stem}::${mode}
      COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:handlecheck> -DFILE=${f} -DMODE=${mode}
              -P ${CMAKE_CURRENT_SOURCE_DIR}/test/CorpusCheck.cmake)
    set_tests_properties(Corpus::${stem}::${mode} PROPERTIES LABELS model)
  endforeach()
  if(NOT WIN32)
    add_test(NAME Wine::Corpus::${stem}
      COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:handlecheck> -DFILE=${f} -DMODE=wine
              -P ${CMAKE_CURRENT_SOURCE_DIR}/test/CorpusCheck.cmake)
    set_tests_properties(Wine::Corpus::${stem} PROPERTIES LABELS wine FIXTURES_REQUIRED wine TIMEOUT 120)
  endif()
endforeach()

# `handlecheck check` end to end (issue 8): exit statuses, JSON schema,
# report, determinism and Ctrl-C.
function(handlecheck_check_test name)
  cmake_parse_arguments(T "" "EXIT;STDOUT;STDERR" "ARGS" ${ARGN})
  add_test(NAME Cli::Check::${name}
    COMMAND ${CMAKE_COMMAND} "-DEXE=$<TARGET_FILE:handlecheck>" "-DARGS=check;${T_ARGS}"
            "-DEXIT=${T_EXIT}" "-DSTDOUT=${T_STDOUT}" "-DSTDERR=${T_STDERR}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/test/RunCli.cmake)
  set_tests_properties(Cli::Check::${name} PROPERTIES LABELS model)
endfunction()
set(HC_CHECK_OUT ${CMAKE_BINARY_DIR}/check-tests)
handlecheck_check_test(ModelBackendAgreesExits0 EXIT 0
  ARGS --backend model --seed 5 --tests 40 --out ${HC_CHECK_OUT}/model
  STDOUT "seed 5: [0-9]+ sequences \\(40 agreed\\).*0 distinct divergence")
handlecheck_check_test(SeedIsPrintedFirst EXIT 0
  ARGS --backend model --tests 3 --out ${HC_CHECK_OUT}/model
  STDERR "^handlecheck check: seed [0-9]+ ")
handlecheck_check_test(BadNumberExits2 EXIT 2 ARGS --tests zero
  STDERR "--tests wants a whole number >= 1, got `zero`")
handlecheck_check_test(UnknownOpExits2 EXIT 2 ARGS --backend model --ops close,frobnicate
  STDERR "unknown op `frobnicate` in --ops")
handlecheck_check_test(UnknownProfileExits2 EXIT 2 ARGS --profile linux
  STDERR "unknown profile `linux`")
handlecheck_check_test(HelpDocumentsExitStatus EXIT 0 ARGS --help
  STDOUT "Exit status: 0 no divergence, 1 divergences found, 2 usage error, 3 backend failure")
handlecheck_check_test(ModelJsonIsValid EXIT 0
  ARGS --backend model --seed 9 --tests 10 --format json --out ${HC_CHECK_OUT}/model
  STDOUT "\"schema\": \"handlecheck-check/1\".*\"divergences\": \\[\\]")

find_program(HC_PYTHON3 python3)
if(NOT WIN32)
  set(HC_AGENT_EXE ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/hc-agent.exe)
  add_test(NAME Wine::Check::BackendFailureExits3
    COMMAND ${CMAKE_COMMAND} -E env HANDLECHECK_WINE=/bin/false
            ${CMAKE_COMMAND} "-DEXE=$<TARGET_FILE:handlecheck>"
            "-DARGS=check;--backend;wine;--seed;1;--tests;3;--out;${HC_CHECK_OUT}/false" "-DEXIT=3"
            "-DSTDERR=backend failure: .*/bin/false"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/test/RunCli.cmake)
  # Discovery against Wine finds Wine's departures from the windows profile,
  # with every file and report the JSON promises...
  add_test(NAME Wine::Check::DiscoveryReportsDivergences
    COMMAND ${HC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/check_cli.py json
            $<TARGET_FILE:handlecheck> ${HC_CHECK_OUT}/discovery
            --backend wine --profile windows --seed 1 --tests 25 --max-steps 20)
  # ...the same ones again for the same seed...
  add_test(NAME Wine::Check::SameSeedSameDivergences
    COMMAND ${HC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/check_cli.py same-seed
            $<TARGET_FILE:handlecheck> ${HC_CHECK_OUT}/same-seed
            --backend wine --profile windows --seed 4 --tests 15 --max-steps 15)
  # ...and conformance (the wine profile) is green.
  add_test(NAME Wine::Check::ConformanceIsGreen
    COMMAND handlecheck check --backend wine --profile wine --seed 3 --tests 30 --max-steps 30
            --out ${HC_CHECK_OUT}/conformance)
  set_tests_properties(Wine::Check::BackendFailureExits3 Wine::Check::DiscoveryReportsDivergences
    Wine::Check::SameSeedSameDivergences Wine::Check::ConformanceIsGreen
    PROPERTIES LABELS wine FIXTURES_REQUIRED wine TIMEOUT 600)
  add_test(NAME Wine::Check::CtrlCStopsCleanly
    COMMAND ${HC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/check_cli.py interrupt
            $<TARGET_FILE:handlecheck> ${HC_AGENT_EXE}
            --backend wine --profile wine --seed 8 --tests 1000 --out ${HC_CHECK_OUT}/interrupt)
  # RUN_SERIAL: it looks for leftover agents, so no other Wine test may run.
  set_tests_properties(Wine::Check::CtrlCStopsCleanly PROPERTIES
    LABELS wine FIXTURES_REQUIRED wine TIMEOUT 180 RUN_SERIAL ON)
endif()
