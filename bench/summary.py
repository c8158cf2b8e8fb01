#!/usr/bin/env python3
"""The benchmark figures, from one handlecheck-bench JSON result.

    bench/summary.py build/bench/result.json

Prints, from the medians over repetitions of each benchmark (real time, i.e.
manual time for the Win32 families):
  - model handle lookup against the std::vector baseline (CPU time), ratio per size, and
    how flat each is (largest / smallest size);
  - the cost of one model step per call;
  - Win32 GetHandleInformation and DuplicateHandle+CloseHandle per size;
  - CreateProcess per mode and N, the cost per inherited handle (least-squares
    slope of InheritAll over N, with its standard error; and of InheritAll -
    NoInherit), and the handle list's saving (InheritAll - HandleList);
  - harness overhead (one random step through the full harness against a raw
    agent round trip), when that family ran.
Exit 0, or 2 when the file is unreadable. Families absent from the run are
skipped, so a --filter run still summarises what it holds.
"""
import json
import re
import statistics
import sys

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"summary: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    runs, counters = {}, {}
    for b in result.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        runs.setdefault(b["run_name"], []).append(b["real_time"] * UNIT_NS[b["time_unit"]])
        counters.setdefault((b["run_name"], "cpu_time"), []).append(
            b["cpu_time"] * UNIT_NS[b["time_unit"]])
        for c in ("step", "real_ns", "overhead_ns", "min_ns", "inherit_ns", "list_saving_ns"):
            if c in b:
                counters.setdefault((b["run_name"], c), []).append(b[c])
    return runs, counters


def family(runs, pattern):
    """{int argument: [ns per repetition]} for run names matching pattern's one group."""
    out = {}
    for name, times in runs.items():
        m = re.fullmatch(pattern, name)
        if m:
            out[int(m.group(1))] = times
    return dict(sorted(out.items()))


def med(xs):
    return statistics.median(xs)


