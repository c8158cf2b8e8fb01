#pragma once
// The wire protocol between the host driver and the Win32 agents, shared by
// both sides (pure C++20, no OS headers: the agent builds it with MinGW/MSVC,
// the host with g++/MSVC, and the model backend consumes the same Request).
//
// One request line, one reply line, both '\n'-terminated, printable ASCII:
//   request: "hc1 <key>=<value> <key>=<value> ..."
//   reply:   "hc1 <key>=<value> ..."
// Strings are percent-encoded (%XX for any byte outside [A-Za-z0-9_.\-\\]).
// Handle values travel as hex ("0x104"), lists comma-separated.
// The version tag is checked by both sides; a mismatch is a backend failure.
//
// Every request carries an `id` that its reply echoes, so an answer is known
// to be the answer to the request sent: the driver numbers its requests from
// 1, the hub forwards a request to its agent with the driver's id and checks
// the agent's echo, and the hub's hello (no request) has id 0.
//   e.g. request "hc1 id=7 process=1 op=close handle=0x104", reply "hc1 id=7 ok=1"
// Keys are the member names in kebab case (`compare-with`, `target-pid`,
// `handle-list`, ...); `op` is opName(). Only members that differ from their
// default are sent (`op`, `process` and `ok` always; no `id=` is id 0), so a
// decoded message equals the encoded one. Booleans are 0/1, counts decimal.
// Presence carries three flags: `data=` sets hasData, `exit-code=` sets
// hasExitCode, `avail=` sets hasAvail, `sizing=ERROR:BYTES` sets hasSizing. An
// observation is `handle:valid:inherit:protect:count:type[:messages]`, e.g.
// `obs=0x104:1:1:0:2:Event,0x108:0:0:0:0:,0x10c:1:0:0:1:File:2`; the seventh
// field is present only for a mailslot server handle (its waiting-message
// count), so a six-field observation still decodes; an eighth, the granted
// access in hex, follows when known (the seventh then empty when no count). `share=` is sent only
// when it differs from FILE_SHARE_READ. Unknown or repeated keys and
// malformed values are rejected with a message naming the key.
// A block's `steps=` and its reply's `results=` are lists of whole messages,
// each encoded, percent-encoded and comma-separated; they do not nest.
//
// What each op calls, how a scenario spells it and its SPEC rules: Ops.h,
// the table of operations (one row per Op).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/model/Types.h"

