#!/usr/bin/env bash
# The host side again, built with clang under AddressSanitizer and UBSan
# (preset asan, build-asan/): the tests of labels model and wine, and each
# libFuzzer target for a bounded time plus its regression inputs (label
# fuzz). A sanitizer report fails the run (UBSan halts on the first error).
# ci/test.sh runs it after the main workflow; extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan
ctest --preset asan "$@" || { status=$?; ./ci/failed-tests.sh build-asan; exit $status; }
