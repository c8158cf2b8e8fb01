# How the Win32 side's targets are compiled and linked: the agent, the call
# layer and reproducer runtime (sut/win32), the probes (sut/test/probe).
# Used by the main project on Windows and by the MinGW-w64 build of
# sut/agent on Linux.
include(${CMAKE_CURRENT_LIST_DIR}/HandlecheckWarnings.cmake)

# Unicode Win32 API, Windows 10, our warnings.
function(handlecheck_win32_compile target)
  target_compile_definitions(${target} PRIVATE UNICODE _UNICODE WIN32_LEAN_AND_MEAN NOMINMAX
                                               _WIN32_WINNT=0x0A00)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${HANDLECHECK_WERROR}>:/WX>)
    set_property(TARGET ${target} PROPERTY
                 MSVC_RUNTIME_LIBRARY "MultiThreaded$<$<CONFIG:Debug>:Debug>")
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                           $<$<BOOL:${HANDLECHECK_WERROR}>:-Werror>)
  endif()
endfunction()

# handlecheck_win32_exe(<target> [NARROW_MAIN]): compiled as above; the
# runtime linked statically, so the .exe needs no MinGW DLLs beside it under
# Wine; wmain(), except for a program with main() (NARROW_MAIN), as
# reproducers have.
function(handlecheck_win32_exe target)
  handlecheck_win32_compile(${target})
  if(NOT MSVC)
    target_link_options(${target} PRIVATE -static -static-libgcc -static-libstdc++)
    if(NOT "NARROW_MAIN" IN_LIST ARGN)
      target_link_options(${target} PRIVATE -municode)
    endif()
  endif()
endfunction()
