#!/usr/bin/env python3
"""Synthetic benchmark histories for the history tests and the trend page's.

    synthetic_history.py STORE.jsonl [--commits N] [--step-at K] [--factor F]

Writes N records (fixed seed) of the families the page draws, each made from a
fake --benchmark_out result through bench/history.py's own make_record: model
lookup and the vector baseline at two sizes, the paired CreateProcess counters,
campaign steps/s at one and two jobs. With --step-at K, BM_Model_HandleLookup/*
is F times slower from commit K on (default: no step).
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import history  # noqa: E402

HOST = {"cpu": "Synthetic CPU", "cores": 2, "os": "Synthetic OS", "wine": "wine-8.0",
        "compiler": "GNU 12.2.0", "build_type": "RelWithDebInfo"}


def fake_commit(i):
    return f"{i:04x}" + "c0ffee" * 6


def bench_run(name, times, cpu_times=None, counters=None):
    out = []
    for k, t in enumerate(times):
        b = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": len(times),
             "repetition_index": k, "threads": 1, "iterations": 1000, "real_time": t,
             "cpu_time": t if cpu_times is None else cpu_times[k], "time_unit": "ns"}
        for c, values in (counters or {}).items():
            b[c] = values[k]
        out.append(b)
    return out


def result(rng, slow=1.0, reps=5):
    def noisy(level, rel):
        return list(level * (1 + rng.normal(0, rel, reps)))

    bs = []
    for n, base in ((16, 1.2), (1024, 1.25)):
        bs += bench_run(f"BM_Model_HandleLookup/{n}", noisy(1.6 * base * slow, 0.03))
        bs += bench_run(f"BM_Baseline_VectorIndex/{n}", noisy(base, 0.03))
    bs += bench_run("BM_Win32_CreateProcess_Paired/Handles/256/iterations:10/manual_time",
                    noisy(9e6, 0.2),
                    counters={"inherit_ns": noisy(256 * 1500, 0.2),
                              "list_saving_ns": noisy(256 * 1200, 0.2)})
    for jobs, pace in ((1, 900), (2, 1500)):
        bs += bench_run(f"BM_Campaign_Steps/jobs:{jobs}/iterations:1/real_time",
                        noisy(2e9, 0.15), counters={"steps_per_s": noisy(pace, 0.15)})
    return {"context": {"num_cpus": 2}, "benchmarks": bs}


def records(commits=20, step_at=None, factor=1.5, seed=7):
    rng = np.random.default_rng(seed)
    out = []
    cpu = history.regex(history.DEFAULT_CPU)
    for i in range(commits):
        slow = factor if step_at is not None and i >= step_at else 1.0
        out.append(history.make_record(
            result(rng, slow), fake_commit(i), f"2026-11-{1 + i // 24:02d}T{i % 24:02d}:00:00Z",
            f"synthetic commit {i}" + (" (planted slowdown)" if i == step_at else ""), HOST, cpu,
            recorded="2026-12-01T00:00:00+00:00"))
    return out


def write(path, recs):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, sort_keys=True) + "\n")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("store_file")
    p.add_argument("--commits", type=int, default=20)
    p.add_argument("--step-at", type=int)
    p.add_argument("--factor", type=float, default=1.5)
    args = p.parse_args(argv)
    write(args.store_file, records(args.commits, args.step_at, args.factor))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
