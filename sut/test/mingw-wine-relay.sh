#!/usr/bin/env bash
# ci/mingw-wine.sh ends when the Windows program ends, even when a process
# that program started outlives it holding the runner's stderr (Wine's desktop
# explorer.exe does, started on demand): ctest reads the runner's output to
# end-of-file, so without the relay the test would last as long as that process.
# A fake Wine plays both: it writes a line to stderr, leaves a `sleep` holding
# its fd 2, and exits 7. Checked: exit status 7, the line relayed, and the
# runner's stderr closed within 10 s, while the holder still runs.
#   mingw-wine-relay.sh MINGW_WINE_SH WORK_DIR
set -uo pipefail
runner=$1 work=$2
rm -rf "$work" && mkdir -p "$work/prefix" || exit 1
touch "$work/prefix/system.reg"
printf '#!/bin/sh\nexit 2\n' >"$work/fake-server"  # "another server holds the prefix"
cat >"$work/fake-wine" <<'FAKE'
#!/bin/sh
echo "fake program ran: $1" >&2
sleep 30 </dev/null >/dev/null &
echo $! >"$HOLDER_PID"
exit 7
FAKE
chmod +x "$work/fake-server" "$work/fake-wine"
export HANDLECHECK_WINE=$work/fake-wine HANDLECHECK_WINESERVER=$work/fake-server \
       HANDLECHECK_WINEPREFIX=$work/prefix HOLDER_PID=$work/holder.pid
start=$SECONDS
# $(...) returns at end-of-file on the runner's stderr, as ctest's reader does.
# The status goes to a file: the relay may still be copying the program's line
# when the runner has ended, so nothing is said about their order.
err=$({ timeout 60 "$runner" "$work/program.exe"; echo $? >"$work/status"; } 2>&1 >/dev/null)
elapsed=$((SECONDS - start))
status=$(cat "$work/status" 2>/dev/null)
holder=$(cat "$work/holder.pid" 2>/dev/null)
alive=no
[[ -n $holder ]] && kill -0 "$holder" 2>/dev/null && alive=yes
[[ -n $holder ]] && kill "$holder" 2>/dev/null
printf 'runner stderr:\n%s\nexit status %s, closed after %d s, holder alive then: %s\n' "$err" "$status" "$elapsed" "$alive"
fail=0
[[ $err == *"fake program ran: $work/program.exe"* ]] || { echo "FAIL: the program's stderr line was not relayed"; fail=1; }
[[ $status == 7 ]] || { echo "FAIL: the runner did not exit with the program's status 7"; fail=1; }
((elapsed < 10)) || { echo "FAIL: the runner's stderr stayed open ${elapsed} s, held by the program's child"; fail=1; }
[[ $alive == yes ]] || { echo "FAIL: the holder was not running when the runner ended; the check proves nothing"; fail=1; }
exit $fail