def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if abs(ns) >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def slope(points):
    """Least-squares slope of (x, y) points and its standard error."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    a = my - b * mx
    if n <= 2:
        return b, float("nan")
    resid = sum((y - a - b * x) ** 2 for x, y in points)
    return b, (resid / (n - 2) / sxx) ** 0.5


def model_lookup(counters):
    # CPU time, as the gate judges these: on a shared machine wall time also
    # counts the other processes.
    cpu = {name: t for (name, c), t in counters.items() if c == "cpu_time"}
    model = family(cpu, r"BM_Model_HandleLookup/(\d+)")
    base = family(cpu, r"BM_Baseline_VectorIndex/(\d+)")
    sizes = [n for n in model if n in base]
    if not sizes:
        return
    print("Model handle lookup vs std::vector index (median CPU time per lookup, same run)")
    print(f"  {'N':>6}  {'model':>9}  {'vector':>9}  ratio")
    ratios = []
    for n in sizes:
        r = med(model[n]) / med(base[n])
        ratios.append(r)
        print(f"  {n:>6}  {fmt_ns(med(model[n])):>9}  {fmt_ns(med(base[n])):>9}  {r:.2f}x"
              + ("" if r <= 1.5 else "  (> 1.5x target)"))
    m = [med(model[n]) for n in sizes]
    print(f"  flatness: model largest/smallest N {m[-1] / m[0]:.2f}x, "
          f"ratio {min(ratios):.2f}x..{max(ratios):.2f}x")


def model_step(counters):
    # BM_Model_Step's `step` counter: seconds per model step.
    steps = {name.split("/", 1)[1]: [t * 1e9 for t in times]
             for (name, c), times in counters.items()
             if c == "step" and name.startswith("BM_Model_Step/")}
    if not steps:
        return
    floor = med(steps["Nothing"]) if "Nothing" in steps else None
    print("Model step (median per call" + (", and net of the Nothing floor)" if floor else ")"))
    for op, times in steps.items():
        net = f"  net {fmt_ns(med(times) - floor)}" if floor is not None and op != "Nothing" else ""
        print(f"  {op:<22} {fmt_ns(med(times)):>9}{net}")


def win32_lookup(runs, counters):
    for call in ("GetHandleInformation", "DuplicateClose"):
        f = family(runs, rf"BM_Win32_{call}/Handles/(\d+)/iterations:\d+/manual_time")
        if not f:
            continue
        per = {n: med(t) for n, t in f.items()}
        sizes = list(per)
        print(f"Win32 {call} (median per call, timed in the probe)")
        print("  " + "  ".join(f"N={n}: {fmt_ns(per[n])}" for n in sizes))
        print(f"  flatness: N={sizes[-1]} / N={sizes[0]} = {per[sizes[-1]] / per[sizes[0]]:.2f}x")
        names = {int(re.search(r"/Handles/(\d+)/", n).group(1)): n for n in runs
                 if n.startswith(f"BM_Win32_{call}/")}
        fastest = {n: min(counters.get((names[n], "min_ns"), [float("nan")])) for n in sizes}
        if all(v == v for v in fastest.values()):  # no NaN: every size has the counter
            print("  fastest sample: " + "  ".join(f"N={n}: {fmt_ns(fastest[n])}" for n in sizes)
                  + f"  (N={sizes[-1]} / N={sizes[0]} = {fastest[sizes[-1]] / fastest[sizes[0]]:.2f}x)")


def create_process(runs, counters):
    pattern = r"BM_Win32_CreateProcess_{}/Handles/(\d+)/iterations:\d+/manual_time"
    modes = {m: family(runs, pattern.format(m)) for m in ("NoInherit", "InheritAll", "HandleList")}
    if not any(modes.values()):
        return
    # The fastest child per repetition (counter min_ns): what a spawn costs
    # when the machine's load does not get in the way.
    fastest = {m: {} for m in modes}
    for (name, c), values in counters.items():
        for m in modes:
            hit = c == "min_ns" and re.fullmatch(pattern.format(m), name)
            if hit:
                fastest[m][int(hit.group(1))] = values
    sizes = sorted({n for f in modes.values() for n in f})
    for title, data in (("median of the repetitions' means", modes),
                        ("median of the repetitions' fastest child", fastest)):
        if not any(data.values()):
            continue
        print(f"CreateProcess + wait for exit ({title})")
        print(f"  {'N':>5}  " + "  ".join(f"{m:>10}" for m in data) + "  list saving")
        for n in sizes:
            cells = [fmt_ns(med(data[m][n])) if n in data[m] else "-" for m in data]
            saving = ""
            if n in data["InheritAll"] and n in data["HandleList"]:
                a, l = med(data["InheritAll"][n]), med(data["HandleList"][n])
                saving = f"{fmt_ns(a - l)} ({(a - l) / a:+.1%})"
            print(f"  {n:>5}  " + "  ".join(f"{c:>10}" for c in cells) + f"  {saving}")
        inherit, none = data["InheritAll"], data["NoInherit"]
        if len(inherit) >= 2:
            b, se = slope([(n, t) for n, ts in inherit.items() for t in ts])
            print(f"  per inherited handle (least-squares slope of InheritAll over N, "
                  f"every repetition): {fmt_ns(b)} +- {fmt_ns(se)}")
            common = [n for n in inherit if n in none]
            if len(common) >= 2:
                b2, _ = slope([(n, med(inherit[n]) - med(none[n])) for n in common])
                print(f"  per inherited handle net of NoInherit (slope of the median difference): "
                      f"{fmt_ns(b2)}")


def create_process_paired(counters):
    pattern = r"BM_Win32_CreateProcess_Paired/Handles/(\d+)/iterations:\d+/manual_time"
    paired = {}
    for (name, c), values in counters.items():
        m = re.fullmatch(pattern, name)
        if m and c in ("inherit_ns", "list_saving_ns"):
            paired.setdefault(int(m.group(1)), {})[c] = values
    if not paired:
        return
    print("CreateProcess, paired (NoInherit, InheritAll, HandleList back to back; median of the"
          " per-iteration differences, median over repetitions)")
    for n in sorted(paired):
        d = paired[n]
        print(f"  N={n:<5} inheriting all costs {fmt_ns(med(d['inherit_ns'])):>9}"
              f" ({fmt_ns(med(d['inherit_ns']) / n)} per handle);"
              f" the handle list saves {fmt_ns(med(d['list_saving_ns']))}")
    points = [(n, v) for n, d in paired.items() for v in d["inherit_ns"]]
    if len({n for n, _ in points}) >= 2:
        b, se = slope(points)
        print(f"  per inherited handle (least-squares slope of the paired cost over N, every "
              f"repetition): {fmt_ns(b)} +- {fmt_ns(se)}")


def harness(runs, counters):
    raw = [(n, t) for n, t in runs.items() if n.startswith("BM_Harness_RawPing")]
    step = [(n, t) for n, t in runs.items() if n.startswith("BM_Harness_RandomStep")]
    if not raw or not step:
        return
    ping, total = med(raw[0][1]), med(step[0][1])
    print("Harness overhead (median)")
    print(f"  raw agent round trip (Ping) {fmt_ns(ping)}; one random step {fmt_ns(total)}"
          f" = {total / ping:.2f}x Ping")
    real = counters.get((step[0][0], "real_ns"))
    over = counters.get((step[0][0], "overhead_ns"))
    if real and over:
        r, o = med(real), med(over)
        verdict = "within" if o <= ping else "OVER"
        print(f"  of which the real backend (round trip + Win32 call) {fmt_ns(r)}, the harness on"
              f" the host {fmt_ns(o)} = {o / ping:.2f}x Ping ({verdict} the target: step <= "
              f"2 round trips + the call, i.e. harness <= 1 Ping)")


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    runs, counters = load(argv[1])
    model_lookup(counters)
    model_step(counters)
    win32_lookup(runs, counters)
    create_process(runs, counters)
    create_process_paired(counters)
    harness(runs, counters)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
