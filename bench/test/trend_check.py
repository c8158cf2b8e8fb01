#!/usr/bin/env python3
"""Looks at the trend page (bench/history.py page) in headless Chromium.

  trend_check.py check PAGE PNG [--size W,H] [--expect SEL]...
  trend_check.py synthetic DIR [--png FILE]

`check`: Chromium renders PAGE to PNG (driven over the DevTools protocol, as
properties/cli/test/html_check.py does for the --html reports, whose render()
this reuses) and stays silent: no console message, exception, error or
warning; the page is self-contained (no script element, no src, href or url()
that leaves the file, no @import); every <svg> is well-formed XML; every chart
has a median line per series, every change point a dashed line and a label
naming its commit and ratio; each --expect SEL (#id or #id.class) exists in
the DOM Chromium built.

`synthetic`: writes a 20-commit synthetic history with a 1.5x slowdown of
BM_Model_HandleLookup at commit 12 (bench/test/synthetic_history.py), its
page, and checks it: the four figure charts and the model charts present, the
change point marked at commit 12 with its ratio; and a copy of the page with
an external image added must be refused.
Exit 0 fine, 1 with one line per problem on stderr.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "properties", "cli", "test"))
from html_check import Dom, find, render  # noqa: E402

sys.path.insert(0, HERE)
import synthetic_history  # noqa: E402


def static_problems(source):
    out = []
    for m in re.finditer(r"""(?:src|href)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^)"']*)""",
                         source):
        target = m.group(1) or m.group(2) or ""
        if not target.startswith("#") and not target.startswith("data:"):
            out.append("not self-contained: refers to " + target)
    if re.search(r"<script\b", source, re.I):
        out.append("not self-contained: has a <script> element")
    if re.search(r"<link\b|@import", source, re.I):
        out.append("not self-contained: loads a style sheet")
    for i, m in enumerate(re.finditer(r"<svg\b.*?</svg>", source, re.S)):
        try:
            ET.fromstring(m.group(0))
        except ET.ParseError as e:
            out.append("svg %d is not well-formed XML: %s" % (i + 1, e))
    return out


def structure_problems(source):
    """Each chart draws its series; each change point its line and label."""
    out = []
    charts = re.findall(r'<svg class="chart" id="([^"]+)".*?</svg>', source, re.S)
    if not charts:
        out.append("no svg.chart in the page")
    for m in re.finditer(r'<svg class="chart" id="([^"]+)"(.*?)</svg>', source, re.S):
        body = m.group(2)
        if '<g class="series"' not in body or 'class="median"' not in body:
            out.append("chart %s has no series with a median line" % m.group(1))
        for cp in re.finditer(r'<g class="changepoint (?:worse|better)" id="([^"]+)" '
                              r'data-commit="([0-9a-f]+)" data-ratio="([0-9.]+)">(.*?)</g>',
                              body, re.S):
            cid, commit, ratio, inner = cp.groups()
            if "stroke-dasharray" not in inner:
                out.append("change point %s has no dashed line" % cid)
            label = re.search(r"<text[^>]*>([^<]*)</text>", inner)
            want = "%s x%.2f" % (commit[:7], float(ratio))
            if not label or label.group(1) != want:
                out.append("change point %s is labelled %r, not %r" %
                           (cid, label.group(1) if label else None, want))
    return out


def problems(page, png, size="1040,2400", expects=()):
    source = open(page, encoding="utf-8").read()
    out = static_problems(source) + structure_problems(source)
    width, height = (int(n) for n in size.split(","))
    try:
        dumped, console = render("file://" + os.path.abspath(page), png, width, height)
    except (RuntimeError, OSError) as e:
        return out + ["chromium: %s" % e]
    if png and (not os.path.exists(png) or os.path.getsize(png) < 1000):
        out.append("chromium did not write the screenshot " + png)
    out += ["console: " + line for line in console]
    dom = Dom()
    dom.feed(dumped)
    for sel in expects:
        if find(dom, sel) is None:
            out.append("missing " + sel)
    return out


def report(page, found):
    for p in found:
        print("%s: %s" % (page, p), file=sys.stderr)
    return 1 if found else 0


def synthetic(work, png=None):
    os.makedirs(work, exist_ok=True)
    store = os.path.join(work, "synthetic.jsonl")
    page = os.path.join(work, "synthetic.html")
    synthetic_history.write(store, synthetic_history.records(commits=20, step_at=12, factor=1.5))
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "history.py"), "page", store,
                    "--out", page], check=True, stdout=subprocess.DEVNULL)
    step = synthetic_history.fake_commit(12)[:7]
    expects = ["#chart-lookup-over-vector", "#chart-createprocess-per-inherited-handle",
               "#chart-handle-list-saving", "#chart-campaign-steps-per-s",
               "#chart-BM_Model_HandleLookup", "#chart-BM_Baseline_VectorIndex",
               "#chart-BM_Campaign_Steps", "#series-campaign-steps-per-s-jobs-1",
               "#series-campaign-steps-per-s-jobs-2", "#changepoints",
               "#cp-BM_Model_HandleLookup-16-%s.changepoint.worse" % step,
               "#cp-lookup-over-vector-1024-%s.worse" % step, "#commit-%s" % step]
    found = problems(page, png or os.path.join(work, "synthetic.png"), expects=expects)
    source = open(page, encoding="utf-8").read()
    if not re.search(r'id="cp-BM_Model_HandleLookup-16-%s"[^>]*data-ratio="1\.[45]' % step,
                     source):
        found.append("the change point at %s does not carry its ratio (about 1.5)" % step)
    # A page that loads anything from outside must be refused.
    mutant = source.replace("<body>", '<body><img src="https://example.invalid/x.png">', 1)
    if not any("example.invalid" in p for p in static_problems(mutant)):
        found.append("an external image went unnoticed")
    rc = report(page, found)
    if rc == 0:
        print("%s: rendered; %d charts, change point at %s marked, nothing external, console "
              "silent" % (page, source.count('<svg class="chart"'), step))
    return rc


def main(argv):
    if len(argv) >= 2 and argv[0] == "synthetic":
        png = argv[argv.index("--png") + 1] if "--png" in argv else None
        return synthetic(argv[1], png)
    if len(argv) < 3 or argv[0] != "check":
        print(__doc__, file=sys.stderr)
        return 2
    page, png, rest = argv[1], argv[2], argv[3:]
    size, expects = "1040,2400", []
    while rest:
        opt, value, rest = rest[0], rest[1], rest[2:]
        if opt == "--size":
            size = value
        elif opt == "--expect":
            expects.append(value)
        else:
            sys.exit("trend_check: unknown option " + opt)
    rc = report(page, problems(page, png, size, expects))
    if rc == 0:
        print("%s: rendered to %s; nothing external, console silent" % (page, png))
    return rc


if __name__ == "__main__":
    if not shutil.which(os.environ.get("CHROMIUM") or "chromium"):
        sys.exit("trend_check: no chromium on PATH (Debian package `chromium`)")
    sys.exit(main(sys.argv[1:]))
