#!/usr/bin/env python3
"""Discovery end to end against Wine (ctest helper).

  divergences.py reproduce CLI HCWINE CXX OUTDIR ARGS...
      runs `CLI check ARGS`; for every divergence: its scenario holds when
      replayed on the real backend, fails on the model of the profile in use
      at the marked line, and its reproducer (built with CXX) exits 1 under
      Wine at the marked step; its Wine-style test (.wine.c, built as C
      against $HC_WINETEST_INCLUDE/wine/test.h) passes under Wine with its
      departure todo_wine and, as Windows (WINETEST_PLATFORM=windows),
      fails there and nowhere else, and for up to 6 steps is at most 60
      lines (one process) or 150 (several). No divergence may be NEW.
  divergences.py wine-test-sizes DIR
      the size limits above for every divergence-*.wine.c in DIR (what
      ./ci/check.sh wrote), its step count read from the .hcs beside it.
  divergences.py wine-test CLI EMIT HCWINE CC WORKDIR SCENARIO
      the scenario's Wine-style test (written by EMIT) passes under Wine,
      todo_wine at exactly the lines where the model's wine profile departs
      from the scenario (the documented expectations), and as Windows fails
      there and nowhere else. A scenario with a marked line (`<-- diverges`,
      a divergence as `check` writes it) is written as `check` writes its
      test and held to the size limits above.
  divergences.py without-quirk CLI OUTDIR QUIRK ARGS...
      `check --profile wine --without-quirk QUIRK` reports QUIRK as known, exit 1.
  divergences.py fixed-quirk CLI OUTDIR QUIRK ARGS...
      `quirks --quirk QUIRK` on a corpus copy whose scenario for QUIRK has no
      expectations (so it holds) says fixed and exits 1.

Exits 0 when the check holds, 1 with a message naming what broke.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys


def fail(message):
    print("divergences: " + message, file=sys.stderr)
    sys.exit(1)


def run(cmd, timeout=3600, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    return p


def wineservers():
    """The wineserver processes running now, as "pid (WINEPREFIX)"."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if not f.read().startswith("wineserver"):
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
        except OSError:
            continue
        found.append(f"{pid} ({env.get(b'WINEPREFIX', b'?').decode(errors='replace')})")
    return found


def run_under_wine(hcwine, exe, args=(), env=None):
    """`hcwine run EXE ARGS`: its exit status, the program's stdout, and the
    stderr of hc-wine, Wine (its err: lines) and the program (kept apart, in
    EXE.out and EXE.err beside the exe)."""
    out, err = exe + ".out", exe + ".err"
    env = dict(env or os.environ, HANDLECHECK_WINEDEBUG="-all,err+all")
    with open(out, "w") as o, open(err, "w") as e:
        rc = subprocess.run([hcwine, "run", exe, *args], stdout=o, stderr=e, timeout=240,
                            env=env).returncode
    return rc, open(out).read(), open(err).read()


def under_wine(exe, rc, found, stdout, stderr):
    """A failure message for a run under Wine: the exit status (a signal by
    name), what the check found, the wineservers running after it and both
    streams."""
    status = f"killed by signal {signal.Signals(-rc).name}" if rc < 0 else f"exited {rc}"
    servers = ", ".join(wineservers()) or "none"
    return (f"{exe} {status} under Wine; {found}; wineservers now: {servers}\n"
            f"--- stdout{' (empty)' if not stdout else ''}\n{stdout}"
            f"--- stderr of hc-wine, Wine and the program{' (empty)' if not stderr else ''}\n"
            f"{stderr}")


def check(cli, outdir, args):
    """The JSON report of `cli check`; its progress and messages go to our
    stderr as they come, so a test stopped by ctest's timeout still shows
    how far the campaign got."""
    p = subprocess.run([cli, "check", *args, "--format", "json", "--out", outdir],
                       stdout=subprocess.PIPE, stderr=None, text=True, timeout=3600)
    if p.returncode not in (0, 1):
        fail(f"check exited {p.returncode}")
    return json.loads(p.stdout)


