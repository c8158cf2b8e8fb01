#pragma once
// Readable checks on Outcomes for the model tests: a failure names the Win32
// error, e.g. "failed with ERROR_ACCESS_DENIED (5), expected ERROR_INVALID_HANDLE (6)".
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "handlecheck/model/System.h"

namespace hc::model::test {

inline std::string errorName(std::uint32_t error) {
  std::string name;
  switch (error) {
    case win32::kSuccess: name = "ERROR_SUCCESS"; break;
    case win32::kFileNotFound: name = "ERROR_FILE_NOT_FOUND"; break;
    case win32::kAccessDenied: name = "ERROR_ACCESS_DENIED"; break;
    case win32::kInvalidHandle: name = "ERROR_INVALID_HANDLE"; break;
    case win32::kHandleEof: name = "ERROR_HANDLE_EOF"; break;
    case win32::kInvalidParameter: name = "ERROR_INVALID_PARAMETER"; break;
    case win32::kBrokenPipe: name = "ERROR_BROKEN_PIPE"; break;
    case win32::kSemTimeout: name = "ERROR_SEM_TIMEOUT"; break;
    case win32::kAlreadyExists: name = "ERROR_ALREADY_EXISTS"; break;
    case win32::kNoData: name = "ERROR_NO_DATA"; break;
    default: name = "error"; break;
  }
  return name + " (" + std::to_string(error) + ")";
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
  return ::testing::AssertionFailure() << describe(out) << ", expected ok with ERROR_ALREADY_EXISTS";
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
