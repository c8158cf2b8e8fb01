#!/usr/bin/env python3
"""Looks at an HTML report the way a person would: headless Chromium renders
it to a PNG, and the DOM Chromium built from it must hold the picture.

  html_check.py check  HTML PNG [--size W,H] [--expect SEL]... [--expect-text SEL=TEXT]...
  html_check.py mutant HTML     (removes one arrow from a copy: check must fail, naming it)

Checks, each failure one line on stderr (exit 1):
- Chromium renders it (PNG written, not empty; driven over the DevTools
  protocol) and stays silent: no console message, exception, or error or
  warning in its log (a failed load, a blocked resource);
- self-contained: no src/href/url() that leaves the file;
- every <svg> is well-formed XML;
- at least one picture has process, entry, object and arrow elements; every
  entry that names an object has its arrow (#P-entry-X -> #P-arrow-X) and every
  arrow's two ends exist;
- each --expect SEL exists (SEL: #id or #id.class.class) and each
  --expect-text SEL=TEXT element contains TEXT.
Uses the Python standard library only; CHROMIUM (env) overrides the binary.
"""
import base64
import html.parser
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-pipe",
]


def chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("html_check: no chromium on PATH (Debian package `chromium`)")


class DevTools:
    """Chromium's DevTools protocol over --remote-debugging-pipe (fds 3 and 4,
    NUL-terminated JSON): no websocket, no package beyond the standard library."""

    def __init__(self, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def child_fds():
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [chromium(), *CHROMIUM_FLAGS, "--user-data-dir=" + profile, "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buffer, self.last_id, self.events = b"", 0, []

    def read(self, timeout):
        end = time.time() + timeout
        while b"\0" not in self.buffer:
            left = end - time.time()
            if left <= 0 or not select.select([self.from_r], [], [], left)[0]:
                return None
            chunk = os.read(self.from_r, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_w, json.dumps(message).encode() + b"\0")
        while True:
            m = self.read(60)
            if m is None:
                raise RuntimeError("chromium did not answer " + method)
            if m.get("id") == self.last_id:
                if "error" in m:
                    raise RuntimeError(method + ": " + str(m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def settle(self, until, timeout=30, quiet=0.3):
        end = time.time() + timeout
        while time.time() < end and not any(e.get("method") == until for e in self.events):
            m = self.read(1)
            if m:
                self.events.append(m)
        while True:
            m = self.read(quiet)
            if m is None:
                return
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def render(url, png, width, height):
    """Loads url in a fresh headless Chromium: (the DOM it built, every
    console message, exception and error/warning log entry)."""
    with tempfile.TemporaryDirectory(prefix="hc-chromium-") as profile:
        tools = DevTools(profile)
        try:
            target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Page"):
                tools.call(domain + ".enable", session=s)
            tools.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                       "deviceScaleFactor": 1, "mobile": False}, session=s)
            tools.call("Page.navigate", {"url": url}, session=s)
            tools.settle("Page.loadEventFired")
            dom = tools.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                             "returnByValue": True}, session=s)["result"]["value"]
            if png:
                shot = tools.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
                with open(png, "wb") as f:
                    f.write(base64.b64decode(shot))
        finally:
            tools.close()
    console = []
    for e in tools.events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled":
            console.append("console.%s: %s" % (p.get("type"), " ".join(
                str(a.get("value", a.get("description", ""))) for a in p.get("args", []))))
        elif method == "Runtime.exceptionThrown":
            console.append("exception: " + p.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            entry = p["entry"]
            console.append("%s: %s %s" % (entry.get("level"), entry.get("text"), entry.get("url", "")))
    return dom, console


class Dom(html.parser.HTMLParser):
    """Every element with an id: its tag, classes, attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.by_class = {}
        self.open = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        el = {"tag": tag, "attrs": a, "classes": set((a.get("class") or "").split()), "text": ""}
        if "id" in a:
            self.by_id[a["id"]] = el
        for c in el["classes"]:
            self.by_class.setdefault(c, []).append(el)
        if tag not in ("circle", "rect", "path", "meta", "br", "img", "input", "link"):
            self.open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for el in self.open:
            el["text"] += " " + data


def find(dom, sel):
    m = re.fullmatch(r"#([\w-]+)((?:\.[\w-]+)*)", sel)
    if not m:
        sys.exit("html_check: bad selector " + sel)
    el = dom.by_id.get(m.group(1))
    want = set(filter(None, m.group(2).split(".")))
    return el if el is not None and want <= el["classes"] else None


def source_problems(source):
    """What the page's text shows: a src/href/url() that leaves the file, an
    <svg> that is not well-formed XML."""
    out = []
    for m in re.finditer(r"""(?:src|href)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^)"']*)""", source):
        target = m.group(1) or m.group(2) or ""
        if not target.startswith("#") and not target.startswith("data:"):
            out.append("not self-contained: refers to " + target)
    for i, m in enumerate(re.finditer(r"<svg\b.*?</svg>", source, re.S)):
        try:
            ET.fromstring(m.group(0))
        except ET.ParseError as e:
            out.append("svg %d is not well-formed XML: %s" % (i + 1, e))
    return out


