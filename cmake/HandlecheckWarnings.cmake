# Warnings as errors for our targets only (never for the packages we use).
# Included by the root project and by the Win32 side's own builds
# (sut/agent, sut/test/hostile), which compile sut/protocol too.
if(NOT DEFINED HANDLECHECK_WERROR)
  option(HANDLECHECK_WERROR "Treat warnings in handlecheck's own code as errors" ON)
endif()

function(handlecheck_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive- $<$<BOOL:${HANDLECHECK_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                           $<$<BOOL:${HANDLECHECK_WERROR}>:-Werror>)
  endif()
endfunction()
