# How handlecheck's own targets build quickly from scratch: CI builds every
# preset on a bare machine (no compiler cache), and there compiling is most of
# the run. Off by default; the Linux presets turn on the unity build
# (CMakePresets.json), which on a clean linux build took the CPU time of the
# compile from 746 s to 442 s. The precompiled header below, tried on top of
# it, saved nothing measurable (487 s, on a busy machine), so no preset uses it.
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

# HANDLECHECK_PCH: every GoogleTest executable (handlecheck_add_gtest) reads
# GoogleTest's header and the standard headers the tests use from one
# precompiled header, built once by the object library hc_pch_gtest and reused
# by each of them (REUSE_FROM: their compile options are hc_pch_gtest's, which
# handlecheck_add_gtest sees to). GCC says when it cannot use it
# (-Winvalid-pch, a warning, not an error); clang refuses a precompiled header
# that does not fit. Left out with MSVC and on a Windows host, where it is
# untried, and under a compiler cache (CMAKE_CXX_COMPILER_LAUNCHER): ccache
# does not cache a compile that uses a precompiled header, and a warm cache
# saves more than the header does.
option(HANDLECHECK_PCH "Precompile the headers every GoogleTest executable includes, once" OFF)
if(HANDLECHECK_PCH AND CMAKE_CXX_COMPILER_LAUNCHER)
  message(STATUS "handlecheck: HANDLECHECK_PCH is not used: the compiler runs through "
                 "${CMAKE_CXX_COMPILER_LAUNCHER}, which would not cache the compiles that use it")
endif()

# handlecheck_precompile_test_headers(<target>): <target>, a GoogleTest
# executable, uses the tests' precompiled header when HANDLECHECK_PCH is on.
function(handlecheck_precompile_test_headers target)
  if(NOT HANDLECHECK_PCH OR MSVC OR CMAKE_HOST_WIN32 OR CMAKE_CXX_COMPILER_LAUNCHER)
    return()
  endif()
  if(NOT TARGET hc_pch_gtest)
    set(source "${PROJECT_BINARY_DIR}/pch/hc_pch_gtest.cpp")
    file(CONFIGURE OUTPUT "${source}"
         CONTENT "// Builds the GoogleTest executables' precompiled header (cmake/HandlecheckBuildSpeed.cmake).\n")
    add_library(hc_pch_gtest OBJECT "${source}")
    target_link_libraries(hc_pch_gtest PRIVATE GTest::gtest)
    handlecheck_warnings(hc_pch_gtest)
    target_precompile_headers(hc_pch_gtest PRIVATE
      <gtest/gtest.h> <algorithm> <cstdint> <functional> <map> <memory> <optional> <set>
      <sstream> <string> <string_view> <utility> <vector>)
  endif()
  target_precompile_headers(${target} REUSE_FROM hc_pch_gtest)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-error=invalid-pch)
  endif()
endfunction()
