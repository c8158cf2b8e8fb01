# handlecheck.exe and its agents (console and GUI) in a folder whose name is not ASCII (a
# Windows user's profile often is): --backend native must still start the
# hub (ctest, mingw preset).
#   cmake -DEMULATOR=runner -DBIN=build-mingw/bin -DWORK=dir -DPREFIX=wineprefix
#         -DFILE=x.hcs -P NonAsciiPath.cmake
set(bin "${WORK}/Ωμέγα-Łódź-日本/bin")
file(MAKE_DIRECTORY "${bin}")
file(COPY "${BIN}/handlecheck.exe" "${BIN}/hc-agent.exe" "${BIN}/hc-agent-gui.exe"
     DESTINATION "${bin}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "HANDLECHECK_WINEPREFIX=${PREFIX}"
          ${EMULATOR} "${bin}/handlecheck.exe" replay "${FILE}" --backend native
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("${out}${err}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "handlecheck.exe in ${bin} exited ${status}, expected 0")
endif()
