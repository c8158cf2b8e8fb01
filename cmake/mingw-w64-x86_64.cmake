# Toolchain for the Win32 side on Linux: MinGW-w64, x86_64, posix threads.
# The runtime is linked statically (see sut/agent/CMakeLists.txt) so the .exe
# runs under Wine with no DLLs beside it.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Packages of the build host (Linux libraries) never fit this target.
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Every executable links its runtime statically, so it runs under Wine (and
# on a Windows machine) with no MinGW DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
