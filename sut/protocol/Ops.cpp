// The op catalogue (Ops.h): one row per proto::Op, in enum order.
#include "Ops.h"

#include <array>

namespace hc::proto {
namespace {

// SPEC rule numbers per kind of call.
constexpr int kCreateRules[] = {4, 5, 6, 7};
constexpr int kOpenRules[] = {8, 9};
constexpr int kMailslotRules[] = {10, 12};
constexpr int kClientRules[] = {11, 12};
constexpr int kPipeRules[] = {13};
constexpr int kSpawnRules[] = {22, 23, 24, 25};
constexpr int kCloseRules[] = {14, 15, 16};
constexpr int kDupRules[] = {18, 19, 20, 21};
constexpr int kSetRules[] = {17};
constexpr int kIoRules[] = {11, 13};
constexpr int kQueryRules[] = {1, 29};
constexpr int kExitRules[] = {26};
constexpr int kTerminateRules[] = {26, 28};
constexpr int kWaitRules[] = {27};

constexpr std::array kOps = {
    OpInfo{Op::Ping, "ping", "", "", "", "", {}},
    OpInfo{Op::CreateEvent, "create-event", "create event", "CreateEventW",
           "CreateEventW({sa}, FALSE, FALSE, {name})",
           "hc_create_event(&c, {inherit}, {name})", kCreateRules},
    OpInfo{Op::CreateMutex, "create-mutex", "create mutex", "CreateMutexW",
           "CreateMutexW({sa}, FALSE, {name})",
           "hc_create_mutex(&c, {inherit}, {name})", kCreateRules},
    OpInfo{Op::CreateSemaphore, "create-semaphore", "create semaphore", "CreateSemaphoreW",
           "CreateSemaphoreW({sa}, 0, 1, {name})",
           "hc_create_semaphore(&c, {inherit}, {name})", kCreateRules},
    OpInfo{Op::CreateMapping, "create-mapping", "create mapping", "CreateFileMappingW",
           "CreateFileMappingW(INVALID_HANDLE_VALUE, {sa}, PAGE_READWRITE, 0, 4096, {name})",
           "hc_create_mapping(&c, {inherit}, {name})", kCreateRules},
    OpInfo{Op::CreateMailslot, "create-mailslot", "create mailslot", "CreateMailslotW",
           "CreateMailslotW({mailslot}, 0, 0, {sa})",
           "hc_create_mailslot(&c, {inherit}, {name})", kMailslotRules},
    OpInfo{Op::CreatePipe, "create-pipe", "create pipe", "CreatePipe", "CreatePipe(&r, &w, {sa}, 0)",
           "hc_create_pipe(&c, {inherit})", kPipeRules},
    OpInfo{Op::OpenEvent, "open-event", "open event", "OpenEventW", "OpenEventW(EVENT_ALL_ACCESS, {inherit}, {name})",
           "hc_open_event(&c, {inherit}, {name})", kOpenRules},
    OpInfo{Op::OpenMutex, "open-mutex", "open mutex", "OpenMutexW", "OpenMutexW(MUTEX_ALL_ACCESS, {inherit}, {name})",
           "hc_open_mutex(&c, {inherit}, {name})", kOpenRules},
    OpInfo{Op::OpenSemaphore, "open-semaphore", "open semaphore", "OpenSemaphoreW",
           "OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, {inherit}, {name})",
           "hc_open_semaphore(&c, {inherit}, {name})", kOpenRules},
    OpInfo{Op::OpenMapping, "open-mapping", "open mapping", "OpenFileMappingW",
           "OpenFileMappingW(FILE_MAP_ALL_ACCESS, {inherit}, {name})",
           "hc_open_mapping(&c, {inherit}, {name})", kOpenRules},
    OpInfo{Op::OpenMailslot, "open-mailslot", "open mailslot", "CreateFileW",
           "CreateFileW({mailslot}, GENERIC_WRITE, {share}, {sa}, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)",
           "hc_open_mailslot(&c, {inherit}, {name}, {share})", kClientRules},
    OpInfo{Op::Spawn, "spawn", "spawn", "CreateProcessW",
           "CreateProcessW(agent, {process-sa}, {thread-sa}, {spawn-inherit}, {list})",
           "", kSpawnRules},
    OpInfo{Op::Close, "close", "close", "CloseHandle", "CloseHandle({h})",
           "hc_close(&c, {h})", kCloseRules},
    OpInfo{Op::Dup, "dup", "dup", "DuplicateHandle",
           "DuplicateHandle(GetCurrentProcess(), {h}, {target}, &out, 0, {inherit}, {options})",
           "hc_duplicate(&c, {h}, {target}, {inherit}, {layer-options})", kDupRules},
    OpInfo{Op::Set, "set", "set", "SetHandleInformation", "SetHandleInformation({h}, {mask}, {flags})",
           "hc_set_information(&c, {h}, {mask}, {flags})", kSetRules},
    OpInfo{Op::Write, "write", "write", "WriteFile", "WriteFile({h}, {text})",
           "hc_write(&c, {h}, {text}, {length})", kIoRules},
    OpInfo{Op::Read, "read", "read", "ReadFile", "ReadFile({h}, buf, 4096)",
           "hc_read(&c, {h})", kIoRules},
    OpInfo{Op::Query, "query", "query", "GetHandleInformation",
           "GetHandleInformation({h}); NtQueryObject({h})",
           "", kQueryRules},
    OpInfo{Op::Exit, "exit", "exit", "ExitProcess", "ExitProcess({code})",
           "", kExitRules},
    OpInfo{Op::Terminate, "terminate", "terminate", "TerminateProcess", "TerminateProcess({h}, {code})",
           "", kTerminateRules},
    OpInfo{Op::Wait, "wait", "wait", "WaitForSingleObject",
           "WaitForSingleObject({h}, INFINITE); GetExitCodeProcess({h})",
           "", kWaitRules},
    OpInfo{Op::Observe, "observe", "", "", "", "", {}},
    OpInfo{Op::Reset, "reset", "", "", "", "", {}},
    OpInfo{Op::Quit, "quit", "", "", "", "", {}},
};

constexpr bool inEnumOrder() {
  for (std::size_t i = 0; i < kOps.size(); ++i)
    if (static_cast<std::size_t>(kOps[i].op) != i) return false;
  return kOps.size() == static_cast<std::size_t>(Op::Quit) + 1;
}
static_assert(inEnumOrder(), "kOps has one row per Op, in enum order");

std::string sa(bool inherit) { return inherit ? "&sa{bInheritHandle=TRUE}" : "NULL"; }
std::string boolean(bool b) { return b ? "TRUE" : "FALSE"; }
std::string wide(const std::string& s) { return s.empty() ? "NULL" : "L\"" + s + "\""; }

std::string bits(std::uint32_t v, std::initializer_list<std::pair<std::uint32_t, std::string_view>> names) {
  std::string out;
  for (const auto& [bit, name] : names) {
    if (!(v & bit)) continue;
    if (!out.empty()) out += '|';
    out += name;
    v &= ~bit;
  }
  if (v) out += (out.empty() ? "" : "|") + hex(v);
  return out.empty() ? "0" : out;
}

}  // namespace

std::span<const OpInfo> ops() { return kOps; }

const OpInfo& opInfo(Op op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kOps.size() ? kOps[i] : kOps[0];
}

const OpInfo* opByName(std::string_view wireName) {
  for (const OpInfo& info : kOps)
    if (info.name == wireName) return &info;
  return nullptr;
}

std::string_view opName(Op op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kOps.size() ? kOps[i].name : "unknown-op";
}

std::string dupOptionsText(const Request& q) {
  std::string out = "DUPLICATE_SAME_ACCESS";
  if (q.closeSource) out += "|DUPLICATE_CLOSE_SOURCE";
  if (q.sameAttributes) out += "|DUPLICATE_SAME_ATTRIBUTES";
  return out;
}

std::string dupExtraOptionsText(const Request& q) {
  const std::string all = dupOptionsText(q);
  const auto bar = all.find('|');
  return bar == std::string::npos ? "0" : all.substr(bar + 1);
}

std::string shareText(std::uint32_t share) {
  return bits(share, {{kShareRead, "FILE_SHARE_READ"}, {kShareWrite, "FILE_SHARE_WRITE"},
                      {kShareDelete, "FILE_SHARE_DELETE"}});
}

std::string handleFlagsText(std::uint32_t flags) {
  return bits(flags, {{kFlagInherit, "HANDLE_FLAG_INHERIT"}, {kFlagProtect, "HANDLE_FLAG_PROTECT_FROM_CLOSE"}});
}

namespace {

// A template of the catalogue with its placeholders filled in, in one pass:
// a filled-in value is never read again as a placeholder.
std::string fill(std::string_view tmpl, const Request& q, const CallOperands& operands) {
  std::string list = operands.list;
  if (list.empty())
    for (const Handle h : q.handleList) list += (list.empty() ? "" : ",") + hex(h);
  const auto value = [&](std::string_view key) -> std::string {
    if (key == "process-sa") return sa(q.processInherit);
    if (key == "thread-sa") return sa(q.threadInherit);
    if (key == "spawn-inherit") return "bInheritHandles=" + boolean(q.spawnInherit);
    if (key == "list") return q.useHandleList ? "HANDLE_LIST{" + list + "}" : "no handle list";
    if (key == "mailslot") return "L\"\\\\.\\mailslot\\" + q.name + "\"";
    if (key == "name") return operands.name.empty() ? wide(q.name) : operands.name;
    if (key == "sa") return sa(q.inherit);
    if (key == "inherit") return boolean(q.inherit);
    if (key == "share") return shareText(q.share);
    if (key == "options") return dupOptionsText(q);
    if (key == "layer-options") return dupExtraOptionsText(q);
    if (key == "target") return operands.target.empty() ? "hP" + std::to_string(q.target) : operands.target;
    if (key == "mask") return handleFlagsText(q.setMask);
    if (key == "flags") return handleFlagsText(q.setFlags);
    if (key == "text") return operands.text.empty() ? "\"" + q.text + "\"" : operands.text;
    if (key == "length") return std::to_string(q.text.size());
    if (key == "code") return std::to_string(q.code);
    if (key == "h") return operands.handle.empty() ? hex(q.handle) : operands.handle;
    return "{" + std::string(key) + "}";
  };
  std::string out;
  for (std::size_t at = 0; at < tmpl.size();) {
    const auto open = tmpl.find('{', at);
    const auto close = open == std::string_view::npos ? open : tmpl.find('}', open);
    if (close == std::string_view::npos) {
      out += tmpl.substr(at);
      break;
    }
    out += tmpl.substr(at, open - at);
    out += value(tmpl.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return out;
}

}  // namespace

std::string callText(const Request& q, const CallOperands& operands) {
  return fill(opInfo(q.op).call, q, operands);
}

std::string layerCallText(const Request& q, const CallOperands& operands) {
  return fill(opInfo(q.op).layer, q, operands);
}

}  // namespace hc::proto
