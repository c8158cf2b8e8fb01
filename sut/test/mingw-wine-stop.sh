#!/usr/bin/env bash
# `ci/mingw-wine.sh --stop` leaves no Wine process of the prefix or of a
# lane's copy of it, even one that outlived its server (Wine's desktop
# explorer.exe can); a Wine process of another prefix and a process that only
# has the prefix in its environment are left alone. The Wine processes are
# stand-ins: copies of sleep named wine64-standin.
#   mingw-wine-stop.sh MINGW_WINE_SH WORK_DIR
set -uo pipefail
runner=$1 work=$2
rm -rf "$work" && mkdir -p "$work/build/wineprefix" "$work/build/wineprefix-cpu1" || exit 1
cp "$(command -v sleep)" "$work/wine64-standin" || exit 1
printf '#!/bin/sh\nexit 0\n' >"$work/fake-server"
chmod +x "$work/fake-server"
prefix=$work/build/wineprefix
start() { env -i WINEPREFIX="$2" "$1" 30 & }
start "$work/wine64-standin" "$prefix"; in_prefix=$!
start "$work/wine64-standin" "$prefix-cpu1"; in_lane=$!
start "$work/wine64-standin" "$work/other"; elsewhere=$!
start "$(command -v sleep)" "$prefix"; not_wine=$!
sleep 0.2
HANDLECHECK_WINE=$work/wine64-standin HANDLECHECK_WINESERVER=$work/fake-server \
  HANDLECHECK_WINEPREFIX=$prefix "$runner" --stop "$work/build" || { echo "FAIL: --stop failed"; exit 1; }
sleep 0.2
fail=0
gone() { ! kill -0 "$1" 2>/dev/null || [[ $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) == Z* ]]; }
gone "$in_prefix" || { echo "FAIL: the prefix's Wine process still runs"; fail=1; }
gone "$in_lane" || { echo "FAIL: the lane's Wine process still runs"; fail=1; }
gone "$elsewhere" && { echo "FAIL: another prefix's Wine process was killed"; fail=1; }
gone "$not_wine" && { echo "FAIL: a process that is not Wine's was killed"; fail=1; }
kill "$in_prefix" "$in_lane" "$elsewhere" "$not_wine" 2>/dev/null
wait 2>/dev/null
((fail == 0)) && echo "the prefix's and the lane's Wine processes were stopped, the others left"
exit $fail
