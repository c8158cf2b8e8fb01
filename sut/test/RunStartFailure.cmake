# hc-wine run when Wine fails to start the program FAILURES times (a fake
# loader in front of the real one): below three failures the program runs
# and its own exit status and output come back, with one warning per
# restart; at three, hc-wine gives up with exit 3 and says why. FAILURES=child:
# Wine's line comes while the program runs (from a process it started), and
# the program is not started again.
#   cmake -DHCWINE=.. -DFAKE=fake-wine-start-failure.sh -DEXE=inherit-check.exe
#         -DWORK=dir -DFAILURES=N -P RunStartFailure.cmake
execute_process(COMMAND "${HCWINE}" where OUTPUT_VARIABLE where RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT where MATCHES "wine: ([^\n]*)\nwineserver: ([^\n]*)\n")
  message(FATAL_ERROR "hc-wine where failed (${rc}): ${where}")
endif()
set(real_wine "${CMAKE_MATCH_1}")
set(real_server "${CMAKE_MATCH_2}")
file(MAKE_DIRECTORY "${WORK}")
set(count "${WORK}/start-failure-${FAILURES}.count")
file(REMOVE "${count}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "HANDLECHECK_WINE=${FAKE}" "HANDLECHECK_WINESERVER=${real_server}"
          "HC_FAKE_WINE_REAL=${real_wine}" "HC_FAKE_WINE_COUNT=${count}" "HC_FAKE_WINE_FAILURES=${FAILURES}"
          "${HCWINE}" run "${EXE}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
file(READ "${count}" starts)
string(STRIP "${starts}" starts)
message("exit ${rc}, ${starts} start(s)\n--- stdout\n${out}--- stderr\n${err}")
string(REPLACE ";" "," flat "${err}")  # a CMake list splits at semicolons
string(REGEX MATCHALL "hc-wine: warning: Wine failed to start [^\n]*starting it again" warnings "${flat}")
list(LENGTH warnings restarts)
if(err MATCHES "err:virtual:")
  message(FATAL_ERROR "Wine's err:virtual line was passed on although nobody asked for it")
endif()
if(FAILURES STREQUAL "child")
  if(NOT rc EQUAL 0 OR NOT out MATCHES "inherit=1" OR restarts GREATER 0)
    message(FATAL_ERROR "expected exit 0, the program's output and no restart; got exit ${rc}, "
                        "${restarts} restart(s)")
  endif()
elseif(FAILURES LESS 3)
  math(EXPR expected_starts "${FAILURES} + 1")
  if(NOT rc EQUAL 0 OR NOT out MATCHES "inherit=1" OR NOT starts EQUAL expected_starts
     OR NOT restarts EQUAL FAILURES)
    message(FATAL_ERROR "expected exit 0, the program's output, ${expected_starts} starts and "
                        "${FAILURES} warning(s); got exit ${rc}, ${starts} starts, ${restarts} warning(s)")
  endif()
else()
  if(NOT rc EQUAL 3 OR NOT starts EQUAL 3 OR NOT err MATCHES "Wine failed to start [^\n]* 3 times")
    message(FATAL_ERROR "expected exit 3 after 3 starts with the reason; got exit ${rc}, ${starts} starts")
  endif()
endif()
