# Runs the handlecheck CLI once and checks its exit status and output:
#   cmake -DEXE=... -DARGS="a;b" -DEXIT=N [-DSTDOUT=regex] [-DSTDERR=regex]
#         [-DNOT_STDOUT=regex] [-DEMULATOR=runner] -P RunCli.cmake
# EMULATOR runs EXE when it is not a host program (the mingw build: Wine).
# Regexes are CMake regexes matched anywhere in the stream.
execute_process(COMMAND ${EMULATOR} ${EXE} ${ARGS}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(report "command: ${EXE} ${ARGS}\nexit: ${status}\n--- stdout\n${out}\n--- stderr\n${err}")
if(NOT "${status}" STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit status ${EXIT}, got ${status}\n${report}")
endif()
if(DEFINED STDOUT AND NOT "${STDOUT}" STREQUAL "" AND NOT out MATCHES "${STDOUT}")
  message(FATAL_ERROR "stdout does not match `${STDOUT}`\n${report}")
endif()
if(DEFINED STDERR AND NOT "${STDERR}" STREQUAL "" AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match `${STDERR}`\n${report}")
endif()
if(DEFINED NOT_STDOUT AND NOT "${NOT_STDOUT}" STREQUAL "" AND out MATCHES "${NOT_STDOUT}")
  message(FATAL_ERROR "stdout matches `${NOT_STDOUT}`, it must not\n${report}")
endif()
