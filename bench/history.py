#!/usr/bin/env python3
"""The benchmark history: one record per run and commit, change points over it.

    history.py record RESULT.json --store DIR [--repo DIR] [--build-dir DIR]
                      [--commit SHA] [--cpu REGEX]
    history.py changes STORE.jsonl [--filter REGEX] [--json FILE]
    history.py gate    STORE.jsonl [--threshold PCT] [--since COMMIT]
                       [--report-only REGEX] [--candidate RESULT.json]
    history.py page    STORE.jsonl --out PAGE.html [--title TEXT]
    history.py where   --store DIR [--build-dir DIR]   (prints this host's store file)

The store (docs/benchmarks.md, "The history") is a directory of JSON-lines
files, one per host fingerprint (CPU model, cores, OS, Wine version, compiler,
build type), one line per recorded run. `record` turns a handlecheck-bench
--benchmark_out JSON file into such a line; `changes` finds the change points
of each series with E-Divisive means (bench/edivisive.py); `gate` fails (exit 1)
on a new change point that makes a judged benchmark slower by more than the
threshold, or with --candidate on a run slower than the history's last level;
`page` writes the trend page (bench/trendpage.py).

Exit codes: 0 fine, 1 regression (gate), 2 usage error or unusable input.
Uses the standard library and numpy (Debian python3-numpy).
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edivisive  # noqa: E402
from jsonfile import UsageError, load_json  # noqa: E402

FORMAT = "handlecheck-bench-history/1"
EXIT_OK, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
# Fields of a Google Benchmark run that are not user counters.
STANDARD_FIELDS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "items_per_second", "bytes_per_second", "label", "error_occurred", "error_message",
    "aggregate_name", "aggregate_unit"
}
# As ci/bench.sh judges them: the host-only model families on CPU time; the
# Wine timings shown and stored but never failing the gate on Linux.
DEFAULT_CPU = r"^BM_(Model|Baseline)_"
DEFAULT_REPORT_ONLY = r"^BM_(Win32|Harness|Campaign)_"


# ---------------------------------------------------------------------------
# Host fingerprint


def _run(argv, cwd=None):
    try:
        out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _cmake_cache(build_dir):
    cache = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"([A-Za-z_0-9]+):[A-Z]+=(.*)", line)
                if m:
                    cache[m.group(1)] = m.group(2)
    except OSError:
        pass
    return cache


def _compiler(build_dir):
    """`<id> <version>` from CMake's own record of the C++ compiler."""
    files = os.path.join(build_dir, "CMakeFiles")
    try:
        versions = sorted(d for d in os.listdir(files) if re.fullmatch(r"[0-9.]+", d))
    except OSError:
        versions = []
    for v in reversed(versions):
        try:
            text = open(os.path.join(files, v, "CMakeCXXCompiler.cmake"), encoding="utf-8").read()
        except OSError:
            continue
        cid = re.search(r'set\(CMAKE_CXX_COMPILER_ID "([^"]*)"\)', text)
        ver = re.search(r'set\(CMAKE_CXX_COMPILER_VERSION "([^"]*)"\)', text)
        if cid:
            return f"{cid.group(1)} {ver.group(1) if ver else '?'}"
    return "unknown"


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _os_name():
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}".strip()


def _wine_version():
    if platform.system() == "Windows":
        return "none (native)"
    # As the Wine runner finds it: HANDLECHECK_WINE, PATH, then Debian's
    # /usr/lib/wine (wine64 is not on PATH there).
    for wine in (os.environ.get("HANDLECHECK_WINE"), "wine64", "wine", "/usr/lib/wine/wine64",
                 "/usr/lib/wine/wine"):
        v = _run([wine, "--version"]) if wine else None
        if v:
            return v
    return "none"


def fingerprint(build_dir):
    """The host's fields: results of two hosts are never put in one file."""
    cache = _cmake_cache(build_dir)
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "os": _os_name(),
        "wine": _wine_version(),
        "compiler": _compiler(build_dir),
        "build_type": cache.get("CMAKE_BUILD_TYPE") or "unknown",
    }


def store_name(host):
    """The file of a host: a readable prefix and a hash of every field."""
    digest = hashlib.sha256(json.dumps(host, sort_keys=True).encode()).hexdigest()[:12]
    system = "windows" if "native" in host["wine"] else ("linux-wine" if host["wine"] != "none"
                                                          else "host")
    return f"{system}-{host['cores']}cpu-{digest}.jsonl"


