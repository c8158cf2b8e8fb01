# The Windows build against the Linux build, both on the same Wine (ctest,
# mingw preset): the Windows handlecheck.exe, itself under Wine, starts its
# agents with CreateProcess (--backend native); the Linux handlecheck starts
# them through the wine loader (--backend wine). They must agree.
#   cmake -DEMULATOR=runner -DEXE=handlecheck.exe -DLINUX_CLI=build/bin/handlecheck
#         -DPREFIX=wineprefix -DMODE=replay -DFILE=x.hcs -P SameAsLinux.cmake
#   ... -DMODE=check -DOUT=dir -DARGS="--profile;windows;--seed;1" -P SameAsLinux.cmake
# replay: same exit status, same report and messages (stdout, stderr) once
#   the backend's name and the run's pids and object-name prefix are set aside
#   (a file with a parallel block: the same exit status).
# check: same exit status and the same distinct divergences (JSON signatures).
# The Linux CLI uses this run's Wine prefix (and so its one wineserver).
if(NOT EXISTS "${LINUX_CLI}")
  message(FATAL_ERROR "${LINUX_CLI} does not exist: the comparison needs the Linux build "
                      "(cmake --workflow --preset linux, which ci/test.sh runs first)")
endif()

# run(<side> <out_status> <out_stdout> <out_stderr> args...): side is windows or linux.
function(run side out_status out_stdout out_stderr)
  if(side STREQUAL "windows")
    set(command ${EMULATOR} "${EXE}" ${ARGN} --backend native)
  else()
    set(command "${CMAKE_COMMAND}" -E env "HANDLECHECK_WINEPREFIX=${PREFIX}" "${LINUX_CLI}" ${ARGN}
                --backend wine)
  endif()
  execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 600)
  message("--- ${side}: ${command}\nexit ${status}\n${out}${err}")
  set(${out_status} "${status}" PARENT_SCOPE)
  set(${out_stdout} "${out}" PARENT_SCOPE)
  set(${out_stderr} "${err}" PARENT_SCOPE)
endfunction()

# What differs between two runs by design: the backend's name, pids, the
# per-run object-name prefix (hc<pid>x<n>_), file paths of the written files,
# and the warning of a hub that Wine failed to start once and that was started
# again (start-up of the machinery, not an outcome of the scenario).
function(normalise var)
  set(s "${${var}}")
  string(REGEX REPLACE "handlecheck: warning: the agent hub [^\n]* ended before its hello [^\n]*; starting it again\n"
                       "" s "${s}")
  string(REGEX REPLACE "native|wine" "BACKEND" s "${s}")
  string(REGEX REPLACE "hc[0-9]+x[0-9]+_" "hcRUN_" s "${s}")
  string(REGEX REPLACE "pid [0-9]+" "pid N" s "${s}")
  string(REPLACE "\r\n" "\n" s "${s}")
  set(${var} "${s}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "replay")
  run(windows win_status win_out win_err replay "${FILE}")
  run(linux linux_status linux_out linux_err replay "${FILE}")
  if(NOT win_status STREQUAL linux_status)
    message(FATAL_ERROR "${FILE}: handlecheck.exe --backend native exited ${win_status}, "
                        "the Linux build on Wine ${linux_status}")
  endif()
  # A parallel block runs in the schedule each system gives it, so two runs
  # of one file may report different interleavings and counts: there the
  # exit status (how the file is judged) is what must agree.
  file(STRINGS "${FILE}" blocks REGEX "^[ \t]*parallel[ \t]*$")
  if(blocks)
    message("${FILE} has a parallel block: the exit statuses agree (${win_status}); its "
            "reports name each run's schedule and are not compared")
    return()
  endif()
  foreach(stream out err)
    normalise(win_${stream})
    normalise(linux_${stream})
    if(NOT win_${stream} STREQUAL linux_${stream})
      message(FATAL_ERROR "${FILE}: the two std${stream} differ (both exited ${win_status})\n"
                          "--- windows\n${win_${stream}}\n--- linux\n${linux_${stream}}")
    endif()
  endforeach()
elseif(MODE STREQUAL "check")
  foreach(side windows linux)
    run(${side} status_${side} json_${side} err_${side} check ${ARGS} --format json --out "${OUT}/${side}")
    set(signatures_${side})
    string(JSON count ERROR_VARIABLE error LENGTH "${json_${side}}" divergences)
    if(error)
      message(FATAL_ERROR "${side}: no JSON report (${error})")
    endif()
    if(count GREATER 0)
      math(EXPR last "${count} - 1")
      foreach(i RANGE ${last})
        string(JSON signature GET "${json_${side}}" divergences ${i} signature)
        list(APPEND signatures_${side} "${signature}")
      endforeach()
    endif()
    list(SORT signatures_${side})
    string(JSON failure GET "${json_${side}}" backend_failure)
    if(failure)
      message(FATAL_ERROR "${side}: backend failure: ${failure}")
    endif()
  endforeach()
  if(NOT signatures_linux)
    message(FATAL_ERROR "the Linux build found no divergence: nothing to compare (choose a seed that finds some)")
  endif()
  string(REPLACE ";" "\n  " listed "${signatures_windows}")
  message("distinct divergences (handlecheck.exe, native):\n  ${listed}")
  if(NOT status_windows STREQUAL status_linux OR NOT signatures_windows STREQUAL signatures_linux)
    string(REPLACE ";" "\n  " other "${signatures_linux}")
    message(FATAL_ERROR "the Windows build (exit ${status_windows}) and the Linux build (exit "
                        "${status_linux}) found different divergences\n--- linux:\n  ${other}")
  endif()
else()
  message(FATAL_ERROR "MODE must be replay or check")
endif()
