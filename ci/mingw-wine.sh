#!/usr/bin/env bash
# The mingw preset's Wine runner: its CMAKE_CROSSCOMPILING_EMULATOR, so ctest
# runs every Windows executable of build-mingw/ under Wine, as a Windows CI
# runner would run it natively.
#   mingw-wine.sh EXE [ARGS...]        run EXE under Wine; exit status is EXE's
#   mingw-wine.sh --init BUILD_DIR     create the prefix, start the run's wineserver
#   mingw-wine.sh --stop BUILD_DIR     shut that wineserver down
# The prefix is BUILD_DIR/wineprefix (when running EXE: EXE's directory/../wineprefix,
# the rule of sut/driver's WineRunner), or $HANDLECHECK_WINEPREFIX. Wine is
# $HANDLECHECK_WINE, else wine64/wine on PATH, else Debian's /usr/lib/wine;
# its server $HANDLECHECK_WINESERVER, else the one beside the loader.
# One wineserver serves a whole ctest run: running EXE starts it when none is up
# (persistent for 60 s after its last client, so it ends by itself after a
# partial run), with the prefix's system processes on /dev/null: started by
# a test they would hold its output pipe open and ctest would wait on it.
# Exit status of --init/--stop/usage: 0 ok, 2 usage, 3 Wine missing or broken.
set -uo pipefail

say() { printf 'mingw-wine: %s\n' "$*" >&2; }

find_wine() {
  if [[ -n ${HANDLECHECK_WINE:-} ]]; then
    wine=$HANDLECHECK_WINE
    [[ -x $wine && -f $wine ]] || { say "HANDLECHECK_WINE=$wine is not an executable file"; exit 3; }
  else
    wine=$(command -v wine64 || command -v wine || true)
    for dir in /usr/lib/wine /usr/lib/x86_64-linux-gnu/wine /usr/lib64/wine /opt/wine-stable/bin; do
      [[ -z $wine && -x $dir/wine64 ]] && wine=$dir/wine64
    done
    [[ -n $wine ]] || { say "Wine not found (no wine64/wine on PATH nor in /usr/lib/wine): run ci/setup.sh"; exit 3; }
  fi
  server=${HANDLECHECK_WINESERVER:-}
  for name in wineserver wineserver64; do
    [[ -z $server && -x $(dirname "$wine")/$name ]] && server=$(dirname "$wine")/$name
  done
  [[ -n $server ]] || server=$(command -v wineserver || true)
  [[ -n $server ]] || { say "no wineserver beside $wine: set HANDLECHECK_WINESERVER"; exit 3; }
  export WINESERVER=$server WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
}

# WINEPREFIX from a build directory; the prefix is made once, under a lock
# (fd 9, closed for Wine's processes: the server and the system processes
# outlive us and would hold it).
use_prefix() {
  export WINEPREFIX=${HANDLECHECK_WINEPREFIX:-$(cd "$1" && pwd)/wineprefix}
  [[ -f $WINEPREFIX/system.reg ]] && return
  mkdir -p "$(dirname "$WINEPREFIX")"
  (
    flock 9
    [[ -f $WINEPREFIX/system.reg ]] && exit 0
    say "creating Wine prefix $WINEPREFIX (once; takes ~20 s)"
    "$wine" wineboot -i </dev/null >/dev/null 2>&1 9>&- && "$server" -w 9>&-
    [[ -f $WINEPREFIX/system.reg ]] || { say "Wine is broken: \`$wine wineboot -i\` left no $WINEPREFIX/system.reg"; exit 3; }
  ) 9>"$WINEPREFIX.lock" || exit 3
}

# A server for this prefix, started once: `wineserver -p` exits 2 at once
# when another server holds the prefix (server/request.c).
ensure_server() {
  (
    flock 9
    "$server" -p60 </dev/null >/dev/null 2>&1 9>&-
    status=$?
    if ((status == 0)); then
      "$wine" wineboot </dev/null >/dev/null 2>&1 9>&-
    elif ((status != 2)); then
      say "\`$server -p60\` exited with $status"
      exit 3
    fi
  ) 9>"$WINEPREFIX.lock" || exit 3
}

# Runs EXE with its stderr through a relay that ends when EXE has ended (after a
# short drain), not at end-of-file. A process Wine starts on demand inherits
# the unix fd 2 of the process that needed it: the desktop's explorer.exe, first
# needed by a test, lives for as long as any process of the prefix runs, and
# holding ctest's pipe it would keep that test running until the prefix is idle.
# stdout needs no relay: Wine gives a new process fds 0 and 1 from its std
# handles. Wine still replaces this shell (exec: same pid, so signals such as
# a Ctrl-C reach it, and its exit status is EXE's); the relay is a `cat`, and a
# watcher that holds none of the caller's pipes stops it once that pid has
# ended (gone, or a zombie not yet reaped).
run_relayed() {
  local to_relay program=$$
  exec 3>&2 {to_relay}> >(
    cat <&0 >&3 &
    relay=$!
    exec 3>&- </dev/null >/dev/null 2>&1
    ended() { [[ ! -e /proc/$program/stat ]] || [[ $(sed 's/.*) //' "/proc/$program/stat") == Z* ]]; }
    until ended; do sleep 0.05; done
    for _ in {1..200}; do
      kill -0 "$relay" 2>/dev/null || exit 0
      sleep 0.01
    done
    kill "$relay"
  )
  exec "$wine" "$@" 2>&"$to_relay" 3>&- {to_relay}>&-
}

usage="usage: mingw-wine.sh EXE [ARGS...] | --init BUILD_DIR | --stop BUILD_DIR"
case ${1:-} in
  --init)
    (($# == 2)) || { say "$usage"; exit 2; }
    find_wine
    "$wine" --version >/dev/null 2>&1 || { say "Wine is broken: \`$wine --version\` failed"; exit 3; }
    use_prefix "$2"
    ensure_server
    say "prefix $WINEPREFIX ready, wineserver $server running"
    ;;
  --stop)
    (($# == 2)) || { say "$usage"; exit 2; }
    find_wine
    export WINEPREFIX=${HANDLECHECK_WINEPREFIX:-$(cd "$2" && pwd)/wineprefix}
    "$server" -k 2>/dev/null
    "$server" -w
    # What the server's end left running in the prefix or its lanes' copies
    # (PREFIX-cpuN): a process Wine starts on demand, the desktop's
    # explorer.exe, can outlive its server. Only Wine's own executables.
    for proc in /proc/[0-9]*; do
      exe=$(readlink "$proc/exe" 2>/dev/null) || continue
      [[ ${exe##*/} == wine* ]] || continue
      of=$(tr '\0' '\n' <"$proc/environ" 2>/dev/null | sed -n 's/^WINEPREFIX=//p')
      if [[ $of == "$WINEPREFIX" || $of == "$WINEPREFIX"-cpu* ]]; then
        kill -9 "${proc#/proc/}" 2>/dev/null
      fi
    done
    say "wineserver of $WINEPREFIX stopped"
    ;;
  "" | -*)
    say "$usage"
    exit 2
    ;;
  *)
    find_wine
    build=$(dirname "$1")/..
    if [[ -z ${HANDLECHECK_WINEPREFIX:-} && ! -f $build/CMakeCache.txt ]]; then
      say "$1 is not in a build tree's bin/: set HANDLECHECK_WINEPREFIX"
      exit 3
    fi
    use_prefix "$build"
    ensure_server
    run_relayed "$@"
    ;;
esac
