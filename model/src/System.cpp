// The model: one function per Win32 call, each following the rule of
// SPEC.md it cites. What the caller sees is the returned Outcome; a broken
// harness precondition or model invariant is an assert (the seL4 split).
#include "handlecheck/model/System.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace hc::model {

namespace {

Outcome fail(std::uint32_t error) { return Outcome{.ok = false, .error = error}; }

Outcome succeed() { return Outcome{.ok = true}; }

// Granted access per kind: the documented *_ALL_ACCESS masks and the generic
// mappings of the file kinds. Opaque to the model; only "same access" (SPEC 22)
// is ever checked.
std::uint32_t grantedAccess(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Event: return 0x1F0003;           // EVENT_ALL_ACCESS
    case ObjectKind::Mutex: return 0x1F0001;           // MUTEX_ALL_ACCESS
    case ObjectKind::Semaphore: return 0x1F0003;       // SEMAPHORE_ALL_ACCESS
    case ObjectKind::Mapping: return 0xF001F;          // FILE_MAP_ALL_ACCESS
    case ObjectKind::MailslotServer: return 0x120089;  // FILE_GENERIC_READ
    case ObjectKind::MailslotClient: return 0x120116;  // FILE_GENERIC_WRITE
    case ObjectKind::PipeRead: return 0x120189;        // FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES
    case ObjectKind::PipeWrite: return 0x120196;       // FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES
    case ObjectKind::Process: return 0x1FFFFF;         // PROCESS_ALL_ACCESS
    case ObjectKind::Thread: return 0x1FFFFF;          // THREAD_ALL_ACCESS
  }
  return 0;
}

std::size_t bufferedBytes(const KernelObject& pipe) {
  std::size_t n = 0;
  for (const std::string& chunk : pipe.messages) n += chunk.size();
  return n;
}

}  // namespace

// ---------------------------------------------------------------------------
// Bookkeeping shared by the calls.

// SPEC "The picture": the root process P0 runs, with an empty handle table.
System::System(Profile profile) : profile_(std::move(profile)) {
  Process root;
  root.object = newObject(KernelObject{.kind = ObjectKind::Process, .running = true, .process = 0});
  root.thread = newObject(KernelObject{.kind = ObjectKind::Thread, .running = true, .process = 0});
  processes_.push_back(std::move(root));
}

