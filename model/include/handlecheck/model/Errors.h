#pragma once
// The Win32 errors (winerror.h values) a handle scenario can meet, by name:
// the one table the model predicts with and scenarios, traces, reproducers
// and the agent spell errors with (sut/protocol/Errors.h reads it).
// Dependency-free and constexpr, so the protocol and the agent include it
// without linking the model.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hc::model::win32 {

inline constexpr std::uint32_t kSuccess = 0;               // ERROR_SUCCESS
inline constexpr std::uint32_t kInvalidFunction = 1;       // ERROR_INVALID_FUNCTION
inline constexpr std::uint32_t kFileNotFound = 2;          // ERROR_FILE_NOT_FOUND
inline constexpr std::uint32_t kPathNotFound = 3;          // ERROR_PATH_NOT_FOUND
inline constexpr std::uint32_t kAccessDenied = 5;          // ERROR_ACCESS_DENIED
inline constexpr std::uint32_t kInvalidHandle = 6;         // ERROR_INVALID_HANDLE
inline constexpr std::uint32_t kNotEnoughMemory = 8;       // ERROR_NOT_ENOUGH_MEMORY
inline constexpr std::uint32_t kInvalidAccess = 12;        // ERROR_INVALID_ACCESS
inline constexpr std::uint32_t kBadLength = 24;            // ERROR_BAD_LENGTH
inline constexpr std::uint32_t kSharingViolation = 32;     // ERROR_SHARING_VIOLATION
inline constexpr std::uint32_t kHandleEof = 38;            // ERROR_HANDLE_EOF
inline constexpr std::uint32_t kNotSupported = 50;         // ERROR_NOT_SUPPORTED
inline constexpr std::uint32_t kFileExists = 80;           // ERROR_FILE_EXISTS
inline constexpr std::uint32_t kInvalidParameter = 87;     // ERROR_INVALID_PARAMETER
inline constexpr std::uint32_t kBrokenPipe = 109;          // ERROR_BROKEN_PIPE
inline constexpr std::uint32_t kCallNotImplemented = 120;  // ERROR_CALL_NOT_IMPLEMENTED
inline constexpr std::uint32_t kSemTimeout = 121;          // ERROR_SEM_TIMEOUT
inline constexpr std::uint32_t kInsufficientBuffer = 122;  // ERROR_INSUFFICIENT_BUFFER
inline constexpr std::uint32_t kInvalidName = 123;         // ERROR_INVALID_NAME
inline constexpr std::uint32_t kAlreadyExists = 183;       // ERROR_ALREADY_EXISTS
inline constexpr std::uint32_t kBadPipe = 230;             // ERROR_BAD_PIPE
inline constexpr std::uint32_t kPipeBusy = 231;            // ERROR_PIPE_BUSY
inline constexpr std::uint32_t kNoData = 232;              // ERROR_NO_DATA
inline constexpr std::uint32_t kPipeNotConnected = 233;    // ERROR_PIPE_NOT_CONNECTED
inline constexpr std::uint32_t kMoreData = 234;            // ERROR_MORE_DATA
inline constexpr std::uint32_t kWaitTimeout = 258;         // WAIT_TIMEOUT
inline constexpr std::uint32_t kTooManyPosts = 298;        // ERROR_TOO_MANY_POSTS
inline constexpr std::uint32_t kNotOwner = 288;            // ERROR_NOT_OWNER
inline constexpr std::uint32_t kPartialCopy = 299;         // ERROR_PARTIAL_COPY
inline constexpr std::uint32_t kPipeConnected = 535;       // ERROR_PIPE_CONNECTED
inline constexpr std::uint32_t kPipeListening = 536;       // ERROR_PIPE_LISTENING
inline constexpr std::uint32_t kNoAccess = 998;            // ERROR_NOACCESS
inline constexpr std::uint32_t kInvalidFlags = 1004;       // ERROR_INVALID_FLAGS
inline constexpr std::uint32_t kPrivilegeNotHeld = 1314;   // ERROR_PRIVILEGE_NOT_HELD
inline constexpr std::uint32_t kInternalError = 1359;      // ERROR_INTERNAL_ERROR

// Not an error: GetExitCodeProcess's code of a process still running.
inline constexpr std::uint32_t kStillActive = 259;  // STILL_ACTIVE

struct ErrorName {
  std::string_view name;  // "ERROR_INVALID_HANDLE"
  std::uint32_t code;     // 6
};

// Every error above by its winerror.h name, in order of code.
inline constexpr ErrorName kErrorNames[] = {
    {"ERROR_SUCCESS", kSuccess},
    {"ERROR_INVALID_FUNCTION", kInvalidFunction},
    {"ERROR_FILE_NOT_FOUND", kFileNotFound},
    {"ERROR_PATH_NOT_FOUND", kPathNotFound},
    {"ERROR_ACCESS_DENIED", kAccessDenied},
    {"ERROR_INVALID_HANDLE", kInvalidHandle},
    {"ERROR_NOT_ENOUGH_MEMORY", kNotEnoughMemory},
    {"ERROR_INVALID_ACCESS", kInvalidAccess},
    {"ERROR_BAD_LENGTH", kBadLength},
    {"ERROR_SHARING_VIOLATION", kSharingViolation},
    {"ERROR_HANDLE_EOF", kHandleEof},
    {"ERROR_NOT_SUPPORTED", kNotSupported},
    {"ERROR_FILE_EXISTS", kFileExists},
    {"ERROR_INVALID_PARAMETER", kInvalidParameter},
    {"ERROR_BROKEN_PIPE", kBrokenPipe},
    {"ERROR_CALL_NOT_IMPLEMENTED", kCallNotImplemented},
    {"ERROR_SEM_TIMEOUT", kSemTimeout},
    {"ERROR_INSUFFICIENT_BUFFER", kInsufficientBuffer},
    {"ERROR_INVALID_NAME", kInvalidName},
    {"ERROR_ALREADY_EXISTS", kAlreadyExists},
    {"ERROR_BAD_PIPE", kBadPipe},
    {"ERROR_PIPE_BUSY", kPipeBusy},
    {"ERROR_NO_DATA", kNoData},
    {"ERROR_PIPE_NOT_CONNECTED", kPipeNotConnected},
    {"ERROR_MORE_DATA", kMoreData},
    {"WAIT_TIMEOUT", kWaitTimeout},
    {"ERROR_NOT_OWNER", kNotOwner},
    {"ERROR_TOO_MANY_POSTS", kTooManyPosts},
    {"ERROR_PARTIAL_COPY", kPartialCopy},
    {"ERROR_PIPE_CONNECTED", kPipeConnected},
    {"ERROR_PIPE_LISTENING", kPipeListening},
    {"ERROR_NOACCESS", kNoAccess},
    {"ERROR_INVALID_FLAGS", kInvalidFlags},
    {"ERROR_PRIVILEGE_NOT_HELD", kPrivilegeNotHeld},
    {"ERROR_INTERNAL_ERROR", kInternalError},
};

// "ERROR_INVALID_HANDLE" for 6; "" for a code the table does not name.
constexpr std::string_view errorName(std::uint32_t code) {
  for (const ErrorName& e : kErrorNames)
    if (e.code == code) return e.name;
  return {};
}

constexpr std::optional<std::uint32_t> errorCode(std::string_view name) {
  for (const ErrorName& e : kErrorNames)
    if (e.name == name) return e.code;
  return std::nullopt;
}

}  // namespace hc::model::win32
