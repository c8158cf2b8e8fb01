# ctest helper: a committed file that handlecheck generates (model/RULES.md,
# docs/quirks.md) must be what `handlecheck COMMAND --format markdown` prints,
# byte for byte (line ends aside: a Windows build writes CRLF to a console).
# -DEXE=handlecheck -DCOMMAND=rules|quirks -DEXPECTED=path/to/file.md [-DEMULATOR=runner]
execute_process(COMMAND ${EMULATOR} ${EXE} ${COMMAND} --format markdown
                OUTPUT_VARIABLE printed RESULT_VARIABLE rc)
string(REPLACE "\r" "" printed "${printed}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "handlecheck ${COMMAND} --format markdown exited ${rc}")
endif()
file(READ ${EXPECTED} expected)
if(NOT printed STREQUAL expected)
  message(FATAL_ERROR "${EXPECTED} differs from `handlecheck ${COMMAND} --format markdown`; "
                      "regenerate it with: handlecheck ${COMMAND} --format markdown > ${EXPECTED}")
endif()
