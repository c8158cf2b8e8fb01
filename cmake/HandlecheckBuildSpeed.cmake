# How handlecheck's own targets build quickly from scratch: CI builds every
# preset on a bare machine (no compiler cache), and there compiling is most of
# the run. Off by default; the Linux presets turn it on (CMakePresets.json).
#
# HANDLECHECK_UNITY_BUILD: a target that calls handlecheck_unity_build() is
# compiled as unity sources, each of up to HANDLECHECK_UNITY_BATCH of its .cpp
# files included one after the other into one translation unit (CMake's
# UNITY_BUILD). The heavy headers (CLI11, whose header-only build emits its
# whole parser into every file that includes it, nlohmann/json, GoogleTest,
# RapidCheck, the project's own) are then parsed and compiled once per batch
# instead of once per file. New files of such a target join it by themselves.
# What this asks of the sources: the file-local names of one target (anonymous
# namespaces, static functions, local classes that -Wshadow sees) must not
# clash, since up to a batch of its files share one translation unit; a name
# two files need goes into a shared header once. A configure with the option
# off builds every file alone, as before.
option(HANDLECHECK_UNITY_BUILD
       "Compile handlecheck's own targets as unity sources (faster clean builds)" OFF)
set(HANDLECHECK_UNITY_BATCH 8 CACHE STRING
    "How many source files of a target one unity source joins (HANDLECHECK_UNITY_BUILD)")

# handlecheck_unity_build(<target>...): each target's .cpp files are compiled
# as unity sources when HANDLECHECK_UNITY_BUILD is on.
function(handlecheck_unity_build)
  if(NOT HANDLECHECK_UNITY_BUILD)
    return()
  endif()
  foreach(target IN LISTS ARGN)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                                               UNITY_BUILD_BATCH_SIZE ${HANDLECHECK_UNITY_BATCH})
  endforeach()
endfunction()

