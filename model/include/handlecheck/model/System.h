#pragma once
// The world of the model: processes with their handle tables, kernel objects
// with usage counts, and the object namespaces (SPEC "The picture").
// One member function per Win32 call, named after it; each returns the
// Outcome the caller of the real call would see and updates the state.
// No OS headers, no I/O, no globals.
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlecheck/model/HandleTable.h"
#include "handlecheck/model/Profile.h"
#include "handlecheck/model/RuleId.h"
#include "handlecheck/model/Types.h"

namespace hc::model {

struct KernelObject {
  ObjectKind kind = ObjectKind::Event;
  std::string name{};              // empty: unnamed
  std::uint32_t handleCount = 0;   // open handles to it in every table (SPEC: HandleCount)
  bool running = false;            // Process/Thread: +1 usage while it runs
  bool destroyed = false;          // usage count reached 0 (SPEC "The picture")
  ObjectId peer = kNoObject;       // MailslotClient -> its MailslotServer; pipe end -> other end
  ProcessId process = kNoProcess;  // Process/Thread: which process
  ProcessId owner = kNoProcess;    // Mutex: the process whose (only) thread owns it
  std::uint32_t recursion = 0;     // Mutex: how many waits of its owner it holds
  std::uint32_t signals = 0;       // Event: 1 while set; Semaphore: its count (at most 1)
  bool shareWrite = false;         // MailslotClient: opened with FILE_SHARE_WRITE
  std::deque<std::string> messages{};  // MailslotServer: queued messages; PipeRead and a
                                       // named pipe end: the bytes (messages) this end reads
  // Named pipe ends (SPEC 40-49). peer: the server's connected client (none
  // while listening or disconnected), the client's server (none once the
  // server disconnected it). The instance's state follows from the peer
  // links (instanceState). Each end's bits, as seen from that end:
  // kPipeAccessInbound = it may read, kPipeAccessOutbound = it may write.
  std::uint32_t pipeAccess = 0;
  std::uint32_t pipeMode = 0;   // PIPE_TYPE_MESSAGE, PIPE_READMODE_MESSAGE, PIPE_NOWAIT of this end
  std::uint32_t pipe = 0;       // the pipe it belongs to (NamedPipe::id)
  std::uint32_t listening = 0;  // NamedPipeServer: 0, or the tick it began listening (SPEC 43)
  std::uint32_t usageCount() const { return handleCount + (running ? 1u : 0u); }
  bool operator==(const KernelObject&) const = default;
};

// SPEC 54: whether a process has a console.
enum class ConsoleState : std::uint8_t {
  None,      // detached, or no console was made
  Attached,  // its own new console, or its parent's
  Unknown,   // P0: the harness's environment decides
};

// SPEC 51: a std slot is a plain value, not an entry.
struct StdSlot {
  HandleValue value = 0;
  bool known = true;  // false: P0's initial value, which the scenario does not know
  bool operator==(const StdSlot&) const = default;
};

struct Process {
  HandleTable table;
  std::array<StdSlot, kStdSlots> std{};  // input, output, error (SPEC 51)
  ConsoleState console = ConsoleState::None;
  bool gui = false;             // SPEC 59: its image is a GUI-subsystem one
  ObjectId object = kNoObject;  // its process object
  ObjectId thread = kNoObject;  // its main thread object
  ProcessId parent = kNoProcess;
  bool running = true;
  std::uint32_t exitCode = win32::kStillActive;
  bool exitObserved = false;  // SPEC 28: a wait on its process or thread returned
  // Quirk new-console-host-inherits: the objects whose HandleCount the
  // console host Wine started for this process holds one more of.
  std::vector<ObjectId> consoleHostCopies;
  bool operator==(const Process&) const = default;
};

// What the caller of one Win32 call sees.
//
// `rule` is the SPEC rule that decided the outcome (RuleId.h, Rules.h): the
// engine cites it when the real system departs ("departs from SPEC 25 [T]").
// A quirk's outcome names the rule the quirk departs from.
//
// `unsettled`: SPEC leaves this case open (SPEC 25: a listed value that is
// not open; SPEC 28: a second TerminateProcess before any wait), so the
// model predicts nothing: ok is false, error is 0 and the model's state is
// unchanged. A caller must not compare the real result with it, and since the
// real call may have changed the real state in a way the model cannot
// follow, must not compare anything after it either: a random sequence
// excludes the step in checkPreconditions (apply it to a copy of the System
// to find out), a scenario reports the step as unsettled and ends there.
struct Outcome {
  bool ok = false;
  std::uint32_t error = win32::kSuccess;     // GetLastError() when !ok (or 183 with alreadyExists)
  bool alreadyExists = false;                // ok, and GetLastError() == ERROR_ALREADY_EXISTS
  HandleValue handle = 0;                    // new handle (pipe: read end; spawn: hProcess)
  HandleValue handle2 = 0;                   // pipe: write end; spawn: hThread
  ProcessId child = kNoProcess;              // spawn: the new process
  std::optional<std::string> data{};         // ReadFile: the message
  std::optional<std::uint32_t> exitCode{};   // WaitForSingleObject on a process/thread
  std::optional<std::uint32_t> available{};  // PeekNamedPipe: *lpTotalBytesAvail
  std::optional<std::uint32_t> instances{};  // GetNamedPipeHandleState: nCurInstances
  // spawn with an attribute list (SPEC 78): the size its sizing call reports
  // as it fails with ERROR_INSUFFICIENT_BUFFER
  std::optional<std::uint32_t> attributeListSize{};
  bool blocks = false;         // the real call would block forever
  RuleId rule = RuleId::None;  // the SPEC rule that decided it
  bool unsettled = false;      // SPEC leaves it open: predict nothing
  bool operator==(const Outcome&) const = default;
};

// A named pipe (SPEC 40-47): what its name stands for while an instance's
// server end is open.
struct NamedPipe {
  std::uint32_t id = 0;             // distinguishes it from a later pipe of the same name
  std::uint32_t maxInstances = 0;   // the first instance's nMaxInstances (SPEC 41)
  std::uint32_t access = 0;         // the first instance's PIPE_ACCESS_* (SPEC 41)
  std::vector<ObjectId> servers{};  // the server ends still open, in creation order (SPEC 46)
  bool operator==(const NamedPipe&) const = default;
};

// The state of a named pipe instance, as one of its ends sees it (SPEC 44).
enum class PipeState : std::uint8_t { Listening, Connected, Closing, Disconnected };

// CreateNamedPipeW's arguments besides the name (SPEC 40-42).
struct NamedPipeOptions {
  std::uint32_t openMode = kPipeAccessDuplex;  // PIPE_ACCESS_*, FILE_FLAG_FIRST_PIPE_INSTANCE
  std::uint32_t pipeMode = 0;                  // PIPE_TYPE_*, PIPE_READMODE_*, PIPE_NOWAIT
  std::uint32_t maxInstances = kPipeUnlimitedInstances;
  bool operator==(const NamedPipeOptions&) const = default;
};

// What GetHandleInformation + NtQueryObject would report for a value.
struct HandleInfo {
  bool valid = false;
  bool inherit = false;
  bool protect = false;
  std::uint32_t handleCount = 0;
  ObjectKind kind = ObjectKind::Event;
  ObjectId object = kNoObject;
  // SPEC 11: a mailslot server handle: GetMailslotInfo's count of waiting
  // messages (zero-length ones included); nothing for every other kind.
  std::optional<std::uint32_t> messages{};
  // SPEC 67: the entry's granted access; nothing where SPEC leaves it open
  // (SPEC 69: a mailslot's, a named pipe end's).
  std::optional<std::uint32_t> access{};
  // Quirk new-console-host-inherits: how many of handleCount console hosts
  // hold; a host may let go of them at any moment no call observes.
  std::uint32_t hostHeld = 0;
  bool operator==(const HandleInfo&) const = default;
};

// The share mode of a mailslot client's CreateFile (SPEC 11).
enum class MailslotShare : std::uint8_t {
  Read,       // FILE_SHARE_READ (what SPEC 11 names)
  ReadWrite,  // FILE_SHARE_READ | FILE_SHARE_WRITE
  None,       // 0 (Vista and later accept it too)
};

struct SpawnOptions {
  bool inheritHandles = false;  // bInheritHandles
  // PROC_THREAD_ATTRIBUTE_HANDLE_LIST (SPEC 25). Entries are raw values: 0
  // is a NULL entry, kCurrentProcess / kCurrentThread are pseudo handles.
  std::optional<std::vector<HandleValue>> handleList{};
  bool processInherit = false;  // lpProcessAttributes->bInheritHandle
  bool threadInherit = false;   // lpThreadAttributes->bInheritHandle
  // STARTF_USESTDHANDLES with these hStdInput/Output/Error fields (SPEC 55).
  std::optional<std::array<HandleValue, kStdSlots>> stdHandles{};
  // The console words (kSpawn*); none of the creation-flag words (0, or
  // kSpawnGui alone) is the harness's own spawn: DETACHED_PROCESS, with
  // STARTF_USESTDHANDLES and NULL fields unless stdHandles says otherwise.
  std::uint32_t console = 0;
  // PROC_THREAD_ATTRIBUTE_PARENT_PROCESS (SPEC 82-85): a handle of the
  // caller's to the process the child inherits from.
  std::optional<HandleValue> parentProcess{};
  // SPEC 79: the cbSize UpdateProcThreadAttribute is given for the handle
  // list and the parent (nothing: sizeof(HANDLE) per entry), and an
  // attribute it does not know (0xcafe) added after them.
  std::optional<std::uint32_t> listBytes{};
  std::optional<std::uint32_t> parentBytes{};
  bool unknownAttribute = false;
  bool operator==(const SpawnOptions&) const = default;
};
inline constexpr std::uint32_t kSpawnDetached = 0x1;        // DETACHED_PROCESS
inline constexpr std::uint32_t kSpawnNewConsole = 0x2;      // CREATE_NEW_CONSOLE
inline constexpr std::uint32_t kSpawnNoWindow = 0x4;        // CREATE_NO_WINDOW
inline constexpr std::uint32_t kSpawnInheritConsole = 0x8;  // none of the three
inline constexpr std::uint32_t kSpawnGui = 0x10;  // the child's image is a GUI one (SPEC 59)

class System {
 public:
  explicit System(Profile profile = windowsProfile());  // creates the root process P0 (id 0)

