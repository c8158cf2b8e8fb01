# ctest helper: `handlecheck rules --format markdown` must print model/RULES.md
# byte for byte. -DEXE=handlecheck -DEXPECTED=path/to/RULES.md
execute_process(COMMAND ${EXE} rules --format markdown OUTPUT_VARIABLE printed RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "handlecheck rules exited ${rc}")
endif()
file(READ ${EXPECTED} expected)
if(NOT printed STREQUAL expected)
  message(FATAL_ERROR "${EXPECTED} differs from `handlecheck rules --format markdown`; "
                      "regenerate it with: handlecheck rules --format markdown > model/RULES.md")
endif()