# ---------------------------------------------------------------------------
# Records


def _quantiles(xs):
    xs = sorted(xs)
    if len(xs) >= 2:
        q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    else:
        q1 = q3 = xs[0]
    return {"median": statistics.median(xs), "q1": q1, "q3": q3, "min": xs[0], "max": xs[-1],
            "n": len(xs)}


def summarize(result, cpu_re):
    """{name: per-benchmark entry} from a --benchmark_out JSON document."""
    runs = {}
    for b in result.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        runs.setdefault(b.get("run_name", b["name"]), []).append(b)
    out = {}
    for name, reps in runs.items():
        metric = "cpu_time" if cpu_re and cpu_re.search(name) else "real_time"
        scale = UNIT_NS.get(reps[0].get("time_unit", "ns"), 1.0)
        entry = _quantiles([r[metric] * scale for r in reps])
        entry.update({"unit": "ns", "time": "cpu" if metric == "cpu_time" else "real"})
        counters = {}
        for key in sorted({k for r in reps for k in r} - STANDARD_FIELDS):
            values = [r[key] for r in reps if isinstance(r.get(key), (int, float))]
            if len(values) == len(reps):
                counters[key] = {k: v for k, v in _quantiles(values).items() if k != "n"}
        if counters:
            entry["counters"] = counters
        out[name] = entry
    return out


def _arg_family(benchmarks, pattern):
    """{argument: entry} of the benchmarks `pattern` matches, whatever run
    name suffixes follow (/iterations:10/manual_time, /real_time)."""
    out = {}
    for name, entry in benchmarks.items():
        m = re.fullmatch(pattern + r"(?:/[a-z_]+(?::\d+)?)*", name)
        if m:
            out[int(m.group(1))] = entry
    return dict(sorted(out.items()))


def _spread(counter, scale=1):
    """A figure read from one counter: its median over repetitions as the
    value, its first and third quartiles as the spread the page draws."""
    out = {"value": counter["median"] / scale}
    if "q1" in counter and "q3" in counter:
        out["q1"], out["q3"] = counter["q1"] / scale, counter["q3"] / scale
    return out


def figures(benchmarks):
    """The ratios that matter, from one record's medians (absent families are
    left out): model lookup over the vector baseline per size, CreateProcess's
    cost per inherited handle, the handle list's saving, campaign steps/s."""
    out = {}
    model = _arg_family(benchmarks, r"BM_Model_HandleLookup/(\d+)")
    vector = _arg_family(benchmarks, r"BM_Baseline_VectorIndex/(\d+)")
    for n in model:
        if n in vector and vector[n]["median"] > 0:
            out[f"lookup-over-vector/{n}"] = {
                "value": model[n]["median"] / vector[n]["median"], "unit": "x", "better": "lower",
                "title": "model lookup / vector index"}
    paired = _arg_family(benchmarks, r"BM_Win32_CreateProcess_Paired/Handles/(\d+)")
    paired = {n: e for n, e in paired.items() if n > 0 and "inherit_ns" in e.get("counters", {})}
    inherit = _arg_family(benchmarks, r"BM_Win32_CreateProcess_InheritAll/Handles/(\d+)")
    listed = _arg_family(benchmarks, r"BM_Win32_CreateProcess_HandleList/Handles/(\d+)")
    if paired:
        n = max(paired)
        c = paired[n]["counters"]
        out["createprocess-per-inherited-handle"] = dict(
            _spread(c["inherit_ns"], n), unit="ns", better="lower",
            title=f"CreateProcess cost per inherited handle (paired, N={n})")
        if "list_saving_ns" in c:
            out["handle-list-saving"] = dict(
                _spread(c["list_saving_ns"]), unit="ns", better="higher",
                title=f"handle list's saving over inherit-all (paired, N={n})")
    elif len(inherit) >= 2:
        xs, ys = list(inherit), [e["median"] for e in inherit.values()]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx)**2 for x in xs)
        out["createprocess-per-inherited-handle"] = {
            "value": sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx, "unit": "ns",
            "better": "lower", "title": "CreateProcess cost per inherited handle (slope)"}
        common = [n for n in inherit if n in listed and n > 0]
        if common:
            n = max(common)
            out["handle-list-saving"] = {
                "value": inherit[n]["median"] - listed[n]["median"], "unit": "ns",
                "better": "higher", "title": f"handle list's saving over inherit-all (N={n})"}
    for jobs, entry in _arg_family(benchmarks, r"BM_Campaign_Steps/jobs:(\d+)").items():
        if "steps_per_s" in entry.get("counters", {}):
            out[f"campaign-steps-per-s/jobs:{jobs}"] = dict(
                _spread(entry["counters"]["steps_per_s"]), unit="steps/s", better="higher",
                title="campaign steps per second")
    return dict(sorted(out.items()))


