#!/usr/bin/env bash
# Sets up (installs what is missing), builds, and runs every test with ctest,
# the Wine tests for real. This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
./ci/setup.sh
case "$(uname -s)" in
  Linux) preset=linux ;;
  MINGW* | MSYS* | CYGWIN*) preset=windows ;;
  *) echo "handlecheck: unsupported host $(uname -s)" >&2; exit 1 ;;
esac
cmake --workflow --preset "$preset"
# The host side under ASan/UBSan and the fuzz targets (bounded): ci/asan.sh.
if [[ $preset == linux ]]; then ./ci/asan.sh; fi
