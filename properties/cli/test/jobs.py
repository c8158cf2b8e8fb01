#!/usr/bin/env python3
"""`handlecheck check --jobs`: the same report for any number of jobs, and
Ctrl-C stops every worker with no process left.

  jobs.py same-report HANDLECHECK WORKDIR [check options...]   (it must find divergences)
  jobs.py same-report-any HANDLECHECK WORKDIR [check options...]
  jobs.py ctrl-c HANDLECHECK WORKDIR
  jobs.py lanes HANDLECHECK WORKDIR   (each worker's Wine tree on one CPU, in that CPU's prefix copy)
  jobs.py no-lane HANDLECHECK WORKDIR (no lane to be had: a warning, and the prefix itself)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from wine_crash import copy_prefix


def report(exe, out, jobs, options):
    """The JSON report of one campaign, without what names its --out or time."""
    run = subprocess.run([exe, "check", "--format", "json", "--out", out, "--jobs", str(jobs)] + options,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=1500)
    data = json.loads(run.stdout)

    def scrub(node):
        if isinstance(node, dict):
            return {k: scrub(v) for k, v in node.items()
                    if not k.endswith("_file") and "time" not in k and "seconds" not in k}
        if isinstance(node, list):
            return [scrub(v) for v in node]
        if isinstance(node, str):
            return node.replace(out, "OUT")
        return node

    return run.returncode, scrub(data), run.stderr


def same_report(exe, work, options, need_divergence=True):
    one = report(exe, os.path.join(work, "jobs1"), 1, options)
    two = report(exe, os.path.join(work, "jobs2"), 2, options)
    if need_divergence and not one[1].get("divergences"):
        sys.exit("the campaign found no divergence: pick one that does")
    # Where a shrink that --shrink-time cuts short stops depends on the
    # machine's speed, so two such reports need not agree: raise it.
    for jobs, run in ((1, one), (2, two)):
        cut = [d["signature"] for d in run[1].get("divergences", []) if d.get("shrink_cut_short")]
        if cut:
            sys.exit("--jobs %d: shrinking was cut short for %s (raise --shrink-time)"
                     % (jobs, cut))
    a = json.dumps(one[1], indent=1, sort_keys=True).splitlines()
    b = json.dumps(two[1], indent=1, sort_keys=True).splitlines()
    if one[0] != two[0] or a != b:
        import difflib
        print("\n".join(difflib.unified_diff(a, b, "--jobs 1", "--jobs 2", lineterm="")))
        for jobs, run in ((1, one), (2, two)):
            print("--- stderr of --jobs %d (last 3000 characters):\n%s" % (jobs, run[2][-3000:]))
        sys.exit("--jobs 1 (exit %d) and --jobs 2 (exit %d) reports differ" % (one[0], two[0]))
    print("same report for --jobs 1 and --jobs 2 (exit %d, %d divergences)" % (one[0], len(one[1].get("divergences", []))))


def living(token):
    """Live processes whose command line mentions token."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if token in cmd and state != "Z":
            found.append(pid + ": " + cmd)
    return found


def agent_role(cmd):
    """'hub', 'root' or None for a process's command line."""
    if "hc-agent.exe" not in cmd:
        return None
    args = cmd.split()
    if "--hub" in args:
        return "hub"
    return "root" if "--agent" in args else None


def both_workers_up(processes):
    """Two hubs and at least two agents: both workers' Wine trees run (a slow
    machine may take a while to start them, and the count of all processes
    alone can be reached by a Wine launcher still on its way)."""
    roles = [agent_role(entry.split(": ", 1)[1]) for entry in processes]
    return roles.count("hub") >= 2 and roles.count("root") >= 2


