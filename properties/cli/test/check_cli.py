#!/usr/bin/env python3
"""End-to-end checks of `handlecheck check` (ctest helper).

  check_cli.py json CLI OUTDIR ARGS...       exit 1, JSON schema, files, report
  check_cli.py same-seed CLI OUTDIR ARGS...  two runs, same divergences and scenarios
  check_cli.py interrupt CLI AGENT ARGS...   SIGINT mid-run: exit 130, summary, no agent left

Exits 0 when the check holds, 1 with a message naming what broke.
$HC_LAUNCHER, when set, runs CLI (the mingw build's Wine runner).
"""
import json
import os
import signal
import subprocess
import sys
import time


def fail(message):
    print("check_cli: " + message, file=sys.stderr)
    sys.exit(1)


def command(cli, args):
    launcher = os.environ.get("HC_LAUNCHER")
    return ([launcher] if launcher else []) + [cli, "check", *args]


def run(cli, args, timeout=600):
    p = subprocess.run(command(cli, args), capture_output=True, text=True, timeout=timeout)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def check_json(cli, outdir, args):
    report = os.path.join(outdir, "report.md")
    p = run(cli, [*args, "--format", "json", "--out", outdir, "--report", report])
    if p.returncode != 1:
        fail(f"exit {p.returncode}, expected 1 (divergences found)")
    doc = json.loads(p.stdout)
    schema = {"schema": str, "backend": str, "profile": str, "seed": int, "sequences": int,
              "passed": int, "steps": int, "interrupted": bool, "coverage": dict,
              "new": int, "divergences": list, "quirks": list}
    for key, kind in schema.items():
        if not isinstance(doc.get(key), kind):
            fail(f"JSON member {key!r} missing or not {kind.__name__}")
    if doc["schema"] != "handlecheck-check/3":
        fail("schema is " + doc["schema"])
    if doc["backend_failure"] is not None:
        fail("backend_failure: " + str(doc["backend_failure"]))
    if not doc["divergences"]:
        fail("no divergence listed although the exit status says so")
    signatures = set()
    for d in doc["divergences"]:
        for key in ("signature", "description", "spec", "scenario", "scenario_file",
                    "reproducer_file", "tables"):
            if not isinstance(d.get(key), str) or not d[key]:
                fail(f"divergence member {key!r} missing or empty")
        if not d["spec"].startswith("SPEC ") or d["spec"] not in d["description"]:
            fail("description does not cite its SPEC rule: " + d["description"])
        if d["quirk"] is not None and not d["description"].startswith("known quirk " + d["quirk"]):
            fail("a known quirk's description does not name it: " + d["description"])
        if d["reproduced"] != d["replays"]:
            fail(f"flaky: reproduced {d['reproduced']}/{d['replays']}: " + d["description"])
        if d["signature"] in signatures:
            fail("signature listed twice: " + d["signature"])
        signatures.add(d["signature"])
        for f in (d["scenario_file"], d["reproducer_file"]):
            if not os.path.isfile(f):
                fail("missing file " + f)
        if "<-- diverges" not in open(d["scenario_file"]).read():
            fail("the scenario does not mark the diverging line: " + d["scenario_file"])
        if "#include <windows.h>" not in open(d["reproducer_file"]).read():
            fail("the reproducer is not a Win32 program: " + d["reproducer_file"])
        if "model" not in d["tables"] or "real" not in d["tables"]:
            fail("no side-by-side tables")
    md = open(report).read()
    for d in doc["divergences"]:
        if (d["quirk"] or d["signature"]) not in md:
            fail("report.md lacks " + (d["quirk"] or d["signature"]))
    print(f"check_cli: {len(signatures)} divergence(s), JSON and files as documented")


def same_seed(cli, outdir, args):
    runs = []
    for i in (1, 2):
        p = run(cli, [*args, "--format", "json", "--out", os.path.join(outdir, str(i))])
        if p.returncode not in (0, 1):
            fail(f"run {i}: exit {p.returncode}")
        doc = json.loads(p.stdout)
        runs.append([(d["signature"], d["scenario"]) for d in doc["divergences"]])
    if runs[0] != runs[1]:
        fail(f"same seed, different divergences:\n{runs[0]}\n---\n{runs[1]}")
    print(f"check_cli: same seed, same {len(runs[0])} divergence(s) and shrunk scenarios")


def agents_left(agent):
    winpath = "Z:" + agent.replace("/", "\\")
    out = subprocess.run(["ps", "-eo", "pid=,stat=,args="], capture_output=True, text=True).stdout
    return [l for l in out.splitlines()
            if (agent in l or winpath in l) and l.split()[1][0] != "Z" and "check_cli.py" not in l]


def interrupt(cli, agent, args):
    p = subprocess.Popen(command(cli, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    time.sleep(6)
    if p.poll() is not None:
        fail("the campaign ended before the interrupt; give it more --tests")
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()  # the test must not leave it behind either
        out, err = p.communicate()
        sys.stdout.write(out)
        sys.stderr.write(err)
        fail("the campaign did not end within 120 s of Ctrl-C")
    sys.stdout.write(out)
    sys.stderr.write(err)
    if p.returncode != 130:
        fail(f"exit {p.returncode} after Ctrl-C, expected 130")
    if "interrupted" not in out or "sequences" not in out:
        fail("no summary after Ctrl-C")
    for _ in range(50):
        if not agents_left(agent):
            break
        time.sleep(0.1)
    left = agents_left(agent)
    if left:
        fail("processes left behind:\n" + "\n".join(left))
    print("check_cli: Ctrl-C stopped the campaign, printed the summary, left no process")


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    mode, cli = sys.argv[1], sys.argv[2]
    if mode == "json":
        check_json(cli, sys.argv[3], sys.argv[4:])
    elif mode == "same-seed":
        same_seed(cli, sys.argv[3], sys.argv[4:])
    elif mode == "interrupt":
        interrupt(cli, sys.argv[3], sys.argv[4:])
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