std::string System::mailslotKey(std::string_view name) {
  std::string key(name);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

// Harness precondition: only a running process makes calls.
Process& System::runningProcess(ProcessId p) {
  assert(p < processes_.size() && "model: no such process");
  assert(processes_[p].running && "model: a process that has exited makes no calls");
  return processes_[p];
}

ObjectId System::newObject(KernelObject object) {
  objects_.push_back(std::move(object));
  return static_cast<ObjectId>(objects_.size() - 1);
}

// A new entry in p's table for o; HandleCount + 1. Returns its value.
HandleValue System::addHandle(ProcessId p, ObjectId o, bool inherit) {
  KernelObject& object = objects_.at(o);
  assert(!object.destroyed && "model: a handle to a destroyed object");
  ++object.handleCount;
  return processes_.at(p).table.add(
      HandleEntry{.object = o, .access = grantedAccess(object.kind), .inherit = inherit});
}

// SPEC 14: the entry goes, HandleCount - 1, the object may be destroyed.
void System::closeEntry(ProcessId p, HandleValue h) {
  const HandleEntry entry = processes_.at(p).table.remove(h);
  KernelObject& object = objects_.at(entry.object);
  assert(object.handleCount > 0 && "model: HandleCount below zero");
  --object.handleCount;
  releaseIfUnused(entry.object);
}

// SPEC "The picture", 9, 12: at usage count 0 the object is destroyed and its
// name freed; unread messages and buffered bytes go with it.
void System::releaseIfUnused(ObjectId o) {
  KernelObject& object = objects_.at(o);
  if (object.destroyed || object.usageCount() != 0) return;
  // Quirk mailslot-outlives-server: the clients keep the mailslot (and its
  // name) alive; the last client's close releases it.
  if (object.kind == ObjectKind::MailslotServer &&
      profile_.has(QuirkId::MailslotOutlivesServer) && liveClients(o) > 0)
    return;
  object.destroyed = true;
  object.messages.clear();
  if (object.kind == ObjectKind::MailslotClient && profile_.has(QuirkId::MailslotOutlivesServer))
    releaseIfUnused(object.peer);
  if (object.name.empty()) return;
  if (object.kind == ObjectKind::MailslotServer) {
    const auto it = mailslots_.find(mailslotKey(object.name));
    if (it != mailslots_.end() && it->second == o) mailslots_.erase(it);
  } else {
    const auto it = names_.find(object.name);
    if (it != names_.end() && it->second == o) names_.erase(it);
  }
}

// The object h refers to in p, pseudo handles included (SPEC 1, 20).
std::optional<ObjectId> System::resolve(ProcessId p, HandleValue h) const {
  const Process& process = processes_.at(p);
  if (h == kCurrentProcess) return process.object;
  if (h == kCurrentThread) return process.thread;
  if (const HandleEntry* entry = process.table.lookup(h)) return entry->object;
  return std::nullopt;
}

std::optional<ObjectId> System::lookupName(std::string_view name) const {
  const auto it = names_.find(name);
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

// Client objects of mailslot server `server` that are still open somewhere.
std::size_t System::liveClients(ObjectId server) const {
  return static_cast<std::size_t>(std::count_if(objects_.begin(), objects_.end(), [&](const KernelObject& k) {
    return k.kind == ObjectKind::MailslotClient && k.peer == server && !k.destroyed;
  }));
}

std::optional<ObjectId> System::lookupMailslot(std::string_view name) const {
  const auto it = mailslots_.find(mailslotKey(name));
  if (it == mailslots_.end()) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------------------
// Creating and opening objects (SPEC 4-12).

// SPEC 4-7: a new object (HandleCount 1), or a new handle to the same-type
// object holding the name (183), or NULL with ERROR_INVALID_HANDLE.
Outcome System::createNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit) {
  runningProcess(p);
  if (!name.empty()) {
    if (const auto existing = lookupName(name)) {
      if (objects_[*existing].kind != kind) return fail(win32::kInvalidHandle);  // SPEC 6
      Outcome out = succeed();  // SPEC 5: inherit from this call's attributes
      out.alreadyExists = true;
      out.error = win32::kAlreadyExists;
      out.handle = addHandle(p, *existing, inherit);
      return out;
    }
  }
  const ObjectId o = newObject(KernelObject{.kind = kind, .name = std::string(name)});
  if (!name.empty()) names_.emplace(std::string(name), o);  // SPEC 7: exact, case-sensitive
  Outcome out = succeed();
  out.handle = addHandle(p, o, inherit);
  return out;
}

// SPEC 8: a new handle to the named object, or 2 (no such name) / 6 (other type).
Outcome System::openNamed(ProcessId p, ObjectKind kind, std::string_view name, bool inherit) {
  runningProcess(p);
  const auto existing = lookupName(name);
  if (!existing) return fail(win32::kFileNotFound);
  if (objects_[*existing].kind != kind) return fail(win32::kInvalidHandle);
  Outcome out = succeed();
  out.handle = addHandle(p, *existing, inherit);
  return out;
}

// SPEC 4-6: CreateEventW(sa, FALSE, FALSE, name). Returns the handle or the error.
Outcome System::createEvent(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Event, name, inherit);
}

// SPEC 4-6: CreateMutexW(sa, FALSE, name). Returns the handle or the error.
Outcome System::createMutex(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Mutex, name, inherit);
}

// SPEC 4-6: CreateSemaphoreW(sa, 0, 1, name). Returns the handle or the error.
Outcome System::createSemaphore(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Semaphore, name, inherit);
}

// SPEC 4-6: CreateFileMappingW(INVALID_HANDLE_VALUE, sa, ...). Returns the handle or the error.
Outcome System::createFileMapping(ProcessId p, std::string_view name, bool inherit) {
  return createNamed(p, ObjectKind::Mapping, name, inherit);
}

// SPEC 8: OpenEventW. Returns the handle, or 2 / 6.
Outcome System::openEvent(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Event, name, inherit);
}

// SPEC 8: OpenMutexW. Returns the handle, or 2 / 6.
Outcome System::openMutex(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Mutex, name, inherit);
}

// SPEC 8: OpenSemaphoreW. Returns the handle, or 2 / 6.
Outcome System::openSemaphore(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Semaphore, name, inherit);
}

