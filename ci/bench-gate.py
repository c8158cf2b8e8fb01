#!/usr/bin/env python3
"""Benchmark regression gate over Google Benchmark's compare.py.

compare.py (libbenchmark-tools) runs the Mann-Whitney U test per benchmark
and prints a table, but exits 0 whatever it finds. This gate reads its JSON
dump (`compare.py --dump_to_json FILE benchmarks BASE NEW`) and fails when a
benchmark is slower both significantly and by more than the threshold:

    U-test p < alpha   AND   median(new) / median(base) > 1 + threshold

Both conditions are needed: p alone flags 1% shifts on a quiet machine, the
ratio alone flags noise on a busy one.

Per benchmark name (regular expressions, searched):
  --cpu REGEX          judge these on cpu_time instead of --metric: single-
                       threaded host benchmarks, whose wall time on a shared
                       machine measures the other processes as much as the code;
  --report-only REGEX  show these, never fail on them (Win32 timings under
                       Wine on a shared machine: the wineserver round trip
                       swings several-fold with the machine's load).

Exit codes: 0 no regression, 1 regression, 2 usage error or unusable input.
Prints a plain table; appends a Markdown table to $GITHUB_STEP_SUMMARY when set.

`--results FILE` instead lists one run's medians (for a host that has no
baseline yet) and exits 0.
"""
import argparse
import os
import re
import statistics
import sys

# The reading of its input it shares with bench/history.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "bench"))
from jsonfile import UsageError, load_json  # noqa: E402

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2

# compare.py names: the U test's p-value field and the raw time field per metric.
PVALUE_FIELD = {"real_time": "time_pvalue", "cpu_time": "cpu_pvalue"}


def regex(text):
    try:
        return re.compile(text)
    except re.error as e:
        raise argparse.ArgumentTypeError(f"bad regular expression {text!r}: {e}")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dump", nargs="?", help="JSON written by compare.py --dump_to_json")
    p.add_argument("--results", metavar="FILE",
                   help="list the medians of one --benchmark_out JSON file instead of gating")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="U-test significance level (default 0.05)")
    p.add_argument("--threshold", type=float, default=10.0,
                   help="tolerated slowdown of the median, percent (default 10)")
    p.add_argument("--metric", choices=sorted(PVALUE_FIELD), default="real_time",
                   help="which time to judge (default real_time)")
    p.add_argument("--cpu", metavar="REGEX", type=regex,
                   help="benchmarks judged on cpu_time whatever --metric says")
    p.add_argument("--report-only", metavar="REGEX", type=regex,
                   help="benchmarks shown but never failing the gate")
    p.add_argument("--title", default="Benchmark comparison",
                   help="heading of the Markdown summary")
    p.add_argument("--summary", default=os.environ.get("GITHUB_STEP_SUMMARY"),
                   help="Markdown file to append to (default $GITHUB_STEP_SUMMARY)")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on bad usage, 0 on --help
        raise SystemExit(EXIT_USAGE if e.code else EXIT_OK)
    if (args.dump is None) == (args.results is None):
        raise UsageError("give either a compare.py dump or --results FILE")
    if not 0 < args.alpha < 1:
        raise UsageError(f"--alpha must be in (0, 1), got {args.alpha}")
    if args.threshold < 0:
        raise UsageError(f"--threshold must be >= 0 percent, got {args.threshold}")
    return args


def load_dump(path):
    report = load_json(path)
    if not isinstance(report, list):
        raise UsageError(f"{path} is not a compare.py --dump_to_json report (expected a list)")
    return report


def median_pair(report, entry, metric):
    """(base, new) median of `metric` for one benchmark.

    Prefers the `<name>_median` aggregate that Google Benchmark computed over
    all repetitions; falls back to the paired repetitions when the run had no
    aggregates."""
    aggregate = next((e for e in report if e.get("run_type") == "aggregate"
                      and e.get("aggregate_name") == "median"
                      and e.get("name") == entry["name"] + "_median"), None)
    if aggregate and aggregate.get("measurements"):
        m = aggregate["measurements"][0]
        return m[metric], m[metric + "_other"]
    ms = entry["measurements"]
    return (statistics.median(m[metric] for m in ms),
            statistics.median(m[metric + "_other"] for m in ms))


def judge(report, alpha, threshold, default_metric, cpu=None, report_only=None):
    """One row per benchmark that both runs have: verdict and its numbers."""
    rows = []
    for entry in report:
        if entry.get("run_type") == "aggregate" or not entry.get("measurements"):
            continue  # aggregates are read through their benchmark; OVERALL_GEOMEAN is not one
        metric = "cpu_time" if cpu and cpu.search(entry["name"]) else default_metric
        try:
            base, new = median_pair(report, entry, metric)
            utest = entry.get("utest") or {}
            p = utest.get(PVALUE_FIELD[metric])
            reps = (utest.get("nr_of_repetitions"), utest.get("nr_of_repetitions_other"))
            unit = entry.get("time_unit", "ns")
        except (KeyError, TypeError) as e:
            raise UsageError(f"benchmark {entry.get('name')!r}: malformed entry ({e})")
        ratio = new / base if base > 0 else float("inf")
        if p is None:
            verdict = "too few repetitions"  # compare.py runs the U test from 2 repetitions
        elif p < alpha and ratio > 1 + threshold / 100:
            verdict = "SLOWER"
        elif p < alpha and ratio < 1 - threshold / 100:
            verdict = "faster"
        else:
            verdict = "same"
        if verdict == "SLOWER" and report_only and report_only.search(entry["name"]):
            verdict = "slower (report only)"
        rows.append({"name": entry["name"], "base": base, "new": new, "unit": unit,
                     "ratio": ratio, "p": p, "reps": reps, "verdict": verdict,
                     "metric": "cpu" if metric == "cpu_time" else "real"})
    return rows


