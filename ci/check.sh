#!/usr/bin/env bash
# The main job (README's first command): sets up, builds, and runs a discovery
# campaign against Wine with the `windows` profile. Divergences (scenario +
# C++ reproducer each) land in build/divergences/, the report in
# build/divergences/report.md. Extra arguments go to `handlecheck check`.
set -euo pipefail
cd "$(dirname "$0")/.."
./ci/setup.sh
cmake --preset linux >/dev/null
cmake --build --preset linux
build/bin/hc-wine init
trap 'build/bin/hc-wine stop >/dev/null 2>&1 || true' EXIT
# Exit status is handlecheck's: 0 no divergence, 1 divergences found (the
# usual result of a discovery run against Wine), 2 usage, 3 backend failure.
build/bin/handlecheck check --backend wine --profile windows --seed 1 --tests 1200 --max-steps 40 \
  --out build/divergences --report build/divergences/report.md "$@"
