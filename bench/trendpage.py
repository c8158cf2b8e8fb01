"""The trend page: one self-contained HTML file of inline SVG charts.

One chart per benchmark family (the name up to its first '/') with each
benchmark's median per commit as a line and its spread over repetitions
(first to third quartile) as a band; one chart per figure (the ratios of
bench/history.py's `figures`). Change points are dashed vertical lines,
labelled with their commit and ratio. No script, no style sheet, font or
image from outside: the page reads the same offline and in a CI artifact.

Element ids, for tests and links: chart-<family>, series-<key>,
cp-<key>-<commit7> (class `changepoint worse` or `changepoint better`),
commit-<commit7> in the table of commits.
"""
import html
import math
import re

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22"]
WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 230, 28, 46

# Families and figures first in this order; the rest alphabetically after.
FIRST = ["lookup-over-vector", "createprocess-per-inherited-handle", "handle-list-saving",
         "campaign-steps-per-s", "BM_Model_HandleLookup", "BM_Baseline_VectorIndex",
         "BM_Model_Step", "BM_Win32_CreateProcess_Paired", "BM_Campaign_Steps"]

FAMILY_TEXT = {
    "lookup-over-vector": "Model HandleTable lookup over std::vector indexing, same run, per size "
                          "(CPU time ratio; 1.0 = as fast as a vector)",
    "createprocess-per-inherited-handle": "What one more inherited handle adds to CreateProcess "
                                          "(under Wine on Linux)",
    "handle-list-saving": "What PROC_THREAD_ATTRIBUTE_HANDLE_LIST saves against inheriting all",
    "campaign-steps-per-s": "A fixed campaign's pace at one and two jobs (higher is better)",
}


def slug(text):
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def esc(text):
    return html.escape(str(text), quote=True)


def fmt(v, unit):
    if unit == "ns":
        for u, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
            if abs(v) >= scale:
                return f"{v / scale:.3g} {u}"
        return f"{v:.3g} ns"
    if unit == "x":
        return f"{v:.3g}x"
    return f"{v:.4g} {unit}"


def legend(family, key, title=""):
    """A series' name in its chart's legend: without the family, which the
    chart's title says, and without the run name's suffixes. A chart's only
    series, named as the chart, is named by what its title says in
    parentheses (`paired, N=4096`), else `median`."""
    short = re.sub(r"(/iterations:\d+|/manual_time|/real_time)+$", "", key)
    if short.startswith(family + "/"):
        short = short[len(family) + 1:]
    elif short == family:
        said = re.search(r"\(([^()]+)\)$", title or "")
        short = said.group(1) if said else "median"
    return short if len(short) < 34 else "…" + short[-32:]


def family_of(key, s):
    return key.split("/", 1)[0]


