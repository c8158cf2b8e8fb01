#!/usr/bin/env bash
# The benchmark history in CI: a `bench-history` branch holds the store (one
# JSON-lines file per host fingerprint, bench/history.py), as
# github-action-benchmark keeps its data on a branch of its own.
#
#   ci/bench-history.sh checkout DIR            the branch's files in DIR (a
#                                               new, empty store if it has none)
#   ci/bench-history.sh push RESULT DIR [PAGE]  on main: record RESULT for HEAD,
#                                               gate on the change points it
#                                               reveals, write PAGE, commit and
#                                               push the branch
#   ci/bench-history.sh compare RESULT DIR [PAGE]
#                                               on a pull request: RESULT
#                                               against the history's last level
#
# RESULT is a handlecheck-bench --benchmark_out JSON file (ci/bench.sh writes
# build/bench/result.json). Environment: PYTHON (one with numpy), HC_BUILD_DIR
# (default build), HC_HISTORY_BRANCH (default bench-history), HC_THRESHOLD
# (default 25). Exit 0 fine, 1 regression, 2 usage or missing input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
branch=${HC_HISTORY_BRANCH:-bench-history}
build=${HC_BUILD_DIR:-$root/build}
threshold=${HC_THRESHOLD:-25}
die() { printf 'bench-history: %s\n' "$*" >&2; exit 2; }

py=''
for c in ${PYTHON:-} /usr/bin/python3 python3 python; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import numpy' 2>/dev/null; then py=$c; break; fi
done
[[ -n $py ]] || die "no Python 3 with numpy (python3-numpy, or set PYTHON)"
history() { "$py" "$root/bench/history.py" "$@"; }

# This host's store file in DIR.
store_file() { history where --store "$1" --build-dir "$build"; }

page() {  # STORE_FILE PAGE
  [[ -z ${2:-} || ! -s $1 ]] || history page "$1" --out "$2" \
    --title "handlecheck benchmark history ($(basename "$1" .jsonl))"
}

cmd=${1:-}
case $cmd in
  checkout)
    dir=${2:?usage: checkout DIR}
    rm -rf "$dir"
    git -C "$root" worktree prune
    if git -C "$root" fetch -q origin "$branch" 2>/dev/null; then
      git -C "$root" worktree add -f --detach "$dir" FETCH_HEAD >/dev/null
      git -C "$dir" checkout -q -B "$branch"
    else
      printf 'bench-history: no branch %s yet: starting an empty history\n' "$branch" >&2
      git -C "$root" worktree add -f --detach "$dir" HEAD >/dev/null
      git -C "$dir" checkout -q --orphan "$branch"
      git -C "$dir" rm -rqf .
      printf '%s\n' '# Benchmark history' '' \
        'One JSON-lines file per host fingerprint, written by bench/history.py record' \
        '(docs/benchmarks.md on the code branch).' >"$dir/README.md"
    fi
    ;;
  push)
    result=${2:?usage: push RESULT DIR [PAGE]} dir=${3:?usage: push RESULT DIR [PAGE]}
    [[ -f $result ]] || die "no result file $result"
    history record "$result" --store "$dir" --repo "$root" --build-dir "$build"
    file=$(store_file "$dir")
    status=0
    history gate "$file" --threshold "$threshold" || status=$?
    page "$file" "${4:-}"
    sha=$(git -C "$root" rev-parse --short=10 HEAD)
    git -C "$dir" add -A
    git -C "$dir" -c user.name="handlecheck CI" -c user.email="ci@handlecheck.invalid" \
      commit -qm "Benchmarks of $sha on $(basename "$file" .jsonl)"
    # Another job (the other host) may have pushed meanwhile: each host has
    # its own file, so a rebase never conflicts.
    for _ in 1 2 3; do
      if git -C "$dir" push -q origin "HEAD:refs/heads/$branch"; then break; fi
      git -C "$dir" pull -q --rebase origin "$branch"
    done
    exit "$status"
    ;;
  compare)
    result=${2:?usage: compare RESULT DIR [PAGE]} dir=${3:?usage: compare RESULT DIR [PAGE]}
    [[ -f $result ]] || die "no result file $result"
    file=$(store_file "$dir")
    if [[ ! -s $file ]]; then
      printf 'bench-history: no history for this host (%s) yet: nothing to compare\n' \
        "$(basename "$file")" >&2
      exit 0
    fi
    status=0
    history gate "$file" --candidate "$result" --threshold "$threshold" || status=$?
    page "$file" "${4:-}"
    exit "$status"
    ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
