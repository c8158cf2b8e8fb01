#pragma once
// Access masks (SPEC 67-77): the rights each object type knows, how generic
// rights map onto them, what creation grants, and the names a scenario may
// spell a mask with. Pure constexpr data; no OS headers.
#include <cstdint>
#include <optional>
#include <string_view>

#include "handlecheck/model/Types.h"

namespace hc::model {

namespace access {
inline constexpr std::uint32_t kDelete = 0x00010000;              // DELETE
inline constexpr std::uint32_t kReadControl = 0x00020000;         // READ_CONTROL
inline constexpr std::uint32_t kSynchronize = 0x00100000;         // SYNCHRONIZE
inline constexpr std::uint32_t kStandardRequired = 0x000F0000;    // STANDARD_RIGHTS_REQUIRED
inline constexpr std::uint32_t kSystemSecurity = 0x01000000;      // ACCESS_SYSTEM_SECURITY
inline constexpr std::uint32_t kMaximumAllowed = 0x02000000;      // MAXIMUM_ALLOWED
inline constexpr std::uint32_t kGenericAll = 0x10000000;          // GENERIC_ALL
inline constexpr std::uint32_t kGenericExecute = 0x20000000;      // GENERIC_EXECUTE
inline constexpr std::uint32_t kGenericWrite = 0x40000000;        // GENERIC_WRITE
inline constexpr std::uint32_t kGenericRead = 0x80000000;         // GENERIC_READ
inline constexpr std::uint32_t kGenericBits = 0xF0000000;         // the four GENERIC_*
inline constexpr std::uint32_t kEventModifyState = 0x2;           // EVENT_MODIFY_STATE
inline constexpr std::uint32_t kSemaphoreModifyState = 0x2;       // SEMAPHORE_MODIFY_STATE
inline constexpr std::uint32_t kSectionQuery = 0x1;               // SECTION_QUERY = FILE_MAP_COPY
inline constexpr std::uint32_t kSectionMapWrite = 0x2;            // SECTION_MAP_WRITE
inline constexpr std::uint32_t kSectionMapRead = 0x4;             // SECTION_MAP_READ
inline constexpr std::uint32_t kFileReadData = 0x1;               // FILE_READ_DATA
inline constexpr std::uint32_t kFileWriteData = 0x2;              // FILE_WRITE_DATA
inline constexpr std::uint32_t kProcessTerminate = 0x1;           // PROCESS_TERMINATE
inline constexpr std::uint32_t kProcessCreateProcess = 0x80;      // PROCESS_CREATE_PROCESS
inline constexpr std::uint32_t kProcessQueryInformation = 0x400;  // PROCESS_QUERY_INFORMATION
inline constexpr std::uint32_t kProcessQueryLimited = 0x1000;   // PROCESS_QUERY_LIMITED_INFORMATION
inline constexpr std::uint32_t kThreadQueryInformation = 0x40;  // THREAD_QUERY_INFORMATION
inline constexpr std::uint32_t kThreadQueryLimited = 0x800;     // THREAD_QUERY_LIMITED_INFORMATION
// SPEC 72: the single bits OpenMutex refuses with ERROR_ACCESS_DENIED.
inline constexpr std::uint32_t kMutexInvalidBits = 0x0DE0FFFE;
}  // namespace access

// SPEC 69: what creating an object of that kind grants (a mapping made with
// PAGE_READWRITE; a mailslot's and a named pipe end's masks are the values
// Wine grants, unsettled: accessIsSettled says so).
constexpr std::uint32_t allAccess(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Event:
    case ObjectKind::Semaphore:
      return 0x1F0003;  // EVENT_ALL_ACCESS, SEMAPHORE_ALL_ACCESS
    case ObjectKind::Mutex:
      return 0x1F0001;  // MUTEX_ALL_ACCESS
    case ObjectKind::Mapping:
      return 0xF0007;  // STANDARD_RIGHTS_REQUIRED | SECTION_QUERY | SECTION_MAP_READ | _WRITE
    case ObjectKind::MailslotServer:
      return 0x120089;  // FILE_GENERIC_READ
    case ObjectKind::MailslotClient:
      return 0x120116;  // FILE_GENERIC_WRITE
    case ObjectKind::PipeRead:
      return 0x120189;  // FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES
    case ObjectKind::PipeWrite:
      return 0x120196;  // FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES
    case ObjectKind::Process:
    case ObjectKind::Thread:
      return 0x1FFFFF;  // PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS
    case ObjectKind::NamedPipeServer:
    case ObjectKind::NamedPipeClient:
      return 0x12019F;  // FILE_GENERIC_READ | FILE_GENERIC_WRITE
    case ObjectKind::Console:
      return 0xC0000000;  // GENERIC_READ | GENERIC_WRITE, as the console hands them out
  }
  return 0;
}

