#!/usr/bin/env bash
# Soak: a long conformance campaign against Wine, then the checks a long run
# needs and a short one cannot give:
#   - the host's memory does not grow: peak RSS in the last tenth of the run
#     is at most SOAK_RSS_GROWTH_MIB (default 16) above the peak in the second
#     tenth (after start-up; sampled once a second from /proc);
#   - nothing is left: no process running an agent 5 s after the end;
#   - the same seed gives the same result: a second campaign with the seed
#     reports the same sequences, steps, coverage and divergences.
# Runs in the scheduled workflow .github/workflows/soak.yml, not in .ci/run.
#   ci/soak.sh [SEQUENCES]      (default 2000; env: SOAK_SEED, SOAK_MAX_STEPS,
#                                SOAK_PROFILE, SOAK_BUILD, SOAK_RSS_GROWTH_MIB)
# Prints its figures and writes them to $SOAK_BUILD/soak/figures.txt (and to
# $GITHUB_STEP_SUMMARY when set). Exit 0 when every check holds.
set -euo pipefail
cd "$(dirname "$0")/.."

sequences=${1:-${SOAK_SEQUENCES:-2000}}
seed=${SOAK_SEED:-20261127}
max_steps=${SOAK_MAX_STEPS:-30}
profile=${SOAK_PROFILE:-wine}
build=${SOAK_BUILD:-build}
growth_mib=${SOAK_RSS_GROWTH_MIB:-16}
cli=$build/bin/handlecheck
agent=$(realpath "$build/bin/hc-agent.exe")
out=$build/soak
say() { printf 'soak: %s\n' "$*" >&2; }

if [[ ! -x $cli || ! -f $agent ]]; then
  say "building the CLI and the agent in $build"
  [[ -f $build/CMakeCache.txt ]] || cmake --preset linux
  cmake --build "$build" --target handlecheck win32
fi
rm -rf "$out"
mkdir -p "$out"

# --jobs where the CLI has it (one campaign over all cores), else one process.
options=(--backend wine --profile "$profile" --seed "$seed" --tests "$sequences" --max-steps "$max_steps"
         --format json)
if "$cli" check --help | grep -q -- '--jobs'; then
  options+=(--jobs "$(nproc)")
fi

# Runs one campaign into $out/$1.json while sampling the CLI's RSS (KiB) into
# $out/$1.rss, one "seconds rss" line a second.
campaign() {
  local name=$1 start pid status=0
  start=$(date +%s)
  "$cli" check "${options[@]}" --out "$out/$name" >"$out/$name.json" 2>"$out/$name.log" &
  pid=$!
  : >"$out/$name.rss"
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n $rss ]] && echo "$(($(date +%s) - start)) $rss" >>"$out/$name.rss"
    sleep 1
  done
  wait "$pid" || status=$?
  echo "$(($(date +%s) - start))" >"$out/$name.seconds"
  echo "$status" >"$out/$name.status"
}

# Live processes running the agent (the hub's wine loader shows the Unix
# path, the agents Z:\...), zombies aside.
left() {
  ps -eo pid=,stat=,args= |
    HC_AGENT=$agent HC_WINPATH="Z:$(printf '%s' "$agent" | tr / '\\')" \
      awk '$2 !~ /^Z/ && (index($0, ENVIRON["HC_AGENT"]) || index($0, ENVIRON["HC_WINPATH"]))'
}

say "campaign 1: ${options[*]}"
campaign first
sleep 5
left >"$out/left.txt" || true
say "campaign 2: the same seed again"
campaign second

python3 - "$out" "$growth_mib" "$sequences" <<'PY'
import json, os, sys
out, growth_mib, asked = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
failures = []

def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.load(f)

def rss(name):
    rows = [tuple(map(int, l.split())) for l in open(os.path.join(out, name + ".rss")) if l.strip()]
    if len(rows) < 20:
        return None
    tenth = len(rows) // 10
    # The second tenth, not the first: start-up (loading, the first
    # sequences) is not growth.
    return (max(r for _, r in rows[tenth:2 * tenth]), max(r for _, r in rows[-tenth:]),
            max(r for _, r in rows))

figures = []
for name in ("first", "second"):
    status = int(open(os.path.join(out, name + ".status")).read())
    seconds = int(open(os.path.join(out, name + ".seconds")).read())
    if status not in (0, 1):
        failures.append(f"campaign {name} exited {status} (see {out}/{name}.log)")
        continue
    doc = load(name)
    figures.append(f"campaign {name}: seed {doc['seed']}, {doc['sequences']} sequences, {doc['steps']} steps, "
                   f"{len(doc['divergences'])} divergences, {seconds} s wall, exit {status}")
    if doc["backend_failure"]:
        failures.append(f"campaign {name}: backend failure: {doc['backend_failure']}")
    m = rss(name)
    if m:
        start, end, peak = m
        figures.append(f"campaign {name}: host RSS peak {start / 1024:.1f} MiB in the second tenth, "
                       f"{end / 1024:.1f} MiB in the last tenth, {peak / 1024:.1f} MiB overall "
                       f"(bound: +{growth_mib:g} MiB)")
        if end - start > growth_mib * 1024:
            failures.append(f"campaign {name}: RSS grew by {(end - start) / 1024:.1f} MiB")
    else:
        figures.append(f"campaign {name}: too short for an RSS trend")

left = [l for l in open(os.path.join(out, "left.txt")) if l.strip()]
figures.append(f"processes left after campaign 1: {len(left)}")
if left:
    failures.append("processes left: " + "".join(left))

def result(doc):
    return {k: doc[k] for k in ("seed", "sequences", "passed", "steps", "coverage")} | {
        "divergences": [(d["signature"], d["occurrences"], d["scenario"]) for d in doc["divergences"]]}

try:
    same = result(load("first")) == result(load("second"))
    figures.append("same seed, same result: " + ("yes" if same else "NO"))
    if not same:
        failures.append("the second campaign with the same seed differs from the first")
except (OSError, ValueError, KeyError) as e:
    failures.append(f"cannot compare the campaigns: {e}")

text = "\n".join(figures + [f"FAILED: {f}" for f in failures] + ["soak: " + ("FAILED" if failures else "passed")])
print(text)
with open(os.path.join(out, "figures.txt"), "w") as f:
    f.write(text + "\n")
if os.environ.get("GITHUB_STEP_SUMMARY"):
    with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as f:
        f.write("## Soak\n\n```\n" + text + "\n```\n")
sys.exit(1 if failures else 0)
PY