def git_commit(repo, rev):
    fields = _run(["git", "-C", repo, "show", "-s", "--format=%H%n%cI%n%s", rev])
    if not fields:
        raise UsageError(f"git cannot show {rev} in {repo}")
    sha, date, subject = (fields.split("\n", 2) + ["", ""])[:3]
    return sha, date, subject


def make_record(result, commit, commit_date, subject, host, cpu_re, recorded=None):
    benchmarks = summarize(result, cpu_re)
    if not benchmarks:
        raise UsageError("the result holds no benchmark run")
    reps = max(b["n"] for b in benchmarks.values())
    return {
        "format": FORMAT,
        "commit": commit,
        "commit_date": commit_date,
        "subject": subject,
        "recorded": recorded or datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"),
        "host": host,
        "repetitions": reps,
        "benchmarks": benchmarks,
        "figures": figures(benchmarks),
    }


def read_store(path):
    """The records of one store file, one point per commit (a commit recorded
    again keeps its latest record), in commit-date order."""
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    raise UsageError(f"{path}:{number}: not JSON: {e}")
                if r.get("format") != FORMAT:
                    raise UsageError(f"{path}:{number}: format {r.get('format')!r}, "
                                     f"expected {FORMAT!r}")
                # Figures are computed again from the medians, so a figure
                # added or corrected later applies to old records too.
                r["figures"] = figures(r.get("benchmarks", {}))
                records.append(r)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}")
    latest = {}
    for r in records:
        latest[r["commit"]] = r  # later lines replace earlier ones
    # Stable: commits with one date keep the order they were recorded in.
    order = {c: i for i, c in enumerate(dict.fromkeys(r["commit"] for r in records))}
    return sorted(latest.values(), key=lambda r: (r["commit_date"], order[r["commit"]]))


# ---------------------------------------------------------------------------
# Series and change points


def series(records):
    """{key: {"kind", "points": [(record index, median, q1, q3)], ...}} for
    every benchmark's judged time and every figure."""
    out = {}
    for i, r in enumerate(records):
        for name, b in r["benchmarks"].items():
            s = out.setdefault(name, {"kind": "benchmark", "unit": b["unit"], "time": b["time"],
                                      "better": "lower", "points": []})
            s["points"].append((i, b["median"], b["q1"], b["q3"]))
        for key, f in r.get("figures", {}).items():
            s = out.setdefault(key, {"kind": "figure", "unit": f["unit"], "better": f["better"],
                                     "title": f.get("title", key), "points": []})
            s["points"].append((i, f["value"], f.get("q1", f["value"]), f.get("q3", f["value"])))
    return out


def level(values):
    return statistics.median(values)


def analyse(records, params=None, keys=None):
    """Change points per series: {key: [change]} with the commit where the
    level shifted, the levels before and after (medians of the per-commit
    medians in each segment), their ratio and the permutation p."""
    params = dict(edivisive.DEFAULTS, **(params or {}))
    out = {}
    for key, s in series(records).items():
        if keys and not keys.search(key):
            continue
        values = [p[1] for p in s["points"]]
        found = edivisive.change_points(values, **params)
        segs = edivisive.segments(len(values), found)
        changes = []
        for c, (before, after) in zip(found, zip(segs, segs[1:])):
            lb = level(values[before[0]:before[1]])
            la = level(values[after[0]:after[1]])
            r = records[s["points"][c["index"]][0]]
            ratio = la / lb if lb else float("inf")
            worse = ratio > 1 if s["better"] == "lower" else ratio < 1
            changes.append({"series": key, "index": s["points"][c["index"]][0],
                            "commit": r["commit"], "subject": r.get("subject", ""),
                            "before": lb, "after": la, "ratio": ratio, "p": c["p"],
                            "q": c["q"], "worse": worse, "unit": s["unit"]})
        out[key] = changes
    return out


def describe(c):
    direction = "worse" if c["worse"] else "better"
    return (f"{c['series']}: at {c['commit'][:10]} {c['before']:.4g} -> {c['after']:.4g} "
            f"{c['unit']} (x{c['ratio']:.3f}, {direction}, p={c['p']:.3g})  {c['subject'][:60]}")