// SPEC 8: OpenFileMappingW. Returns the handle, or 2 / 6.
Outcome System::openFileMapping(ProcessId p, std::string_view name, bool inherit) {
  return openNamed(p, ObjectKind::Mapping, name, inherit);
}

// SPEC 10: CreateMailslotW(\\.\mailslot\NAME): the server handle, or 183 when
// a live mailslot holds the name (file names: case-insensitive).
Outcome System::createMailslot(ProcessId p, std::string_view name, bool inherit) {
  runningProcess(p);
  assert(!name.empty() && "model: a mailslot always has a name (scenario grammar)");
  if (lookupMailslot(name)) return fail(win32::kAlreadyExists);
  const ObjectId o =
      newObject(KernelObject{.kind = ObjectKind::MailslotServer, .name = std::string(name)});
  mailslots_.emplace(mailslotKey(name), o);
  Outcome out = succeed();
  // Quirk mailslot-server-never-inheritable: Wine drops sa.bInheritHandle.
  out.handle = addHandle(p, o, inherit && !profile_.has(QuirkId::MailslotServerNeverInheritable));
  return out;
}

// SPEC 11-12: CreateFileW(name, GENERIC_WRITE, FILE_SHARE_READ, sa, OPEN_EXISTING):
// a new client object (HandleCount 1) on the live mailslot, or 2.
Outcome System::openMailslot(ProcessId p, std::string_view name, bool inherit) {
  runningProcess(p);
  const auto server = lookupMailslot(name);
  if (!server) return fail(win32::kFileNotFound);
  // Quirk mailslot-single-client: an open client's write access conflicts
  // with FILE_SHARE_READ of the next one.
  if (profile_.has(QuirkId::MailslotSingleClient) && liveClients(*server) > 0)
    return fail(win32::kSharingViolation);
  const ObjectId o = newObject(KernelObject{.kind = ObjectKind::MailslotClient, .peer = *server});
  Outcome out = succeed();
  out.handle = addHandle(p, o, inherit);
  return out;
}

// SPEC 13: CreatePipe(&r, &w, sa, 0): handle = read end, handle2 = write end,
// both inheritable iff sa says so.
Outcome System::createPipe(ProcessId p, bool inherit) {
  runningProcess(p);
  const ObjectId read = newObject(KernelObject{.kind = ObjectKind::PipeRead});
  const ObjectId write = newObject(KernelObject{.kind = ObjectKind::PipeWrite, .peer = read});
  objects_[read].peer = write;
  Outcome out = succeed();
  out.handle = addHandle(p, read, inherit);
  out.handle2 = addHandle(p, write, inherit);
  return out;
}

// ---------------------------------------------------------------------------
// CreateProcess and inheritance (SPEC 22-25).

// SPEC 22-25: CreateProcessW. Returns hProcess, hThread and the child, or 87
// when the handle list names a handle that is not open and inheritable.
Outcome System::spawn(ProcessId p, const SpawnOptions& options) {
  runningProcess(p);
  const bool useList = options.inheritHandles && options.handleList.has_value();
  if (useList) {
    // SPEC 25: every listed handle must itself be inheritable; else nothing is created.
    for (const HandleValue h : *options.handleList) {
      const HandleEntry* entry = processes_[p].table.lookup(h);
      // Quirk handle-list-never-rejected: Wine skips entries it cannot inherit.
      if ((!entry || !entry->inherit) && !profile_.has(QuirkId::HandleListNeverRejected))
        return fail(win32::kInvalidParameter);
    }
  }
  const auto child = static_cast<ProcessId>(processes_.size());
  Process process;
  process.parent = p;
  process.object =
      newObject(KernelObject{.kind = ObjectKind::Process, .running = true, .process = child});
  process.thread =
      newObject(KernelObject{.kind = ObjectKind::Thread, .running = true, .process = child});
  processes_.push_back(std::move(process));

  // SPEC 22-23: inherited copies keep value, object, access and `inherit`;
  // made before hProcess/hThread exist, so those never reach this child.
  const auto inherits = [&](HandleValue value) {
    if (!useList) return true;
    return std::any_of(options.handleList->begin(), options.handleList->end(),
                       [&](HandleValue listed) {
                         return HandleTable::indexOf(listed) == HandleTable::indexOf(value);
                       });
  };
  if (options.inheritHandles) {
    processes_[p].table.forEach([&](HandleValue value, const HandleEntry& entry) {
      if (!entry.inherit || !inherits(value)) return;
      // Quirk inherited-handle-keeps-protect: Wine copies `protect` too.
      const bool keepProtect = profile_.has(QuirkId::InheritedHandleKeepsProtect);
      const bool added = processes_[child].table.addAt(
          value, HandleEntry{.object = entry.object, .access = entry.access, .inherit = true,
                             .protect = entry.protect && keepProtect});
      assert(added && "model: a fresh child table has every value free");
      (void)added;
      ++objects_[entry.object].handleCount;
    });
  }

  // SPEC 24: pi.hProcess / pi.hThread are new handles in the parent.
  Outcome out = succeed();
  out.child = child;
  // Quirk spawn-handles-ignore-security-attributes: Wine drops both flags.
  const bool ignored = profile_.has(QuirkId::SpawnHandlesIgnoreSecurityAttributes);
  out.handle = addHandle(p, processes_[child].object, options.processInherit && !ignored);
  out.handle2 = addHandle(p, processes_[child].thread, options.threadInherit && !ignored);
  return out;
}

