# How handlecheck finds what it builds on: RapidCheck, GoogleTest, Google
# Benchmark (compiled), CLI11 and nlohmann-json (header-only).
#
# Each compiled dependency is declared once with FetchContent, pinned to the
# revision Debian packages: an installed package is used when one fits the
# target (Debian's on Linux, vcpkg's on Windows: FIND_PACKAGE_ARGS), and
# otherwise it is built from source, downloaded only where the network is
# allowed. The mingw preset (Windows executables built on Linux) finds no
# package for its target, so it builds from local sources (their headers as
# SYSTEM ones, outside our -Werror, as installed ones are) and never downloads
# (FETCHCONTENT_FULLY_DISCONNECTED). Where those sources are is a cache
# variable each, with a default that fits a Debian machine:
#   FETCHCONTENT_SOURCE_DIR_GOOGLETEST  default /usr/src/googletest (libgtest-dev)
#   FETCHCONTENT_SOURCE_DIR_RAPIDCHECK  default HANDLECHECK_VENDOR_DIR/rapidcheck-08b5058
#   HANDLECHECK_VENDOR_DIR              third-party sources kept unchanged as
#       <name>-<revision>/; default: vendor/ in the source tree or, failing
#       that, the first vendor/ folder beside it (../*/vendor) that holds
#       rapidcheck-08b5058/
# Set them on the command line or in a CMakeUserPresets.json of your own.
# Google Benchmark's source is not on these machines (Debian ships it only
# as a Linux library): the mingw preset leaves the benchmark suite out.
include(FetchContent)

FetchContent_Declare(rapidcheck
  GIT_REPOSITORY https://github.com/emil-e/rapidcheck.git
  GIT_TAG 08b505857e32d52a20b2240b5125d937d67a6d86  # Debian's librapidcheck-dev 0~1033-08b5058
  SYSTEM FIND_PACKAGE_ARGS CONFIG)
FetchContent_Declare(googletest
  GIT_REPOSITORY https://github.com/google/googletest.git
  GIT_TAG release-1.12.1  # Debian's libgtest-dev 1.12.1
  SYSTEM FIND_PACKAGE_ARGS NAMES GTest CONFIG)
FetchContent_Declare(benchmark
  GIT_REPOSITORY https://github.com/google/benchmark.git
  GIT_TAG v1.7.1  # Debian's libbenchmark-dev 1.7.1
  SYSTEM FIND_PACKAGE_ARGS CONFIG)

# Disconnected (the mingw preset): the defaults above, for what is not set.
if(FETCHCONTENT_FULLY_DISCONNECTED)
  file(GLOB found LIST_DIRECTORIES true "${PROJECT_SOURCE_DIR}/../*/vendor/rapidcheck-08b5058")
  list(SORT found)
  list(PREPEND found "${PROJECT_SOURCE_DIR}/vendor/rapidcheck-08b5058")
  set(vendor "")
  foreach(dir IN LISTS found)
    if(EXISTS "${dir}/CMakeLists.txt")
      get_filename_component(vendor "${dir}/.." REALPATH)
      break()
    endif()
  endforeach()
  set(HANDLECHECK_VENDOR_DIR "${vendor}" CACHE PATH
      "Third-party sources kept unchanged as <name>-<revision>/ (cmake/Dependencies.cmake)")
  if(HANDLECHECK_VENDOR_DIR)
    set(FETCHCONTENT_SOURCE_DIR_RAPIDCHECK "${HANDLECHECK_VENDOR_DIR}/rapidcheck-08b5058"
        CACHE PATH "RapidCheck's source at revision 08b5058, for a build that cannot download it")
  endif()
  set(FETCHCONTENT_SOURCE_DIR_GOOGLETEST "/usr/src/googletest" CACHE PATH
      "GoogleTest 1.12.1's source (Debian: libgtest-dev), for a build that cannot download it")
endif()

