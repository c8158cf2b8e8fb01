# One corpus scenario on one side, run by ctest:
#   cmake -DEXE=handlecheck -DFILE=x.hcs -DMODE=windows|windows7|wine-model|wine
#         -DEXPECT=hold|fail|unrunnable|unsettled|backend-failure [-DEMULATOR=runner]
#         -P CorpusCheck.cmake
# MODE windows / wine-model replay on the model under that profile and check
# that the file's expectations hold (exit 0) or fail (exit 1) as its header
# says. MODE wine replays on Wine: it must end as the wine profile predicts,
# failing at exactly the same lines with the same outcomes, so a quirk still
# exists and the wine profile still describes it. EXPECT=backend-failure: the
# replay must end as a backend failure (exit 3). EXPECT=unrunnable: the file
# names a handle that this side never gives the process (exit 2, named line).
# EXPECT=unsettled: a step is one SPEC leaves open; the model predicts nothing
# for it and says so (exit 2).
function(replay out_status out_failures)
  execute_process(COMMAND ${EMULATOR} "${EXE}" replay "${FILE}" ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  set(replay_text "${out}${err}" PARENT_SCOPE)
  string(REGEX MATCHALL "  line [0-9]+: [^\n]*" failures "${out}")
  set(${out_status} "${status}" PARENT_SCOPE)
  set(${out_failures} "${failures}" PARENT_SCOPE)
endfunction()

if(EXPECT STREQUAL "hold")
  set(want 0)
elseif(EXPECT STREQUAL "fail")
  set(want 1)
elseif(EXPECT STREQUAL "unrunnable" OR EXPECT STREQUAL "unsettled")
  set(want 2)
elseif(EXPECT STREQUAL "backend-failure")
  set(want 3)
else()
  message(FATAL_ERROR "EXPECT must be hold, fail, unrunnable, unsettled or backend-failure")
endif()

if(MODE STREQUAL "windows" OR MODE STREQUAL "windows7" OR MODE STREQUAL "wine-model")
  string(REPLACE "-model" "" profile "${MODE}")
  replay(status failures --backend model --profile ${profile})
  if(NOT status EQUAL want)
    message(FATAL_ERROR "${FILE}: its header says `${profile}=${EXPECT}` on the model "
                        "(exit ${want}), replay exited ${status}")
  endif()
  if(EXPECT STREQUAL "unsettled" AND NOT replay_text MATCHES "the model predicts nothing")
    message(FATAL_ERROR "${FILE}: exit 2, but not for a step the model leaves unsettled")
  endif()
elseif(MODE STREQUAL "wine")
  # The wine profile judges the parallel blocks (the model beside the agents).
  replay(status failures --backend wine --profile wine)
  if(NOT status EQUAL want)
    message(FATAL_ERROR "${FILE}: on Wine exit ${status}, expected ${want} (${EXPECT})")
  endif()
  if(want EQUAL 1 OR want EQUAL 2)
    replay(model_status model_failures --backend model --profile wine)
    # A parallel block's last step fails with the verdict's line, and again
    # on its own when the schedule that ran broke it: which lines fail
    # counts, not how often (the schedule is the system's).
    file(STRINGS "${FILE}" block_lines REGEX "^[ \t]*parallel[ \t]*(#.*)?$")
    if(block_lines)
      list(REMOVE_DUPLICATES failures)
      list(REMOVE_DUPLICATES model_failures)
    endif()
    if(NOT failures STREQUAL model_failures)
      message(FATAL_ERROR "${FILE}: Wine fails differently from the wine profile\n"
                          "Wine:       ${failures}\nwine model: ${model_failures}")
    endif()
  endif()
else()
  message(FATAL_ERROR "MODE must be windows, windows7, wine-model or wine")
endif()