def rendered(path, png, size):
    """Chromium renders PATH (to PNG when given) at SIZE ("W,H"); returns the
    DOM it built, or None when it could not render, and the problems seen: a
    missing or empty screenshot, each console line."""
    width, height = (int(n) for n in size.split(","))
    try:
        dumped, console = render("file://" + os.path.abspath(path), png, width, height)
    except (RuntimeError, OSError) as e:
        return None, ["chromium: %s" % e]
    out = []
    if png and (not os.path.exists(png) or os.path.getsize(png) < 1000):
        out.append("chromium did not write the screenshot " + png)
    out += ["console: " + line for line in console]
    dom = Dom()
    dom.feed(dumped)
    return dom, out


def problems(path, png=None, size="1500,1200", expects=(), texts=()):
    out = source_problems(open(path, encoding="utf-8").read())
    dom, seen = rendered(path, png, size)
    out += seen
    if dom is None:
        return out
    pictures = [el for el in dom.by_class.get("picture", []) if el["tag"] == "svg"]
    if not pictures:
        out.append("no svg.picture in the page")
    complete = False
    for svg in pictures:
        pid = svg["attrs"].get("id", "")
        mine = lambda cls: [e for e in dom.by_class.get(cls, [])
                            if e["attrs"].get("id", "").startswith(pid + "-" + cls + "-")]
        processes, entries, objects, arrows = (mine(c) for c in ("process", "entry", "object", "arrow"))
        complete |= bool(processes and entries and objects and arrows)
        for e in entries:
            if not e["attrs"].get("data-object"):
                continue
            arrow = e["attrs"]["id"].replace("-entry-", "-arrow-", 1)
            if arrow not in dom.by_id:
                out.append("no arrow from entry %s (expected #%s)" % (e["attrs"]["id"], arrow))
        for a in arrows:
            for end in ("data-entry", "data-object"):
                if a["attrs"].get(end) not in dom.by_id:
                    out.append("arrow %s: %s %s does not exist" % (a["attrs"]["id"], end,
                                                                  a["attrs"].get(end)))
    if pictures and not complete:
        out.append("no picture has process, entry, object and arrow elements all together")
    for sel in expects:
        if find(dom, sel) is None:
            out.append("missing " + sel)
    for pair in texts:
        sel, text = pair.split("=", 1)
        el = find(dom, sel)
        if el is None:
            out.append("missing " + sel)
        elif text not in " ".join(el["text"].split()):
            out.append("%s says %r, not %r" % (sel, " ".join(el["text"].split()), text))
    return out


def check_options(rest, size, allowed=("--size", "--expect", "--expect-text")):
    """The options after `check PAGE PNG`, each with its value: (--size W,H,
    default `size`; the --expect SELs; the --expect-text SEL=TEXTs). An option
    not in `allowed` ends the program naming it."""
    expects, texts = [], []
    while rest:
        opt, value, rest = rest[0], rest[1], rest[2:]
        if opt not in allowed:
            sys.exit("%s: unknown option %s" % (os.path.basename(sys.argv[0]), opt))
        if opt == "--size":
            size = value
        elif opt == "--expect":
            expects.append(value)
        else:
            texts.append(value)
    return size, expects, texts


def main(argv):
    if len(argv) >= 2 and argv[0] == "mutant":
        source = open(argv[1], encoding="utf-8").read()
        m = re.search(r'<path class="arrow[^"]*" id="([^"]+)"[^>]*/>', source)
        if not m:
            sys.exit("html_check mutant: %s has no arrow to remove" % argv[1])
        with tempfile.TemporaryDirectory(prefix="hc-mutant-") as d:
            copy = os.path.join(d, "one-arrow-removed.html")
            open(copy, "w", encoding="utf-8").write(source[:m.start()] + source[m.end():])
            found = problems(copy)
        entry = m.group(1).replace("-arrow-", "-entry-", 1)
        if any(entry in p for p in found):
            print("removing #%s is caught: %s" % (m.group(1), [p for p in found if entry in p][0]))
            return 0
        print("removing #%s went unnoticed; problems: %s" % (m.group(1), found), file=sys.stderr)
        return 1
    if len(argv) < 3 or argv[0] != "check":
        print(__doc__, file=sys.stderr)
        return 2
    html_file, png = argv[1], argv[2]
    size, expects, texts = check_options(argv[3:], "1500,1200")
    found = problems(html_file, png, size, expects, texts)
    for p in found:
        print(html_file + ": " + p, file=sys.stderr)
    if not found:
        print("%s: rendered to %s; pictures complete, every arrow in place" % (html_file, png))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
