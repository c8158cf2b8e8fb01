// The table of operations (Ops.h): one row per proto::Op, in enum order.
#include "Ops.h"

#include <algorithm>
#include <array>

namespace hc::proto {
namespace {

// The rules each kind of call follows, in rule order.
using R = RuleId;
constexpr RuleId kCreateRules[] = {R::CreateMakesNewObject, R::CreateExistingNameOpensIt,
                                   R::NameOfOtherTypeFails, R::NamesAreCaseSensitive};
constexpr RuleId kMailslotRules[] = {R::CreateMailslotReturnsServer,
                                     R::LastServerHandleDeletesMailslot};
constexpr RuleId kClientRules[] = {R::MailslotClientsWriteMessages,
                                   R::LastServerHandleDeletesMailslot};
constexpr RuleId kPipeRules[] = {R::CreatePipeMakesTwoEnds};
constexpr RuleId kSpawnRules[] = {R::InheritCopiesEntry,
                                  R::OnlyInheritableHandlesInherited,
                                  R::ProcessInformationHandlesAreNew,
                                  R::HandleListLimitsInheritance,
                                  R::ConsoleCreationMode,
                                  R::ChildStdSlotRule,
                                  R::VerbatimStdValueIsNotAGrant,
                                  R::DuplicatedStdSlotKeepsFlags,
                                  R::HandleListStillDuplicatesStd,
                                  R::DetachedChildStdNull,
                                  R::NewConsoleFreshStdHandles,
                                  R::InvalidStdValueInParent,
                                  R::AttributeListSizing,
                                  R::UpdateProcThreadAttributeChecks,
                                  R::CreateProcessValidatesHandleList,
                                  R::HandleListInheritsListedOnly,
                                  R::DesignatedParentTableInherited,
                                  R::ProcessInformationGoesToCaller,
                                  R::DesignatedParentHandleChecked,
                                  R::HandleListInDesignatedParent};
constexpr RuleId kCloseRules[] = {R::CloseRemovesEntry, R::CloseNotOpenFails,
                                  R::ProtectedHandleStaysOpen};
constexpr RuleId kDupRules[] = {R::DuplicateAddsHandle,         R::CloseSourceClosesEvenOnFailure,
                                R::PseudoSourceGivesRealHandle, R::DuplicateIntoExitedProcessFails,
                                R::CloseSourceInAnotherProcess, R::DuplicateSetsAccess,
                                R::QueryRightsImplyLimited};
constexpr RuleId kSetRules[] = {R::SetHandleInformationMasksFlags};
constexpr RuleId kIoRules[] = {R::MailslotClientsWriteMessages, R::CreatePipeMakesTwoEnds};
constexpr RuleId kQueryRules[] = {R::HandleValuesPerProcess, R::ProcessCountIsLowerBound};
constexpr RuleId kExitRules[] = {R::ExitClosesAllHandles};
constexpr RuleId kTerminateRules[] = {R::ExitClosesAllHandles, R::TerminateIsAsynchronous};
constexpr RuleId kWaitRules[] = {R::ProcessObjectOutlivesProcess, R::OperationsCheckRights};
constexpr RuleId kPeekRules[] = {R::PeekWhilePeerOpenSucceeds, R::BufferedDataOutlivesWriter,
                                 R::PipeEndOfFile, R::EofIffPeerClosedAndBufferEmpty,
                                 R::AnonymousEndsAreOneWay};
constexpr RuleId kNamedPipeRules[] = {R::NewNamedPipeHasOneInstance, R::NamedPipeInstanceChecks,
                                      R::NamedPipeInvalidParameters, R::PipeNameLivesWithServerEnd};
constexpr RuleId kPipeClientRules[] = {R::ClientConnectsToListeningInstance,
                                       R::PipeNameLivesWithServerEnd};
constexpr RuleId kConnectRules[] = {R::NamedPipeInstanceStates, R::ConnectNamedPipeNowait};
constexpr RuleId kDisconnectRules[] = {R::NamedPipeInstanceStates};
constexpr RuleId kPipeStateRules[] = {R::NamedPipeInstanceStates, R::InstancesCountServerEnds};
constexpr RuleId kStdRules[] = {R::StdSlotIsPlainValue, R::UnknownStdSlotIdFails};
constexpr RuleId kOpenAccessRules[] = {R::OpenAddsHandle,
                                       R::NamedObjectDiesWithLastHandle,
                                       R::GenericRightsMappedByType,
                                       R::OpenGrantsRequestedAccess,
                                       R::OpenWithZeroAccessFails,
                                       R::OpenMutexRefusesInvalidRights};
constexpr RuleId kSignalRules[] = {R::OperationsCheckRights};
constexpr RuleId kMapRules[] = {R::OperationsCheckRights};

// The scenario words of each kind of call (Grammar).
using A = Arg;
constexpr Arg kName[] = {A::Name};
constexpr Arg kNewName[] = {A::NewName};
constexpr Arg kHandle[] = {A::Operand};
constexpr Arg kHandleText[] = {A::Operand, A::Text};
constexpr Arg kHandleCode[] = {A::Operand, A::Code};
constexpr Arg kCode[] = {A::Code};
constexpr Arg kChild[] = {A::Child};
constexpr Arg kCreateOptions[] = {A::NameOption, A::Inherit};
constexpr Arg kInherit[] = {A::Inherit};
constexpr Arg kClientOptions[] = {A::Inherit, A::Share};
constexpr Arg kSpawnOptions[] = {
    A::InheritHandles, A::NoInherit,   A::Only,           A::ListSize,      A::ParentProcess,
    A::ParentSize,     A::UnknownAttr, A::ProcessInherit, A::ThreadInherit, A::StdInput,
    A::StdOutput,      A::StdError,    A::Detached,       A::NewConsole,    A::NoWindow,
    A::InheritConsole, A::Gui};
constexpr Arg kStdSlot[] = {A::StdSlot};
constexpr Arg kStdSlotHandle[] = {A::StdSlot, A::Operand};
constexpr Arg kDupOptions[] = {A::From,    A::To,          A::DesiredAccess,
                               A::Inherit, A::CloseSource, A::SameAttributes};
constexpr Arg kOpenAccessOptions[] = {A::DesiredAccess, A::Inherit};
constexpr Arg kMapOptions[] = {A::MapWrite};
constexpr Arg kSetOptions[] = {A::SetInherit, A::SetProtect};
constexpr Arg kNamedPipeOptions[] = {A::Direction,    A::PipeType,      A::ReadMode, A::NoWait,
                                     A::MaxInstances, A::FirstInstance, A::Inherit};
constexpr Arg kPipeClientOptions[] = {A::Access, A::Inherit};

constexpr Grammar kCreate{{}, kCreateOptions, 1};
constexpr Grammar kCreateNamed{kNewName, kInherit, 1};
constexpr Grammar kCreatePipe{{}, kInherit, 2};
constexpr Grammar kOpen{kName, kOpenAccessOptions, 1};
constexpr Grammar kMap{kHandle, kMapOptions, 0};
constexpr Grammar kOpenClient{kName, kClientOptions, 1};
constexpr Grammar kSpawn{kChild, kSpawnOptions, 2};
constexpr Grammar kOnHandle{kHandle, {}, 0};
constexpr Grammar kDup{kHandle, kDupOptions, 1};
constexpr Grammar kSet{kHandle, kSetOptions, 0};
constexpr Grammar kWrite{kHandleText, {}, 0};
constexpr Grammar kExit{kCode, {}, 0};
constexpr Grammar kTerminate{kHandleCode, {}, 0};
constexpr Grammar kCreateNamedPipe{kNewName, kNamedPipeOptions, 1};
constexpr Grammar kOpenNamedPipe{kName, kPipeClientOptions, 1};
constexpr Grammar kGetStd{kStdSlot, {}, 1};
constexpr Grammar kSetStd{kStdSlotHandle, {}, 0};
constexpr Grammar kNone{};

constexpr std::array kOps = {
    OpInfo{Op::Ping, "ping", "", "", kNone, "", "", "", "", {}},
    OpInfo{Op::CreateEvent, "create-event", "create", "event", kCreate, "CreateEventW",
           "CreateEventW({sa}, FALSE, FALSE, {name})", "hc_create_event(&c, {inherit}, {name})", "",
           kCreateRules},
    OpInfo{Op::CreateMutex, "create-mutex", "create", "mutex", kCreate, "CreateMutexW",
           "CreateMutexW({sa}, FALSE, {name})", "hc_create_mutex(&c, {inherit}, {name})", "",
           kCreateRules},
    OpInfo{Op::CreateSemaphore, "create-semaphore", "create", "semaphore", kCreate,
           "CreateSemaphoreW", "CreateSemaphoreW({sa}, 0, 1, {name})",
           "hc_create_semaphore(&c, {inherit}, {name})", "", kCreateRules},
    OpInfo{Op::CreateMapping, "create-mapping", "create", "mapping", kCreate, "CreateFileMappingW",
           "CreateFileMappingW(INVALID_HANDLE_VALUE, {sa}, PAGE_READWRITE, 0, 4096, {name})",
           "hc_create_mapping(&c, {inherit}, {name})", "", kCreateRules},
    OpInfo{Op::CreateMailslot, "create-mailslot", "create", "mailslot", kCreateNamed,
           "CreateMailslotW", "CreateMailslotW({mailslot}, 0, 0, {sa})",
           "hc_create_mailslot(&c, {inherit}, {name})", "", kMailslotRules},
    OpInfo{Op::CreatePipe, "create-pipe", "create", "pipe", kCreatePipe, "CreatePipe",
           "CreatePipe(&r, &w, {sa}, 0)", "hc_create_pipe(&c, {inherit})", "", kPipeRules},
    OpInfo{Op::OpenEvent, "open-event", "open", "event", kOpen, "OpenEventW",
           "OpenEventW({desired:EVENT_ALL_ACCESS}, {inherit}, {name})",
           "hc_open_event(&c, {desired:EVENT_ALL_ACCESS}, {inherit}, {name})", "",
           kOpenAccessRules},
    OpInfo{Op::OpenMutex, "open-mutex", "open", "mutex", kOpen, "OpenMutexW",
           "OpenMutexW({desired:MUTEX_ALL_ACCESS}, {inherit}, {name})",
           "hc_open_mutex(&c, {desired:MUTEX_ALL_ACCESS}, {inherit}, {name})", "",
           kOpenAccessRules},
    OpInfo{Op::OpenSemaphore, "open-semaphore", "open", "semaphore", kOpen, "OpenSemaphoreW",
           "OpenSemaphoreW({desired:SEMAPHORE_ALL_ACCESS}, {inherit}, {name})",
           "hc_open_semaphore(&c, {desired:SEMAPHORE_ALL_ACCESS}, {inherit}, {name})", "",
           kOpenAccessRules},
    OpInfo{Op::OpenMapping, "open-mapping", "open", "mapping", kOpen, "OpenFileMappingW",
           "OpenFileMappingW({desired:FILE_MAP_ALL_ACCESS}, {inherit}, {name})",
           "hc_open_mapping(&c, {desired:FILE_MAP_ALL_ACCESS}, {inherit}, {name})", "",
           kOpenAccessRules},
    OpInfo{Op::OpenMailslot, "open-mailslot", "open", "mailslot", kOpenClient, "CreateFileW",
           "CreateFileW({mailslot}, GENERIC_WRITE, {share}, {sa}, OPEN_EXISTING, "
           "FILE_ATTRIBUTE_NORMAL, NULL)",
           "hc_open_mailslot(&c, {inherit}, {name}, {share})", "", kClientRules},
    OpInfo{Op::Spawn, "spawn", "spawn", "", kSpawn, "CreateProcessW",
           "CreateProcessW(agent, {process-sa}, {thread-sa}, {spawn-inherit}, "
           "{list}{parent}{spawn-std})",
           "", "", kSpawnRules},
    OpInfo{Op::Close, "close", "close", "", kOnHandle, "CloseHandle", "CloseHandle({h})",
           "hc_close(&c, {h})", "", kCloseRules},
    OpInfo{Op::Dup, "dup", "dup", "", kDup, "DuplicateHandle",
           "DuplicateHandle(GetCurrentProcess(), {h}, {target}, &out, 0, {inherit}, {options})",
           "hc_duplicate(&c, {h}, {target}, {inherit}, {layer-options})",
           "duplicate(&c, {h}, {target}, {inherit}, {layer-options}, {slot});", kDupRules},
    OpInfo{Op::Set, "set", "set", "", kSet, "SetHandleInformation",
           "SetHandleInformation({h}, {mask}, {flags})",
           "hc_set_information(&c, {h}, {mask}, {flags})", "", kSetRules},
    OpInfo{Op::Write, "write", "write", "", kWrite, "WriteFile", "WriteFile({h}, {text})",
           "hc_write(&c, {h}, {text}, {length})", "", kIoRules},
    OpInfo{Op::Read, "read", "read", "", kOnHandle, "ReadFile", "ReadFile({h}, buf, 4096)",
           "hc_read(&c, {h})", "", kIoRules},
    OpInfo{Op::Query, "query", "query", "", kOnHandle, "GetHandleInformation",
           "GetHandleInformation({h}); NtQueryObject({h})", "",
           "c.succeeded = TRUE;  /* observe only */", kQueryRules},
    OpInfo{Op::Exit, "exit", "exit", "", kExit, "ExitProcess", "ExitProcess({code})", "",
           "exit_process({code});", kExitRules},
    OpInfo{Op::Terminate, "terminate", "terminate", "", kTerminate, "TerminateProcess",
           "TerminateProcess({h}, {code})", "", "terminate_process(&c, {h}, {code});",
           kTerminateRules},
    OpInfo{Op::Wait, "wait", "wait", "", kOnHandle, "WaitForSingleObject",
           "WaitForSingleObject({h}, INFINITE); GetExitCodeProcess({h})", "", "wait_for(&c, {h});",
           kWaitRules},
    OpInfo{Op::Peek, "peek", "peek", "", kOnHandle, "PeekNamedPipe",
           "PeekNamedPipe({h}, NULL, 0, NULL, &avail, NULL)", "hc_peek(&c, {h})", "", kPeekRules},
    OpInfo{Op::CreateNamedPipe, "create-namedpipe", "create", "namedpipe", kCreateNamedPipe,
           "CreateNamedPipeW",
           "CreateNamedPipeW({pipe}, {open-mode}, {pipe-mode}, {max}, 4096, 4096, 0, {sa})",
           "hc_create_named_pipe(&c, {inherit}, {name}, {open-mode}, {pipe-mode}, {max})", "",
           kNamedPipeRules},
    OpInfo{Op::OpenNamedPipe, "open-namedpipe", "open", "namedpipe", kOpenNamedPipe, "CreateFileW",
           "CreateFileW({pipe}, {access}, 0, {sa}, OPEN_EXISTING, 0, NULL)",
           "hc_open_named_pipe(&c, {inherit}, {name}, {access})", "", kPipeClientRules},
    OpInfo{Op::ConnectNamedPipe, "connect", "connect", "", kOnHandle, "ConnectNamedPipe",
           "ConnectNamedPipe({h}, NULL)", "hc_connect_named_pipe(&c, {h})", "", kConnectRules},
    OpInfo{Op::DisconnectNamedPipe, "disconnect", "disconnect", "", kOnHandle,
           "DisconnectNamedPipe", "DisconnectNamedPipe({h})", "hc_disconnect_named_pipe(&c, {h})",
           "", kDisconnectRules},
    OpInfo{Op::PipeState, "pipestate", "pipestate", "", kOnHandle, "GetNamedPipeHandleState",
           "GetNamedPipeHandleState({h}, &state, &instances, NULL, NULL, NULL, 0)",
           "hc_named_pipe_state(&c, {h})", "", kPipeStateRules},
    // Standard handles.
    OpInfo{Op::GetStd, "get-std", "std", "", kGetStd, "GetStdHandle", "GetStdHandle({std-id})",
           "hc_get_std(&c, {std-id})", "get_std(&c, {std-id}, {slot});", kStdRules},
    OpInfo{Op::SetStd, "set-std", "setstd", "", kSetStd, "SetStdHandle",
           "SetStdHandle({std-id}, {h})", "hc_set_std(&c, {std-id}, {h})", "", kStdRules},
    OpInfo{Op::Signal, "signal", "signal", "", kOnHandle, "SetEvent",
           "SetEvent/ReleaseSemaphore({h}, 1, NULL)/ReleaseMutex({h}) by type",
           "hc_signal(&c, {h})", "", kSignalRules},
    OpInfo{Op::Map, "map", "map", "", kMap, "MapViewOfFile",
           "MapViewOfFile({h}, {map-access}, 0, 0, 0); UnmapViewOfFile",
           "hc_map(&c, {h}, {map-access})", "", kMapRules},
    OpInfo{Op::Observe, "observe", "", "", kNone, "", "", "", "", {}},
    OpInfo{Op::Reset, "reset", "", "", kNone, "", "", "", "", {}},
    OpInfo{Op::Quit, "quit", "", "", kNone, "", "", "", "", {}},
    OpInfo{Op::Block, "block", "", "", kNone, "", "", "", "", {}},
};

// Dup `from C` (Request::fromSource): the same row's call with no target
// process, which can only close the source (SPEC 50). {source} is the source
// process (hP<source> in traces; a pid or scenario process in reproducers).
constexpr std::string_view kDupFromCall =
    "DuplicateHandle({source}, {h}, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE)";
constexpr std::string_view kDupFromLayer = "hc_duplicate_close_source(&c, {source}, {h})";
constexpr std::string_view kDupFromRepro = "close_source_in(&c, {source}, {h});";

// Dup `access=MASK` (Request::hasDesiredAccess): dwDesiredAccess without
// DUPLICATE_SAME_ACCESS (SPEC 73).
constexpr std::string_view kDupAccessCall =
    "DuplicateHandle(GetCurrentProcess(), {h}, {target}, &out, {desired}, {inherit}, {options})";
constexpr std::string_view kDupAccessLayer =
    "hc_duplicate_access(&c, {h}, {target}, {desired}, {inherit}, {layer-options})";
constexpr std::string_view kDupAccessRepro =
    "duplicate_access(&c, {h}, {target}, {desired}, {inherit}, {layer-options}, {slot});";

constexpr bool inEnumOrder() {
  for (std::size_t i = 0; i < kOps.size(); ++i)
    if (static_cast<std::size_t>(kOps[i].op) != i) return false;
  return kOps.size() == static_cast<std::size_t>(Op::Block) + 1;
}
static_assert(inEnumOrder(), "kOps has one row per Op, in enum order");

// An attribute's cbSize when the step gives one (SPEC 79): "[cbSize=0]".
std::string sizeText(std::int64_t size) {
  return size < 0 ? std::string() : "[cbSize=" + std::to_string(size) + "]";
}
std::string sa(bool inherit) {
  return inherit ? "&sa{bInheritHandle=TRUE}" : "NULL";
}
std::string boolean(bool b) {
  return b ? "TRUE" : "FALSE";
}
std::string wide(const std::string& s) {
  return s.empty() ? "NULL" : "L\"" + s + "\"";
}

std::string stdId(std::uint32_t slot) {
  return slot == kStdInput    ? "STD_INPUT_HANDLE"
         : slot == kStdOutput ? "STD_OUTPUT_HANDLE"
                              : "STD_ERROR_HANDLE";
}

std::string bits(std::uint32_t v,
                 std::initializer_list<std::pair<std::uint32_t, std::string_view>> names) {
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

std::span<const OpInfo> ops() {
  return kOps;
}

const OpInfo& opInfo(Op op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kOps.size() ? kOps[i] : kOps[0];
}

const OpInfo* opByName(std::string_view wireName) {
  for (const OpInfo& info : kOps)
    if (info.name == wireName) return &info;
  return nullptr;
}

std::string keyword(Op op) {
  const OpInfo& info = opInfo(op);
  if (info.object.empty()) return std::string(info.verb);
  return std::string(info.verb) + " " + std::string(info.object);
}

bool takes(Op op, Arg arg) {
  const Grammar& g = opInfo(op).grammar;
  return std::find(g.words.begin(), g.words.end(), arg) != g.words.end() ||
         std::find(g.options.begin(), g.options.end(), arg) != g.options.end();
}

std::string_view opName(Op op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kOps.size() ? kOps[i].name : "unknown-op";
}

std::string dupOptionsText(const Request& q) {
  if (q.fromSource) return "DUPLICATE_CLOSE_SOURCE";
  const std::string extra = dupExtraOptionsText(q);
  if (q.hasDesiredAccess) return extra;
  return extra == "0" ? "DUPLICATE_SAME_ACCESS" : "DUPLICATE_SAME_ACCESS|" + extra;
}

std::string dupExtraOptionsText(const Request& q) {
  std::string out;
  if (q.closeSource) out += "DUPLICATE_CLOSE_SOURCE";
  if (q.sameAttributes) out += std::string(out.empty() ? "" : "|") + "DUPLICATE_SAME_ATTRIBUTES";
  return out.empty() ? "0" : out;
}

std::string shareText(std::uint32_t share) {
  return bits(share, {{kShareRead, "FILE_SHARE_READ"},
                      {kShareWrite, "FILE_SHARE_WRITE"},
                      {kShareDelete, "FILE_SHARE_DELETE"}});
}

std::string pipeOpenModeText(std::uint32_t openMode) {
  static constexpr std::string_view kDirections[] = {"0", "PIPE_ACCESS_INBOUND",
                                                     "PIPE_ACCESS_OUTBOUND", "PIPE_ACCESS_DUPLEX"};
  std::string out(kDirections[openMode & model::kPipeAccessDuplex]);
  if (openMode & model::kFileFlagFirstPipeInstance) out += "|FILE_FLAG_FIRST_PIPE_INSTANCE";
  return out;
}

std::string pipeModeText(std::uint32_t pipeMode) {
  std::string out = pipeMode & model::kPipeTypeMessage ? "PIPE_TYPE_MESSAGE" : "PIPE_TYPE_BYTE";
  out += pipeMode & model::kPipeReadmodeMessage ? "|PIPE_READMODE_MESSAGE" : "|PIPE_READMODE_BYTE";
  out += pipeMode & model::kPipeNowait ? "|PIPE_NOWAIT" : "|PIPE_WAIT";
  return out;
}

std::string pipeAccessText(std::uint32_t access) {
  return bits(access,
              {{model::kGenericRead, "GENERIC_READ"}, {model::kGenericWrite, "GENERIC_WRITE"}});
}

std::string spawnStdText(const Request& q) {
  if (!q.console && !q.useStdHandles) return "";
  const std::uint32_t console = consoleFlagWords(q.console);
  std::string out = ", ";
  if (!console || console == kConsoleInheritParent)
    out += console ? "0" : "DETACHED_PROCESS";
  else
    out += bits(console, {{kConsoleDetached, "DETACHED_PROCESS"},
                          {kConsoleNew, "CREATE_NEW_CONSOLE"},
                          {kConsoleNoWindow, "CREATE_NO_WINDOW"}});
  if (q.useStdHandles)
    out += ", STARTF_USESTDHANDLES{" + hex(q.stdInput) + "," + hex(q.stdOutput) + "," +
           hex(q.stdError) + "}";
  else if (!console)
    out += ", STARTF_USESTDHANDLES{0x0,0x0,0x0}";
  if (q.console & kConsoleGui) out += ", GUI child";
  return out;
}

std::string handleFlagsText(std::uint32_t flags) {
  return bits(flags, {{kFlagInherit, "HANDLE_FLAG_INHERIT"},
                      {kFlagProtect, "HANDLE_FLAG_PROTECT_FROM_CLOSE"}});
}

namespace {

// A template of the table with its placeholders filled in, in one pass:
// a filled-in value is never read again as a placeholder.
std::string fill(std::string_view tmpl, const Request& q, const CallOperands& operands) {
  std::string list = operands.list;
  if (list.empty())
    for (const Handle h : q.handleList) list += (list.empty() ? "" : ",") + hex(h);
  const auto value = [&](std::string_view key) -> std::string {
    if (key == "process-sa") return sa(q.processInherit);
    if (key == "thread-sa") return sa(q.threadInherit);
    if (key == "spawn-inherit") return "bInheritHandles=" + boolean(q.spawnInherit);
    if (key == "list")
      return q.useHandleList ? "HANDLE_LIST{" + list + "}" + sizeText(q.listSize)
                             : "no handle list";
    if (key == "parent")
      return (q.hasParentProcess
                  ? ", PARENT_PROCESS=" + hex(q.parentProcess) + sizeText(q.parentSize)
                  : std::string()) +
             (q.unknownAttribute ? ", 0xcafe{...}" : "");
    if (key == "spawn-std") return spawnStdText(q);
    if (key == "std-id") return stdId(q.stdSlot);
    if (key == "mailslot") return "L\"\\\\.\\mailslot\\" + q.name + "\"";
    if (key == "pipe") return "L\"\\\\.\\pipe\\" + q.name + "\"";
    if (key == "open-mode") return pipeOpenModeText(q.openMode);
    if (key == "pipe-mode") return pipeModeText(q.pipeMode);
    if (key == "max")
      return q.maxInstances == model::kPipeUnlimitedInstances ? "PIPE_UNLIMITED_INSTANCES"
                                                              : std::to_string(q.maxInstances);
    if (key == "access") return pipeAccessText(q.access);
    if (key == "name") return operands.name.empty() ? wide(q.name) : operands.name;
    if (key == "sa") return sa(q.inherit);
    if (key == "inherit") return boolean(q.inherit);
    if (key == "share") return shareText(q.share);
    if (key == "options") return dupOptionsText(q);
    if (key == "layer-options") return dupExtraOptionsText(q);
    if (key == "target")
      return operands.target.empty() ? "hP" + std::to_string(q.target) : operands.target;
    if (key == "source")
      return operands.source.empty() ? "hP" + std::to_string(q.source) : operands.source;
    if (key == "mask") return handleFlagsText(q.setMask);
    if (key == "flags") return handleFlagsText(q.setFlags);
    if (key == "text") return operands.text.empty() ? "\"" + q.text + "\"" : operands.text;
    if (key == "length") return std::to_string(q.text.size());
    if (key == "code") return std::to_string(q.code);
    if (key == "h") return operands.handle.empty() ? hex(q.handle) : operands.handle;
    if (key == "slot") return operands.slot;
    if (key == "desired" || key.starts_with("desired:"))
      return q.hasDesiredAccess ? hex(q.desiredAccess)
                                : std::string(key == "desired" ? "0" : key.substr(8));
    if (key == "map-access") return q.mapWrite ? "FILE_MAP_WRITE" : "FILE_MAP_READ";
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

bool dupFrom(const Request& q) {
  return q.op == Op::Dup && q.fromSource;
}

bool dupWithAccess(const Request& q) {
  return q.op == Op::Dup && !q.fromSource && q.hasDesiredAccess;
}

std::string callText(const Request& q, const CallOperands& operands) {
  return fill(dupFrom(q)         ? kDupFromCall
              : dupWithAccess(q) ? kDupAccessCall
                                 : opInfo(q.op).call,
              q, operands);
}

std::string layerCallText(const Request& q, const CallOperands& operands) {
  return fill(dupFrom(q)         ? kDupFromLayer
              : dupWithAccess(q) ? kDupAccessLayer
                                 : opInfo(q.op).layer,
              q, operands);
}

std::string reproCallText(const Request& q, const CallOperands& operands) {
  if (dupFrom(q)) return fill(kDupFromRepro, q, operands);
  if (dupWithAccess(q)) return fill(kDupAccessRepro, q, operands);
  const OpInfo& info = opInfo(q.op);
  if (info.repro.empty()) return fill(info.layer, q, operands) + ";";
  return fill(info.repro, q, operands);
}

}  // namespace hc::proto
