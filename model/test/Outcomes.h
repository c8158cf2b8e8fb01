#pragma once
// Readable checks on Outcomes for the model tests: a failure names the Win32
// error, e.g. "failed with ERROR_ACCESS_DENIED (5), expected ERROR_INVALID_HANDLE (6)".
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "handlecheck/model/System.h"

namespace hc::model::test {

// "ERROR_ACCESS_DENIED (5)": the name from the error table (Errors.h).
inline std::string errorName(std::uint32_t error) {
  const std::string_view name = win32::errorName(error);
  return (name.empty() ? std::string("error") : std::string(name)) + " (" + std::to_string(error) +
         ")";
}

inline std::string describe(const Outcome& out) {
  if (out.blocks) return "blocks";
  if (!out.ok) return "failed with " + errorName(out.error);
  return out.alreadyExists ? "ok, ERROR_ALREADY_EXISTS" : "ok";
}

// The call succeeded (without ERROR_ALREADY_EXISTS) and did not block.
inline ::testing::AssertionResult succeeded(const Outcome& out) {
  if (out.ok && !out.blocks && !out.alreadyExists && out.error == win32::kSuccess)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(out) << ", expected ok";
}

// The call succeeded on an existing object: GetLastError() == ERROR_ALREADY_EXISTS.
inline ::testing::AssertionResult succeededExisting(const Outcome& out) {
  if (out.ok && out.alreadyExists && out.error == win32::kAlreadyExists)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << describe(out) << ", expected ok with ERROR_ALREADY_EXISTS";
}

inline ::testing::AssertionResult failedWith(const Outcome& out, std::uint32_t error) {
  if (!out.ok && !out.blocks && out.error == error) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(out) << ", expected " << errorName(error);
}

inline ::testing::AssertionResult blocks(const Outcome& out) {
  if (out.blocks && !out.ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(out) << ", expected the call to block";
}

inline constexpr ProcessId P0 = 0;

}  // namespace hc::model::test
