# Repro::Wine::EveryScenarioBuilds: the reproducer of every scenario under
# DIRS (but the `# expect: input` files) compiles warning-free with the MinGW-w64 compiler (-fsyntax-only; the
# Repro::Wine::* tests build and run a few). Usage:
#   cmake -DEMIT=.. -DCXX=.. -DWORK=.. "-DDIRS=a;b" -P EveryScenarioBuilds.cmake
if(NOT CXX OR CXX MATCHES "NOTFOUND$")
  message(FATAL_ERROR "no MinGW-w64 compiler (x86_64-w64-mingw32-g++-posix): install "
                      "g++-mingw-w64-x86-64-posix; the reproducers cannot be built, so this test fails")
endif()
file(MAKE_DIRECTORY "${WORK}")
set(count 0)
string(REPLACE "|" ";" DIRS "${DIRS}")  # `|`-separated: a `;` would split the argument
foreach(dir IN LISTS DIRS)
  file(GLOB scenarios "${dir}/*.hcs")
  foreach(scenario IN LISTS scenarios)
    get_filename_component(stem "${scenario}" NAME_WE)
    # Inputs of named tests (malformed files among them) are not scenarios to build.
    file(STRINGS "${scenario}" input_header REGEX "^# expect: input" LIMIT_COUNT 1)
    if(input_header)
      continue()
    endif()
    execute_process(COMMAND "${EMIT}" "${scenario}" "${WORK}/${stem}.cpp" RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "hc-repro-emit ${scenario} failed (${rc}): ${err}")
    endif()
    execute_process(COMMAND "${CXX}" -fsyntax-only -Wall -Wextra -Werror "${WORK}/${stem}.cpp"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "the reproducer of ${scenario} does not build:\n${out}${err}")
    endif()
    math(EXPR count "${count} + 1")
  endforeach()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no scenario found under ${DIRS}")
endif()
message("${count} reproducers build")
