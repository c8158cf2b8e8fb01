# One corpus scenario (properties/corpus/*.hcs) on one side, run by ctest:
#   cmake -DEXE=handlecheck -DFILE=x.hcs -DMODE=windows|wine-model|wine -P CorpusCheck.cmake
# A quirk scenario (a `# quirk NAME` line) carries the documented (windows)
# expectations: it must hold on the model's windows profile (MODE=windows),
# fail on the wine profile (MODE=wine-model), and fail on Wine itself at
# exactly the same lines with the same outcomes (MODE=wine) -- the quirk
# still exists and the wine profile still describes it. Any other corpus
# scenario is a regression case: it must hold everywhere.
file(STRINGS "${FILE}" quirk_line REGEX "^# quirk ")
if(quirk_line)
  set(is_quirk TRUE)
else()
  set(is_quirk FALSE)
endif()

function(replay out_status out_failures)
  execute_process(COMMAND "${EXE}" replay "${FILE}" ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  string(REGEX MATCHALL "  line [0-9]+: [^\n]*" failures "${out}")
  set(${out_status} "${status}" PARENT_SCOPE)
  set(${out_failures} "${failures}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "windows")
  replay(status failures --backend model --profile windows)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${FILE} must hold on the windows profile (exit ${status})")
  endif()
elseif(MODE STREQUAL "wine-model")
  replay(status failures --backend model --profile wine)
  if(is_quirk AND NOT status EQUAL 1)
    message(FATAL_ERROR "quirk scenario ${FILE} must fail on the wine profile (exit ${status})")
  elseif(NOT is_quirk AND NOT status EQUAL 0)
    message(FATAL_ERROR "regression scenario ${FILE} must hold on the wine profile (exit ${status})")
  endif()
elseif(MODE STREQUAL "wine")
  replay(status failures --backend wine)
  if(NOT is_quirk)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "regression scenario ${FILE} must hold on Wine (exit ${status})")
    endif()
    return()
  endif()
  if(NOT status EQUAL 1)
    message(FATAL_ERROR "quirk scenario ${FILE}: Wine no longer shows the quirk (exit ${status})")
  endif()
  replay(model_status model_failures --backend model --profile wine)
  if(NOT failures STREQUAL model_failures)
    message(FATAL_ERROR "quirk scenario ${FILE}: Wine fails differently from the wine profile\n"
                        "Wine:       ${failures}\nwine model: ${model_failures}")
  endif()
else()
  message(FATAL_ERROR "MODE must be windows, wine-model or wine")
endif()
