#!/usr/bin/env bash
# Benchmark regression tracking: runs build/bin/handlecheck-bench with
# repetitions in random interleaving, compares the result with the host's
# stored baseline using Google Benchmark's compare.py (Mann-Whitney U test),
# and lets ci/bench-gate.py decide: exit 1 when a benchmark got significantly
# slower by more than the threshold.
#
#   ci/bench.sh [--baseline FILE] [--out FILE] [--filter REGEX] [--threshold PCT]
#               [--alpha A] [--repetitions N] [--build-dir DIR] [--cpu REGEX]
#               [--report-only REGEX] [--contender FILE] [--update-baseline]
#               [-- BENCHMARK_ARGS...]
#
# --threshold PCT      tolerated slowdown of a median (default 25)
# --cpu REGEX          judge these on cpu_time (default: the host-only model
#                      families, ^BM_(Model|Baseline)_; '' for none)
# --report-only REGEX  show these, never fail on them (default on linux-wine:
#                      ^BM_(Win32|Harness|Campaign)_, the Wine timings; '' for none)
# --contender FILE   compare an existing result instead of running the suite
#                    (the comparison is still written beside --out)
# --update-baseline  run and store the result as the baseline; no comparison
# Environment: PYTHON (an interpreter with scipy for compare.py), HC_COMPARE_PY
# (default /usr/share/benchmark/compare.py, Debian's libbenchmark-tools).
# Exit 0 no regression (or no baseline yet), 1 regression, 2 usage/missing input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { sed -n '8,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

case "$(uname -s)" in
  Linux) host=linux-wine ;;
  MINGW* | MSYS* | CYGWIN*) host=windows-msvc ;;
  *) host=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
esac
baseline="$root/bench/baseline/$host.json"
build="${HC_BUILD_DIR:-$root/build}"
# 25%: on a shared 2-core machine the model's allocating steps (spawn) vary by
# up to ~23% in CPU time between unchanged runs of 5 repetitions.
out='' filter='' threshold=25 alpha=0.05 repetitions=5 contender='' update=0
cpu='^BM_(Model|Baseline)_'
# Under Wine on a shared machine the wineserver round trip swings several-fold
# with the load: those figures are shown and stored, not gated.
report_only=''
[[ $host != linux-wine ]] || report_only='^BM_(Win32|Harness|Campaign)_'
extra=()
while (($#)); do
  case $1 in
    --baseline) baseline=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --filter) filter=${2:?}; shift 2 ;;
    --threshold) threshold=${2:?}; shift 2 ;;
    --alpha) alpha=${2:?}; shift 2 ;;
    --repetitions) repetitions=${2:?}; shift 2 ;;
    --build-dir) build=${2:?}; shift 2 ;;
    --contender) contender=${2:?}; shift 2 ;;
    --cpu) cpu=${2?}; shift 2 ;;
    --report-only) report_only=${2?}; shift 2 ;;
    --update-baseline) update=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) usage ;;
    *) printf 'bench: unknown argument %s\n' "$1" >&2; usage ;;
  esac
done
[[ $repetitions =~ ^[0-9]+$ ]] && ((repetitions >= 2)) ||
  die "--repetitions must be at least 2 (the U test needs them), got $repetitions"
[[ -n $out ]] || out="$build/bench/result.json"
[[ $update == 1 ]] && out=$baseline

# The first interpreter that runs and imports `modules`.
find_python() {
  local c
  for c in ${PYTHON:-} python3 /usr/bin/python3 python; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c "import $1" 2>/dev/null; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}
gate_py=$(find_python json) || die "no Python 3 found (set PYTHON)"
gate() { "$gate_py" "$root/ci/bench-gate.py" "$@"; }

if [[ -n $contender ]]; then
  [[ -f $contender ]] || die "no result file $contender"
  new=$contender
else
  bin="$build/bin/handlecheck-bench"
  [[ -x $bin || -x $bin.exe ]] || die "no $bin: build it first (cmake --build $build --target handlecheck-bench)"
  mkdir -p "$(dirname "$out")"
  args=(--benchmark_out="$out" --benchmark_out_format=json
        --benchmark_repetitions="$repetitions"
        --benchmark_enable_random_interleaving=true
        --benchmark_display_aggregates_only=true)
  [[ -z $filter ]] || args+=(--benchmark_filter="$filter")
  # The file keeps every repetition (the U test needs them); the console shows aggregates.
  "$bin" "${args[@]}" "${extra[@]}" || die "handlecheck-bench failed (exit $?)"
  printf 'bench: wrote %s\n' "$out" >&2
  new=$out
fi
# The figures: ratios to the baseline in the same run, slopes, savings.
echo
"$gate_py" "$root/bench/summary.py" "$new" || die "bench/summary.py failed (exit $?)"
echo

if [[ $update == 1 ]]; then
  printf 'bench: stored as the %s baseline; commit %s\n' "$host" "${out#"$root"/}" >&2
  exit 0
fi
if [[ ! -f $baseline ]]; then
  printf 'bench: no baseline %s: listing this run only (store one with --update-baseline)\n' \
    "$baseline" >&2
  gate --results "$new" --title "Benchmarks ($host, no baseline yet)"
  exit 0
fi

# compare.py needs scipy; the first python3 on PATH may lack it (pyenv), so
# find one that has it.
compare=${HC_COMPARE_PY:-/usr/share/benchmark/compare.py}
[[ -f $compare ]] || die "no $compare: install libbenchmark-tools (ci/setup.sh) or set HC_COMPARE_PY"
py=$(find_python 'scipy, numpy') ||
  die "no Python with scipy and numpy for compare.py (set PYTHON, or install python3-scipy)"

dump="${out%.json}.compare.json"  # beside --out, also when comparing a --contender
mkdir -p "$(dirname "$dump")"
compare_args=(-a --no-color --alpha "$alpha" --dump_to_json "$dump" benchmarks "$baseline" "$new")
# compare.py has no filter for two JSON files: a filtered run compares the names both hold.
"$py" "$compare" "${compare_args[@]}" || die "compare.py failed (exit $?)"
gate_args=()
[[ -z $cpu ]] || gate_args+=(--cpu "$cpu")
[[ -z $report_only ]] || gate_args+=(--report-only "$report_only")
gate "$dump" --alpha "$alpha" --threshold "$threshold" "${gate_args[@]}" \
  --title "Benchmarks ($host) against ${baseline#"$root"/}"
