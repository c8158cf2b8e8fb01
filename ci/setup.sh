#!/usr/bin/env bash
# Installs what handlecheck needs on Debian/Ubuntu, and only what is missing.
# Idempotent: a second run checks the packages with dpkg-query and returns in
# well under a second. Prints every package it installs. Exit 0 when all is
# present, 1 (with the reason) when it cannot install.
set -euo pipefail

packages=(
  cmake ninja-build g++ python3
  wine64                       # runs the Win32 agent on Linux
  g++-mingw-w64-x86-64-posix   # builds it (posix threads, static runtime)
  librapidcheck-dev libgtest-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev    # option parsing, JSON reports
  clang libclang-rt-14-dev           # ci/asan.sh: ASan/UBSan, libFuzzer
  clang-format                 # ctest Build::Format::* (version 14, Debian 12's)
  libbenchmark-tools python3-scipy   # Google Benchmark's compare.py (U test)
  python3-numpy                # bench/history.py: change points (E-Divisive means)
  chromium                     # renders the --html reports in ctest (headless)
)

say() { printf 'handlecheck setup: %s\n' "$*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  say "this is not a Debian-like system (no dpkg-query); install by hand: ${packages[*]}"
  say "see docs/windows.md for the native build"
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

# Wine's own test support, the Debian way (apt-get source): include/wine/test.h
# and what it needs, and the test files handlecheck writes patches against,
# into .cache/wine-source/ (ctest's wine-test-h tests build the generated
# tests against it). Optional: without it the stand-in header is used.
wine_source() {
  local cache="$(dirname "$0")/../.cache/wine-source" files
  files=(include/wine/test.h include/wine/debug.h include/wine/heap.h dlls/winecrt0/debug.c
         dlls/kernel32/tests/process.c dlls/kernel32/tests/mailslot.c dlls/kernel32/tests/pipe.c
         dlls/kernel32/tests/sync.c dlls/ntdll/tests/om.c)
  [[ -f $cache/wine/include/wine/test.h ]] && return 0
  local codename
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  if [[ -n $codename && -z $(grep -rls "^Types: deb-src\|^deb-src " /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null) ]]; then
    say "adding deb-src for $codename (Wine's source package, for its test.h)"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$codename" | "${sudo[@]}" tee /etc/apt/sources.list.d/handlecheck-src.sources >/dev/null || return 1
    "${sudo[@]}" apt-get update -q </dev/null >/dev/null || return 1
  fi
  mkdir -p "$cache/download" && (cd "$cache/download" && apt-get source --download-only -q wine </dev/null >/dev/null) || return 1
  local tarball top
  tarball=$(ls "$cache"/download/wine_*.orig.tar.* | head -1) || return 1
  top=$(tar tf "$tarball" | head -1 | cut -d/ -f1)
  rm -rf "$cache/wine" && mkdir -p "$cache/wine"
  tar xf "$tarball" -C "$cache/wine" --strip-components=1 "${files[@]/#/$top/}" || return 1
  rm -rf "$cache/download"
  say "Wine's test support from the Debian source package in $cache/wine ($top)"
}

sudo=()
if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); fi

if ((${#missing[@]} == 0)); then
  say "all ${#packages[@]} packages present"
  wine_source || say "Wine's source package is unavailable: the generated Wine tests build against the stand-in test.h"
  exit 0
fi

say "installing: ${missing[*]}"
sudo=()
if [[ $(id -u) != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
  else
    say "need root to install ${missing[*]} (no sudo found); run this script as root"
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get update -q </dev/null; then
  say "apt-get update failed: are the Debian package registries reachable?"
  exit 1
fi
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; then
  say "apt-get install failed for: ${missing[*]}"
  exit 1
fi
say "installed: ${missing[*]}"
wine_source || say "Wine's source package is unavailable: the generated Wine tests build against the stand-in test.h"