// The rights an object type knows (its ValidAccessMask), generic bits excluded.
constexpr std::uint32_t validAccess(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Event:
    case ObjectKind::Semaphore:
      return 0x1F0003;
    case ObjectKind::Mutex:
      return 0x1F0001;
    case ObjectKind::Mapping:
      return 0xF001F;  // SECTION_ALL_ACCESS
    case ObjectKind::Process:
    case ObjectKind::Thread:
      return 0x1FFFFF;
    default:
      return 0x1F01FF;  // FILE_ALL_ACCESS
  }
}

// File objects: pipe ends, mailslot ends, named pipe ends (SPEC 73: a copy
// asking for more than its source holds is unsettled for them).
constexpr bool isFileKind(ObjectKind kind) {
  return kind == ObjectKind::MailslotServer || kind == ObjectKind::MailslotClient ||
         kind == ObjectKind::PipeRead || kind == ObjectKind::PipeWrite ||
         kind == ObjectKind::NamedPipeServer || kind == ObjectKind::NamedPipeClient;
}

// Whether SPEC settles the mask of a handle to that kind at all (SPEC 69:
// not a mailslot's, not a named pipe end's, not a console handle's).
constexpr bool accessIsSettled(ObjectKind kind) {
  return kind != ObjectKind::MailslotServer && kind != ObjectKind::MailslotClient &&
         kind != ObjectKind::NamedPipeServer && kind != ObjectKind::NamedPipeClient &&
         kind != ObjectKind::Console;  // SPEC 61: an object the model does not otherwise know
}

// SPEC 68: the generic bits of `mask` replaced by the type's mapping.
constexpr std::uint32_t mapGenericAccess(ObjectKind kind, std::uint32_t mask) {
  struct Mapping {
    std::uint32_t read, write, execute, all;
  };
  Mapping m{};
  switch (kind) {
    case ObjectKind::Event:
    case ObjectKind::Semaphore:
      m = {0x20001, 0x20002, 0x120000, 0x1F0003};
      break;
    case ObjectKind::Mutex:
      m = {0x20001, 0x20000, 0x120000, 0x1F0001};
      break;
    case ObjectKind::Mapping:
      m = {0x20005, 0x20002, 0x20008, 0xF001F};
      break;
    case ObjectKind::Process:  // the core bits only (SPEC 68)
      m = {0x20410, 0x20BEA, 0x120000, 0x1FFFFF};
      break;
    case ObjectKind::Thread:
      m = {0x20048, 0x20037, 0x120000, 0x1FFFFF};
      break;
    default:  // File
      m = {0x120089, 0x120116, 0x1200A0, 0x1F01FF};
      break;
  }
  std::uint32_t out = mask & ~access::kGenericBits;
  if (mask & access::kGenericRead) out |= m.read;
  if (mask & access::kGenericWrite) out |= m.write;
  if (mask & access::kGenericExecute) out |= m.execute;
  if (mask & access::kGenericAll) out |= m.all;
  return out;
}

// SPEC 77: the LIMITED query right a full query right brings with it.
constexpr std::uint32_t withImpliedAccess(ObjectKind kind, std::uint32_t mask) {
  if (kind == ObjectKind::Process && (mask & access::kProcessQueryInformation))
    mask |= access::kProcessQueryLimited;
  if (kind == ObjectKind::Thread && (mask & access::kThreadQueryInformation))
    mask |= access::kThreadQueryLimited;
  return mask;
}