# ---------------------------------------------------------------------------
# Commands


def regex(text):
    try:
        return re.compile(text) if text else None
    except re.error as e:
        raise argparse.ArgumentTypeError(f"bad regular expression {text!r}: {e}")


def cmd_where(args):
    print(os.path.join(args.store, store_name(fingerprint(args.build_dir))))
    return EXIT_OK


def cmd_record(args):
    result = load_json(args.result)
    sha, date, subject = git_commit(args.repo, args.commit)
    host = fingerprint(args.build_dir)
    record = make_record(result, sha, date, subject, host, args.cpu)
    os.makedirs(args.store, exist_ok=True)
    path = os.path.join(args.store, store_name(host))
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, sort_keys=True) + "\n")
    print(f"history: recorded {sha[:10]} ({len(record['benchmarks'])} benchmarks, "
          f"{record['repetitions']} repetitions) in {path}")
    return EXIT_OK


def _params(args):
    return {"significance": args.significance, "permutations": args.permutations,
            "min_size": args.min_size}


def cmd_changes(args):
    records = read_store(args.store_file)
    result = analyse(records, _params(args), args.filter)
    found = [c for cs in result.values() for c in cs]
    print(f"history: {len(records)} commits, {len(result)} series, {len(found)} change point(s) "
          f"(E-Divisive means, p <= {args.significance})")
    for c in sorted(found, key=lambda c: (c["index"], c["series"])):
        print("  " + describe(c))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(found, f, indent=1)
    return EXIT_OK


def new_changes(records, params, since, keys=None):
    """The change points that count as new: at a commit recorded after
    `since`, or (no `since`) those that the last record revealed, i.e. not in
    the history without it at the same commit."""
    now = analyse(records, params, keys)
    if since:
        idx = next((i for i, r in enumerate(records) if r["commit"].startswith(since)), None)
        if idx is None:
            raise UsageError(f"--since {since}: no such commit in the history")
        return [c for cs in now.values() for c in cs if c["index"] > idx], now
    before = analyse(records[:-1], params, keys) if len(records) > 1 else {}
    known = {(c["series"], c["commit"]) for cs in before.values() for c in cs}
    return [c for cs in now.values() for c in cs if (c["series"], c["commit"]) not in known], now


def cmd_gate(args):
    records = read_store(args.store_file)
    if not records:
        raise UsageError(f"{args.store_file} holds no record")
    limit = 1 + args.threshold / 100
    failing = []

    def judged(key, s):
        return s["kind"] == "benchmark" and not (args.report_only and
                                                 args.report_only.search(key))

    all_series = series(records)
    if args.candidate:
        # A pull request's run against the history's last level: the median
        # of the per-commit medians since the last change point.
        cand = summarize(load_json(args.candidate), args.cpu)
        now = analyse(records, _params(args), args.filter)
        print(f"history: candidate {args.candidate} against the last level of "
              f"{len(records)} commits")
        for name, b in sorted(cand.items()):
            s = all_series.get(name)
            if not s or (args.filter and not args.filter.search(name)):
                continue
            start = now[name][-1]["index"] if now.get(name) else 0
            tail = [p[1] for p in s["points"] if p[0] >= start]
            last = level(tail)
            ratio = b["median"] / last if last else float("inf")
            slower = ratio > limit and b["median"] > max(tail)
            verdict = "same"
            if slower:
                verdict = "SLOWER" if judged(name, s) else "slower (report only)"
            print(f"  {name:<50} level {last:>10.4g} ns  run {b['median']:>10.4g} ns  "
                  f"x{ratio:.3f}  {verdict}")
            if slower and judged(name, s):
                failing.append(name)
    else:
        new, now = new_changes(records, _params(args), args.since, args.filter)
        total = sum(len(cs) for cs in now.values())
        print(f"history: {len(records)} commits, {total} change point(s), {len(new)} new")
        for c in new:
            s = all_series[c["series"]]
            bad = c["worse"] and (c["ratio"] > limit if s["better"] == "lower" else
                                  c["ratio"] < 1 / limit)
            if bad and judged(c["series"], s):
                verdict, tag = "REGRESSION", "  <- fails the gate"
                failing.append(c["series"])
            elif bad:
                verdict, tag = "worse (report only)", ""
            else:
                verdict, tag = "under threshold" if c["worse"] else "improvement", ""
            print(f"  {verdict}: {describe(c)}{tag}")
    summary = args.summary
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write("### Benchmark history\n\n" + (
                f"**Regression in {len(failing)} benchmark(s):** " +
                ", ".join(f"`{n}`" for n in failing) if failing else "No new slowdown.") + "\n\n")
    if failing:
        print(f"history gate: REGRESSION in {len(failing)} benchmark(s) (slower by more than "
              f"{args.threshold:g}%): {', '.join(failing)}")
        return EXIT_REGRESSION
    print(f"history gate: no new slowdown over {args.threshold:g}% on a judged benchmark")
    return EXIT_OK


