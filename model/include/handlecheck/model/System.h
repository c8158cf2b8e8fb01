#pragma once
// The world of the model: processes with their handle tables, kernel objects
// with usage counts, and the object namespaces (SPEC "The picture").
// One member function per Win32 call, named after it; each returns the
// Outcome the caller of the real call would see and updates the state.
// No OS headers, no I/O, no globals.
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
#include "handlecheck/model/Types.h"

namespace hc::model {

struct KernelObject {
  ObjectKind kind = ObjectKind::Event;
  std::string name{};             // empty: unnamed
  std::uint32_t handleCount = 0;  // open handles to it in every table (SPEC: HandleCount)
  bool running = false;           // Process/Thread: +1 usage while it runs
  bool destroyed = false;         // usage count reached 0 (SPEC "The picture")
  ObjectId peer = kNoObject;      // MailslotClient -> its MailslotServer; pipe end -> other end
  ProcessId process = kNoProcess;  // Process/Thread: which process
  ProcessId owner = kNoProcess;    // Mutex: the process whose (only) thread owns it
  std::deque<std::string> messages{};  // MailslotServer: queued messages; PipeRead: buffered writes
  std::uint32_t usageCount() const { return handleCount + (running ? 1u : 0u); }
  bool operator==(const KernelObject&) const = default;
};

struct Process {
  HandleTable table;
  ObjectId object = kNoObject;  // its process object
  ObjectId thread = kNoObject;  // its main thread object
  ProcessId parent = kNoProcess;
  bool running = true;
  std::uint32_t exitCode = win32::kStillActive;
  bool operator==(const Process&) const = default;
};

// What the caller of one Win32 call sees.
struct Outcome {
  bool ok = false;
  std::uint32_t error = win32::kSuccess;  // GetLastError() when !ok (or 183 with alreadyExists)
  bool alreadyExists = false;             // ok, and GetLastError() == ERROR_ALREADY_EXISTS
  HandleValue handle = 0;                 // new handle (pipe: read end; spawn: hProcess)
  HandleValue handle2 = 0;                // pipe: write end; spawn: hThread
  ProcessId child = kNoProcess;           // spawn: the new process
  std::optional<std::string> data{};      // ReadFile: the message
  std::optional<std::uint32_t> exitCode{};  // WaitForSingleObject on a process/thread
  bool blocks = false;                    // the real call would block forever
  bool operator==(const Outcome&) const = default;
};

// What GetHandleInformation + NtQueryObject would report for a value.
struct HandleInfo {
  bool valid = false;
  bool inherit = false;
  bool protect = false;
  std::uint32_t handleCount = 0;
  ObjectKind kind = ObjectKind::Event;
  ObjectId object = kNoObject;
  bool operator==(const HandleInfo&) const = default;
};

struct SpawnOptions {
  bool inheritHandles = false;                     // bInheritHandles
  std::optional<std::vector<HandleValue>> handleList{};  // PROC_THREAD_ATTRIBUTE_HANDLE_LIST
  bool processInherit = false;                     // lpProcessAttributes->bInheritHandle
  bool threadInherit = false;                      // lpThreadAttributes->bInheritHandle
  bool operator==(const SpawnOptions&) const = default;
};

class System {
 public:
  explicit System(Profile profile = windowsProfile());  // creates the root process P0 (id 0)

  // SPEC 4-6: CreateEventW/CreateMutexW/CreateSemaphoreW/CreateFileMappingW.
  Outcome createEvent(ProcessId p, std::string_view name, bool inherit);
  Outcome createMutex(ProcessId p, std::string_view name, bool inherit);
  Outcome createSemaphore(ProcessId p, std::string_view name, bool inherit);
  Outcome createFileMapping(ProcessId p, std::string_view name, bool inherit);
  // SPEC 8: OpenEventW/OpenMutexW/OpenSemaphoreW/OpenFileMappingW.
  Outcome openEvent(ProcessId p, std::string_view name, bool inherit);
  Outcome openMutex(ProcessId p, std::string_view name, bool inherit);
  Outcome openSemaphore(ProcessId p, std::string_view name, bool inherit);
  Outcome openFileMapping(ProcessId p, std::string_view name, bool inherit);
  // SPEC 10-13.
  Outcome createMailslot(ProcessId p, std::string_view name, bool inherit);
  Outcome openMailslot(ProcessId p, std::string_view name, bool inherit);  // CreateFileW client
  Outcome createPipe(ProcessId p, bool inherit);
  // SPEC 22-25: CreateProcessW.
  Outcome spawn(ProcessId p, const SpawnOptions& options);
  // SPEC 14-16.
  Outcome closeHandle(ProcessId p, HandleValue h);
  // SPEC 18-21: DuplicateHandle(p, h, target, &out, 0, inherit, DUPLICATE_SAME_ACCESS[|CLOSE_SOURCE]).
  Outcome duplicateHandle(ProcessId p, HandleValue h, ProcessId target, bool inherit,
                          bool closeSource);
  // SPEC 17.
  Outcome setHandleInformation(ProcessId p, HandleValue h, std::uint32_t mask,
                               std::uint32_t flags);
  // SPEC 11, 13: WriteFile / ReadFile of one message.
  Outcome writeFile(ProcessId p, HandleValue h, std::string_view text);
  Outcome readFile(ProcessId p, HandleValue h);
  // SPEC 26-28.
  Outcome exitProcess(ProcessId p, std::uint32_t code);
  Outcome terminateProcess(ProcessId p, HandleValue hProcess, std::uint32_t code);
  Outcome waitForSingleObject(ProcessId p, HandleValue h);

  // Observation, no state change.
  HandleInfo handleInfo(ProcessId p, HandleValue h) const;
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
  void closeEntry(ProcessId p, HandleValue h);  // removes it, HandleCount - 1
  void releaseIfUnused(ObjectId o);             // destroys at usage count 0
  std::size_t liveClients(ObjectId server) const;  // open MailslotClient objects of a server
  std::optional<ObjectId> resolve(ProcessId p, HandleValue h) const;  // incl. pseudo handles
  Outcome createNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit);
  Outcome openNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit);
  void exitNow(ProcessId p, std::uint32_t code);

  Profile profile_;
  std::vector<Process> processes_;
  std::vector<KernelObject> objects_;
  std::map<std::string, ObjectId, std::less<>> names_;      // \BaseNamedObjects, case-sensitive (SPEC 7)
  std::map<std::string, ObjectId, std::less<>> mailslots_;  // mailslot file names, case-insensitive
};

}  // namespace hc::model