// ---------------------------------------------------------------------------
// Closing and handle flags (SPEC 14-17).

// SPEC 14-16, 1: CloseHandle. TRUE and the entry is gone, or 6 (not open, or
// protected: then it stays). Pseudo handles: TRUE, nothing changes.
Outcome System::closeHandle(ProcessId p, HandleValue h) {
  Process& process = runningProcess(p);
  if (isPseudoHandle(h)) return succeed();  // SPEC 1: never in the table
  const HandleEntry* entry = process.table.lookup(h);
  if (!entry) return fail(win32::kInvalidHandle);     // SPEC 15
  if (entry->protect) return fail(win32::kInvalidHandle);  // SPEC 16
  closeEntry(p, h);
  return succeed();
}

// SPEC 17: SetHandleInformation(h, mask, flags): exactly the bits in mask
// (1 inherit, 2 protect) change; 6 if h is not open (pseudo handles included).
Outcome System::setHandleInformation(ProcessId p, HandleValue h, std::uint32_t mask,
                                     std::uint32_t flags) {
  Process& process = runningProcess(p);
  HandleEntry* entry = process.table.lookup(h);
  if (!entry) return fail(win32::kInvalidHandle);
  constexpr std::uint32_t kInherit = 0x1;  // HANDLE_FLAG_INHERIT
  constexpr std::uint32_t kProtect = 0x2;  // HANDLE_FLAG_PROTECT_FROM_CLOSE
  if (mask & kInherit) entry->inherit = (flags & kInherit) != 0;
  if (mask & kProtect) entry->protect = (flags & kProtect) != 0;
  return succeed();
}

// ---------------------------------------------------------------------------
// Duplicating (SPEC 18-21).

// SPEC 18-21, 3: DuplicateHandle(self, h, target, &out, 0, inherit,
// DUPLICATE_SAME_ACCESS[|CLOSE_SOURCE]). Returns the new handle (in target),
// or 6 (h not open) / 5 (target exited).
Outcome System::duplicateHandle(ProcessId p, HandleValue h, ProcessId target, bool inherit,
                                bool closeSource) {
  runningProcess(p);
  assert(target < processes_.size() && "model: DuplicateHandle into no such process");
  const auto source = resolve(p, h);  // SPEC 20: pseudo handles name real objects
  if (!source) return fail(win32::kInvalidHandle);  // nothing changes
  const HandleEntry* entry = processes_[p].table.lookup(h);  // nullptr for pseudo handles
  // SPEC 16 over SPEC 19: a protected source is not closed, duplication or not.
  // Not documented for DuplicateHandle; checked against the real system.
  const bool closesSource = closeSource && entry && !entry->protect;

  if (!processes_[target].running) {  // SPEC 21
    if (closesSource) closeEntry(p, h);  // SPEC 19: closed even when duplication fails
    return fail(win32::kAccessDenied);
  }
  Outcome out = succeed();
  if (closesSource && target == p) {
    // SPEC 3: within one process with DUPLICATE_CLOSE_SOURCE the new handle
    // has the source's value: the entry is reused (HandleCount + 1 - 1).
    HandleEntry* same = processes_[p].table.lookup(h);
    same->inherit = inherit;
    same->protect = false;  // SPEC 18: protect is never copied
    out.handle = HandleTable::valueOf(HandleTable::indexOf(h));
    return out;
  }
  const ObjectId o = *source;
  if (!entry) {
    // SPEC 20: pseudo source, a real handle with the object's full access.
    out.handle = addHandle(target, o, inherit);
  } else {
    ++objects_[o].handleCount;
    out.handle = processes_[target].table.add(
        HandleEntry{.object = o, .access = entry->access, .inherit = inherit});
  }
  if (closesSource) closeEntry(p, h);
  return out;
}

