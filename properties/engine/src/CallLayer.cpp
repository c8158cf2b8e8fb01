#include "CallLayer.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "Errors.h"
#include "handlecheck/win32/Embedded.h"
#include "handlecheck/win32/EmbeddedChecks.h"

namespace hc::engine::detail {
namespace {

// One top-level item of the layer's text: a comment and the code under it.
struct Item {
  std::vector<std::string> lines;
  std::set<std::string> defines;  // what it defines (empty: a declaration, a comment, an #include)
  std::set<std::string> uses;     // identifiers its code names
};

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

constexpr std::string_view kRuntimeMarker = "/* ---- sut/win32/Repro";

// The braces of a C block, whose balance gives a line's depth.
constexpr char kOpenBrace = '{', kCloseBrace = '}';

std::string embeddedText() {
  std::string text;
  for (const std::string_view chunk : embedded::kWin32Sources) text += chunk;
  return text;
}

// The call layer's text: the embedded sources up to the reproducer runtime.
std::string layerText() {
  const std::string text = embeddedText();
  return text.substr(0, text.find(kRuntimeMarker));
}

// `line` without its comments and string literals, carrying the open
// comment over to the next line.
std::string codeOf(const std::string& line, bool& inComment) {
  std::string code;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (inComment) {
      if (line.compare(i, 2, "*/") == 0) inComment = false, ++i;
      continue;
    }
    if (line.compare(i, 2, "/*") == 0) {
      inComment = true, ++i;
      continue;
    }
    if (line[i] == '"' || line[i] == '\'') {
      const char quote = line[i];
      for (++i; i < line.size() && line[i] != quote; ++i)
        if (line[i] == '\\') ++i;
      code += ' ';
      continue;
    }
    code += line[i];
  }
  return code;
}

std::vector<Item> items() {
  static const std::regex define(R"(^#(?:define|ifndef) (\w+))");
  static const std::regex structure(R"(^struct (\w+)\s*$)");
  static const std::regex typedefPointer(R"(^typedef .*\(\s*WINAPI \*(\w+)\))");
  static const std::regex function(R"(\b(hc_\w+)\()");
  static const std::regex identifier(R"([A-Za-z_]\w*)");

  std::vector<Item> out;
  std::istringstream in(layerText());
  Item item;
  int depth = 0;
  bool inComment = false, hasCode = false, hasBody = false, conditional = false;
  std::string signature;  // the code of a function's head, before its `{`
  const auto finish = [&] {
    if (!item.lines.empty()) {
      std::smatch m;
      if (hasBody && std::regex_search(signature, m, function)) item.defines.insert(m[1]);
      out.push_back(std::move(item));
    }
    item = Item{};
    hasCode = hasBody = false;
    signature.clear();
  };
  for (std::string line; std::getline(in, line);) {
    if (depth == 0 && !inComment) {
      const bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
      // Each typedef and each #define outside an #if block stands alone.
      const bool single =
          (startsWith(line, "typedef") || startsWith(line, "#define")) && !conditional;
      if (blank || startsWith(line, "#include") || ((startsWith(line, "/*") || single) && hasCode))
        finish();
      if (blank || startsWith(line, "#include") || startsWith(line, "/* ----")) continue;
    }
    const bool wasComment = inComment;
    const std::string code = codeOf(line, inComment);
    const bool codeLine = code.find_first_not_of(" \t\r") != std::string::npos;
    if (depth == 0 && !wasComment && codeLine) {
      std::smatch m;
      if (std::regex_search(line, m, define) || std::regex_search(line, m, structure) ||
          std::regex_search(line, m, typedefPointer))
        item.defines.insert(m[1]);
      // A prototype (a function's head that ends in `;`) is not kept.
      const auto end = code.find_last_not_of(" \t\r");
      if ((signature.empty() || hasBody) && !startsWith(line, "typedef") &&
          std::regex_search(code, m, function) && code.compare(end - 1, 2, ");") == 0)
        continue;
      if (!line.empty() && line.front() == kOpenBrace) hasBody = true;
      if (!hasBody) signature += code;
    }
    if (codeLine) hasCode = true;
    for (auto it = std::sregex_iterator(code.begin(), code.end(), identifier);
         it != std::sregex_iterator(); ++it)
      item.uses.insert(it->str());
    for (const char c : code) depth += c == kOpenBrace ? 1 : c == kCloseBrace ? -1 : 0;
    if (startsWith(line, "#if")) conditional = true;
    if (startsWith(line, "#endif")) conditional = false;
    item.lines.push_back(line);
  }
  finish();
  return out;
}

const std::vector<Item>& allItems() {
  static const std::vector<Item> all = items();
  return all;
}

// Which item defines each name.
const std::map<std::string, std::size_t>& definitions() {
  static const std::map<std::string, std::size_t> definedBy = [] {
    std::map<std::string, std::size_t> m;
    for (std::size_t i = 0; i < allItems().size(); ++i)
      for (const std::string& name : allItems()[i].defines) m.emplace(name, i);
    return m;
  }();
  return definedBy;
}

}  // namespace

std::string reproRuntimeText() {
  const std::string text = embeddedText();
  const auto at = text.find(kRuntimeMarker);
  return at == std::string::npos ? std::string() : text.substr(at);
}

std::string reproChecksText() {
  std::string text;
  for (const std::string_view chunk : embedded::kReproChecks) text += chunk;
  return text;
}

std::string reproErrorNamesText() {
  std::string out = "const struct repro_error_name repro_error_names[] =\n{\n";
  for (const proto::ErrorName& e : proto::errorNames())
    out += "    { " + std::to_string(e.code) + ", \"" + std::string(e.name) + "\" },\n";
  return out + "};\nconst int repro_error_count = " + std::to_string(proto::errorNames().size()) +
         ";\n";
}

std::vector<std::string> callLayerNamesIn(const std::string& code) {
  static const std::regex identifier(R"([A-Za-z_]\w*)");
  std::set<std::string> seen;
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), identifier);
       it != std::sregex_iterator(); ++it)
    if (definitions().count(it->str()) && seen.insert(it->str()).second) names.push_back(it->str());
  return names;
}

std::string callLayerExcerpt(const std::vector<std::string>& roots) {
  const std::vector<Item>& all = allItems();
  const std::map<std::string, std::size_t>& definedBy = definitions();

  std::set<std::size_t> wanted;
  std::vector<std::size_t> todo;
  for (const std::string& root : roots) {
    const auto it = definedBy.find(root);
    if (it == definedBy.end()) throw std::logic_error("the call layer does not define " + root);
    todo.push_back(it->second);
  }
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    if (!wanted.insert(i).second) continue;
    for (const std::string& name : all[i].uses)
      if (const auto it = definedBy.find(name); it != definedBy.end() && it->second != i)
        todo.push_back(it->second);
  }
  std::string out;
  for (const std::size_t i : wanted) {
    for (const std::string& line : all[i].lines) out += line + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace hc::engine::detail
