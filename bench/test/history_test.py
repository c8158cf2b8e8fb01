#!/usr/bin/env python3
"""Tests of the benchmark history (bench/history.py) and its change points
(bench/edivisive.py) on synthetic series: a step is found at its commit with
its ratio, a drift is found as slower levels, pure noise gives no change point
at the documented significance; records, the store's order, the gate and the
pull-request comparison. Run: history_test.py [-v] (unittest)."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import edivisive  # noqa: E402
import history  # noqa: E402
import synthetic_history  # noqa: E402


def run(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = history.main(argv)
    return code, out.getvalue()


class ChangePoints(unittest.TestCase):

    def test_step_is_found_at_its_index(self):
        rng = np.random.default_rng(1)
        x = np.concatenate([100 + rng.normal(0, 3, 20), 130 + rng.normal(0, 3, 15)])
        found = edivisive.change_points(x)
        self.assertEqual([c["index"] for c in found], [20])
        self.assertLessEqual(found[0]["p"], edivisive.DEFAULTS["significance"])

    def test_two_steps_are_both_found(self):
        rng = np.random.default_rng(2)
        x = np.concatenate([100 + rng.normal(0, 2, 12), 140 + rng.normal(0, 2, 12),
                            115 + rng.normal(0, 2, 12)])
        self.assertEqual([c["index"] for c in edivisive.change_points(x)], [12, 24])

    def test_step_needs_min_size_points_after_it(self):
        rng = np.random.default_rng(3)
        x = np.concatenate([100 + rng.normal(0, 1, 20), [200, 200]])
        self.assertEqual(edivisive.change_points(x), [])  # two points: not yet
        x = np.append(x, 200)
        self.assertEqual([c["index"] for c in edivisive.change_points(x)], [20])

    def test_drift_is_cut_into_slower_levels(self):
        rng = np.random.default_rng(4)
        x = 100 * (1 + 0.02 * np.arange(40)) + rng.normal(0, 2, 40)
        found = edivisive.change_points(x)
        self.assertGreaterEqual(len(found), 1)
        segs = edivisive.segments(len(x), found)
        levels = [np.median(x[a:b]) for a, b in segs]
        self.assertEqual(levels, sorted(levels), "each level of a rising drift is higher")

    def test_pure_noise_has_no_change_point(self):
        # 20 series of 30 commits, 3% noise: at p <= 0.005 one false change
        # point among them is possible in principle, none is expected; these
        # seeds are fixed, so the result is too.
        for seed in range(20):
            rng = np.random.default_rng(1000 + seed)
            x = 100 * (1 + rng.normal(0, 0.03, 30))
            self.assertEqual(edivisive.change_points(x), [], f"seed {1000 + seed}")

    def test_heavy_tailed_noise_has_no_change_point(self):
        # Load bursts: a few points 2-3x the level, as on a shared machine.
        rng = np.random.default_rng(77)
        x = 100 * (1 + rng.normal(0, 0.02, 30))
        x[[4, 11, 23]] *= [2.5, 3.0, 2.0]
        self.assertEqual(edivisive.change_points(x), [])

    def test_same_series_same_result(self):
        rng = np.random.default_rng(5)
        x = np.concatenate([10 + rng.normal(0, 1, 10), 12 + rng.normal(0, 1, 10)])
        self.assertEqual(edivisive.change_points(x), edivisive.change_points(x))

    def test_rejects_bad_input(self):
        with self.assertRaises(ValueError):
            edivisive.change_points([1.0, float("nan"), 2.0])
        with self.assertRaises(ValueError):
            edivisive.change_points([1.0, 2.0], min_size=1)


class Records(unittest.TestCase):

    def test_record_from_a_benchmark_result(self):
        result = history.load_json(os.path.join(HERE, "base.json"))
        r = history.make_record(result, "ab" * 20, "2026-12-01T00:00:00+00:00", "subject",
                                synthetic_history.HOST, history.regex("^BM_Synthetic_Fast"))
        self.assertEqual(r["format"], history.FORMAT)
        fast, slow = r["benchmarks"]["BM_Synthetic_Fast/16"], r["benchmarks"]["BM_Synthetic_Slow"]
        self.assertEqual((fast["time"], slow["time"]), ("cpu", "real"))
        self.assertEqual(fast["n"], 12)
        self.assertLessEqual(fast["min"], fast["q1"])
        self.assertLessEqual(fast["q1"], fast["median"])
        self.assertLessEqual(fast["median"], fast["q3"])
        self.assertLessEqual(fast["q3"], fast["max"])
        self.assertEqual(fast["unit"], "ns")

    def test_figures(self):
        r = synthetic_history.records(commits=1)[0]
        f = r["figures"]
        self.assertAlmostEqual(f["lookup-over-vector/16"]["value"], 1.6, delta=0.15)
        self.assertAlmostEqual(f["createprocess-per-inherited-handle"]["value"], 1500, delta=400)
        self.assertIn("handle-list-saving", f)
        # A figure read from a counter carries its quartiles over repetitions
        # (per handle, like its value), which the page draws as a band.
        per = f["createprocess-per-inherited-handle"]
        self.assertLess(per["q1"], per["value"])
        self.assertLess(per["value"], per["q3"])
        self.assertLess(per["q3"] - per["q1"], per["value"])
        pts = history.series([r])["campaign-steps-per-s/jobs:2"]["points"]
        self.assertLess(pts[0][2], pts[0][3])
        self.assertEqual(sorted(k for k in f if k.startswith("campaign")),
                         ["campaign-steps-per-s/jobs:1", "campaign-steps-per-s/jobs:2"])

    def test_page_legend_names_a_series_by_what_differs(self):
        import trendpage
        self.assertEqual(trendpage.legend("BM_Campaign_Steps",
                                          "BM_Campaign_Steps/jobs:2/iterations:1/real_time"),
                         "jobs:2")
        # A figure that is its chart's only series: what its title says in
        # parentheses, not its own name cut to fit.
        title = history.figures(synthetic_history.records(commits=1)[0]["benchmarks"])[
            "createprocess-per-inherited-handle"]["title"]
        self.assertEqual(trendpage.legend("createprocess-per-inherited-handle",
                                          "createprocess-per-inherited-handle", title),
                         "paired, N=256")
        self.assertEqual(trendpage.legend("x", "x"), "median")

    def test_fingerprint_names_the_store_file(self):
        a = dict(synthetic_history.HOST)
        b = dict(a, wine="wine-9.0")
        self.assertNotEqual(history.store_name(a), history.store_name(b))
        self.assertTrue(history.store_name(a).startswith("linux-wine-2cpu-"))
        self.assertEqual(history.store_name(a), history.store_name(dict(a)))

    def test_store_keeps_the_latest_record_per_commit_in_date_order(self):
        recs = synthetic_history.records(commits=4)
        again = json.loads(json.dumps(recs[1]))
        again["subject"] = "re-run"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "h.jsonl")
            synthetic_history.write(path, [recs[2], recs[0], recs[1], recs[3], again])
            got = history.read_store(path)
        self.assertEqual([r["commit"] for r in got], [r["commit"] for r in recs])
        self.assertEqual(got[1]["subject"], "re-run")

    def test_store_rejects_another_format(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "h.jsonl")
            with open(path, "w") as f:
                f.write('{"format": "other/1"}\n')
            self.assertEqual(run(["changes", path])[0], history.EXIT_USAGE)


class Gate(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def store(self, **kw):
        path = os.path.join(self.dir.name, "h.jsonl")
        synthetic_history.write(path, synthetic_history.records(**kw))
        return path

    def test_planted_step_is_a_change_point_at_its_commit_and_fails(self):
        path = self.store(commits=18, step_at=12, factor=1.5)
        code, out = run(["gate", path, "--since", synthetic_history.fake_commit(11)[:8]])
        self.assertEqual(code, history.EXIT_REGRESSION, out)
        at = synthetic_history.fake_commit(12)[:10]
        self.assertRegex(out, rf"REGRESSION: BM_Model_HandleLookup/16: at {at} .*\(x1\.[45]")
        self.assertIn("REGRESSION in 2 benchmark(s)", out)

    def test_history_without_the_step_passes_with_no_judged_change_point(self):
        path = self.store(commits=18)
        code, out = run(["gate", path, "--since", synthetic_history.fake_commit(0)[:8]])
        self.assertEqual(code, history.EXIT_OK, out)
        _, changes = run(["changes", path, "--filter", "^BM_(Model|Baseline)_"])
        self.assertIn("0 change point(s)", changes)

    def test_step_under_the_threshold_passes(self):
        path = self.store(commits=18, step_at=12, factor=1.15)
        code, out = run(["gate", path, "--since", synthetic_history.fake_commit(11)[:8]])
        self.assertEqual(code, history.EXIT_OK, out)
        self.assertIn("under threshold", out)
        code, _ = run(["gate", path, "--since", synthetic_history.fake_commit(11)[:8],
                       "--threshold", "10"])
        self.assertEqual(code, history.EXIT_REGRESSION)

    def test_an_old_change_point_is_not_new(self):
        path = self.store(commits=18, step_at=6, factor=1.5)
        code, out = run(["gate", path, "--since", synthetic_history.fake_commit(11)[:8]])
        self.assertEqual(code, history.EXIT_OK, out)
        # Without --since: new is what the last record revealed.
        code, out = run(["gate", path])
        self.assertEqual(code, history.EXIT_OK, out)
        self.assertIn(", 0 new", out)

    def test_the_record_that_reveals_a_step_fails_without_since(self):
        path = self.store(commits=15, step_at=12, factor=1.5)  # 3 points after: just visible
        code, out = run(["gate", path])
        self.assertEqual(code, history.EXIT_REGRESSION, out)

    def test_report_only_families_never_fail(self):
        path = self.store(commits=18, step_at=12, factor=1.5)
        code, out = run(["gate", path, "--since", synthetic_history.fake_commit(11)[:8],
                         "--report-only", "^BM_Model_"])
        self.assertEqual(code, history.EXIT_OK, out)
        self.assertIn("worse (report only): BM_Model_HandleLookup/16", out)

    def test_candidate_run_against_the_last_level(self):
        path = self.store(commits=10)
        rng = np.random.default_rng(9)
        for slow, expect in ((1.0, history.EXIT_OK), (1.6, history.EXIT_REGRESSION)):
            cand = os.path.join(self.dir.name, f"cand-{slow}.json")
            with open(cand, "w") as f:
                json.dump(synthetic_history.result(rng, slow), f)
            code, out = run(["gate", path, "--candidate", cand])
            self.assertEqual(code, expect, out)
        self.assertRegex(out, r"BM_Model_HandleLookup/16 .* x1\.[5-7][0-9]* +SLOWER")

    def test_unknown_since_is_a_usage_error(self):
        path = self.store(commits=5)
        self.assertEqual(run(["gate", path, "--since", "deadbeef"])[0], history.EXIT_USAGE)


if __name__ == "__main__":
    unittest.main()
