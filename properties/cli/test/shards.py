#!/usr/bin/env python3
"""Sharded campaigns (ctest helper): `check --shard I/N`, the GoogleTest and
Bazel sharding variables, and `merge`.

  shards.py same-as-whole HANDLECHECK WORKDIR SHARDS [--need-divergence] [check options...]
      `check --slices SHARDS` and SHARDS runs of `check --shard I/SHARDS` joined by
      `merge` give the same exit status, JSON, Markdown and text (their --out
      directories aside) and the same divergence files, byte for byte.
  shards.py environment HANDLECHECK WORKDIR [check options...]
      GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS and TEST_SHARD_INDEX/TEST_TOTAL_SHARDS
      choose the slices --shard does, TEST_SHARD_STATUS_FILE and
      GTEST_SHARD_STATUS_FILE are touched, --shard wins over the variables, and
      malformed variables are usage errors naming them.
  shards.py refuse HANDLECHECK WORKDIR [check options but --seed...]
      merge exits 2, saying why, for a missing shard, a shard given twice, a
      shard of another campaign, a whole campaign's report and a file that is
      not a report.

$HC_LAUNCHER, when set, runs HANDLECHECK (the mingw build's Wine runner).
"""
import difflib
import filecmp
import json
import os
import shutil
import subprocess
import sys

SHARD_VARIABLES = ("GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS", "TEST_SHARD_INDEX",
                   "TEST_TOTAL_SHARDS", "TEST_SHARD_STATUS_FILE", "GTEST_SHARD_STATUS_FILE")


def fail(message):
    sys.exit("shards: " + message)


def run(exe, args, env=None, expect=None):
    """Runs handlecheck with the sharding variables of `env` only."""
    launcher = os.environ.get("HC_LAUNCHER")
    clean = {k: v for k, v in os.environ.items() if k not in SHARD_VARIABLES}
    clean.update(env or {})
    p = subprocess.run(([launcher] if launcher else []) + [exe] + args, capture_output=True,
                       text=True, env=clean, timeout=1500)
    if expect is not None and p.returncode not in expect:
        fail("%s: exit %d, expected %s\n%s" % (" ".join(args), p.returncode, expect, p.stderr[-3000:]))
    return p


def scrubbed(text, outs):
    for out in outs:
        text = text.replace(out, "OUT")
    return text


def same(what, a, b, names):
    if a != b:
        print("\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), names[0], names[1],
                                             lineterm="")))
        fail(what + " differ")


def same_files(left, right):
    names = sorted(os.listdir(left)) if os.path.isdir(left) else []
    other = sorted(os.listdir(right)) if os.path.isdir(right) else []
    if names != other:
        fail("divergence files differ:\n  %s\n  %s" % (names, other))
    for name in names:
        if not filecmp.cmp(os.path.join(left, name), os.path.join(right, name), shallow=False):
            fail("divergence file %s differs" % name)
    return names


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def same_as_whole(exe, work, count, options):
    need = "--need-divergence" in options
    options = [o for o in options if o != "--need-divergence"]
    whole_out, merged_out = fresh(os.path.join(work, "whole")), fresh(os.path.join(work, "merged"))
    whole = run(exe, ["check", "--slices", str(count), "--out", whole_out, "--json",
                      os.path.join(work, "whole.json"), "--report", os.path.join(work, "whole.md")]
                + options, expect=(0, 1, 3))
    reports, outs = [], [whole_out, merged_out]
    for index in range(count):
        out = fresh(os.path.join(work, "shard-%d" % index))
        reports.append(os.path.join(work, "shard-%d.json" % index))
        outs.append(out)
        run(exe, ["check", "--shard", "%d/%d" % (index, count), "--out", out, "--json",
                  reports[-1]] + options, expect=(0, 1, 3))
    merged = run(exe, ["merge", "--out", merged_out, "--json", os.path.join(work, "merged.json"),
                       "--report", os.path.join(work, "merged.md")] + list(reversed(reports)),
                 expect=(0, 1, 3))
    doc = json.load(open(os.path.join(work, "whole.json")))
    if need and not doc["divergences"]:
        fail("the campaign found no divergence: pick one that does")
    if doc["slices"] != count or doc["shard"] is not None:
        fail("the whole campaign's report says slices %s, shard %s" % (doc["slices"], doc["shard"]))
    if whole.returncode != merged.returncode:
        fail("exit %d whole, %d merged" % (whole.returncode, merged.returncode))
    names = ("check --slices %d" % count, "merge of %d shards" % count)
    for ext in ("json", "md"):
        same("the %s reports" % ext, scrubbed(open(os.path.join(work, "whole." + ext)).read(), outs),
             scrubbed(open(os.path.join(work, "merged." + ext)).read(), outs), names)
    same("the text reports", scrubbed(whole.stdout, outs), scrubbed(merged.stdout, outs), names)
    files = same_files(whole_out, merged_out)
    print("shards: --slices %d and the merge of %d shards agree: exit %d, %d divergences, %d files"
          % (count, count, whole.returncode, len(doc["divergences"]), len(files)))


def shard_json(exe, work, name, args, env, options):
    path = os.path.join(work, name + ".json")
    run(exe, ["check", "--out", os.path.join(work, name), "--json", path] + args + options,
        env=env, expect=(0, 1))
    return scrubbed(open(path).read(), [os.path.join(work, name)])


