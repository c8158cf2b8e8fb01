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

if(NOT WIN32)
  # The issue-6 property: >= 200 sequences of up to 50 steps, wine profile,
  # against Wine, fixed seed. Coverage is printed; a divergence prints the
  # seed, the shrunk scenario and writes it (and its reproducer) to the
  # build tree.
  add_executable(hc_props_wine_tests test/props/WineProperty.test.cpp)
  target_link_libraries(hc_props_wine_tests PRIVATE hc_props hc_driver GTest::gtest_main)
  handlecheck_warnings(hc_props_wine_tests)
  add_test(NAME Props::Wine::WineProfileMatchesWine COMMAND hc_props_wine_tests)
  set_tests_properties(Props::Wine::WineProfileMatchesWine PROPERTIES
    LABELS wine FIXTURES_REQUIRED wine TIMEOUT 900
    ENVIRONMENT "HANDLECHECK_SEED=20261125;HANDLECHECK_TESTS=200;HANDLECHECK_MAX_STEPS=50;HANDLECHECK_OUT=${CMAKE_BINARY_DIR}/props-wine")
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
