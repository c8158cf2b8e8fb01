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

if ((${#missing[@]} == 0)); then
  say "all ${#packages[@]} packages present"
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