def geomean_change(report, metric):
    g = next((e for e in report if e.get("name") == "OVERALL_GEOMEAN"), None)
    if not g or not g.get("measurements"):
        return None
    return g["measurements"][0]["time" if metric == "real_time" else "cpu"]


def fmt_p(p):
    if p is None:
        return "-"
    return f"{p:.4f}" if p >= 1e-4 else f"{p:.0e}"


def print_table(rows, alpha, threshold, metric, out=sys.stdout):
    width = max([len("Benchmark")] + [len(r["name"]) for r in rows])
    head = (f"{'Benchmark':<{width}}  {'base':>12}  {'new':>12}  {'new/base':>8}  {'p':>7}  "
            "time  verdict")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['base']:>10.4g}{r['unit']:>2}  {r['new']:>10.4g}{r['unit']:>2}"
              f"  {r['ratio']:>8.3f}  {fmt_p(r['p']):>7}  {r['metric']:<4}  {r['verdict']}", file=out)
    print(f"(median {metric} unless the time column says cpu; SLOWER = U-test p < {alpha} and "
          f"new/base > {1 + threshold / 100:.2f})", file=out)


def markdown(rows, title, alpha, threshold, metric, geomean, regressions):
    lines = [f"### {title}", ""]
    if regressions:
        lines.append(f"**{len(regressions)} regression(s):** "
                     + ", ".join(f"`{r['name']}` ×{r['ratio']:.2f}" for r in regressions))
    else:
        lines.append("No significant slowdown.")
    lines += ["", "| Benchmark | base | new | new/base | p | verdict |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        verdict = f"**{r['verdict']}**" if r["verdict"] == "SLOWER" else r["verdict"]
        lines.append(f"| `{r['name']}` | {r['base']:.4g} {r['unit']} | {r['new']:.4g} {r['unit']}"
                     f" | {r['ratio']:.3f} | {fmt_p(r['p'])} | {verdict} |")
    lines.append("")
    note = (f"Median {metric}. SLOWER: Mann-Whitney U p < {alpha} and new/base > "
            f"{1 + threshold / 100:.2f}.")
    if geomean is not None:
        note += f" Geometric mean change over all repetitions: {geomean:+.1%}."
    lines += [note, ""]
    return "\n".join(lines) + "\n"


def list_results(path, title, summary):
    """Medians of one Google Benchmark run: time per iteration and items/s."""
    result = load_json(path)
    if not isinstance(result, dict) or not isinstance(result.get("benchmarks"), list):
        raise UsageError(f"{path} is not a --benchmark_out_format=json file")
    runs = {}
    for b in result["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration" and "error_occurred" not in b:
            runs.setdefault(b["name"], []).append(b)
    if not runs:
        raise UsageError(f"{path} holds no benchmark run")
    rows = []
    for name, reps in runs.items():
        ips = [r["items_per_second"] for r in reps if "items_per_second" in r]
        rows.append((name, statistics.median(r["real_time"] for r in reps), reps[0]["time_unit"],
                     statistics.median(ips) if ips else None, len(reps)))
    width = max(len("Benchmark"), max(len(r[0]) for r in rows))
    print(f"{'Benchmark':<{width}}  {'median time':>14}  {'items/s':>10}  reps")
    for name, t, unit, ips, n in rows:
        print(f"{name:<{width}}  {t:>12.4g}{unit:>2}  {'-' if ips is None else f'{ips:.4g}':>10}  {n}")
    if summary:
        lines = [f"### {title}", "", "No baseline to compare with: medians of this run.", "",
                 "| Benchmark | median time | items/s | repetitions |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| `{name}` | {t:.4g} {unit} | {'-' if ips is None else f'{ips:.4g}'} | {n} |"
                  for name, t, unit, ips, n in rows]
        with open(summary, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n")
    return EXIT_OK


def main(argv):
    try:
        args = parse_args(argv)
        if args.results:
            return list_results(args.results, args.title, args.summary)
        report = load_dump(args.dump)
        rows = judge(report, args.alpha, args.threshold, args.metric, args.cpu, args.report_only)
    except UsageError as e:
        print(f"bench-gate: {e}", file=sys.stderr)
        return EXIT_USAGE
    if not rows:
        print(f"bench-gate: {args.dump} compares no benchmark (no names in common?)",
              file=sys.stderr)
        return EXIT_USAGE
    regressions = [r for r in rows if r["verdict"] == "SLOWER"]
    print_table(rows, args.alpha, args.threshold, args.metric)
    geomean = geomean_change(report, args.metric)
    if geomean is not None:
        print(f"geometric mean change: {geomean:+.1%}")
    if any(r["p"] is None for r in rows):
        print("bench-gate: warning: some benchmarks have too few repetitions for the U test;"
              " they cannot fail the gate", file=sys.stderr)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(markdown(rows, args.title, args.alpha, args.threshold, args.metric,
                             geomean, regressions))
    if regressions:
        print(f"bench-gate: REGRESSION in {len(regressions)} benchmark(s): "
              + ", ".join(r["name"] for r in regressions))
        return EXIT_REGRESSION
    print(f"bench-gate: no regression in {len(rows)} benchmark(s)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