def start_two_workers(exe, work, token):
    """A long --jobs 2 campaign from a private copy (handlecheck and the agent
    beside it: its directory name marks this run's processes, even while
    other runs use Wine), once both workers' hubs and roots run."""
    private = os.path.join(work, token, "bin")
    shutil.rmtree(os.path.join(work, token), ignore_errors=True)
    os.makedirs(private)
    bindir = os.path.dirname(os.path.abspath(exe))
    for name in ("handlecheck", "hc-agent.exe", "hc-agent-gui.exe"):
        shutil.copy2(os.path.join(bindir, name), private)
    env = dict(os.environ, HANDLECHECK_WINEPREFIX=os.path.join(bindir, "..", "wineprefix"))
    child = subprocess.Popen([os.path.join(private, "handlecheck"), "check", "--backend", "wine", "--profile",
                              "wine", "--seed", "3", "--tests", "400", "--jobs", "2", "--out",
                              os.path.join(work, token, "out")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 300
    seen = living(token)
    while not both_workers_up(seen) and time.time() < deadline and child.poll() is None:
        time.sleep(0.1)
        seen = living(token)
    if not both_workers_up(seen):
        ended = child.poll()
        if ended is None:
            child.kill()
        child.wait()
        sys.exit("the two workers did not start: %s; handlecheck %s, its stderr:\n%s" %
                 (seen, "still waiting after 300 s" if ended is None else "exited %d" % ended,
                  child.stderr.read().decode(errors="replace")[-2000:]))
    return child


def stop(child, token, work):
    """Ctrl-C; the exit status, and the processes of the run still there."""
    child.send_signal(signal.SIGINT)
    try:
        status = child.wait(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        sys.exit("handlecheck did not stop within 60 s of Ctrl-C")
    deadline = time.time() + 5
    while living(token) and time.time() < deadline:
        time.sleep(0.05)
    left = living(token)
    shutil.rmtree(os.path.join(work, token), ignore_errors=True)
    return status, left


def ctrl_c(exe, work):
    token = "hc-jobs-%d" % os.getpid()
    child = start_two_workers(exe, work, token)
    time.sleep(2)
    status, left = stop(child, token, work)
    if status != 130:
        sys.exit("exit status %d after Ctrl-C, not 130: %s" % (status, child.stderr.read().decode()[-2000:]))
    if left:
        sys.exit("processes left after Ctrl-C:\n" + "\n".join(left))
    print("Ctrl-C: exit 130, no process left")


def lane_of(pid):
    """(the one CPU a process may run on or None, its WINEPREFIX)."""
    with open("/proc/%s/status" % pid) as f:
        cpus = [l.split(":", 1)[1].strip() for l in f if l.startswith("Cpus_allowed_list:")][0]
    with open("/proc/%s/environ" % pid, "rb") as f:
        env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
    return (int(cpus) if cpus.isdigit() else None), env.get(b"WINEPREFIX", b"").decode()


def lanes(exe, work):
    """Each worker's tree runs on one CPU, in the prefix copy for that CPU."""
    token = "hc-lanes-%d" % os.getpid()
    child = start_two_workers(exe, work, token)
    problems, seen, checked = [], [], set()
    # A worker's agents come and go between sequences: look until both
    # hubs and two agents have been checked, for at most a minute.
    deadline = time.time() + 60
    while time.time() < deadline:
        for entry in living(token):
            pid, cmd = entry.split(": ", 1)
            role = agent_role(cmd)
            if role is None or pid in checked:
                continue  # handlecheck itself runs where it likes
            try:
                cpu, prefix = lane_of(pid)
            except (OSError, IndexError):
                continue  # ended meanwhile, or not yet readable
            checked.add(pid)
            args = cmd.split()
            who = "hub" if role == "hub" else "agent " + args[args.index("--agent") + 1]
            seen.append("%s (pid %s) on CPU %s in %s" % (who, pid, cpu, prefix))
            if cpu is None:
                problems.append("%s may run on more than one CPU" % entry)
            elif not prefix.endswith("wineprefix-cpu%d" % cpu):
                problems.append("%s runs on CPU %d but in prefix %s" % (entry, cpu, prefix))
        hubs = sum(1 for s_ in seen if s_.startswith("hub"))
        if hubs >= 2 and len(seen) - hubs >= 2:
            break
        time.sleep(0.1)
    status, left = stop(child, token, work)
    hubs = sum(1 for s_ in seen if s_.startswith("hub"))
    if hubs < 2 or len(seen) - hubs < 2:
        problems.append("within a minute, fewer than 2 hubs and 2 agents seen: %s" % seen)
    if problems:
        sys.exit("\n".join(problems))
    if status != 130 or left:
        sys.exit("after Ctrl-C: exit %d, left %s" % (status, left))
    print("each worker on its lane:\n  " + "\n  ".join(seen))


def no_lane(exe, work):
    """Workers whose lanes cannot be made run in the prefix itself, with a
    warning: a private prefix (hard links to the build's, registry files of
    its own) whose lane copies are in the way (plain files)."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    bindir = os.path.dirname(os.path.abspath(exe))
    prefix = os.path.join(work, "wineprefix")
    copy_prefix(os.path.join(bindir, "..", "wineprefix"), prefix)
    cpus = sorted(os.sched_getaffinity(0))
    for cpu in cpus:
        open("%s-cpu%d" % (prefix, cpu), "w").close()
    env = dict(os.environ, HANDLECHECK_WINEPREFIX=prefix)
    try:
        run = subprocess.run([exe, "check", "--backend", "wine", "--profile", "wine", "--seed", "3", "--tests", "10",
                              "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             timeout=600)
    finally:  # the private prefix's server
        subprocess.run([os.path.join(bindir, "hc-wine"), "stop"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    warnings = [l for l in run.stderr.splitlines() if "no lane of its own" in l]
    if run.returncode != 0 or "10 sequences (10 agreed)" not in run.stdout:
        sys.exit("check without lanes: exit %d\n%s%s" % (run.returncode, run.stdout, run.stderr))
    if len(warnings) != 1 or prefix not in warnings[0]:
        sys.exit("expected one warning naming %s, got: %s" % (prefix, run.stderr))
    print(warnings[0])


def main():
    mode, exe, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    if mode in ("same-report", "same-report-any"):
        same_report(exe, work, sys.argv[4:], mode == "same-report")
    elif mode == "ctrl-c":
        ctrl_c(exe, work)
    elif mode == "lanes":
        lanes(exe, work)
    elif mode == "no-lane":
        no_lane(exe, work)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
