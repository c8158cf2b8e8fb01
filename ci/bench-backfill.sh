#!/usr/bin/env bash
# Records the benchmark history of the last N commits of a branch on this
# machine: a git worktree per commit under build/backfill/, built once each
# (handlecheck-bench and hc-wine only, through ccache), the benchmarks run
# with repetitions in random interleaving, one record per commit appended to
# this host's file in the store (bench/history.py record). Oldest first, so
# the store reads in history order. A commit that does not configure, build
# (twice: a second build tells a broken commit from a disturbed one) or run
# is skipped with a line saying so and the log's first error; a commit
# already in the store is skipped unless --again.
#
#   ci/bench-backfill.sh [-n N] [--branch REF] [--filter REGEX] [--repetitions R]
#                        [--min-time S] [--store DIR] [--work DIR] [--keep-builds]
#                        [--again] [--newest-first] [--commits "SHA..."]
#
# -n N            how many commits (default 15), first parents of --branch (main)
# --filter REGEX  benchmarks to run (default: the model lookup and its vector
#                 baseline, the paired CreateProcess counters, the campaign)
# --min-time S    Google Benchmark's minimum time per repetition (default 0.2)
# --commits LIST  these commits instead of the last N (oldest first)
# --newest-first  measure the newest first: its build shares the most with a
#                 current build's compiler cache, and a backfill cut short
#                 still holds the most recent commits (the store is read in
#                 commit-date order whatever the order of recording)
# --keep-builds   keep each commit's worktree and build (default: removed once
#                 the commit is recorded or skipped; its log stays)
#
# Not part of ci/test.sh: it takes minutes per commit. On a shared machine run
# it under `nice -n 19`. Exit 0 when every commit was recorded or skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { sed -n '11,29p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
say() { printf 'backfill: %s\n' "$*" >&2; }

count=15 branch=main repetitions=5 min_time=0.2 keep=0 again=0 commits='' newest=0
filter='^BM_(Model_HandleLookup|Baseline_VectorIndex)/|^BM_Win32_CreateProcess_Paired/|^BM_Campaign_Steps/'
store="$root/build/bench-history" work="$root/build/backfill"
while (($#)); do
  case $1 in
    -n) count=${2:?}; shift 2 ;;
    --branch) branch=${2:?}; shift 2 ;;
    --filter) filter=${2:?}; shift 2 ;;
    --repetitions) repetitions=${2:?}; shift 2 ;;
    --min-time) min_time=${2:?}; shift 2 ;;
    --store) store=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    --commits) commits=${2:?}; shift 2 ;;
    --keep-builds) keep=1; shift ;;
    --again) again=1; shift ;;
    --newest-first) newest=1; shift ;;
    -h | --help) usage ;;
    *) say "unknown argument $1"; usage ;;
  esac
done
[[ $count =~ ^[0-9]+$ ]] || { say "-n must be a number"; exit 2; }
mkdir -p "$store" "$work"
store=$(cd "$store" && pwd) work=$(cd "$work" && pwd)