def environment(exe, work, options):
    fresh(work)
    by_option = shard_json(exe, work, "option", ["--shard", "1/3"], {}, options)
    doc = json.loads(by_option)
    if doc["shard"] != {"index": 1, "count": 3} or [s["slice"] for s in doc["shard_slices"]] != [1]:
        fail("--shard 1/3 ran %s as %s" % ([s["slice"] for s in doc["shard_slices"]], doc["shard"]))
    gtest_status = os.path.join(work, "gtest-status")
    gtest = shard_json(exe, work, "option", [], {"GTEST_TOTAL_SHARDS": "3", "GTEST_SHARD_INDEX": "1",
                                                 "GTEST_SHARD_STATUS_FILE": gtest_status}, options)
    same("--shard 1/3 and GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=3", by_option, gtest,
         ("--shard", "GTEST_*"))
    bazel_status = os.path.join(work, "bazel-status")
    bazel = shard_json(exe, work, "option", [], {"TEST_TOTAL_SHARDS": "3", "TEST_SHARD_INDEX": "1",
                                                 "TEST_SHARD_STATUS_FILE": bazel_status}, options)
    same("--shard 1/3 and TEST_SHARD_INDEX=1 TEST_TOTAL_SHARDS=3", by_option, bazel,
         ("--shard", "TEST_*"))
    for status in (gtest_status, bazel_status):
        if not os.path.isfile(status):
            fail(status + " was not touched")
    wins = shard_json(exe, work, "option", ["--shard", "1/3"],
                      {"GTEST_TOTAL_SHARDS": "2", "GTEST_SHARD_INDEX": "0"}, options)
    same("--shard 1/3 alone and with GTEST_* 0/2", by_option, wins, ("--shard", "--shard and GTEST_*"))
    both = shard_json(exe, work, "option", [], {"GTEST_TOTAL_SHARDS": "3", "GTEST_SHARD_INDEX": "1",
                                                "TEST_TOTAL_SHARDS": "3", "TEST_SHARD_INDEX": "1"},
                      options)
    same("--shard 1/3 and both protocols at 1/3", by_option, both, ("--shard", "both"))
    for env, says in (({"GTEST_TOTAL_SHARDS": "two", "GTEST_SHARD_INDEX": "0"}, "GTEST_TOTAL_SHARDS=`two`"),
                      ({"GTEST_TOTAL_SHARDS": "2", "GTEST_SHARD_INDEX": "2"}, "GTEST_SHARD_INDEX=`2`"),
                      ({"TEST_TOTAL_SHARDS": "0", "TEST_SHARD_INDEX": "0"}, "TEST_TOTAL_SHARDS=`0`"),
                      ({"TEST_SHARD_INDEX": "1"}, "TEST_SHARD_INDEX is set but TEST_TOTAL_SHARDS is not"),
                      ({"GTEST_TOTAL_SHARDS": "2", "GTEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "2",
                        "TEST_SHARD_INDEX": "1"}, "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS say 1/2"),
                      ({"TEST_TOTAL_SHARDS": "2", "TEST_SHARD_INDEX": "0",
                        "TEST_SHARD_STATUS_FILE": os.path.join(work, "no-such-dir", "status")},
                       "cannot touch TEST_SHARD_STATUS_FILE=")):
        p = run(exe, ["check", "--out", os.path.join(work, "bad")] + options, env=env, expect=(2,))
        if says not in p.stderr:
            fail("%s: stderr does not say %r:\n%s" % (env, says, p.stderr))
    print("shards: the GoogleTest and Bazel variables choose the slices --shard does; "
          "status files touched; malformed variables named")


def refuse(exe, work, options):
    fresh(work)

    def shard(name, args, seed="1"):
        path = os.path.join(work, name + ".json")
        run(exe, ["check", "--out", os.path.join(work, name), "--json", path, "--seed", seed]
            + args + options, expect=(0, 1))
        return path

    zero, one = shard("zero", ["--shard", "0/2"]), shard("one", ["--shard", "1/2"])
    other = shard("other-seed", ["--shard", "1/2"], seed="77")
    four = shard("four-slices", ["--shard", "1/2", "--slices", "4"])
    whole = shard("whole", ["--slices", "2"])
    garbage = os.path.join(work, "garbage.json")
    open(garbage, "w").write("{ not json")
    run(exe, ["merge", "--out", os.path.join(work, "ok"), zero, one], expect=(0, 1))
    for reports, says in (([zero], "slice 1 of 2 is missing"),
                          ([zero, one, one], "slice 1 is in both"),
                          ([zero, other], "another campaign than %s: the seed differs" % zero),
                          ([zero, four], "--slices differs"),
                          ([zero, whole], "not of a shard"),
                          ([zero, garbage], "garbage.json: not a report of handlecheck check")):
        p = run(exe, ["merge", "--out", os.path.join(work, "refused")] + reports, expect=(2,))
        if says not in p.stderr:
            fail("merge %s: stderr does not say %r:\n%s" % (reports, says, p.stderr))
    print("shards: merge refuses missing, duplicated and foreign shards with exit 2")


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    mode, exe, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    if mode == "same-as-whole":
        same_as_whole(exe, work, int(sys.argv[4]), sys.argv[5:])
    elif mode == "environment":
        environment(exe, work, sys.argv[4:])
    elif mode == "refuse":
        refuse(exe, work, sys.argv[4:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()