def not_cut_short(doc):
    """Where a shrink that --shrink-time cuts short stops depends on the
    machine's speed: a test that checks divergences must not check those."""
    cut = [d["scenario_file"] for d in doc["divergences"] if d["shrink_cut_short"]]
    if cut:
        fail("shrinking was cut short (raise --shrink-time: what the test checks would "
             "depend on the machine's speed): " + ", ".join(cut))


def marked_line(path):
    for number, line in enumerate(open(path), 1):
        if "<-- diverges" in line:
            return number
    fail("no marked line in " + path)


def reproduce(cli, hcwine, cxx, outdir, args):
    doc = check(cli, outdir, args)
    not_cut_short(doc)
    if doc["new"]:
        fail(f"{doc['new']} NEW divergence(s): " +
             "; ".join(d["description"] for d in doc["divergences"] if d["quirk"] is None))
    for d in doc["divergences"]:
        hcs, name = d["scenario_file"], os.path.basename(d["scenario_file"])
        backend = doc["backend"]
        p = run([cli, "replay", hcs, "--backend", backend])
        if p.returncode != 0:
            fail(f"{name} does not hold on {backend} (exit {p.returncode}):\n{p.stdout}{p.stderr}")
        profile = ["--quirks", ",".join(d["model_quirks"])] if d["model_quirks"] else ["--profile", "windows"]
        p = run([cli, "replay", hcs, "--backend", "model", *profile, "--format", "json"])
        if p.returncode != 1:
            fail(f"{name} does not fail on the model {profile} (exit {p.returncode})")
        steps = json.loads(p.stdout)["files"][0]["steps"]
        first = next(s["line"] for s in steps if not s["passed"])
        if first != marked_line(hcs):
            fail(f"{name} fails on the model at line {first}, marked {marked_line(hcs)}")
        exe = os.path.splitext(d["reproducer_file"])[0] + ".exe"
        p = run([cxx, "-static", "-O1", "-o", exe, d["reproducer_file"]])
        if p.returncode != 0:
            fail(f"MinGW build of {d['reproducer_file']} failed:\n{p.stderr}")
        rc, text, errors = run_under_wine(hcwine, exe)
        if rc != 1:
            fail(under_wine(exe, rc, "expected exit 1", text, errors))
        departed = re.findall(r"^line (\d+): .*expected", text, re.M)
        if [int(n) for n in departed][:1] != [d["marked_step"]]:
            fail(under_wine(exe, rc, f"departs at lines {departed}, marked step "
                            f"{d['marked_step']}", text, errors))
        if not d["wine_test_file"]:
            fail(f"{name} has no Wine-style test")
        # todo_wine at every step the model departs from what Wine did: the
        # marked one, and any later one a follow-on shows on (a count).
        wine_test(cxx.replace("g++", "gcc"), hcwine, d["wine_test_file"],
                  {n for n, s in enumerate(steps, 1) if not s["passed"]})
        check_size(d["wine_test_file"], len(steps))
        print(f"divergences: {name}: holds on {backend}, fails on the model at line "
              f"{first}, reproducer exits 1 at step {d['marked_step']}")
    print(f"divergences: {len(doc['divergences'])} divergence(s) reproduce three ways")


def check_size(source, steps):
    """A Wine reviewer's size for a divergence of up to 6 steps: at most 60
    lines in one process, 150 when it starts children. Returns the count."""
    text = open(source).read()
    lines = text.count("\n")
    several = "start_child(" in text
    limit = 150 if several else 60
    if steps <= 6 and lines > limit:
        fail(f"{source}: {lines} lines for {steps} step(s) in "
             f"{'several processes' if several else 'one process'}, over {limit}")
    return lines


def wine_test_sizes(directory):
    found = sorted(f for f in os.listdir(directory) if f.endswith(".wine.c"))
    if not found:
        fail(f"no .wine.c in {directory}")
    for name in found:
        hcs = os.path.join(directory, name[:-len(".wine.c")] + ".hcs")
        steps = sum(1 for l in open(hcs) if l.strip() and not l.lstrip().startswith("#"))
        lines = check_size(os.path.join(directory, name), steps)
        print(f"divergences: {name}: {lines} lines, {steps} step(s)")
    print(f"divergences: {len(found)} Wine-style test(s) within the size limits")


