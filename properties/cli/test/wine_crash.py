#!/usr/bin/env python3
"""Wine::Crash::<scenario>: a scenario that kills Wine's wineserver, replayed
in a throw-away prefix with a wineserver of its own, never the shared one.

    wine_crash.py HANDLECHECK HC_WINE SCENARIO WORKDIR ASSERTION

Copies the prefix `HC_WINE where` names into WORKDIR (hard links, the
registry files copied, as a lane's copy is made), starts its wineserver in
the foreground with its stderr kept, replays SCENARIO there on Wine and
asserts: the replay ends as a backend failure (exit 3) within its timeout
and says `wineserver died`;
the server has died and its stderr holds ASSERTION; no process of the
throw-away prefix is left once the Wine processes the dead server orphaned
(which never end by themselves) are killed. The copy is removed at the end."""
import os
import shutil
import signal
import subprocess
import sys
import time


def fail(message):
    print(f"wine_crash: {message}", flush=True)
    sys.exit(1)


def where(hc_wine):
    out = subprocess.run([hc_wine, "where"], capture_output=True, text=True, check=True).stdout
    found = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return found["wineserver"], found["prefix"]


def copy_prefix(source, target):
    subprocess.run(["cp", "-al", source, target], check=True)
    for name in os.listdir(target):
        if name.endswith(".reg"):
            path = os.path.join(target, name)
            os.unlink(path)
            shutil.copy2(os.path.join(source, name), path)


def processes_of(prefix):
    """The pids whose environment names the throw-away prefix."""
    mark = ("=" + prefix).encode()
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if any(v.startswith((b"WINEPREFIX", b"HANDLECHECK_WINEPREFIX")) and v.endswith(mark)
               for v in env):
            pids.append(int(pid))
    return pids


def main():
    handlecheck, hc_wine, scenario, workdir, assertion = sys.argv[1:6]
    wineserver, shared_prefix = where(hc_wine)
    os.makedirs(workdir, exist_ok=True)
    prefix = os.path.join(workdir, "wineprefix")
    if os.path.exists(prefix):
        shutil.rmtree(prefix)
    copy_prefix(shared_prefix, prefix)
    env = dict(os.environ, WINEPREFIX=prefix, HANDLECHECK_WINEPREFIX=prefix, WINEDEBUG="-all")
    server_log = os.path.join(workdir, "wineserver.stderr")
    problems = []
    with open(server_log, "w") as log:
        server = subprocess.Popen([wineserver, "-f", "-p"], env=env, stdout=log, stderr=log)
    try:
        time.sleep(1)
        if server.poll() is not None:
            fail(f"the throw-away wineserver did not start (exit {server.returncode})")
        try:
            replay = subprocess.run([handlecheck, "replay", scenario, "--backend", "wine"], env=env,
                                    capture_output=True, text=True, timeout=240)
        except subprocess.TimeoutExpired:
            problems.append("the replay hung (no answer within 240 s)")
            replay = None
        if replay is not None:
            print(replay.stdout + replay.stderr, flush=True)
            if replay.returncode != 3:
                problems.append(f"replay exited {replay.returncode}, expected 3 (backend failure)")
            if "wineserver died" not in replay.stdout + replay.stderr:
                problems.append("the replay does not say `wineserver died`")
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            problems.append("the wineserver is still running")
        text = open(server_log).read()
        print(f"wineserver exit status {server.returncode}; its stderr:\n{text}", flush=True)
        if assertion not in text:
            problems.append(f"the wineserver's stderr does not say `{assertion}`")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        # Wine processes that lost their server never end by themselves, and
        # `wineserver -k` has no server to ask: they are killed here.
        subprocess.run([wineserver, "-k"], env=env, capture_output=True)
        orphans = processes_of(prefix)
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if orphans:
            print(f"wine_crash: killed {len(orphans)} Wine processes the dead server left", flush=True)
        time.sleep(1)
        left = processes_of(prefix)
        if left:
            problems.append(f"processes of the throw-away prefix are still running: {left}")
        shutil.rmtree(prefix, ignore_errors=True)
    if problems:
        fail("; ".join(problems))
    print("wine_crash: the wineserver died as described, nothing is left", flush=True)


if __name__ == "__main__":
    main()
