# Runs a libFuzzer target once on every file of DIR (the crash inputs found so
# far, kept as regressions); fails when any of them fails again.
#   cmake -DFUZZER=<exe> -DDIR=<folder> -P FuzzRegressions.cmake
file(GLOB inputs LIST_DIRECTORIES false "${DIR}/*")
list(FILTER inputs EXCLUDE REGEX "/README[^/]*$")
list(LENGTH inputs n)
if(n EQUAL 0)
  message(STATUS "no regression inputs in ${DIR}")
  return()
endif()
execute_process(COMMAND "${FUZZER}" -runs=1 ${inputs} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "a regression input fails again (exit ${code}): see above")
endif()
message(STATUS "${n} regression inputs replayed")
