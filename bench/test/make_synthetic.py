#!/usr/bin/env python3
"""Writes the synthetic Google Benchmark results the gate test compares.

Run once; its outputs are committed beside it. Same seed, same files.
Each file holds three benchmarks x 12 repetitions (plus the mean/median/
stddev/cv aggregates Google Benchmark adds) in --benchmark_out_format=json
form, with about 2% Gaussian noise around a fixed time:
  base.json         the baseline
  unchanged.json    the same times, fresh noise       -> gate exit 0
  slowed-2x.json    BM_Synthetic_Slow takes 2x        -> gate exit 1
  slowed-5pct.json  BM_Synthetic_Slow takes 1.05x: significant, under the
                    10% threshold                      -> gate exit 0
  loaded.json       BM_Synthetic_Slow takes 2x wall time, the same CPU time
                    (a busy machine)                   -> exit 1 on real_time,
                                                          0 with --cpu
"""
import json
import random
import statistics
from pathlib import Path

REPETITIONS = 12
TIMES_NS = {"BM_Synthetic_Fast/16": 12.0, "BM_Synthetic_Slow": 1500.0, "BM_Synthetic_Steady/4096": 80.0}


def runs(name, family, mean_ns, rng, cpu_share=1.0):
    out = []
    for i in range(REPETITIONS):
        t = rng.gauss(mean_ns, 0.02 * mean_ns)
        out.append({"name": name, "family_index": family, "per_family_instance_index": 0,
                    "run_name": name, "run_type": "iteration", "repetitions": REPETITIONS,
                    "repetition_index": i, "threads": 1, "iterations": int(1e9 / mean_ns),
                    "real_time": t, "cpu_time": t * 0.998 * cpu_share, "time_unit": "ns",
                    "items_per_second": 1e9 / t})
    return out


def aggregates(name, family, reps):
    def agg(kind, f, unit="time"):
        real = f([r["real_time"] for r in reps])
        cpu = f([r["cpu_time"] for r in reps])
        return {"name": f"{name}_{kind}", "family_index": family, "per_family_instance_index": 0,
                "run_name": name, "run_type": "aggregate", "repetitions": REPETITIONS,
                "threads": 1, "aggregate_name": kind, "aggregate_unit": unit,
                "iterations": REPETITIONS, "real_time": real, "cpu_time": cpu, "time_unit": "ns",
                "items_per_second": 1e9 / real if unit == "time" and kind != "stddev" else real}
    cv = lambda xs: statistics.stdev(xs) / statistics.mean(xs)
    return [agg("mean", statistics.mean), agg("median", statistics.median),
            agg("stddev", statistics.stdev), agg("cv", cv, "percentage")]


def result(seed, factors, wall_only=()):
    rng = random.Random(seed)
    benchmarks = []
    for family, (name, ns) in enumerate(TIMES_NS.items()):
        factor = factors.get(name, 1.0)
        reps = runs(name, family, ns * factor, rng, 1 / factor if name in wall_only else 1.0)
        benchmarks += reps + aggregates(name, family, reps)
    context = {"date": "2000-01-01T00:00:00+00:00", "host_name": "synthetic",
               "executable": "synthetic", "num_cpus": 2, "mhz_per_cpu": 2400,
               "cpu_scaling_enabled": False, "caches": [], "load_avg": [0, 0, 0],
               "library_build_type": "release"}
    return {"context": context, "benchmarks": benchmarks}


def main():
    here = Path(__file__).resolve().parent
    files = {"base.json": (1, {}), "unchanged.json": (2, {}),
             "slowed-2x.json": (3, {"BM_Synthetic_Slow": 2.0}),
             "slowed-5pct.json": (4, {"BM_Synthetic_Slow": 1.05}),
             "loaded.json": (5, {"BM_Synthetic_Slow": 2.0}, ("BM_Synthetic_Slow",))}
    for file, (seed, *how) in files.items():
        (here / file).write_text(json.dumps(result(seed, *how), indent=1) + "\n")


if __name__ == "__main__":
    main()
