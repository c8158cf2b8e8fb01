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

add_executable(hc_props_tests test/props/Harness.test.cpp)
target_link_libraries(hc_props_tests PRIVATE hc_props GTest::gtest_main)
handlecheck_warnings(hc_props_tests)
gtest_discover_tests(hc_props_tests TEST_PREFIX "Props::" PROPERTIES LABELS model TIMEOUT 300)

