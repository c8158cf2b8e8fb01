# Fails when a ctest test of BUILD_DIR carries none or several of LABELS
# (cmake/HandlecheckTesting.cmake says what each label means).
#   cmake -DCTEST=<ctest> -DBUILD_DIR=<dir> "-DLABELS=model;wine;..." -P CheckTestLabels.cmake
cmake_minimum_required(VERSION 3.25)

# The names of the tests `ctest -N` lists with ARGN.
function(list_tests out)
  execute_process(COMMAND "${CTEST}" --test-dir "${BUILD_DIR}" -N ${ARGN}
                  RESULT_VARIABLE code OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "`ctest -N ${ARGN}` failed (${code}): ${err}")
  endif()
  string(REGEX MATCHALL "\n *Test +#[0-9]+: [^\n]+" lines "${text}")
  list(TRANSFORM lines REPLACE "^\n *Test +#[0-9]+: " "")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

list_tests(all)
list(LENGTH all count)
if(count EQUAL 0)
  message(FATAL_ERROR "ctest lists no test in ${BUILD_DIR}")
endif()
set(labelled)
foreach(label IN LISTS LABELS)
  list_tests(with -L "^${label}$" -FA ".*")  # -FA: no fixture setup tests added
  list(APPEND labelled ${with})
endforeach()

# A test listed twice or more carries several labels; one never listed, none.
list(SORT labelled)
set(several)
set(previous "")
foreach(name IN LISTS labelled)
  if(name STREQUAL previous)
    list(APPEND several "${name}")
  endif()
  set(previous "${name}")
endforeach()
list(REMOVE_DUPLICATES several)
set(none ${all})
list(REMOVE_ITEM none ${labelled})

if(several OR none)
  list(JOIN LABELS " " names)
  list(JOIN none "\n  " none_text)
  list(JOIN several "\n  " several_text)
  message(FATAL_ERROR "Each test must carry exactly one of the labels ${names}.\n"
                      "No such label:\n  ${none_text}\nSeveral:\n  ${several_text}")
endif()
message(STATUS "each of the ${count} tests carries exactly one of the labels ${LABELS}")