def cmd_page(args):
    import trendpage
    records = read_store(args.store_file)
    if not records:
        raise UsageError(f"{args.store_file} holds no record")
    changes = analyse(records, _params(args))
    html = trendpage.render(records, series(records), changes, args.title, _params(args))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"history: wrote {args.out} ({len(records)} commits, "
          f"{sum(len(c) for c in changes.values())} change point(s))")
    return EXIT_OK


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    def detection(q):
        q.add_argument("--significance", type=float, default=edivisive.DEFAULTS["significance"],
                       help="permutation-test p at or under which a change point is kept "
                       "(default %(default)s)")
        q.add_argument("--permutations", type=int, default=edivisive.DEFAULTS["permutations"],
                       help="permutations per test (default %(default)s)")
        q.add_argument("--min-size", type=int, default=edivisive.DEFAULTS["min_size"],
                       help="fewest commits on either side of a change point (default "
                       "%(default)s)")

    w = sub.add_parser("where", help="print this host's store file")
    w.add_argument("--store", default="build/bench-history")
    w.add_argument("--build-dir", default="build")
    r = sub.add_parser("record", help="append one run to this host's store file")
    r.add_argument("result", help="handlecheck-bench --benchmark_out JSON file")
    r.add_argument("--store", default="build/bench-history", help="store directory")
    r.add_argument("--repo", default=".", help="git work tree of the measured commit")
    r.add_argument("--commit", default="HEAD", help="the measured commit (default HEAD)")
    r.add_argument("--build-dir", default="build", help="the build that ran (its CMakeCache)")
    r.add_argument("--cpu", type=regex, default=regex(DEFAULT_CPU),
                   help="benchmarks judged on CPU time (default %(default)s)")
    c = sub.add_parser("changes", help="list the change points of every series")
    c.add_argument("store_file")
    c.add_argument("--filter", type=regex, help="only the series whose key matches")
    c.add_argument("--json", help="also write them to this file")
    detection(c)
    g = sub.add_parser("gate", help="fail on a new change point that slows a judged benchmark")
    g.add_argument("store_file")
    g.add_argument("--threshold", type=float, default=25.0,
                   help="tolerated slowdown of a level, percent (default %(default)s)")
    g.add_argument("--since", help="change points after this commit are new (default: those "
                   "the last record revealed)")
    g.add_argument("--report-only", type=regex,
                   default=regex(DEFAULT_REPORT_ONLY if platform.system() != "Windows" else ""),
                   help="shown, never failing (default on Linux %(default)s)")
    g.add_argument("--candidate", help="compare this --benchmark_out JSON run with the "
                   "history's last level instead (a pull request)")
    g.add_argument("--cpu", type=regex, default=regex(DEFAULT_CPU),
                   help="with --candidate: benchmarks judged on CPU time")
    g.add_argument("--filter", type=regex, help="only the series whose key matches")
    g.add_argument("--summary", default=os.environ.get("GITHUB_STEP_SUMMARY"),
                   help="Markdown file to append to (default $GITHUB_STEP_SUMMARY)")
    detection(g)
    pg = sub.add_parser("page", help="write the trend page")
    pg.add_argument("store_file")
    pg.add_argument("--out", required=True)
    pg.add_argument("--title", default="handlecheck benchmark history")
    detection(pg)
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        raise SystemExit(EXIT_USAGE if e.code else EXIT_OK)
    if hasattr(args, "significance") and not 0 < args.significance < 1:
        raise UsageError(f"--significance must be in (0, 1), got {args.significance}")
    return args


def main(argv):
    try:
        args = parse_args(argv)
        return {"where": cmd_where, "record": cmd_record, "changes": cmd_changes,
                "gate": cmd_gate, "page": cmd_page}[args.command](args)
    except (UsageError, ValueError) as e:
        print(f"history: {e}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
