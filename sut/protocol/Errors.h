#pragma once
// Win32 error names (winerror.h) of the errors a handle scenario can meet:
// the one table that scenarios, traces and reproducers spell errors with.
// Pure C++20, no OS headers.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hc::proto {

struct ErrorName {
  std::string_view name;  // "ERROR_INVALID_HANDLE"
  std::uint32_t code;     // 6
};

std::span<const ErrorName> errorNames();
// "ERROR_INVALID_HANDLE" for 6; "" for a code the table does not name.
std::string_view errorName(std::uint32_t code);
std::optional<std::uint32_t> errorCode(std::string_view name);

}  // namespace hc::proto
