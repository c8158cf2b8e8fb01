#pragma once
// One self-contained HTML page: inline CSS and SVG, no script, nothing
// fetched, readable offline and attachable to a bug report.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "Picture.h"

namespace hc::cli::html {

// Text for HTML/SVG content and attribute values: & < > " escaped.
std::string escape(std::string_view);

class Page {
 public:
  explicit Page(std::string title);
  void heading(const std::string& text, int level = 2, const std::string& cls = "");
  void paragraph(const std::string& text, const std::string& cls = "");
  // Label / value pairs above a picture: the line, the Win32 call, the rule.
  void facts(const std::vector<std::pair<std::string, std::string>>&);
  void code(const std::string& text);
  // Pictures side by side (model | real), each under its caption; the SVG
  // of each gets the page-unique id "f<N>-<key>" (f1-model, f1-real, f2-model, ...).
  struct Figure {
    std::string key;  // model, real, after-model, ...
    std::string caption;
    const Picture* picture = nullptr;
  };
  void figures(const std::vector<Figure>&);
  // Where to look first, once per page, before the first picture; `holders`:
  // the page marks who holds a pipe end a blocked read waits on.
  void legend(bool holders = false);
  std::string html() const;

 private:
  std::string title_;
  std::string body_;
  int figures_ = 0;
};

// Writes `html` to `path` (making its directory). Throws CommandLineError
// when the file cannot be written.
void writeFile(const std::string& path, const std::string& html);

}  // namespace hc::cli::html
