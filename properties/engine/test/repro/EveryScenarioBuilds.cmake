# Repro::Wine::EveryScenarioBuilds: the reproducer of every scenario under
# DIRS (but the `# expect: input` files) compiles warning-free with the MinGW-w64 compiler (-fsyntax-only; the
# Repro::Wine::* tests build and run a few), and so does its Wine-style
# test, as C (CC) against the stand-in wine/test.h under WINETEST. Usage:
#   cmake -DEMIT=.. -DCXX=.. -DCC=.. -DWINETEST=.. -DWORK=.. "-DDIRS=a;b" -P EveryScenarioBuilds.cmake
if(NOT CXX OR CXX MATCHES "NOTFOUND$" OR NOT CC OR CC MATCHES "NOTFOUND$")
  message(FATAL_ERROR "no MinGW-w64 compiler (x86_64-w64-mingw32-g++-posix): install "
                      "g++-mingw-w64-x86-64-posix; the reproducers cannot be built, so this test fails")
endif()
file(MAKE_DIRECTORY "${WORK}")
# Every reproducer opens with the same system headers after the same two
# macros; parsed once into a precompiled header per language (-include,
# -Winvalid-pch: a header that does not fit is an error, never a silent
# reparse), each compile then parses only the reproducer itself.
set(prelude "#define _CRT_SECURE_NO_WARNINGS\n#define _WIN32_WINNT 0x0601\n"
            "#include <windows.h>\n#include <stdarg.h>\n#include <stdio.h>\n#include <string.h>\n")
string(CONCAT prelude ${prelude})
file(MAKE_DIRECTORY "${WORK}/pch-c++" "${WORK}/pch-c")
file(WRITE "${WORK}/pch-c++/prelude.h" "${prelude}")
file(WRITE "${WORK}/pch-c/prelude.h" "${prelude}")
set(warnings -Wall -Wextra -Werror)
execute_process(
  COMMAND "${CXX}" -x c++-header ${warnings} "${WORK}/pch-c++/prelude.h" -o "${WORK}/pch-c++/prelude.h.gch"
  COMMAND "${CC}" -x c-header ${warnings} "${WORK}/pch-c/prelude.h" -o "${WORK}/pch-c/prelude.h.gch"
  RESULTS_VARIABLE results ERROR_VARIABLE err)
foreach(rc IN LISTS results)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the reproducers' precompiled prelude does not build:\n${err}")
  endif()
endforeach()
set(cxx_pch -include "${WORK}/pch-c++/prelude.h" -Winvalid-pch)
set(c_pch -include "${WORK}/pch-c/prelude.h" -Winvalid-pch)
set(count 0)
set(pending "")
# Compiles the pending reproducers side by side: execute_process runs its
# COMMANDs at the same time (as a pipeline; -fsyntax-only prints nothing).
function(compile_pending)
  if(NOT pending)
    return()
  endif()
  set(commands "")
  foreach(source IN LISTS pending)
    if(source MATCHES "[.]wine[.]c$")
      list(APPEND commands COMMAND "${CC}" -fsyntax-only ${warnings} ${c_pch} -I "${WINETEST}" "${source}")
    else()
      list(APPEND commands COMMAND "${CXX}" -fsyntax-only ${warnings} ${cxx_pch} "${source}")
    endif()
  endforeach()
  execute_process(${commands} RESULTS_VARIABLE results OUTPUT_VARIABLE out ERROR_VARIABLE err)
  foreach(rc IN LISTS results)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "a reproducer of ${pending} does not build:\n${out}${err}")
    endif()
  endforeach()
endfunction()
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
    set(sources "${WORK}/${stem}.cpp" "${WORK}/${stem}.wine.c")
    foreach(source IN LISTS sources)
      execute_process(COMMAND "${EMIT}" "${scenario}" "${source}" RESULT_VARIABLE rc ERROR_VARIABLE err)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "hc-repro-emit ${scenario} ${source} failed (${rc}): ${err}")
      endif()
      list(APPEND pending "${source}")
    endforeach()
    list(LENGTH pending n)
    if(n GREATER_EQUAL 4)
      compile_pending()
      set(pending "")
    endif()
    math(EXPR count "${count} + 1")
  endforeach()
endforeach()
compile_pending()
if(count EQUAL 0)
  message(FATAL_ERROR "no scenario found under ${DIRS}")
endif()
message("${count} reproducers build, with their Wine-style tests")
