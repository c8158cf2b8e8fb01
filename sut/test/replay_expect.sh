#!/bin/sh
# Replays one scenario against Wine and checks how it ends (ctest helper).
#   replay_expect.sh CLI AGENT_EXE FILE EXPECTED_EXIT [REGEX [OPTION...]]
# Passes when `CLI replay FILE --backend wine [OPTION...]` exits EXPECTED_EXIT,
# its output matches REGEX (grep -E) when given, and no process running
# AGENT_EXE (or any program in it, when it names a directory) is left 5 s
# later (zombies aside). The agent's path appears in a process's command line
# as a Unix path (the wine loader of the hub) or as Z:\... (the agents).
# HC_BACKEND names another backend (native), HC_LAUNCHER a program that runs
# CLI (the mingw build's Wine runner).
set -u
cli=$1 agent=$2 file=$3 expected=$4 pattern=${5:-}
shift $(($# < 5 ? $# : 5))

rm -f hc-hostile-early-exit.marker  # the hostile agent's early-exit-once state
out=$(${HC_LAUNCHER:-} "$cli" replay "$file" --backend "${HC_BACKEND:-wine}" "$@" 2>&1)
status=$?
printf '%s\n' "$out"
fail=0
if [ "$status" -ne "$expected" ]; then
  echo "replay_expect: exit status $status, expected $expected" >&2
  fail=1
fi
if [ -n "$pattern" ] && ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
  echo "replay_expect: output does not match /$pattern/" >&2
  fail=1
fi

HC_AGENT=$agent HC_WINPATH="Z:$(printf '%s' "$agent" | tr / '\\')"
export HC_AGENT HC_WINPATH
# Live processes naming the agent (not zombies, not this script: its own
# arguments name the agent too).
left() {
  ps -eo pid=,stat=,args= | awk '$2 !~ /^Z/ && !/replay_expect[.]sh/ &&
    (index($0, ENVIRON["HC_AGENT"]) || index($0, ENVIRON["HC_WINPATH"]))'
}
tries=0
while [ -n "$(left)" ] && [ $tries -lt 50 ]; do
  sleep 0.1
  tries=$((tries + 1))
done
if [ -n "$(left)" ]; then
  echo "replay_expect: processes left behind:" >&2
  left >&2
  fail=1
fi
exit $fail
