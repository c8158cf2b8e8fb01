#!/usr/bin/env python3
"""Where a build's time went, from ninja's log: ci/ninja-cost.py BUILD_DIR [N]

Reads BUILD_DIR/.ninja_log (and the Win32 side's build/win32/, build/hostile/
when there) and prints the sum of the steps' durations, the N costliest
targets (all of a target's compiles and its link) and the N costliest steps.
A duration is wall time: on a busy machine it says where the time went, not
how much CPU each step needed (measure that with `/usr/bin/time` around the
whole build).
"""
import collections
import pathlib
import sys


def steps(log):
    """The last run of each step: {hash: (start_ms, end_ms, first output)}."""
    rows = {}
    for line in log.read_text().splitlines():
        if line.startswith("#"):
            continue
        start, end, _mtime, output, command_hash = line.split("\t")
        # One step with several outputs has one line per output.
        if command_hash not in rows:
            rows[command_hash] = (int(start), int(end), output)
        else:
            rows[command_hash] = (int(start), int(end), rows[command_hash][2])
    return rows


def target_of(output):
    if ".dir/" in output:
        return output.split("/CMakeFiles/")[-1].split(".dir/")[0]
    return "link or other: " + output.rsplit("/", 1)[-1]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    build = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 20
    for log in [build / ".ninja_log", build / "win32/.ninja_log", build / "hostile/.ninja_log"]:
        if not log.is_file():
            continue
        rows = steps(log).values()
        total = sum(end - start for start, end, _ in rows)
        span = max(end for _, end, _ in rows) - min(start for start, _, _ in rows)
        print(f"{log}: {len(rows)} steps, {total / 1000:.1f} s summed, {span / 1000:.1f} s from first to last")
        by_target = collections.Counter()
        for start, end, output in rows:
            by_target[target_of(output)] += end - start
        print("  costliest targets:")
        for target, ms in by_target.most_common(n):
            print(f"  {ms / 1000:8.1f} s  {target}")
        print("  costliest steps:")
        for start, end, output in sorted(rows, key=lambda r: r[0] - r[1])[:n]:
            print(f"  {(end - start) / 1000:8.1f} s  {output}")


if __name__ == "__main__":
    main()
