# One Repro::Wine test: emit the reproducer of SCENARIO, build it with CXX
# (MinGW-w64), run it under Wine with HCWINE, and require exit status EXIT
# and output matching MATCH. Usage:
#   cmake -DEMIT=.. -DHCWINE=.. -DCXX=.. -DSCENARIO=.. -DWORK=.. -DEXIT=N -DMATCH=re -P RunReproUnderWine.cmake
# Optional: -DRUNS=N runs a scenario with parallel blocks at most N times
# (REPRO_RUNS); -DEDIT_FROM=text -DEDIT_TO=text replaces that text in the
# generated source before the build (a planted departure); -DCC=.. and
# -DWINETEST=DIR build and run the Wine-style test (.wine.c) instead, as C
# against the stand-in wine/test.h in DIR, run as `EXE handlecheck`.
if(NOT CXX OR CXX MATCHES "NOTFOUND$" OR (WINETEST AND (NOT CC OR CC MATCHES "NOTFOUND$")))
  message(FATAL_ERROR "no MinGW-w64 compiler (x86_64-w64-mingw32-g++-posix): install "
                      "g++-mingw-w64-x86-64-posix; the reproducer cannot be built, so this test fails")
endif()
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${SCENARIO}" NAME_WE)
if(WINETEST)
  set(source "${WORK}/${stem}.wine.c")
  set(args handlecheck)
else()
  set(source "${WORK}/${stem}.cpp")
  set(args "")
endif()
set(exe "${WORK}/${stem}.exe")

execute_process(COMMAND "${EMIT}" "${SCENARIO}" "${source}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hc-repro-emit failed (${rc}): ${err}")
endif()
if(DEFINED EDIT_FROM)
  file(READ "${source}" text)
  string(FIND "${text}" "${EDIT_FROM}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the generated ${source} has no `${EDIT_FROM}` to replace")
  endif()
  string(REPLACE "${EDIT_FROM}" "${EDIT_TO}" text "${text}")
  file(WRITE "${source}" "${text}")
endif()
# The flags a person would use, plus warnings: the file must build clean.
if(WINETEST)
  execute_process(COMMAND "${CC}" -static -O2 -Wall -Wextra -Werror -D__WINESRC__ -I "${WINETEST}"
                          -o "${exe}" "${source}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
else()
  execute_process(COMMAND "${CXX}" -static -O1 -Wall -Wextra -Werror -o "${exe}" "${source}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "MinGW build of ${source} failed (${rc}):\n${out}${err}")
endif()
if(RUNS)
  set(ENV{REPRO_RUNS} "${RUNS}")
endif()
# Output to files, not pipes: the first Wine program after the wineserver
# starts boots services.exe, winedevice.exe, plugplay.exe and rpcss.exe, which
# inherit its stdout and stderr and live as long as the server; on a pipe the
# read would wait for them until the timeout.
# Wine's err: lines go to the .err file, shown when the run fails.
set(ENV{HANDLECHECK_WINEDEBUG} "-all,err+all")
execute_process(COMMAND "${HCWINE}" run "${exe}" ${args} RESULT_VARIABLE rc
                OUTPUT_FILE "${WORK}/${stem}.out" ERROR_FILE "${WORK}/${stem}.err" TIMEOUT 240)
file(READ "${WORK}/${stem}.out" out)
file(READ "${WORK}/${stem}.err" err)
message("${out}")
if(NOT rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "${stem}.exe under Wine exited with ${rc}, expected ${EXIT}\n${out}\n${err}")
endif()
string(REPLACE "\n" " " flat "${out}")
if(NOT flat MATCHES "${MATCH}")
  message(FATAL_ERROR "${stem}.exe output does not match `${MATCH}`:\n${out}\n${err}")
endif()
