#pragma once
// C literals in generated reproducers (Reproducer.cpp, StraightLine.cpp).
#include <string>

namespace hc::engine::detail {

// A C string literal for any bytes: printable ASCII as is ("?" escaped, no
// trigraphs), quotes and backslashes escaped, the rest octal.
std::string cString(const std::string&);

// TRUE or FALSE, as Win32 C code spells a BOOL.
inline std::string cBool(bool b) {
  return b ? "TRUE" : "FALSE";
}

}  // namespace hc::engine::detail