namespace hc::proto {

inline constexpr std::string_view kVersionTag = "hc1";

using Handle = std::uint64_t;     // raw handle value as the process sees it
using AgentId = std::uint32_t;    // 0 = root agent (scenario process P0)
using RequestId = std::uint32_t;  // a request's number; its reply echoes it

// The operations of scenarios, the wire and the agents: one enum, one row
// each in the table of operations (Ops.h).
enum class Op : std::uint8_t {
  Ping,  // no-op round trip (bench, liveness)
  CreateEvent,
  CreateMutex,
  CreateSemaphore,
  CreateMapping,
  CreateMailslot,
  CreatePipe,
  OpenEvent,
  OpenMutex,
  OpenSemaphore,
  OpenMapping,
  OpenMailslot,
  Spawn,  // CreateProcessW of a child agent (see Request::spawn*)
  Close,
  Dup,
  Set,
  Write,
  Read,
  Query,  // observe (plus CompareObjectHandles(handle, compareWith) when set)
  Exit,   // ExitProcess(code) after replying
  Terminate,
  Wait,
  Peek,                 // PeekNamedPipe(handle, NULL, 0, NULL, &avail, NULL)
  CreateNamedPipe,      // CreateNamedPipeW (see Request::openMode, pipeMode, maxInstances)
  OpenNamedPipe,        // a client's CreateFileW on \\.\pipe\NAME (Request::access)
  ConnectNamedPipe,     // ConnectNamedPipe(handle, NULL)
  DisconnectNamedPipe,  // DisconnectNamedPipe(handle)
  PipeState,            // GetNamedPipeHandleState: Reply::instances
  // Standard handles (SPEC 51-66).
  GetStd,   // GetStdHandle(stdSlot): the slot's value in Reply::handle
  SetStd,   // SetStdHandle(stdSlot, handle)
  Signal,   // SetEvent / ReleaseSemaphore(h, 1) / ReleaseMutex, by the object's type
  Map,      // MapViewOfFile(handle, FILE_MAP_READ or FILE_MAP_WRITE), unmapped at once
  Observe,  // observe the listed handles only (no Win32 call under test)
  // harness: back to a fresh tree. The hub ends every agent but the root;
  // the root closes every handle it acquired (`code`: the requests that
  // could put handles into the root's table since it was fresh; they bound it). Reply: ok and
  // the root's pid.
  Reset,
  Quit,  // harness: the root agent shuts the tree down and exits
  // harness: a parallel block. `steps` holds the branches' requests (each
  // naming its process and `thread`); every thread they name waits at a
  // barrier, all are released at once (at `startAt` when set), and each runs
  // its steps back to back. Reply: `results`, one reply per step, in the
  // order of `steps`, each with its step's id.
  Block,
};

std::string_view opName(Op);  // the wire name, "create-event" (Ops.h); for traces and errors

// Handle flag bits, as HANDLE_FLAG_INHERIT / HANDLE_FLAG_PROTECT_FROM_CLOSE (the model's).
inline constexpr std::uint32_t kFlagInherit = model::kHandleFlagInherit;
inline constexpr std::uint32_t kFlagProtect = model::kHandleFlagProtect;
// The pseudo handles GetCurrentProcess() and GetCurrentThread() as a 64-bit
// process sees them: the model's (HANDLE)-1 and (HANDLE)-2, sign-extended.
inline constexpr Handle kCurrentProcess =
    static_cast<Handle>(static_cast<std::int32_t>(model::kCurrentProcess));
inline constexpr Handle kCurrentThread =
    static_cast<Handle>(static_cast<std::int32_t>(model::kCurrentThread));
inline constexpr bool isPseudoHandle(Handle h) {
  return h == kCurrentProcess || h == kCurrentThread;
}
// The std slots of GetStdHandle / SetStdHandle and of STARTUPINFO's hStd* fields.
inline constexpr std::uint32_t kStdInput = 0;   // STD_INPUT_HANDLE, hStdInput
inline constexpr std::uint32_t kStdOutput = 1;  // STD_OUTPUT_HANDLE, hStdOutput
inline constexpr std::uint32_t kStdError = 2;   // STD_ERROR_HANDLE, hStdError
// Spawn's console words (Request::console), mapped to dwCreationFlags by
// the agent. 0: the harness's own spawn, DETACHED_PROCESS, and without
// STARTF_USESTDHANDLES fields given, STARTF_USESTDHANDLES with NULL fields.
inline constexpr std::uint32_t kConsoleDetached = 0x1;       // `detached`: DETACHED_PROCESS
inline constexpr std::uint32_t kConsoleNew = 0x2;            // `new-console`: CREATE_NEW_CONSOLE
inline constexpr std::uint32_t kConsoleNoWindow = 0x4;       // `no-window`: CREATE_NO_WINDOW
inline constexpr std::uint32_t kConsoleInheritParent = 0x8;  // `inherit-console`: none of them
// `gui`: the child is the GUI-subsystem agent (hc-agent-gui.exe), SPEC 59.
// Not a creation flag: the other words decide dwCreationFlags, and with none
// of them the spawn is the harness's own as for 0.
inline constexpr std::uint32_t kConsoleGui = 0x10;
// The console word without kConsoleGui: what decides dwCreationFlags.
inline constexpr std::uint32_t consoleFlagWords(std::uint32_t console) {
  return console & ~kConsoleGui;
}
// Whether the words replace the harness's DETACHED_PROCESS (`inherit-console`
// too, with none of the flags).
inline constexpr bool consoleGiven(std::uint32_t console) {
  return consoleFlagWords(console) != 0;
}
// The console words' dwCreationFlags bits (winbase.h values; the agent
// checks them against <windows.h>).
struct ConsoleFlag {
  std::uint32_t word;          // kConsole*
  std::uint32_t creationFlag;  // its dwCreationFlags bit
  std::string_view name;       // that bit's name
};
inline constexpr ConsoleFlag kConsoleFlags[] = {
    {kConsoleDetached, 0x00000008, "DETACHED_PROCESS"},
    {kConsoleNew, 0x00000010, "CREATE_NEW_CONSOLE"},
    {kConsoleNoWindow, 0x08000000, "CREATE_NO_WINDOW"},
};
// The dwCreationFlags the words ask for; 0 for none of them.
inline constexpr std::uint32_t creationFlags(std::uint32_t console) {
  std::uint32_t flags = 0;
  for (const ConsoleFlag& f : kConsoleFlags)
    if (console & f.word) flags |= f.creationFlag;
  return flags;
}
// The same as C: "DETACHED_PROCESS | CREATE_NEW_CONSOLE"; "0" for none.
std::string creationFlagsText(std::uint32_t console);
// FILE_SHARE_* bits of the mailslot client's CreateFileW.
inline constexpr std::uint32_t kShareRead = 0x1;
inline constexpr std::uint32_t kShareWrite = 0x2;
inline constexpr std::uint32_t kShareDelete = 0x4;

// A handle value or any other number as traces print it: "0x104".
std::string hex(std::uint64_t);

struct Request {
  RequestId id = 0;     // echoed by the reply (Reply::id)
  AgentId process = 0;  // which agent performs the call; the root routes by it
  Op op = Op::Ping;
  std::string name;             // object / mailslot name, as the backend must use it
  bool inherit = false;         // sa.bInheritHandle, OpenX's bInheritHandle, Dup's bInheritHandle
  Handle handle = 0;            // operand
  Handle compareWith = 0;       // Query: also answer whether handle and this name one object
  AgentId target = 0;           // Dup: target agent; Spawn: id the new child agent gets
  std::uint32_t targetPid = 0;  // Dup: filled in by the root (hub) from its agent table
  bool closeSource = false;     // Dup: DUPLICATE_CLOSE_SOURCE
  bool sameAttributes = false;  // Dup: DUPLICATE_SAME_ATTRIBUTES (the source's inherit/protect)
  // Dup `from C`: DuplicateHandle(hC, handle, NULL, NULL, 0, FALSE,
  // DUPLICATE_CLOSE_SOURCE): `handle` lives in agent `source`, whose pid the
  // root (hub) fills in; no target process.
  bool fromSource = false;
  AgentId source = 0;
  std::uint32_t sourcePid = 0;
  std::uint32_t share = kShareRead;  // OpenMailslot: CreateFileW's dwShareMode
  bool spawnInherit = false;         // Spawn: bInheritHandles
  bool useHandleList = false;        // Spawn: PROC_THREAD_ATTRIBUTE_HANDLE_LIST present
  std::vector<Handle> handleList;
  bool processInherit = false;  // Spawn: lpProcessAttributes->bInheritHandle
  bool threadInherit = false;   // Spawn: lpThreadAttributes->bInheritHandle
  // Spawn: STARTF_USESTDHANDLES with these hStdInput/Output/Error fields.
  bool useStdHandles = false;
  Handle stdInput = 0;
  Handle stdOutput = 0;
  Handle stdError = 0;
  std::uint32_t console = 0;  // Spawn: kConsole* words; 0 the harness's own spawn
  std::uint32_t stdSlot = 0;  // GetStd / SetStd: kStdInput, kStdOutput or kStdError
  // Spawn: PROC_THREAD_ATTRIBUTE_PARENT_PROCESS, a process handle of the
  // caller's (SPEC 82-85). `parent-process=` on the wire sets hasParentProcess.
  bool hasParentProcess = false;
  Handle parentProcess = 0;
  // Spawn, SPEC 79: cbSize of the handle list / the parent attribute in
  // bytes (-1: the right size), and an unknown attribute (0xcafe) added.
  std::int64_t listSize = -1;
  std::int64_t parentSize = -1;
  bool unknownAttribute = false;
  std::uint32_t setMask = 0;    // Set: dwMask
  std::uint32_t setFlags = 0;   // Set: dwFlags
  std::string text;             // Write: the message
  std::uint32_t code = 0;       // Exit / Terminate: exit code
  std::vector<Handle> observe;  // handles (of this process) to observe after the call
  // Also observe the handles the call returns (Reply::handle, then handle2
  // when non-zero), appended after `observe`; with compareWith set (and op
  // not Query), `same` compares Reply::handle with it. One round trip for a
  // step that makes a handle in its own process.
  bool observeNew = false;
  std::uint32_t openMode = 0;      // CreateNamedPipe: PIPE_ACCESS_*, FILE_FLAG_FIRST_PIPE_INSTANCE
  std::uint32_t pipeMode = 0;      // CreateNamedPipe: PIPE_TYPE_*, PIPE_READMODE_*, PIPE_NOWAIT
  std::uint32_t maxInstances = 0;  // CreateNamedPipe: nMaxInstances
  std::uint32_t access = 0;        // OpenNamedPipe: GENERIC_READ, GENERIC_WRITE
  std::uint32_t timeoutMs = 0;     // Wait: how long; 0 = the agent's default
  // Open event/mutex/semaphore/mapping: dwDesiredAccess (else the type's
  // *_ALL_ACCESS); Dup: dwDesiredAccess without DUPLICATE_SAME_ACCESS (else
  // DUPLICATE_SAME_ACCESS). `desired-access=` on the wire sets hasDesiredAccess.
  bool hasDesiredAccess = false;
  std::uint32_t desiredAccess = 0;
  bool mapWrite = false;  // Map: FILE_MAP_WRITE instead of FILE_MAP_READ
  // The thread of `process` that performs the call: 0 its main thread, N
  // the thread the agent makes (CreateThread) the first time N is named.
  std::uint32_t thread = 0;
  // Block: the steps of its branches; the time (FILETIME units, the
  // system clock) at which every thread starts, 0 as soon as all wait.
  std::vector<Request> steps;
  std::uint64_t startAt = 0;
  // Spawn: the named pipe the child agent connects to (\\.\pipe\handlecheck-...),
  // created and filled in by the hub; never part of a scenario.
  std::string pipe;
  bool operator==(const Request&) const = default;
};

// What GetHandleInformation and NtQueryObject say about one handle value.
struct Observation {
  Handle handle = 0;
  bool valid = false;  // GetHandleInformation succeeded
  bool inherit = false;
  bool protect = false;
  std::uint32_t handleCount = 0;  // ObjectBasicInformation.HandleCount
  std::string type;               // ObjectTypeInformation.TypeName ("Event", "Mutant", ...)
  // GetMailslotInfo's lpMessageCount: the messages waiting on a mailslot
  // server handle; -1 for any other handle (the call fails there).
  int messages = -1;
  // ObjectBasicInformation.GrantedAccess (SPEC 67), when read; the model
  // reports it only where SPEC settles it.
  bool hasAccess = false;
  std::uint32_t access = 0;
  // The model's only, never on the wire: how many of handleCount may go at
  // a moment no call observes (the wine profile's console hosts).
  std::uint32_t mayDrop = 0;
  bool operator==(const Observation&) const = default;
};

struct Reply {
  RequestId id = 0;            // the id of the request this answers
  bool ok = false;             // the Win32 call succeeded
  std::uint32_t error = 0;     // GetLastError() after the call (0 when ok and nothing set)
  bool alreadyExists = false;  // ok and GetLastError() == ERROR_ALREADY_EXISTS
  Handle handle = 0;           // new handle: create/open/dup; pipe read end; spawn hProcess
  Handle handle2 = 0;          // pipe write end; spawn hThread
  std::uint32_t childPid = 0;  // spawn: the child's process id
  bool hasData = false;        // Read returned data
  std::string data;
  bool hasExitCode = false;  // Wait: the object was signalled; exit code follows
  std::uint32_t exitCode = 0;
  bool hasAvail = false;  // Peek succeeded; *lpTotalBytesAvail follows
  std::uint32_t avail = 0;
  int same = -1;       // Query with compareWith: 1 same, 0 different, -1 unknown
  int instances = -1;  // PipeState: GetNamedPipeHandleState's nCurInstances; -1 when it failed
  // Spawn with an attribute list (SPEC 78): what the sizing call
  // InitializeProcThreadAttributeList(NULL, n, 0, &size) said, made before
  // anything else: its GetLastError (0 when it returned TRUE) and *lpSize.
  bool hasSizing = false;
  std::uint32_t sizingError = 0;
  std::uint32_t sizingBytes = 0;
  bool blocks = false;  // the call would block forever (model) / timed out (agent)
  std::vector<Observation> observations;  // one per Request::observe, in order
  std::vector<Reply> results;             // Block: one reply per Request::steps, in order
  std::string failure;                    // non-empty: backend failure (crash, timeout, protocol)
  bool operator==(const Reply&) const = default;
};

// Encoding. decode* return false and set `error` on malformed input.
std::string encode(const Request&);
std::string encode(const Reply&);
bool decode(std::string_view line, Request& out, std::string& error);
bool decode(std::string_view line, Reply& out, std::string& error);
// A message that holds a list of messages (a block's steps, its results).
bool nested(const Request&);
bool nested(const Reply&);

}  // namespace hc::proto
