# Fails when a tracked C or C++ source is not as clang-format writes it
# (the root .clang-format), or when there is no clang-format to ask.
#   cmake -DCLANG_FORMAT=<exe> -DGIT=<exe> -DSOURCE_DIR=<dir> -P CheckClangFormat.cmake
# The sources are the ones git tracks (`git ls-files`), so build trees and
# generated files never count; outside a git checkout, every .c/.cpp/.h under
# the source folders instead, and the output says so.
set(fix "clang-format -i $(git ls-files '*.c' '*.cpp' '*.h')")
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "no clang-format ${HANDLECHECK_CLANG_FORMAT_MAJOR}: install it (Debian: "
                      "package clang-format, which ci/setup.sh installs) and configure again, "
                      "or point the cache variable HANDLECHECK_CLANG_FORMAT at one")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --version OUTPUT_VARIABLE version
                OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "${CLANG_FORMAT}: ${version}")

set(files)
if(GIT)
  execute_process(COMMAND "${GIT}" ls-files -- "*.c" "*.cpp" "*.h"
                  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE code
                  OUTPUT_VARIABLE listed ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(code EQUAL 0)
    string(REPLACE "\n" ";" files "${listed}")
  endif()
endif()
if(NOT files)
  message(STATUS "not a git checkout (or no git): checking every .c, .cpp and .h file under "
                 "bench/, model/, properties/ and sut/")
  file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}" LIST_DIRECTORIES false
       "${SOURCE_DIR}/bench/*.[ch]" "${SOURCE_DIR}/bench/*.cpp"
       "${SOURCE_DIR}/model/*.[ch]" "${SOURCE_DIR}/model/*.cpp"
       "${SOURCE_DIR}/properties/*.[ch]" "${SOURCE_DIR}/properties/*.cpp"
       "${SOURCE_DIR}/sut/*.[ch]" "${SOURCE_DIR}/sut/*.cpp")
endif()
list(LENGTH files total)
if(total EQUAL 0)
  message(FATAL_ERROR "found no C or C++ source under ${SOURCE_DIR} to check")
endif()

execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror --style=file ${files}
                WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE code
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(code EQUAL 0)
  message(STATUS "${total} files as clang-format writes them")
  return()
endif()
# One line per file that clang-format would change, then its first findings.
string(REGEX MATCHALL "[^\n]+:[0-9]+:[0-9]+: error: code should be clang-formatted" hits "${err}")
set(bad)
foreach(hit IN LISTS hits)
  string(REGEX REPLACE ":[0-9]+:[0-9]+: error: .*" "" file "${hit}")
  list(APPEND bad "${file}")
endforeach()
list(REMOVE_DUPLICATES bad)
list(LENGTH bad nbad)
list(JOIN bad "\n  " badlist)
string(SUBSTRING "${err}" 0 4000 first)
message(FATAL_ERROR "${nbad} of ${total} files are not as clang-format writes them:\n  ${badlist}\n"
                    "First findings:\n${first}\n"
                    "Fix (from the source folder): ${fix}")