# Disconnected (the mingw preset): a dependency that will not come from a
# package must have its source named and present, or configuring stops here
# with what to point where, instead of failing inside FetchContent.
function(handlecheck_require_source name upper where)
  if(NOT FETCHCONTENT_FULLY_DISCONNECTED)
    return()
  endif()
  set(dir "${FETCHCONTENT_SOURCE_DIR_${upper}}")
  if(dir AND EXISTS "${dir}/CMakeLists.txt")
    return()
  endif()
  if(NOT dir AND NOT FETCHCONTENT_TRY_FIND_PACKAGE_MODE STREQUAL "NEVER")
    return()  # an installed package may still be found
  endif()
  message(FATAL_ERROR
    "handlecheck: no source for ${name}: FETCHCONTENT_SOURCE_DIR_${upper} is "
    "`${dir}`, which holds no CMakeLists.txt, and downloads are off "
    "(FETCHCONTENT_FULLY_DISCONNECTED). Point FETCHCONTENT_SOURCE_DIR_${upper} at ${where}.")
endfunction()
handlecheck_require_source(RapidCheck RAPIDCHECK
  "a RapidCheck source tree at revision 08b5058 (or HANDLECHECK_VENDOR_DIR at a folder holding rapidcheck-08b5058/)")
handlecheck_require_source(GoogleTest GOOGLETEST
  "a GoogleTest 1.12.1 source tree (Debian: /usr/src/googletest from libgtest-dev)")

# Options of the dependencies' own builds, used only when built from source.
set(RC_ENABLE_TESTS OFF CACHE BOOL "")
set(RC_ENABLE_EXAMPLES OFF CACHE BOOL "")
set(BUILD_GMOCK OFF CACHE BOOL "")
set(INSTALL_GTEST OFF CACHE BOOL "")
set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "")
set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "")

set(handlecheck_deps rapidcheck googletest)
if(HANDLECHECK_BUILD_BENCH)
  list(APPEND handlecheck_deps benchmark)
else()
  message(STATUS "handlecheck: the benchmark suite (handlecheck-bench) is not built: "
                 "HANDLECHECK_BUILD_BENCH=OFF. The mingw preset sets it off because Google "
                 "Benchmark's source is not available here; with one, configure with "
                 "-DHANDLECHECK_BUILD_BENCH=ON -DFETCHCONTENT_SOURCE_DIR_BENCHMARK=DIR.")
endif()
FetchContent_MakeAvailable(${handlecheck_deps})

# Installed packages carry rapidcheck/gtest.h (RapidCheck's GoogleTest
# integration) in the library's include directory; a source build keeps it
# under extras/.
if(rapidcheck_SOURCE_DIR)
  target_include_directories(rapidcheck SYSTEM INTERFACE
    $<BUILD_INTERFACE:${rapidcheck_SOURCE_DIR}/extras/gtest/include>)
endif()

# Header-only: CLI11 and nlohmann-json. Debian's packages are target-neutral
# headers, but their CMake files add all of /usr/include, which a MinGW build
# must never see (glibc's headers would shadow MinGW's). There, an include
# directory in the build tree holds only these two.
if(CMAKE_CROSSCOMPILING AND WIN32)
  set(only "${PROJECT_BINARY_DIR}/debian-headers")
  foreach(dep "CLI11::CLI11;CLI" "nlohmann_json::nlohmann_json;nlohmann")
    list(GET dep 0 target)
    list(GET dep 1 folder)
    if(EXISTS "/usr/include/${folder}" AND NOT TARGET ${target})
      file(MAKE_DIRECTORY "${only}")
      file(CREATE_LINK "/usr/include/${folder}" "${only}/${folder}" SYMBOLIC)
      add_library(${target} INTERFACE IMPORTED)
      target_include_directories(${target} INTERFACE "${only}")
    endif()
  endforeach()
else()
  find_package(CLI11 CONFIG REQUIRED)
  find_package(nlohmann_json CONFIG REQUIRED)
endif()