# numpy for the record step (Debian's python3-numpy).
py=''
for c in ${PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import numpy' 2>/dev/null; then py=$c; break; fi
done
[[ -n $py ]] || { say "no Python 3 with numpy (install python3-numpy: ci/setup.sh)"; exit 2; }

# One compiler cache for every worktree: paths under the base directory are
# made relative, so the same source in another worktree is a hit. The build
# type has -g, for which ccache also hashes the build directory (it is in
# the debug information) unless told not to: these builds only run
# benchmarks, so a debugger's source paths do not matter.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
# One Wine prefix for all of them (creating one per commit would take longer
# than its benchmarks).
export HANDLECHECK_WINEPREFIX=${HANDLECHECK_WINEPREFIX:-$work/wineprefix}
# The prefix's wineserver outlives a benchmark run: each commit's hc-wine stops
# it before its worktree goes, and an interrupted backfill stops it on exit.
bin=
stop_wine() {  # the prefix's server and those of its lane copies (<prefix>-cpuN)
  [[ -n $bin && -x $bin/hc-wine ]] || return 0
  local prefix
  for prefix in "$HANDLECHECK_WINEPREFIX" "$HANDLECHECK_WINEPREFIX"-cpu*; do
    [[ -d $prefix ]] && HANDLECHECK_WINEPREFIX=$prefix "$bin/hc-wine" stop >/dev/null 2>&1
  done
  return 0
}
trap stop_wine EXIT

if [[ -z $commits ]]; then
  commits=$(git -C "$root" rev-list --first-parent -n "$count" "$branch" | tac | tr '\n' ' ')
fi
[[ $newest == 0 ]] || commits=$(tr ' ' '\n' <<<"$commits" | grep . | tac | tr '\n' ' ')
[[ -n ${commits// /} ]] || { say "no commits on $branch"; exit 2; }
total=$(wc -w <<<"$commits")
say "$total commit(s) into $store (filter $filter, $repetitions repetitions)"

# The worktree goes once its commit is done (the shared repository's list of
# worktrees stays short); --keep-builds keeps it and its build.
forget() {
  [[ $keep == 1 ]] || git -C "$root" worktree remove --force "$1" >/dev/null 2>&1 || rm -rf "$1"
}
recorded() { grep -qs "\"commit\": \"$1\"" "$store"/*.jsonl; }
build() { (cd "$1" && cmake --build build -j2 --target handlecheck-bench hc-wine >>"$2" 2>&1); }
# Why a configure or build failed, in one line of its log: CMake's first
# error, else the first compiler or linker error, else ninja's FAILED line.
why() {
  local line
  line=$(grep -m1 -E 'CMake Error' "$1" ||
    grep -m1 -E '(fatal )?error:|undefined reference|No space left' "$1" ||
    grep -m1 -E '^FAILED:' "$1" || true)
  printf '%s' "${line:-no error line in the log}" | cut -c1-160
}

i=0 done_n=0 skipped=0
for sha in $commits; do
  i=$((i + 1))
  sha=$(git -C "$root" rev-parse --verify "$sha^{commit}")
  short=${sha:0:10}
  subject=$(git -C "$root" show -s --format=%s "$sha" | cut -c1-70)
  if [[ $again == 0 ]] && recorded "$sha"; then
    say "[$i/$total] $short already recorded: skipped ($subject)"
    continue
  fi
  tree="$work/src-$short"
  if [[ ! -d $tree ]]; then
    git -C "$root" worktree add -f --detach "$tree" "$sha" >/dev/null 2>&1 ||
      { say "[$i/$total] $short: cannot make a worktree: skipped"; skipped=$((skipped + 1)); continue; }
  fi
  log="$work/$short.log"
  start=$SECONDS
  say "[$i/$total] $short building ($subject)"
  if ! (cd "$tree" && cmake --preset linux >"$log" 2>&1); then
    say "[$i/$total] $short does not configure: skipped: $(why "$log") (log: $log)"
    skipped=$((skipped + 1))
    forget "$tree"
    continue
  fi
  rc=0
  build "$tree" "$log" || rc=$?
  if ((rc != 0)); then
    # A build can fail for reasons that are not the commit's: a compiler
    # killed by the kernel, a full disk, this script interrupted. Built
    # again, a broken commit fails at the same place, while a disturbed
    # build goes on where it stopped (what did build is in ninja's state).
    ((rc < 128)) || { say "[$i/$total] $short: interrupted (exit $rc); stopping"; exit 1; }
    say "[$i/$total] $short: the build failed ($(why "$log")); building it again"
    rc=0
    build "$tree" "$log" || rc=$?
    ((rc < 128)) || { say "[$i/$total] $short: interrupted (exit $rc); stopping"; exit 1; }
  fi
  if ((rc != 0)); then
    say "[$i/$total] $short does not build: skipped: $(why "$log") (log: $log)"
    skipped=$((skipped + 1))
    forget "$tree"
    continue
  fi
  bin="$tree/build/bin"
  if [[ ! -d $HANDLECHECK_WINEPREFIX ]]; then
    "$bin/hc-wine" init >>"$log" 2>&1 || { say "hc-wine init failed (log: $log)"; exit 1; }
  fi
  out="$work/$short.json"
  say "[$i/$total] $short built in $((SECONDS - start)) s; running the benchmarks"
  start=$SECONDS
  if ! "$bin/handlecheck-bench" --benchmark_out="$out" --benchmark_out_format=json \
      --benchmark_repetitions="$repetitions" --benchmark_enable_random_interleaving=true \
      --benchmark_display_aggregates_only=true --benchmark_min_time="$min_time" \
      --benchmark_filter="$filter" >>"$log" 2>&1; then
    say "[$i/$total] $short: the benchmarks failed: skipped (log: $log)"
    skipped=$((skipped + 1))
    stop_wine
    forget "$tree"
    continue
  fi
  "$py" "$root/bench/history.py" record "$out" --store "$store" --repo "$tree" \
    --build-dir "$tree/build" >&2
  say "[$i/$total] $short measured in $((SECONDS - start)) s"
  done_n=$((done_n + 1))
  stop_wine
  forget "$tree"
done
say "recorded $done_n, skipped $skipped of $total; the page: bench/history.py page $store/<host>.jsonl --out build/bench-history/trend.html"