  // SPEC 4-6: CreateEventW/CreateMutexW/CreateSemaphoreW/CreateFileMappingW.
  Outcome createEvent(ProcessId p, std::string_view name, bool inherit);
  Outcome createMutex(ProcessId p, std::string_view name, bool inherit);
  Outcome createSemaphore(ProcessId p, std::string_view name, bool inherit);
  Outcome createFileMapping(ProcessId p, std::string_view name, bool inherit);
  // SPEC 8, 70-72: OpenEventW/OpenMutexW/OpenSemaphoreW/OpenFileMappingW
  // with dwDesiredAccess `access` (nothing: the type's *_ALL_ACCESS).
  Outcome openEvent(ProcessId p, std::string_view name, bool inherit,
                    std::optional<std::uint32_t> access = std::nullopt);
  Outcome openMutex(ProcessId p, std::string_view name, bool inherit,
                    std::optional<std::uint32_t> access = std::nullopt);
  Outcome openSemaphore(ProcessId p, std::string_view name, bool inherit,
                        std::optional<std::uint32_t> access = std::nullopt);
  Outcome openFileMapping(ProcessId p, std::string_view name, bool inherit,
                          std::optional<std::uint32_t> access = std::nullopt);
  // SPEC 10-13.
  Outcome createMailslot(ProcessId p, std::string_view name, bool inherit);
  // SPEC 11: the client's CreateFileW(name, GENERIC_WRITE, share, sa, OPEN_EXISTING).
  Outcome openMailslot(ProcessId p, std::string_view name, bool inherit,
                       MailslotShare share = MailslotShare::Read);
  Outcome createPipe(ProcessId p, bool inherit);
  // SPEC 40-42: CreateNamedPipeW(\\.\pipe\NAME, ...): the server end of a new instance.
  Outcome createNamedPipe(ProcessId p, std::string_view name, const NamedPipeOptions& options,
                          bool inherit);
  // SPEC 43: a client's CreateFileW(\\.\pipe\NAME, access, 0, sa, OPEN_EXISTING, ...);
  // access is GENERIC_READ and/or GENERIC_WRITE.
  Outcome openNamedPipe(ProcessId p, std::string_view name, std::uint32_t access, bool inherit);
  // SPEC 44, 45: ConnectNamedPipe(h, NULL); DisconnectNamedPipe(h).
  Outcome connectNamedPipe(ProcessId p, HandleValue h);
  Outcome disconnectNamedPipe(ProcessId p, HandleValue h);
  // SPEC 44, 46: GetNamedPipeHandleState(h, &state, &instances, NULL, NULL, NULL, 0).
  Outcome getNamedPipeHandleState(ProcessId p, HandleValue h);
  // SPEC 22-25, 78-85: CreateProcessW. A handle list with a value that is
  // not open, or listed twice, is unsettled; so is a designated parent that
  // has exited. With an attribute list the Outcome carries attributeListSize.
  Outcome spawn(ProcessId p, const SpawnOptions& options);
  // SPEC 51: GetStdHandle / SetStdHandle of slot 0-2 (input, output, error);
  // GetStdHandle returns the value in Outcome::handle. Reading P0's slot
  // before the scenario set it is unsettled (the harness's environment).
  Outcome getStdHandle(ProcessId p, std::uint32_t slot);
  Outcome setStdHandle(ProcessId p, std::uint32_t slot, HandleValue value);
  // SPEC 86: the same CreateProcessW in the three parts a racing thread can
  // see: beginSpawn checks the handle list (SPEC 25) and makes the child,
  // running, with an empty table (the Outcome's child; a refusal or an
  // unsettled list makes nothing); inheritEntry copies the parent's entry at
  // one table index as it is at that moment, when the spawn's options let
  // it in; finishSpawn gives hProcess/hThread (SPEC 24). spawn() is the
  // three back to back, every index in order.
  Outcome beginSpawn(ProcessId p, const SpawnOptions& options);
  void inheritEntry(ProcessId p, ProcessId child, const SpawnOptions& options, std::size_t index);
  Outcome finishSpawn(ProcessId p, ProcessId child, const SpawnOptions& options);
  // SPEC 82: the process whose table a spawn by p with these options reads:
  // the designated parent, else p itself. Only for options beginSpawn accepted.
  ProcessId inheritanceSource(ProcessId p, const SpawnOptions& options) const;
  // SPEC 14-16; SPEC 53: a std slot id is unsettled.
  Outcome closeHandle(ProcessId p, HandleValue h);
  // SPEC 18-21, 3, 73: DuplicateHandle(p, h, target, &out, 0, inherit,
  // DUPLICATE_SAME_ACCESS[|CLOSE_SOURCE][|SAME_ATTRIBUTES]); with
  // sameAttributes the copy takes the source's inherit and protect and
  // `inherit` is ignored; with `desiredAccess`, DuplicateHandle(..,
  // desiredAccess, ...) without DUPLICATE_SAME_ACCESS.
  Outcome duplicateHandle(ProcessId p, HandleValue h, ProcessId target, bool inherit,
                          bool closeSource, bool sameAttributes = false,
                          std::optional<std::uint32_t> desiredAccess = std::nullopt);
  // SPEC 17.
  Outcome setHandleInformation(ProcessId p, HandleValue h, std::uint32_t mask, std::uint32_t flags);
  // SPEC 50: DuplicateHandle(hSource, h, NULL, NULL, 0, FALSE,
  // DUPLICATE_CLOSE_SOURCE) made by p, hSource naming process `source`
  // (p itself included): closes h in source's table.
  Outcome duplicateHandleCloseSource(ProcessId p, ProcessId source, HandleValue h);
  // SPEC 11, 13: WriteFile / ReadFile of one message.
  Outcome writeFile(ProcessId p, HandleValue h, std::string_view text);
  Outcome readFile(ProcessId p, HandleValue h);
  // SPEC 33-38: PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL); never blocks.
  Outcome peekNamedPipe(ProcessId p, HandleValue h);
  // SPEC 26-28. A TerminateProcess of a process that exited, before any
  // wait on it returned, is unsettled.
  Outcome exitProcess(ProcessId p, std::uint32_t code);
  Outcome terminateProcess(ProcessId p, HandleValue hProcess, std::uint32_t code);
  Outcome waitForSingleObject(ProcessId p, HandleValue h);
  // SPEC 76: SetEvent(h) / ReleaseSemaphore(h, 1, NULL) / ReleaseMutex(h),
  // by the object's type.
  Outcome signalObject(ProcessId p, HandleValue h);
  // SPEC 76: MapViewOfFile(h, FILE_MAP_READ or FILE_MAP_WRITE, 0, 0, 0),
  // unmapped at once.
  Outcome mapViewOfFile(ProcessId p, HandleValue h, bool write);

