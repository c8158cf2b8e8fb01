// Layout: processes stacked in the left column in the order they were made,
// entries in value order; each object placed in the right column as close as
// the others allow to the mean height of the entries that point at it, so
// arrows stay short and rarely cross. Everything is integer arithmetic on
// the picture alone: the same picture gives the same bytes.
#include "Svg.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "Page.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli::html {
namespace {

constexpr int kMargin = 12;
constexpr int kProcessWidth = 330;
constexpr int kTitleHeight = 26;
constexpr int kHeadHeight = 18;
constexpr int kRowHeight = 22;
constexpr int kBoxPadding = 6;
constexpr int kProcessGap = 16;
constexpr int kObjectX = kMargin + kProcessWidth + 80;
constexpr int kObjectWidth = 260;
constexpr int kObjectHeight = 46;
constexpr int kObjectGap = 10;
constexpr int kCollapsedNote = 22;
constexpr int kWidth = kObjectX + kObjectWidth + kMargin;
constexpr std::size_t kNameChars = 12;

// Ids keep letters, digits and '-' (labels and keys are already close to that).
std::string idPart(std::string_view s) {
  std::string out;
  for (const char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

std::string shorten(const std::string& s, std::size_t max) {
  return s.size() <= max ? s : s.substr(0, max - 1) + "\xE2\x80\xA6";  // ellipsis
}

std::string text(int x, int y, const std::string& cls, const std::string& body,
                 bool anchorEnd = false) {
  return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" class=\"" + cls +
         "\"" + (anchorEnd ? " text-anchor=\"end\"" : "") + ">" + escape(body) + "</text>";
}

std::string rect(int x, int y, int w, int h, const std::string& cls, int rx = 0) {
  return "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" class=\"" + cls + "\"" +
         (rx ? " rx=\"" + std::to_string(rx) + "\"" : "") + "/>";
}

std::string title(const std::string& note) {
  return note.empty() ? "" : "<title>" + escape(note) + "</title>";
}

std::string processHeading(const Process& p) {
  std::string h = "(";
  if (!p.parent.empty()) h += "child of " + p.parent + ", ";
  if (p.running)
    h += "running)";
  else if (p.exitCode)
    h += "exited with code " + std::to_string(*p.exitCode) + ")";
  else
    h += "exited)";
  return h;
}

std::string flagsOf(const Entry& e) {
  std::string f = e.inherit ? "inherit" : "";
  if (e.protect) f += std::string(f.empty() ? "" : " ") + "protect";
  return f;
}

struct ArrowStart {
  std::string from;  // entry id suffix "P0-0x4"
  std::string object;
  int y = 0;
  bool differs = false;
};

// One row of a handle table at `row`, whose arrow (if its object is drawn) goes to `arrows`.
std::string entryRow(const Picture& picture, const std::string& id, const std::string& pid,
                     const Entry& e, int row, std::vector<ArrowStart>& arrows) {
  const std::string eid = pid + "-" + proto::hex(e.value);
  std::string ecls = "entry";
  if (e.inherited) ecls += " inherited";
  if (e.differs) ecls += " differs";
  if (e.holder) ecls += " holder";
  std::string body = "<g class=\"" + ecls + "\" id=\"" + id + "-entry-" + eid +
                     "\" data-object=\"" + escape(e.object) + "\">" + title(e.note);
  body += rect(kMargin + 1, row, kProcessWidth - 2, kRowHeight, "row");
  if (e.differs) body += text(kMargin + 10, row + 16, "mark", "\xE2\x89\xA0");  // not-equal
  body += text(kMargin + 64, row + 16, "value", proto::hex(e.value), true);
  body += text(kMargin + 74, row + 16, "names", shorten(e.names, kNameChars));
  body += text(kMargin + 168, row + 16, "flags", flagsOf(e));
  if (e.differs)
    body += text(kMargin + kProcessWidth - 10, row + 16, "tag differs-in",
                 "\xE2\x89\xA0 " + shorten(e.differsIn, 16), true);
  else if (e.holder)  // the line of the step that gave it (the tooltip says how)
    body += text(kMargin + kProcessWidth - 10, row + 16, "tag holder-of",
                 e.origin ? "line " + std::to_string(e.origin->line) : "holder", true);
  else if (e.inherited)
    body += text(kMargin + kProcessWidth - 10, row + 16, "tag", "inherited", true);
  body += "<circle cx=\"" + std::to_string(kMargin + kProcessWidth) + "\" cy=\"" +
          std::to_string(row + kRowHeight / 2) + "\" r=\"3\" class=\"dot\"/>";
  body += "</g>";
  if (!e.object.empty() && picture.object(e.object))
    arrows.push_back({eid, e.object, row + kRowHeight / 2, e.differs});
  return body;
}

// A process's box at height `y`, title bar and handle table (or the note of
// a collapsed one); the box's height goes to `height`.
std::string processBox(const Picture& picture, const std::string& id, const Process& p, int y,
                       int& height, std::vector<ArrowStart>& arrows) {
  const std::string pid = idPart(p.label);
  const int rows = p.collapsed ? 0 : static_cast<int>(p.entries.size());
  const int table = kHeadHeight + kBoxPadding + std::max(rows, 1) * kRowHeight;
  height = kTitleHeight + (p.collapsed ? kCollapsedNote : table);
  std::string cls = "process";
  if (p.collapsed) cls += " collapsed";
  if (!p.running) cls += " exited";
  if (p.differs) cls += " differs";
  std::string body = "<g class=\"" + cls + "\" id=\"" + id + "-process-" + pid + "\">";
  body += rect(kMargin, y, kProcessWidth, height, "box", 4);
  body += rect(kMargin, y, kProcessWidth, kTitleHeight, "title-bar", 4);
  body += "<text x=\"" + std::to_string(kMargin + 8) + "\" y=\"" + std::to_string(y + 18) +
          "\" class=\"process-title\">" + escape(p.label) + " <tspan class=\"process-state\">" +
          escape(processHeading(p)) + "</tspan></text>";
  int row = y + kTitleHeight;
  if (p.collapsed) {
    body += text(kMargin + 10, row + 15, "collapsed-note",
                 std::to_string(p.entries.size()) + " handle(s), as in the picture before");
  } else {
    body += text(kMargin + 64, row + 13, "column", "handle", true);
    body += text(kMargin + 74, row + 13, "column", "name");
    body += text(kMargin + 168, row + 13, "column", "flags");
    row += kHeadHeight;
    if (p.entries.empty()) body += text(kMargin + 74, row + 15, "empty", "(no handles)");
    for (const Entry& e : p.entries) {
      body += entryRow(picture, id, pid, e, row, arrows);
      row += kRowHeight;
    }
  }
  return body + "</g>";
}

// An object in the right column and the arrows that point at it.
struct Placed {
  const Object* object = nullptr;
  int want = 0;
  int top = 0;
  std::vector<const ArrowStart*> in;
};

// Objects in the order of the first entry that points at each, the
// textbook's order: each as high as its first arrow, without overlap.
std::vector<Placed> placeObjects(const Picture& picture, const std::vector<ArrowStart>& arrows,
                                 int& bottom) {
  std::vector<Placed> placed;
  for (const Object& o : picture.objects) {
    Placed pl;
    pl.object = &o;
    for (const ArrowStart& a : arrows)
      if (a.object == o.key) pl.in.push_back(&a);
    pl.want = pl.in.empty() ? 1 << 20 : pl.in.front()->y - kObjectHeight / 2;
    placed.push_back(std::move(pl));
  }
  std::stable_sort(placed.begin(), placed.end(),
                   [](const Placed& a, const Placed& b) { return a.want < b.want; });
  int objectY = kMargin;
  for (Placed& pl : placed) {
    pl.top = std::max(objectY, pl.want);
    objectY = pl.top + kObjectHeight + kObjectGap;
  }
  bottom = objectY;
  return placed;
}

// The count line: the model's count for a process or thread is what the
// system shows at least (SPEC 29); a real count is what it showed.
std::string countLine(const Object& o) {
  std::string count =
      o.usageCount ? "usage count " + std::to_string(*o.usageCount) + " \xC2\xB7 " : "";
  count += "HandleCount " + std::string(o.lowerBound && o.usageCount ? "\xE2\x89\xA5 " : "") +
           std::to_string(o.handleCount);
  return count;
}

// Top right: the model's object id (the same on both sides of a pair), the
// NT type where the kind does not already say it, SPEC 29's mark.
std::string asideLine(const Object& o) {
  std::string aside = o.key.find('-') == std::string::npos ? o.key : "";
  std::string lowerType = o.ntType;
  for (char& c : lowerType) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowerType != o.kind) aside += (aside.empty() ? "" : " \xC2\xB7 ") + o.ntType;
  if (o.lowerBound) aside += " \xC2\xB7 " + model::spec(model::RuleId::ProcessCountIsLowerBound);
  return aside;
}

// An object's box at `top`.
std::string objectBox(const std::string& id, const Object& o, int top) {
  std::string cls = "object";
  if (o.differs) cls += " differs";
  if (o.lowerBound) cls += " lower-bound";
  if (o.held) cls += " held";
  const std::string spec29 = "HandleCount of process and thread objects is a lower bound (" +
                             model::spec(model::RuleId::ProcessCountIsLowerBound) + ")";
  std::string body = "<g class=\"" + cls + "\" id=\"" + id + "-object-" + idPart(o.key) + "\">" +
                     title(o.note.empty() || !o.lowerBound ? o.note + (o.lowerBound ? spec29 : "")
                                                           : o.note + "; " + spec29);
  body += rect(kObjectX, top, kObjectWidth, kObjectHeight, "box", 6);
  body += "<text x=\"" + std::to_string(kObjectX + 10) + "\" y=\"" + std::to_string(top + 18) +
          "\" class=\"object-kind\">" + escape(o.kind) +
          (o.name.empty()
               ? ""
               : " <tspan class=\"object-name\">" + escape(shorten(o.name, 18)) + "</tspan>") +
          "</text>";
  body += text(kObjectX + kObjectWidth - 8, top + 18, "object-type", asideLine(o), true);
  body += text(kObjectX + 10, top + 36, o.differs ? "count count-differs" : "count", countLine(o));
  return body + "</g>";
}

// Where each arrow ends: spread evenly down the left side of its object, in
// the order the arrows start.
void arrowEnds(std::vector<Placed>& placed, std::map<const ArrowStart*, int>& arrowEnd) {
  for (Placed& pl : placed) {
    std::stable_sort(pl.in.begin(), pl.in.end(),
                     [](const ArrowStart* a, const ArrowStart* b) { return a->y < b->y; });
    const int n = static_cast<int>(pl.in.size());
    for (int k = 0; k < n; ++k)
      arrowEnd[pl.in[k]] = pl.top + 8 + (kObjectHeight - 16) * (2 * k + 1) / (2 * n);
  }
}

// One arrow from an entry's dot to the point `y1` on its object.
std::string arrowPath(const std::string& id, const ArrowStart& a, int y1) {
  const int x0 = kMargin + kProcessWidth + 3, x1 = kObjectX - 1;
  const int bend = (x1 - x0) / 2;
  return "<path class=\"arrow" + std::string(a.differs ? " differs" : "") + "\" id=\"" + id +
         "-arrow-" + a.from + "\" data-entry=\"" + id + "-entry-" + a.from + "\" data-object=\"" +
         id + "-object-" + idPart(a.object) + "\" d=\"M" + std::to_string(x0) + "," +
         std::to_string(a.y) + " C" + std::to_string(x0 + bend) + "," + std::to_string(a.y) + " " +
         std::to_string(x1 - bend) + "," + std::to_string(y1) + " " + std::to_string(x1) + "," +
         std::to_string(y1) + "\" marker-end=\"url(#" + id +
         (a.differs ? "-head-differs" : "-head") + ")\"/>";
}

// The <svg> element's opening: its size, title and arrow heads.
std::string svgOpening(const Picture& picture, const std::string& id, int height) {
  const auto marker = [&](const std::string& suffix, const std::string& colour) {
    return "<marker id=\"" + id + suffix +
           "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
           "markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
           "fill=\"" +
           colour + "\"/></marker>";
  };
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"picture\" id=\"" + id + "\" width=\"" +
         std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(kWidth) + " " + std::to_string(height) + "\" role=\"img\"><title>" +
         escape(picture.side) + ": handle tables and kernel objects</title><defs>" +
         marker("-head", "#4a5568") + marker("-head-differs", "#c53030") + "</defs>";
}

}  // namespace

std::string svg(const Picture& picture, const std::string& id) {
  std::string body;
  std::vector<ArrowStart> arrows;
  int y = kMargin;
  for (const Process& p : picture.processes) {
    int height = 0;
    body += processBox(picture, id, p, y, height, arrows);
    y += height + kProcessGap;
  }
  const int processBottom = y;
  int objectBottom = kMargin;
  std::vector<Placed> placed = placeObjects(picture, arrows, objectBottom);
  std::map<const ArrowStart*, int> arrowEnd;
  for (const Placed& pl : placed) body += objectBox(id, *pl.object, pl.top);
  arrowEnds(placed, arrowEnd);
  const int height = std::max({processBottom, objectBottom, kMargin + 40});
  std::string arrowsSvg;
  for (const ArrowStart& a : arrows) arrowsSvg += arrowPath(id, a, arrowEnd.at(&a));
  return svgOpening(picture, id, height) + body + arrowsSvg + "</svg>";
}

}  // namespace hc::cli::html
