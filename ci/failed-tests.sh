#!/usr/bin/env bash
# Prints what ctest kept of each test that failed in its last run in BUILD_DIR:
# the test's whole section of Testing/Temporary/LastTest.log (command,
# environment, output, how it ended). ci/test.sh and ci/asan.sh call it when
# a run fails, so a CI log holds more than the failing tests' names.
#   failed-tests.sh BUILD_DIR
set -uo pipefail
dir=${1:?usage: failed-tests.sh BUILD_DIR}
failed=$dir/Testing/Temporary/LastTestsFailed.log
log=$dir/Testing/Temporary/LastTest.log
[[ -s $failed ]] || { echo "handlecheck: no failed test recorded in $dir" >&2; exit 0; }
while IFS= read -r line; do
  name=${line#*:}
  echo "==== $name (from $log) ===="
  awk -v start="Testing: $name" -v stop="\"$name\" end time" '
    index($0, start) && substr($0, length($0) - length(start) + 1) == start { on = 1 }
    on { print }
    on && index($0, stop) == 1 { on = 0 }' "$log"
done <"$failed"