  // Observation, no state change.
  HandleInfo handleInfo(ProcessId p, HandleValue h) const;
  // Quirk new-console-host-inherits: the handles to o the console hosts of
  // running processes hold.
  std::uint32_t hostHeld(ObjectId o) const;
  bool sameObject(ProcessId p, HandleValue a, HandleValue b) const;  // CompareObjectHandles

  // State, read-only, for invariants, diagrams and the harness.
  const std::vector<Process>& processes() const { return processes_; }
  const std::vector<KernelObject>& objects() const { return objects_; }
  const Process& process(ProcessId p) const { return processes_.at(p); }
  const KernelObject& object(ObjectId o) const { return objects_.at(o); }
  // The object a name resolves to in the object namespace (SPEC 5-9), if any.
  std::optional<ObjectId> lookupName(std::string_view name) const;
  // The live mailslot of that name (SPEC 10-12), if any.
  std::optional<ObjectId> lookupMailslot(std::string_view name) const;
  // The named pipe of that name (SPEC 47: while a server end is open), if any.
  const NamedPipe* lookupNamedPipe(std::string_view name) const;
  // The state of the named pipe instance `end` belongs to, as that end sees it (SPEC 44).
  PipeState instanceState(ObjectId end) const;
  const Profile& profile() const { return profile_; }

