#pragma once
// C string literals in generated reproducers (Reproducer.cpp, StraightLine.cpp).
#include <string>

namespace hc::engine::detail {

// A C string literal for any bytes: printable ASCII as is ("?" escaped, no
// trigraphs), quotes and backslashes escaped, the rest octal.
std::string cString(const std::string&);

}  // namespace hc::engine::detail
