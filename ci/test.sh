#!/usr/bin/env bash
# Sets up (installs what is missing), builds, and runs every test with ctest,
# the Wine tests for real. This is the README's test command; .ci/run calls it.
# On Linux: the linux workflow (build/), then the mingw one (build-mingw/:
# the whole project as Windows executables, its tests under Wine, compared
# with the Linux build).
set -euo pipefail
cd "$(dirname "$0")/.."
./ci/setup.sh
case "$(uname -s)" in
  Linux) presets=(linux mingw) ;;
  MINGW* | MSYS* | CYGWIN*) presets=(windows) ;;
  *) echo "handlecheck: unsupported host $(uname -s)" >&2; exit 1 ;;
esac
# The mingw workflow's wineserver (one for its ctest run) ends here, once
# no test can still be using it, and also when a workflow fails.
if [[ ${presets[0]} == linux ]]; then
  trap './ci/mingw-wine.sh --stop build-mingw >/dev/null 2>&1 || true' EXIT
fi
for preset in "${presets[@]}"; do
  start=$SECONDS
  if ! cmake --workflow --preset "$preset"; then
    case $preset in mingw) dir=build-mingw ;; *) dir=build ;; esac
    ./ci/failed-tests.sh "$dir"
    echo "handlecheck: workflow $preset FAILED after $((SECONDS - start)) s" >&2
    exit 1
  fi
  echo "handlecheck: workflow $preset passed in $((SECONDS - start)) s" >&2
done
# The host side under ASan/UBSan and the fuzz targets (bounded): ci/asan.sh.
if [[ ${presets[0]} == linux ]]; then
  start=$SECONDS
  ./ci/asan.sh
  echo "handlecheck: asan and fuzz passed in $((SECONDS - start)) s" >&2
fi