def _ticks(lo, hi, log):
    if log:
        out = []
        for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
            for m in (1, 2, 5):
                v = m * 10**e
                if lo <= v <= hi:
                    out.append(v)
        return out or [lo, hi]
    span = hi - lo or abs(hi) or 1
    step = 10**math.floor(math.log10(span / 4))
    for m in (1, 2, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


def chart(family, members, records, changes, unit):
    """One <svg> for a family: members is [(key, series)]."""
    n = len(records)
    lows = [p[2] for _, s in members for p in s["points"]] + [p[1] for _, s in members
                                                             for p in s["points"]]
    highs = [p[3] for _, s in members for p in s["points"]] + [p[1] for _, s in members
                                                              for p in s["points"]]
    lo, hi = min(lows), max(highs)
    log = lo > 0 and hi / lo > 20
    if log:
        lo, hi = lo / 1.15, hi * 1.15
    else:
        pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1
        lo, hi = lo - pad, hi + pad
        if lo < 0 <= min(lows):
            lo = 0
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + (pw * (i + 0.5) / n)

    def y(v):
        if log:
            t = (math.log(max(v, lo)) - math.log(lo)) / (math.log(hi) - math.log(lo))
        else:
            t = (v - lo) / (hi - lo)
        return TOP + ph * (1 - t)

    fid = slug(family)
    out = [f'<svg class="chart" id="chart-{fid}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{esc(family)}">',
           f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fff" stroke="#999"/>']
    for v in _ticks(lo, hi, log):
        yy = y(v)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="#eee"/><text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{esc(fmt(v, unit))}</text>')
    every = max(1, math.ceil(n / 24))
    for i, r in enumerate(records):
        if i % every == 0 or i == n - 1:
            out.append(f'<text x="{x(i):.1f}" y="{TOP + ph + 14}" font-size="10" '
                       f'text-anchor="end" transform="rotate(-35 {x(i):.1f} {TOP + ph + 14})">'
                       f'{esc(r["commit"][:7])}</text>')
    out.append(f'<text x="{LEFT}" y="{TOP - 10}" font-size="13" font-weight="bold">'
               f'{esc(family)}{" (log scale)" if log else ""}</text>')
    for k, (key, s) in enumerate(members):
        color = PALETTE[k % len(PALETTE)]
        sid = slug(key)
        pts = s["points"]
        out.append(f'<g class="series" id="series-{sid}" data-key="{esc(key)}">')
        if any(p[3] != p[2] for p in pts):
            band = [f"{x(i):.1f},{y(q3):.1f}" for i, _, _, q3 in pts]
            band += [f"{x(i):.1f},{y(q1):.1f}" for i, _, q1, _ in reversed(pts)]
            out.append(f'<polygon class="spread" points="{" ".join(band)}" fill="{color}" '
                       f'fill-opacity="0.15" stroke="none"/>')
        line = " ".join(f"{x(i):.1f},{y(m):.1f}" for i, m, _, _ in pts)
        out.append(f'<polyline class="median" points="{line}" fill="none" stroke="{color}" '
                   f'stroke-width="1.6"/>')
        for i, m, q1, q3 in pts:
            tip = f"{key} at {records[i]['commit'][:10]}: median {fmt(m, unit)}"
            if q3 != q1:
                tip += f", quartiles {fmt(q1, unit)} .. {fmt(q3, unit)}"
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(m):.1f}" r="2.4" fill="{color}">'
                       f'<title>{esc(tip)}</title></circle>')
        out.append("</g>")
        ly = TOP + 12 + 15 * k
        if ly < TOP + ph:
            out.append(f'<rect x="{LEFT + pw + 10}" y="{ly - 8}" width="10" height="10" '
                       f'fill="{color}"/><text x="{LEFT + pw + 24}" y="{ly + 1}" font-size="11">'
                       f'{esc(legend(family, key, s.get("title", "")))}</text>')
        for j, c in enumerate(changes.get(key, [])):
            cx = x(c["index"]) - pw / n / 2
            cls = "worse" if c["worse"] else "better"
            label = f'{c["commit"][:7]} x{c["ratio"]:.2f}'
            ty = TOP + 12 + 12 * ((k + j) % max(1, int(ph / 12) - 1))
            out.append(
                f'<g class="changepoint {cls}" id="cp-{sid}-{c["commit"][:7]}" '
                f'data-commit="{esc(c["commit"])}" data-ratio="{c["ratio"]:.4f}">'
                f'<title>{esc(key)}: level {esc(fmt(c["before"], unit))} -&gt; '
                f'{esc(fmt(c["after"], unit))} at {esc(c["commit"][:10])} (x{c["ratio"]:.3f}, '
                f'p={c["p"]:.3g})</title>'
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{TOP}" y2="{TOP + ph}" stroke="{color}" '
                f'stroke-dasharray="5 3" stroke-width="1.4"/>'
                f'<text x="{cx + 3:.1f}" y="{ty}" font-size="11" fill="{color}" '
                f'font-weight="bold">{esc(label)}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def render(records, all_series, changes, title, params):
    families = {}
    for key, s in all_series.items():
        families.setdefault(family_of(key, s), []).append((key, s))
    order = sorted(families, key=lambda f: (FIRST.index(f) if f in FIRST else len(FIRST),
                                            families[f][0][1]["kind"] != "figure", f))
    found = sorted((c for cs in changes.values() for c in cs), key=lambda c: (c["index"],
                                                                              c["series"]))
    host = records[-1]["host"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1.2em;color:#222;max-width:1000px}"
        "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;"
        "padding:2px 6px;text-align:left}td.num{text-align:right}.worse{color:#b00}"
        ".better{color:#070}h2{margin-top:1.6em;font-size:16px}p.note{font-size:13px}"
        "svg.chart{display:block;margin:0.4em 0}</style></head><body>",
        f'<h1 id="title">{esc(title)}</h1>',
        f'<p class="note" id="host">Host: {esc(host["cpu"])}, {host["cores"]} cores, '
        f'{esc(host["os"])}, {esc(host["wine"])}, {esc(host["compiler"])}, '
        f'{esc(host["build_type"])}. {len(records)} commits, from '
        f'{esc(records[0]["commit"][:10])} ({esc(records[0]["commit_date"][:10])}) to '
        f'{esc(records[-1]["commit"][:10])} ({esc(records[-1]["commit_date"][:10])}).</p>',
        f'<p class="note">Change points: E-Divisive means (Matteson &amp; James 2014), '
        f'permutation test, kept at p &le; {params["significance"]} ({params["permutations"]} '
        f'permutations), at least {params["min_size"]} commits on each side. Lines: median over '
        f'repetitions per commit; bands: first to third quartile. Model families are CPU time, '
        f'the Wine families wall time.</p>',
        '<h2 id="changes">Change points</h2>',
    ]
    if found:
        parts.append('<table id="changepoints"><tr><th>series</th><th>commit</th><th>before</th>'
                     '<th>after</th><th>ratio</th><th>p</th><th>subject</th></tr>')
        for c in found:
            cls = "worse" if c["worse"] else "better"
            parts.append(f'<tr class="{cls}"><td>{esc(c["series"])}</td>'
                         f'<td><a href="#commit-{esc(c["commit"][:7])}">{esc(c["commit"][:10])}'
                         f'</a></td><td class="num">{esc(fmt(c["before"], c["unit"]))}</td>'
                         f'<td class="num">{esc(fmt(c["after"], c["unit"]))}</td>'
                         f'<td class="num">x{c["ratio"]:.3f}</td><td class="num">'
                         f'{c["p"]:.3g}</td><td>{esc(c["subject"][:70])}</td></tr>')
        parts.append("</table>")
    else:
        parts.append('<p id="changepoints">No change point in any series.</p>')
    parts.append('<h2 id="figures">Ratios and figures</h2>')
    in_benchmarks = False
    for fam in order:
        members = sorted(families[fam], key=lambda m: _natural(m[0]))
        if members[0][1]["kind"] != "figure" and not in_benchmarks:
            parts.append('<h2 id="families">Benchmark families</h2>')
            in_benchmarks = True
        text = FAMILY_TEXT.get(fam) or members[0][1].get("title") or ""
        if members[0][1]["kind"] == "benchmark":
            text = f'median {members[0][1]["time"]} time per iteration'
        parts.append(f'<p class="note">{esc(text)}</p>')
        parts.append(chart(fam, members, records, changes, members[0][1]["unit"]))
    parts.append('<h2 id="commits">Commits</h2><table id="commit-table"><tr><th>#</th>'
                 '<th>commit</th><th>date</th><th>subject</th></tr>')
    for i, r in enumerate(records):
        parts.append(f'<tr id="commit-{esc(r["commit"][:7])}"><td class="num">{i}</td>'
                     f'<td>{esc(r["commit"][:10])}</td><td>{esc(r["commit_date"])}</td>'
                     f'<td>{esc(r.get("subject", "")[:90])}</td></tr>')
    parts.append("</table></body></html>")
    return "\n".join(parts) + "\n"


def _natural(key):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]
