#pragma once
// Basic vocabulary of the model (SPEC "The picture"). No OS headers.
#include <cstdint>
#include <string_view>

namespace hc::model {

using HandleValue = std::uint32_t;  // SPEC 1: multiple of 4, never 0
using ObjectId = std::uint32_t;     // index into System::objects
using ProcessId = std::uint32_t;    // index into System::processes
inline constexpr ObjectId kNoObject = ~ObjectId{0};
inline constexpr ProcessId kNoProcess = ~ProcessId{0};

// SPEC 1: pseudo handles, never in a table: GetCurrentProcess(), GetCurrentThread().
inline constexpr HandleValue kCurrentProcess = 0xFFFFFFFFu;  // (HANDLE)-1
inline constexpr HandleValue kCurrentThread = 0xFFFFFFFEu;   // (HANDLE)-2
inline constexpr bool isPseudoHandle(HandleValue h) {
  return h == kCurrentProcess || h == kCurrentThread;
}

// Win32 error codes the model predicts (winerror.h values), by name.
namespace win32 {
inline constexpr std::uint32_t kSuccess = 0;               // ERROR_SUCCESS
inline constexpr std::uint32_t kFileNotFound = 2;          // ERROR_FILE_NOT_FOUND
inline constexpr std::uint32_t kAccessDenied = 5;          // ERROR_ACCESS_DENIED
inline constexpr std::uint32_t kBadLength = 24;            // ERROR_BAD_LENGTH
inline constexpr std::uint32_t kSharingViolation = 32;     // ERROR_SHARING_VIOLATION
inline constexpr std::uint32_t kInvalidHandle = 6;         // ERROR_INVALID_HANDLE
inline constexpr std::uint32_t kHandleEof = 38;            // ERROR_HANDLE_EOF
inline constexpr std::uint32_t kInvalidParameter = 87;     // ERROR_INVALID_PARAMETER
inline constexpr std::uint32_t kBrokenPipe = 109;          // ERROR_BROKEN_PIPE
inline constexpr std::uint32_t kSemTimeout = 121;          // ERROR_SEM_TIMEOUT
inline constexpr std::uint32_t kAlreadyExists = 183;       // ERROR_ALREADY_EXISTS
inline constexpr std::uint32_t kNoData = 232;              // ERROR_NO_DATA
inline constexpr std::uint32_t kStillActive = 259;         // STILL_ACTIVE
}  // namespace win32

enum class ObjectKind : std::uint8_t {
  Event,
  Mutex,
  Semaphore,
  Mapping,
  MailslotServer,  // the mailslot itself: CreateMailslot's handle (SPEC 10)
  MailslotClient,  // a write handle from CreateFile on the mailslot (SPEC 11)
  PipeRead,        // CreatePipe read end (SPEC 13)
  PipeWrite,       // CreatePipe write end
  Process,
  Thread,
};

// NT type name as NtQueryObject(ObjectTypeInformation) reports it.
std::string_view typeName(ObjectKind);
// Scenario-facing kind name ("event", "mailslot-client", ...), for diagrams.
std::string_view kindName(ObjectKind);

}  // namespace hc::model
