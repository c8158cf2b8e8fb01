// Scenario steps printed as the Win32 calls the agent makes (Protocol.h).
#include "handlecheck/props/Trace.h"

#include <cstdio>

#include "Ops.h"

namespace hc::props {
namespace {

std::string ref(const scenario::HandleRef& h) {
  if (!h.raw) return h.name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "(HANDLE)0x%llx", static_cast<unsigned long long>(*h.raw));
  return buf;
}

std::string sa(bool inherit) { return inherit ? "&sa{bInheritHandle=TRUE}" : "NULL"; }
std::string wide(const std::string& s) { return s.empty() ? "NULL" : "L\"" + s + "\""; }
std::string boolean(bool b) { return b ? "TRUE" : "FALSE"; }

std::string call(const scenario::Step& s) {
  using scenario::ObjectType;
  using scenario::OpKind;
  const std::string as0 = s.as.empty() ? "h" : s.as[0];
  switch (s.op) {
    case OpKind::Create:
      switch (s.type) {
        case ObjectType::Event:
          return as0 + " = CreateEventW(" + sa(s.inherit) + ", FALSE, FALSE, " + wide(s.objectName) + ")";
        case ObjectType::Mutex:
          return as0 + " = CreateMutexW(" + sa(s.inherit) + ", FALSE, " + wide(s.objectName) + ")";
        case ObjectType::Semaphore:
          return as0 + " = CreateSemaphoreW(" + sa(s.inherit) + ", 0, 1, " + wide(s.objectName) + ")";
        case ObjectType::Mapping:
          return as0 + " = CreateFileMappingW(INVALID_HANDLE_VALUE, " + sa(s.inherit) +
                 ", PAGE_READWRITE, 0, 4096, " + wide(s.objectName) + ")";
        case ObjectType::Mailslot:
          return as0 + " = CreateMailslotW(L\"\\\\.\\mailslot\\" + s.objectName + "\", 0, 0, " +
                 sa(s.inherit) + ")";
        case ObjectType::Pipe:
          return "CreatePipe(&" + as0 + ", &" + (s.as.size() > 1 ? s.as[1] : "w") + ", " +
                 sa(s.inherit) + ", 0)";
      }
      break;
    case OpKind::Open:
      switch (s.type) {
        case ObjectType::Event:
          return as0 + " = OpenEventW(EVENT_ALL_ACCESS, " + boolean(s.inherit) + ", " + wide(s.objectName) + ")";
        case ObjectType::Mutex:
          return as0 + " = OpenMutexW(MUTEX_ALL_ACCESS, " + boolean(s.inherit) + ", " + wide(s.objectName) + ")";
        case ObjectType::Semaphore:
          return as0 + " = OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, " + boolean(s.inherit) + ", " +
                 wide(s.objectName) + ")";
        case ObjectType::Mapping:
          return as0 + " = OpenFileMappingW(FILE_MAP_ALL_ACCESS, " + boolean(s.inherit) + ", " +
                 wide(s.objectName) + ")";
        case ObjectType::Mailslot:
        case ObjectType::Pipe:
          return as0 + " = CreateFileW(L\"\\\\.\\mailslot\\" + s.objectName +
                 "\", GENERIC_WRITE, FILE_SHARE_READ, " + sa(s.inherit) + ", OPEN_EXISTING, 0, NULL)";
      }
      break;
    case OpKind::Spawn: {
      std::string list;
      if (s.only) {
        list = ", HANDLE_LIST{";
        for (std::size_t i = 0; i < s.only->size(); ++i) list += (i ? "," : "") + ref((*s.only)[i]);
        list += "}";
      }
      return "CreateProcessW(agent " + s.child + ", " + sa(s.processInherit) + ", " +
             sa(s.threadInherit) + ", bInheritHandles=" + boolean(s.inherit) + list + ") -> " +
             (s.as.size() > 1 ? s.as[0] + ", " + s.as[1] : std::string("pi"));
    }
    case OpKind::Close:
      return "CloseHandle(" + ref(s.handle) + ")";
    case OpKind::Dup:
      return "DuplicateHandle(GetCurrentProcess(), " + ref(s.handle) + ", " +
             (s.target.empty() ? std::string("GetCurrentProcess()") : "h" + s.target) + ", &" + as0 +
             ", 0, " + boolean(s.inherit) + ", DUPLICATE_SAME_ACCESS" +
             (s.closeSource ? "|DUPLICATE_CLOSE_SOURCE" : "") + ")";
    case OpKind::Set: {
      const std::uint32_t mask = (s.setInherit ? proto::kFlagInherit : 0u) |
                                 (s.setProtect ? proto::kFlagProtect : 0u);
      const std::uint32_t flags = (s.setInherit.value_or(false) ? proto::kFlagInherit : 0u) |
                                  (s.setProtect.value_or(false) ? proto::kFlagProtect : 0u);
      return "SetHandleInformation(" + ref(s.handle) + ", " + proto::handleFlagsText(mask) + ", " +
             proto::handleFlagsText(flags) + ")";
    }
    case OpKind::Write:
      return "WriteFile(" + ref(s.handle) + ", \"" + s.text + "\")";
    case OpKind::Read:
      return "ReadFile(" + ref(s.handle) + ", buf, 4096)";
    case OpKind::Query:
      return "GetHandleInformation(" + ref(s.handle) + "); NtQueryObject(" + ref(s.handle) + ")";
    case OpKind::Exit:
      return "ExitProcess(" + std::to_string(s.code.value_or(0)) + ")";
    case OpKind::Terminate:
      return "TerminateProcess(" + ref(s.handle) + ", " + std::to_string(s.code.value_or(0)) + ")";
    case OpKind::Wait:
      return "WaitForSingleObject(" + ref(s.handle) + ", INFINITE); GetExitCodeProcess(" +
             ref(s.handle) + ")";
  }
  return "?";
}

}  // namespace

std::string win32Call(const scenario::Step& s) { return s.process + ": " + call(s); }

proto::Op opOf(const scenario::Step& s) {
  std::string spelled(scenario::opName(s.op));
  if (s.op == scenario::OpKind::Create || s.op == scenario::OpKind::Open)
    spelled += " " + std::string(scenario::typeName(s.type));
  for (const proto::OpInfo& info : proto::ops())
    if (info.scenario == spelled) return info.op;
  return proto::Op::Ping;
}

}  // namespace hc::props