// ---------------------------------------------------------------------------
// Mailslot and pipe I/O (SPEC 11-13).

// SPEC 11, 13: WriteFile of one message. Mailslot client: queued at its
// server; pipe write end: appended to the read end's buffer. Errors: 6 (not
// open / not a file), 5 (read-only end), 38 (mailslot gone), 232 (reader gone).
Outcome System::writeFile(ProcessId p, HandleValue h, std::string_view text) {
  runningProcess(p);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(win32::kInvalidHandle);
  const KernelObject& object = objects_[entry->object];
  switch (object.kind) {
    case ObjectKind::MailslotClient: {
      KernelObject& server = objects_[object.peer];
      // SPEC 12: once every server handle is closed the mailslot is deleted
      // and "all client handles to the mailslot are closed" (Microsoft,
      // "Reading from a Mailslot"): I/O on a forcibly closed file object
      // fails with STATUS_FILE_FORCED_CLOSED, i.e. ERROR_HANDLE_EOF. Not
      // pinned by a Wine conformance test; the native run decides.
      if (server.destroyed) return fail(win32::kHandleEof);
      server.messages.emplace_back(text);  // zero-length messages count too
      return succeed();
    }
    case ObjectKind::PipeWrite: {
      KernelObject& reader = objects_[object.peer];
      if (reader.destroyed) return fail(win32::kNoData);  // STATUS_PIPE_CLOSING
      if (bufferedBytes(reader) + text.size() > kPipeBufferSize) {
        Outcome out;  // the writer waits for a reader to drain the buffer
        out.blocks = true;
        return out;
      }
      if (!text.empty()) reader.messages.emplace_back(text);  // a byte stream
      return succeed();
    }
    case ObjectKind::MailslotServer:
    case ObjectKind::PipeRead: return fail(win32::kAccessDenied);  // read-only handles
    default: return fail(win32::kInvalidHandle);  // not a file; not exercised by the generator
  }
}

// SPEC 11, 13: ReadFile(h, 4096 bytes). Mailslot server: the oldest message,
// or 121 (read timeout 0). Pipe read end: every buffered byte (up to 4096),
// 109 once empty with the writer gone, or it blocks. 5 for write-only ends.
Outcome System::readFile(ProcessId p, HandleValue h) {
  runningProcess(p);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(win32::kInvalidHandle);
  KernelObject& object = objects_[entry->object];
  switch (object.kind) {
    case ObjectKind::MailslotServer: {
      if (object.messages.empty()) return fail(win32::kSemTimeout);
      // Quirk mailslot-empty-message-breaks-read: the empty message is consumed, the read fails.
      if (object.messages.front().empty() &&
          profile_.has(QuirkId::MailslotEmptyMessageBreaksRead)) {
        object.messages.pop_front();
        return fail(win32::kBrokenPipe);
      }
      Outcome out = succeed();
      out.data = std::move(object.messages.front());
      object.messages.pop_front();
      return out;
    }
    case ObjectKind::PipeRead: {
      if (object.messages.empty()) {
        if (objects_[object.peer].destroyed) return fail(win32::kBrokenPipe);
        Outcome out;
        out.blocks = true;
        return out;
      }
      std::string data;  // a byte-mode pipe returns what is there, up to the buffer
      while (!object.messages.empty() && data.size() < kReadBufferSize) {
        std::string& chunk = object.messages.front();
        const std::size_t take = std::min(chunk.size(), kReadBufferSize - data.size());
        data.append(chunk, 0, take);
        if (take == chunk.size()) {
          object.messages.pop_front();
        } else {
          chunk.erase(0, take);
        }
      }
      Outcome out = succeed();
      out.data = std::move(data);
      return out;
    }
    case ObjectKind::MailslotClient:
    case ObjectKind::PipeWrite: return fail(win32::kAccessDenied);  // write-only handles
    default: return fail(win32::kInvalidHandle);  // not a file; not exercised by the generator
  }
}

