// libFuzzer target: any bytes as a scenario file. The parser either returns a
// scenario or throws a ParseError that names <fuzz>:line:col inside the input;
// a parsed scenario prints, and the printed text parses back to the same
// scenario and prints the same again. Anything else (another exception, a
// sanitizer report) is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "handlecheck/scenario/Scenario.h"

namespace {

using hc::scenario::ParseError;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "scenario fuzz: %s\n", what.c_str());
  std::abort();
}

// The input's lines as the parser counts them ('\n' ends a line; a trailing
// '\r' is not part of it).
int lineCount(std::string_view text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (text.empty() || text.back() == '\n' ? 0 : 1);
}

std::size_t lineLength(std::string_view text, int line) {
  for (int i = 1; i < line; ++i) text.remove_prefix(text.find('\n') + 1);
  std::string_view l = text.substr(0, text.find('\n'));
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l.size();
}

void checkError(const ParseError& e, std::string_view text) {
  const std::string where =
      "<fuzz>:" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": ";
  if (e.file != "<fuzz>" || e.line < 1 || e.line > lineCount(text) || e.column < 1)
    finding(std::string("error outside the input: ") + e.what());
  if (static_cast<std::size_t>(e.column) > lineLength(text, e.line) + 1)
    finding(std::string("column past the end of its line: ") + e.what());
  if (std::string_view(e.what()).substr(0, where.size()) != where)
    finding(std::string("message does not start with file:line:col: ") + e.what());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The bytes themselves, not a NUL-terminated copy: a read past the end is
  // a read past the fuzzer's buffer, which ASan reports.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  hc::scenario::Scenario first;
  try {
    first = hc::scenario::parse(text, "<fuzz>");
  } catch (const ParseError& e) {
    checkError(e, text);
    return 0;
  }
  std::string printed;
  try {
    printed = hc::scenario::print(first);
  } catch (const std::exception& e) {
    finding(std::string("a parsed scenario does not print: ") + e.what());
  }
  hc::scenario::Scenario second;
  try {
    second = hc::scenario::parse(printed, "<printed>");
  } catch (const ParseError& e) {
    finding(std::string("the printed scenario does not parse: ") + e.what() + "\n" + printed);
  }
  if (!(second == first)) finding("parse(print(s)) != s for\n" + printed);
  if (hc::scenario::print(second) != printed) finding("print is not stable for\n" + printed);
  return 0;
}
