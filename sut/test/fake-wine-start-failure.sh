#!/usr/bin/env bash
# A wine loader that fails to start its program the first FAILURES times, the
# way Wine's loader does when the shared user data page cannot be mapped (it
# prints the line only when WINEDEBUG lets err:virtual through, and exits 1
# before the program runs); then it runs the real loader. FAILURES=child: the
# line comes from a process the program started, and the program runs on.
#   HC_FAKE_WINE_REAL=wine64 HC_FAKE_WINE_COUNT=file HC_FAKE_WINE_FAILURES=N|child fake-wine-start-failure.sh EXE...
n=$(cat "$HC_FAKE_WINE_COUNT" 2>/dev/null || echo 0)
echo $((n + 1)) >"$HC_FAKE_WINE_COUNT"
line="err:virtual:virtual_alloc_first_teb wine: failed to map the shared user data: c0000018"
if [[ $HC_FAKE_WINE_FAILURES == child ]]; then
  [[ $n == 0 ]] && echo "$line" >&2
elif ((n < HC_FAKE_WINE_FAILURES)); then
  [[ ${WINEDEBUG:-} == *err+virtual* || ${WINEDEBUG:-} == *err+all* ]] &&
    echo "$line" >&2
  exit 1
fi
exec "$HC_FAKE_WINE_REAL" "$@"