def step_of_line(source):
    """The scenario line each line of a generated Wine-style test belongs to
    (the `/* line N: ...` comment that opens each step)."""
    steps, current = {}, 0
    for number, text in enumerate(open(source), 1):
        m = re.match(r"\s*/\* line (\d+)[:,]", text)
        if m:
            current = int(m.group(1))
        steps[number] = current
    return steps


def build_with_real_header(cc, flags, wine, source, name, exe):
    """As Wine's makedep builds a test: the test compiled without STANDALONE,
    a generated testlist.c (STANDALONE, the START_TEST entries) that brings
    test.h's main(), and winecrt0's debug.c for the wine_dbgstr_* the header
    uses; against Wine's include/wine and MinGW-w64's Windows headers.
    winecrt0 wants three of Wine's own winnt.h macros, which MinGW's lacks."""
    work = os.path.dirname(exe)
    testlist = os.path.join(work, "testlist.c")
    with open(testlist, "w") as t:
        t.write("/* Automatically generated file; DO NOT EDIT!! */\n\n"
                "#define WIN32_LEAN_AND_MEAN\n#include <windows.h>\n\n"
                "#define STANDALONE\n#include \"wine/test.h\"\n\n"
                f"extern void func_{name}(void);\n\n"
                "const struct test winetest_testlist[] =\n{\n"
                f"    {{ \"{name}\", func_{name} }},\n    {{ 0, 0 }}\n}};\n")
    include = ["-I", os.path.join(wine, "include")]
    crt = ["-D__WINE_PE_BUILD", "-D__WINE_ALLOC_SIZE(...)=", "-D__WINE_MALLOC=",
           "-DARRAY_SIZE(x)=(sizeof(x)/sizeof((x)[0]))"]
    steps = [[cc, *flags, *include, "-c", source, "-o", exe + ".o"],
             [cc, "-O2", "-D__WINESRC__", *include, "-c", testlist, "-o", testlist + ".o"],
             [cc, "-O2", "-D__WINESRC__", *crt, *include, "-c",
              os.path.join(wine, "dlls", "winecrt0", "debug.c"), "-o", exe + ".crt.o"],
             [cc, "-static", "-o", exe, exe + ".o", testlist + ".o", exe + ".crt.o"]]
    for cmd in steps:
        p = run(cmd)
        if p.returncode != 0:
            fail(f"{' '.join(cmd)} failed:\n{p.stderr}")


def wine_test(cc, hcwine, source, marked, include=None):
    """The Wine-style test builds as C warning-free with Wine's -D__WINESRC__
    against wine/test.h under `include` (default $HC_WINETEST_INCLUDE), and,
    run the way Wine runs a test (`EXE TEST`): under Wine it passes, its
    departures marked todo at the marked steps; with WINETEST_PLATFORM=windows
    (Windows' verdict) it fails at the marked steps' assertions and nowhere
    else."""
    exe = source[:-len(".c")] + ".exe"
    name = re.search(r"^START_TEST\((\w+)\)", open(source).read(), re.M).group(1)
    flags = ["-O2", "-Wall", "-Wextra", "-Werror", "-D__WINESRC__"]
    wine = os.environ.get("HC_WINE_SOURCE")
    if wine:
        build_with_real_header(cc, flags, wine, source, name, exe)
    else:
        p = run([cc, "-static", *flags, "-I", include or os.environ["HC_WINETEST_INCLUDE"], "-o", exe,
                 source])
        if p.returncode != 0:
            fail(f"MinGW build of {source} failed:\n{p.stderr}")
    print(f"divergences: {os.path.basename(source)} built against "
          + (f"Wine's real include/wine/test.h ({wine})" if wine else "the stand-in wine/test.h"))
    steps = step_of_line(source)
    for platform in ("wine", "windows"):
        env = dict(os.environ)
        if platform == "windows":
            env["WINETEST_PLATFORM"] = "windows"
        else:
            env.pop("WINETEST_PLATFORM", None)
        rc, text, errors = run_under_wine(hcwine, exe, [name], env)
        for stream in ("out", "err"):
            os.replace(f"{exe}.{stream}", f"{exe}.{platform}.{stream}")
        base = re.escape(os.path.basename(source))
        failed = {steps[int(n)] for n in re.findall(base + r":(\d+): Test (?:failed|succeeded inside todo)", text)}
        todo = {steps[int(n)] for n in re.findall(base + r":(\d+): Test marked todo", text)}
        if platform == "wine" and (rc != 0 or failed or todo != set(marked)):
            fail(under_wine(exe, rc, f"failures at steps {sorted(failed)}, todo at "
                            f"{sorted(todo)}, marked {sorted(marked)}", text, errors))
        if platform == "windows" and (rc == 0 or failed != set(marked)):
            fail(under_wine(exe, rc, f"with WINETEST_PLATFORM=windows, failures at steps "
                            f"{sorted(failed)}, marked {sorted(marked)}", text, errors))


