#include "Page.h"

#include <filesystem>
#include <fstream>

#include "Commands.h"
#include "Svg.h"
#include "handlecheck/model/Rules.h"

namespace hc::cli::html {
namespace {

// Differences red, inheritance blue, everything else quiet greys: the eye
// goes to the red first.
constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a202c;
       margin: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 6px; padding-top: 12px; border-top: 1px solid #e2e8f0; }
h3 { font-size: 15px; margin: 16px 0 4px; }
p.meta, p.note { color: #4a5568; margin: 4px 0; }
p.failed, h2.failed { color: #c53030; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 8px 0;
           padding: 8px 12px; background: #f7fafc; border-left: 4px solid #cbd5e0; }
dl.facts dt { color: #4a5568; }
dl.facts dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f7fafc; padding: 8px 12px; border: 1px solid #e2e8f0; white-space: pre-wrap; }
.row-of-figures { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
figure { margin: 6px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figure ul { color: #4a5568; font-size: 12px; margin: 4px 0 0 18px; padding: 0; }
.legend { font-size: 13px; color: #4a5568; }
.legend span { display: inline-block; padding: 0 6px; margin-right: 10px; border-radius: 3px; }
.legend .l-differs { background: #fde2e1; color: #9b2c2c; border-left: 3px solid #c53030; }
.legend .l-inherited { background: #ebf4ff; color: #2b6cb0; border-left: 3px solid #2b6cb0; }
.legend .l-holder { background: #fefcbf; color: #975a16; border-left: 3px solid #d69e2e; }
svg.picture { background: #fff; }
svg.picture text { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px;
                   fill: #1a202c; }
.process .box { fill: #fff; stroke: #4a5568; stroke-width: 1.2; }
.process .title-bar { fill: #edf2f7; stroke: #4a5568; stroke-width: 1.2; }
.process.exited .box, .process.exited .title-bar { stroke-dasharray: 5 3; }
.process.differs .box, .process.differs .title-bar { stroke: #c53030; stroke-width: 2.5; }
.process-title { font-weight: 700; }
.process-title .process-state { font-weight: 400; fill: #4a5568; }
svg.picture .collapsed-note, svg.picture .empty { fill: #718096; font-style: italic; }
svg.picture text.column { fill: #718096; font-size: 11px; }
.entry .row { fill: transparent; }
.entry.inherited .row { fill: #ebf4ff; }
.entry.differs .row { fill: #fde2e1; stroke: #c53030; stroke-width: 1.5; }
.entry.holder .row { fill: #fefcbf; stroke: #d69e2e; stroke-width: 1.5; }
.entry .tag { fill: #2b6cb0; font-style: italic; font-size: 11px; }
.entry .tag.holder-of { fill: #975a16; font-style: normal; font-weight: 700; }
.entry .tag.differs-in { fill: #c53030; font-style: normal; font-weight: 700; }
.entry .flags { fill: #4a5568; font-size: 11px; }
.entry .mark { fill: #c53030; font-weight: 700; }
.entry .dot { fill: #4a5568; }
.entry.differs .dot { fill: #c53030; }
.object .box { fill: #fffbea; stroke: #b7791f; stroke-width: 1.2; }
.object.differs .box { fill: #fff5f5; stroke: #c53030; stroke-width: 2.5; }
.object.held .box { stroke: #d69e2e; stroke-width: 2.5; }
.object-kind { font-weight: 700; }
.object-kind .object-name { font-weight: 400; }
svg.picture text.count-differs { fill: #c53030; font-weight: 700; }
svg.picture text.object-type { fill: #718096; font-size: 11px; }
.arrow { fill: none; stroke: #4a5568; stroke-width: 1.4; }
.arrow.differs { stroke: #c53030; stroke-width: 2.2; }
)";

}  // namespace

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Page::Page(std::string title) : title_(std::move(title)) {}

void Page::heading(const std::string& text, int level, const std::string& cls) {
  const std::string h = "h" + std::to_string(level);
  body_ += "<" + h + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + escape(text) + "</" + h +
           ">\n";
}

void Page::paragraph(const std::string& text, const std::string& cls) {
  body_ += "<p" + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + escape(text) + "</p>\n";
}

void Page::facts(const std::vector<std::pair<std::string, std::string>>& pairs) {
  body_ += "<dl class=\"facts\">";
  for (const auto& [label, value] : pairs)
    body_ += "<dt>" + escape(label) + "</dt><dd>" + escape(value) + "</dd>";
  body_ += "</dl>\n";
}

void Page::code(const std::string& text) {
  body_ += "<pre>" + escape(text) + "</pre>\n";
}

void Page::legend(bool holders) {
  body_ +=
      std::string("<p class=\"legend\">") +
      (holders ? "<span class=\"l-holder\">holder</span>a handle to the pipe end a blocked read "
                 "waits on, with the line that gave it: the read sees end-of-file only when "
                 "every one is closed &#160; "
               : "") +
      "<span class=\"l-differs\">&#8800; red</span>model and real disagree "
      "(or the step's expectation failed there): look here first &#160; <span "
      "class=\"l-inherited\">inherited</span>the child's copy of "
      "its parent's handle, same value, same object (" +
      model::spec(model::RuleId::InheritCopiesEntry) +
      ") &#160; HandleCount &#8805; N: process and thread counts are lower bounds (" +
      model::spec(model::RuleId::ProcessCountIsLowerBound) + ")</p>\n";
}

void Page::figures(const std::vector<Figure>& row) {
  const std::string n = "f" + std::to_string(++figures_);
  body_ += "<div class=\"row-of-figures\">";
  for (const Figure& f : row) {
    body_ += "<figure><figcaption>" + escape(f.caption) + "</figcaption>" +
             svg(*f.picture, n + "-" + f.key);
    if (!f.picture->undrawn.empty()) {
      body_ += "<ul>";
      for (const std::string& line : f.picture->undrawn) body_ += "<li>" + escape(line) + "</li>";
      body_ += "</ul>";
    }
    body_ += "</figure>";
  }
  body_ += "</div>\n";
}

std::string Page::html() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         escape(title_) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
         escape(title_) + "</h1>\n" + body_ + "</body>\n</html>\n";
}

void writeFile(const std::string& path, const std::string& html) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary);
  out << html;
  if (!out) throw CommandLineError("cannot write " + path);
}

}  // namespace hc::cli::html