// ---------------------------------------------------------------------------
// Process exit and waits (SPEC 26-29).

// SPEC 26: every handle closed (protected ones too), the process and its
// thread stop running (their usage count drops by one), exit code set.
void System::exitNow(ProcessId p, std::uint32_t code) {
  Process& process = processes_.at(p);
  assert(process.running && "model: a process exits once");
  std::vector<HandleValue> open;
  process.table.forEach([&](HandleValue value, const HandleEntry&) { open.push_back(value); });
  for (const HandleValue value : open) closeEntry(p, value);
  process.running = false;
  process.exitCode = code;
  for (const ObjectId o : {process.object, process.thread}) {
    objects_[o].running = false;
    releaseIfUnused(o);
  }
}

// SPEC 26: ExitProcess(code) in p. Always succeeds.
Outcome System::exitProcess(ProcessId p, std::uint32_t code) {
  runningProcess(p);
  exitNow(p, code);
  return succeed();
}

// SPEC 28: TerminateProcess(hProcess, code); the harness waits for the exit,
// so the model applies it at once. 6 if hProcess is not an open handle to a
// process, 5 if that process has already exited.
Outcome System::terminateProcess(ProcessId p, HandleValue hProcess, std::uint32_t code) {
  runningProcess(p);
  assert(hProcess != kCurrentProcess && "model: terminating oneself leaves nobody to reply");
  const HandleEntry* entry = processes_[p].table.lookup(hProcess);
  if (!entry || objects_[entry->object].kind != ObjectKind::Process)
    return fail(win32::kInvalidHandle);
  const ProcessId victim = objects_[entry->object].process;
  assert(victim != p && "model: terminating oneself leaves nobody to reply");
  if (!processes_[victim].running) {
    // Quirk terminate-exited-process-succeeds: TRUE, and the first exit code stays.
    if (profile_.has(QuirkId::TerminateExitedProcessSucceeds)) return succeed();
    return fail(win32::kAccessDenied);
  }
  exitNow(victim, code);
  return succeed();
}

// SPEC 27: WaitForSingleObject. Process/thread: ok with the exit code once it
// has exited, else it blocks. Mutex (created unowned): ok, and the caller's
// thread owns it; owned by another live process: blocks; its owner exited:
// abandoned, ok (WAIT_ABANDONED). Event/semaphore are never signalled: blocks.
// Other kinds or invalid handles: 6.
Outcome System::waitForSingleObject(ProcessId p, HandleValue h) {
  runningProcess(p);
  const auto o = resolve(p, h);
  if (!o) return fail(win32::kInvalidHandle);
  KernelObject& object = objects_[*o];
  Outcome blocked;
  blocked.blocks = true;
  switch (object.kind) {
    case ObjectKind::Process:
    case ObjectKind::Thread: {
      const Process& waited = processes_[object.process];
      if (waited.running) return blocked;
      Outcome out = succeed();
      out.exitCode = waited.exitCode;
      return out;
    }
    case ObjectKind::Mutex:
      if (object.owner != kNoProcess && object.owner != p && processes_[object.owner].running)
        return blocked;
      object.owner = p;  // the agent is single-threaded: its main thread owns it
      return succeed();
    case ObjectKind::Event:
    case ObjectKind::Semaphore: return blocked;
    default: return fail(win32::kInvalidHandle);
  }
}

// ---------------------------------------------------------------------------
// Observation (no state change).

// GetHandleInformation + NtQueryObject(ObjectBasicInformation) for h in p.
HandleInfo System::handleInfo(ProcessId p, HandleValue h) const {
  const HandleEntry* entry = processes_.at(p).table.lookup(h);
  if (!entry) return HandleInfo{};
  const KernelObject& object = objects_.at(entry->object);
  return HandleInfo{.valid = true,
                    .inherit = entry->inherit,
                    .protect = entry->protect,
                    .handleCount = object.handleCount,
                    .kind = object.kind,
                    .object = entry->object};
}

// CompareObjectHandles(a, b): both name the same object (pseudo handles resolve).
bool System::sameObject(ProcessId p, HandleValue a, HandleValue b) const {
  const auto x = resolve(p, a);
  const auto y = resolve(p, b);
  return x && y && *x == *y;
}

}  // namespace hc::model