def corpus_wine_test(cli, emit, hcwine, cc, workdir, scenario):
    """A scenario's Wine-style test departs where the wine profile does; both
    flavours number a step by its line in the file (reproLine, Reproducer.h)."""
    os.makedirs(workdir, exist_ok=True)
    source = os.path.join(workdir, os.path.basename(scenario)[:-len(".hcs")] + ".wine.c")
    p = run([emit, scenario, source])
    if p.returncode != 0:
        fail(f"{emit} {scenario} failed:\n{p.stderr}")
    p = run([cli, "replay", scenario, "--backend", "model", "--profile", "wine", "--format", "json"])
    steps = json.loads(p.stdout)["files"][0]["steps"]
    marked = {s["line"] for s in steps if not s["passed"]}
    if not marked:
        fail(f"{scenario} holds on the wine profile: nothing to depart")
    wine_test(cc, hcwine, source, marked)
    if any("<-- diverges" in line for line in open(scenario)):
        steps = len(json.loads(p.stdout)["files"][0]["steps"])
        lines = check_size(source, steps)
        print(f"divergences: {os.path.basename(source)}: {lines} lines for {steps} step(s), "
              "within the size limits")
    print(f"divergences: {source} passes under Wine (todo_wine at lines {sorted(marked)}) and "
          f"fails there and nowhere else as Windows")


def without_quirk(cli, outdir, quirk, args):
    doc = check(cli, outdir, ["--profile", "wine", "--without-quirk", quirk, *args])
    quirks = [d["quirk"] for d in doc["divergences"]]
    if quirks != [quirk]:
        fail(f"expected exactly the known quirk {quirk}, got {quirks}: " +
             "; ".join(d["description"] for d in doc["divergences"]))
    print(f"divergences: {quirk} reported as a known quirk")


def fixed_quirk(cli, outdir, quirk, args):
    corpus = os.path.join(outdir, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(os.environ["HC_CORPUS_DIR"], corpus)
    p = run([cli, "quirks", "--format", "json", *args])  # find the quirk's file
    path = os.path.join(corpus, next(q["scenario"] for q in json.loads(p.stdout)["quirks"]
                                     if q["quirk"] == quirk).split("/")[-1])
    lines = [re.sub(r"\s*=>.*$", "", l) if not l.lstrip().startswith("#") else l
             for l in open(path).read().splitlines()]
    open(path, "w").write("\n".join(lines) + "\n")
    p = run([cli, "quirks", "--corpus", corpus, "--quirk", quirk, *args])
    print(p.stdout + p.stderr)
    if p.returncode != 1 or not p.stdout.startswith("fixed"):
        fail(f"quirks exited {p.returncode} for a scenario that holds; expected `fixed`, exit 1")


def main():
    sys.stdout.reconfigure(line_buffering=True)  # each line in the log as it happens
    mode, cli = sys.argv[1], sys.argv[2]
    if mode == "reproduce":
        hcwine, cxx, outdir, *args = sys.argv[3:]
        reproduce(cli, hcwine, cxx, outdir, args)
    elif mode == "wine-test":
        emit, hcwine, cc, workdir, scenario = sys.argv[3:]
        corpus_wine_test(cli, emit, hcwine, cc, workdir, scenario)
    elif mode == "wine-test-sizes":
        wine_test_sizes(cli)
    elif mode == "without-quirk":
        outdir, quirk, *args = sys.argv[3:]
        without_quirk(cli, outdir, quirk, args)
    elif mode == "fixed-quirk":
        outdir, quirk, *args = sys.argv[3:]
        fixed_quirk(cli, outdir, quirk, args)
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
