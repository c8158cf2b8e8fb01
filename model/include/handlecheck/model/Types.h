#pragma once
// Basic vocabulary of the model (SPEC "The picture"). No OS headers.
#include <cstdint>
#include <string_view>

#include "handlecheck/model/Errors.h"

namespace hc::model {

using HandleValue = std::uint32_t;  // SPEC 1: multiple of 4, never 0
using ObjectId = std::uint32_t;     // index into System::objects
using ProcessId = std::uint32_t;    // index into System::processes
inline constexpr ObjectId kNoObject = ~ObjectId{0};
inline constexpr ProcessId kNoProcess = ~ProcessId{0};

// SPEC 1: pseudo handles, never in a table: GetCurrentProcess(), GetCurrentThread().
// The one definition of their values (the wire's 64-bit form is Protocol.h's,
// derived from these).
inline constexpr HandleValue kCurrentProcess = 0xFFFFFFFFu;  // (HANDLE)-1
inline constexpr HandleValue kCurrentThread = 0xFFFFFFFEu;   // (HANDLE)-2
inline constexpr bool isPseudoHandle(HandleValue h) {
  return h == kCurrentProcess || h == kCurrentThread;
}

// SPEC 17: the flag bits of a handle entry (Get/SetHandleInformation).
inline constexpr std::uint32_t kHandleFlagInherit = 0x1;  // HANDLE_FLAG_INHERIT
inline constexpr std::uint32_t kHandleFlagProtect = 0x2;  // HANDLE_FLAG_PROTECT_FROM_CLOSE

// SPEC 40-43: CreateNamedPipeW's dwOpenMode and dwPipeMode bits, and the
// access a client's CreateFileW asks for.
inline constexpr std::uint32_t kPipeAccessInbound = 0x1;  // PIPE_ACCESS_INBOUND: the server reads
inline constexpr std::uint32_t kPipeAccessOutbound =
    0x2;                                                 // PIPE_ACCESS_OUTBOUND: the server writes
inline constexpr std::uint32_t kPipeAccessDuplex = 0x3;  // PIPE_ACCESS_DUPLEX
inline constexpr std::uint32_t kFileFlagFirstPipeInstance = 0x00080000;
inline constexpr std::uint32_t kPipeNowait = 0x1;           // PIPE_NOWAIT
inline constexpr std::uint32_t kPipeReadmodeMessage = 0x2;  // PIPE_READMODE_MESSAGE
inline constexpr std::uint32_t kPipeTypeMessage = 0x4;      // PIPE_TYPE_MESSAGE
inline constexpr std::uint32_t kPipeUnlimitedInstances = 255;
inline constexpr std::uint32_t kGenericRead = 0x80000000;
inline constexpr std::uint32_t kGenericWrite = 0x40000000;

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
  NamedPipeServer,  // CreateNamedPipeW's handle: the server end of one instance (SPEC 40, 41)
  NamedPipeClient,  // a client's CreateFileW on the pipe: the instance's client end (SPEC 43)
  // SPEC 61: a console input or output object behind a fresh console handle
  // (Windows 8+: a File on \Device\ConDrv); its type name and HandleCount
  // are not contractual.
  Console,
};

// The std slots (SPEC 51): STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE.
inline constexpr std::uint32_t kStdSlots = 3;
// STD_*_HANDLE as CloseHandle sees them (SPEC 53): (HANDLE)-10, -11, -12.
inline constexpr HandleValue kStdInputId = 0xFFFFFFF6u;
inline constexpr HandleValue kStdErrorId = 0xFFFFFFF4u;
// INVALID_HANDLE_VALUE is the value of GetCurrentProcess() (SPEC 62).
inline constexpr HandleValue kInvalidHandleValue = kCurrentProcess;

// NT type name as NtQueryObject(ObjectTypeInformation) reports it.
std::string_view typeName(ObjectKind);
// Scenario-facing kind name ("event", "mailslot-client", ...), for diagrams.
std::string_view kindName(ObjectKind);

}  // namespace hc::model