  // Mailslot names are file names: compared case-insensitively (ASCII fold).
  static std::string mailslotKey(std::string_view name);
  // ReadFile's buffer size: a pipe read returns at most this many bytes.
  static constexpr std::size_t kReadBufferSize = 4096;
  // CreatePipe(..., 0): the pipe's default buffer; a write beyond it blocks.
  static constexpr std::size_t kPipeBufferSize = 4096;

  bool operator==(const System&) const = default;

 private:
  Process& runningProcess(ProcessId p);  // asserts the harness precondition
  ObjectId newObject(KernelObject object);
  HandleValue addHandle(ProcessId p, ObjectId o, bool inherit);
  HandleValue addHandle(ProcessId p, ObjectId o, bool inherit, std::uint32_t access);
  void closeEntry(ProcessId p, HandleValue h);     // removes it, HandleCount - 1
  void releaseIfUnused(ObjectId o);                // destroys at usage count 0
  std::size_t liveClients(ObjectId server) const;  // open MailslotClient objects of a server
  std::optional<ObjectId> newestClient(ObjectId server) const;  // the last one opened, if any
  static std::optional<std::uint32_t> attributeListSize(const SpawnOptions& options);  // SPEC 78
  Outcome spawnRefusal(ProcessId p, const SpawnOptions& options) const;  // SPEC 25, 79-85 checks
  Outcome attributeRefusal(const SpawnOptions& options) const;           // SPEC 79
  SpawnOptions listed(const SpawnOptions& options) const;  // SPEC 79: the list as accepted
  Outcome parentRefusal(ProcessId p, const SpawnOptions& options) const;     // SPEC 84
  Outcome listRefusal(ProcessId source, const SpawnOptions& options) const;  // SPEC 25, 85
  Outcome consoleHostOutlives(ProcessId p) const;  // p's console host holds copies at its end
  // SPEC 54-62: the child's console and three slots; entries it makes go
  // into the child's table (duplicates, fresh console handles).
  struct StdPlan {
    enum class Line : std::uint8_t {
      Null,           // lines 3, 4; line 6 with nothing to duplicate
      Verbatim,       // lines 1, 5: the value as it is (SPEC 56)
      Fresh,          // line 2: a fresh console handle (SPEC 61)
      Duplicate,      // line 6: a copy of the parent's entry (SPEC 57)
      ParentProcess,  // windows7, line 6 of INVALID_HANDLE_VALUE: the parent (SPEC 62)
    };
    struct Slot {
      Line line = Line::Null;
      // Verbatim: the value; Duplicate: the parent's value; Fresh with
      // inheritEntry: the parent's slot value.
      HandleValue value = 0;
      // Verbatim or Fresh under Wine's list quirks: an inheritable handle at
      // the value is inherited whatever the list says.
      bool inheritEntry = false;
      // Fresh under quirk no-window-child-gets-std-duplicates: the parent's
      // value whose entry Wine also duplicates into the child (0: none).
      HandleValue leaked = 0;
      // Verbatim into a new console under quirk unresolved-std-value-nulled:
      // Wine drops the value only after the console's own handles took the
      // first free values, one of which may be it: the slot is not predicted.
      bool unknownWhenNulled = false;
    };
    std::array<Slot, kStdSlots> slots{};
    bool consoleHost = false;  // quirk new-console-host-inherits
    ConsoleState console = ConsoleState::None;
    bool gui = false;                        // SPEC 59: the child's image is a GUI one
    RuleId rule = RuleId::ChildStdSlotRule;  // the rule that decided the slots
  };
  Outcome planStd(ProcessId p, const SpawnOptions& options, StdPlan& plan) const;
  void applyStd(ProcessId p, ProcessId child, const StdPlan& plan);
  // planStd's parts (Std.cpp): the child's console, then each slot's line
  // from its STARTUPINFO field, a new console or the parent's slot.
  struct StdRequest;
  std::optional<Outcome> planConsole(StdRequest& request, StdPlan& plan) const;
  bool planFieldSlot(const StdRequest& request, std::uint32_t i, StdPlan::Slot& slot) const;
  std::optional<Outcome> planFreshSlot(const StdRequest& request, std::uint32_t i,
                                       StdPlan::Slot& slot) const;
  std::optional<Outcome> planParentSlot(const StdRequest& request, std::uint32_t i,
                                        StdPlan& plan) const;
  // applyStd's last steps: quirk std-slot-not-file-nulled, and the console
  // host's copies (quirk new-console-host-inherits).
  void dropNonFileStd(ProcessId child);
  void consoleHostInherits(ProcessId child);
  bool handleListInheritsNothing(const SpawnOptions& options) const;  // SPEC 25: a NULL entry
  std::optional<ObjectId> resolve(ProcessId p, HandleValue h) const;  // incl. pseudo handles
  Outcome createNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit);
  Outcome openNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit,
                    std::optional<std::uint32_t> access);
  // SPEC 76: the outcome when h's entry in p lacks `right`, else nothing.
  std::optional<Outcome> lacksRight(ProcessId p, HandleValue h, std::uint32_t right) const;
  // SPEC 76: a handle whose mask is not its kind's full access, used by a
  // call whose right SPEC does not name: unsettled.
  bool restrictedFileHandle(ProcessId p, HandleValue h) const;
  void exitNow(ProcessId p, std::uint32_t code);
  bool peerEndClosed(const KernelObject& end) const;  // SPEC 32, 36: its HandleCount is 0
  Outcome readNamedPipe(KernelObject& end);           // SPEC 44, 48
  Outcome writeNamedPipe(KernelObject& end, std::string_view text);  // SPEC 44
  void releaseNamedPipeServer(ObjectId server);                      // SPEC 46, 47

  Profile profile_;
  std::vector<Process> processes_;
  std::vector<KernelObject> objects_;
  std::map<std::string, ObjectId, std::less<>>
      names_;  // \BaseNamedObjects, case-sensitive (SPEC 7)
  std::map<std::string, ObjectId, std::less<>> mailslots_;  // mailslot file names, case-insensitive
  std::map<std::string, NamedPipe, std::less<>> namedPipes_;  // pipe file names, case-insensitive
  std::uint32_t pipeTick_ = 0;  // counts pipes made and instances put to listening (SPEC 43)
};

}  // namespace hc::model
