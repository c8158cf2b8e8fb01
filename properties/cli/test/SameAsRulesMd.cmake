# ctest helper: `handlecheck rules --format markdown` must print model/RULES.md
# byte for byte (line ends aside: a Windows build writes CRLF to a console).
# -DEXE=handlecheck -DEXPECTED=path/to/RULES.md [-DEMULATOR=runner]
execute_process(COMMAND ${EMULATOR} ${EXE} rules --format markdown OUTPUT_VARIABLE printed RESULT_VARIABLE rc)
string(REPLACE "\r" "" printed "${printed}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "handlecheck rules exited ${rc}")
endif()
file(READ ${EXPECTED} expected)
if(NOT printed STREQUAL expected)
  message(FATAL_ERROR "${EXPECTED} differs from `handlecheck rules --format markdown`; "
                      "regenerate it with: handlecheck rules --format markdown > model/RULES.md")
endif()