// The access-right names a scenario may write, with their values.
struct AccessName {
  std::string_view name;
  std::uint32_t value;
};
inline constexpr AccessName kAccessNames[] = {
    {"GENERIC_READ", 0x80000000},
    {"GENERIC_WRITE", 0x40000000},
    {"GENERIC_EXECUTE", 0x20000000},
    {"GENERIC_ALL", 0x10000000},
    {"MAXIMUM_ALLOWED", 0x02000000},
    {"ACCESS_SYSTEM_SECURITY", 0x01000000},
    {"SYNCHRONIZE", 0x00100000},
    {"WRITE_OWNER", 0x00080000},
    {"WRITE_DAC", 0x00040000},
    {"READ_CONTROL", 0x00020000},
    {"DELETE", 0x00010000},
    {"STANDARD_RIGHTS_REQUIRED", 0x000F0000},
    {"EVENT_QUERY_STATE", 0x1},
    {"EVENT_MODIFY_STATE", 0x2},
    {"EVENT_ALL_ACCESS", 0x1F0003},
    {"MUTANT_QUERY_STATE", 0x1},
    {"MUTEX_MODIFY_STATE", 0x1},
    {"MUTEX_ALL_ACCESS", 0x1F0001},
    {"SEMAPHORE_QUERY_STATE", 0x1},
    {"SEMAPHORE_MODIFY_STATE", 0x2},
    {"SEMAPHORE_ALL_ACCESS", 0x1F0003},
    {"SECTION_QUERY", 0x1},
    {"SECTION_MAP_WRITE", 0x2},
    {"SECTION_MAP_READ", 0x4},
    {"SECTION_MAP_EXECUTE", 0x8},
    {"SECTION_EXTEND_SIZE", 0x10},
    {"FILE_MAP_COPY", 0x1},
    {"FILE_MAP_WRITE", 0x2},
    {"FILE_MAP_READ", 0x4},
    {"FILE_MAP_ALL_ACCESS", 0xF001F},
    {"FILE_READ_DATA", 0x1},
    {"FILE_WRITE_DATA", 0x2},
    {"FILE_APPEND_DATA", 0x4},
    {"FILE_READ_ATTRIBUTES", 0x80},
    {"FILE_WRITE_ATTRIBUTES", 0x100},
    {"PROCESS_TERMINATE", 0x1},
    {"PROCESS_DUP_HANDLE", 0x40},
    {"PROCESS_CREATE_PROCESS", 0x80},
    {"PROCESS_QUERY_INFORMATION", 0x400},
    {"PROCESS_QUERY_LIMITED_INFORMATION", 0x1000},
    {"PROCESS_ALL_ACCESS", 0x1FFFFF},
    {"THREAD_QUERY_INFORMATION", 0x40},
    {"THREAD_QUERY_LIMITED_INFORMATION", 0x800},
    {"THREAD_ALL_ACCESS", 0x1FFFFF},
};

// A mask as a scenario writes it: hex ("0x1f0003"), decimal, or access-right
// names joined by '|' ("SYNCHRONIZE|EVENT_MODIFY_STATE"), or a mix. Nothing
// for an unknown name or a malformed number.
constexpr std::optional<std::uint32_t> parseAccessMask(std::string_view text) {
  std::uint32_t mask = 0;
  for (;;) {
    const auto bar = text.find('|');
    const std::string_view term = text.substr(0, bar);
    std::optional<std::uint32_t> value;
    const bool hex = term.size() > 2 && term[0] == '0' && (term[1] == 'x' || term[1] == 'X');
    if (hex || (!term.empty() && term[0] >= '0' && term[0] <= '9')) {
      std::uint64_t v = 0;
      const std::uint32_t base = hex ? 16 : 10;
      std::size_t i = hex ? 2 : 0;
      for (; i < term.size(); ++i) {
        const char c = term[i];
        std::uint32_t d = 99;
        if (c >= '0' && c <= '9')
          d = static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        if (d >= base) break;
        v = v * base + d;
        if (v > 0xFFFFFFFFu) break;
      }
      if (i == term.size()) value = static_cast<std::uint32_t>(v);
    } else {
      for (const AccessName& n : kAccessNames)
        if (n.name == term) value = n.value;
    }
    if (!value) return std::nullopt;
    mask |= *value;
    if (bar == std::string_view::npos) return mask;
    text.remove_prefix(bar + 1);
  }
}

}  // namespace hc::model
