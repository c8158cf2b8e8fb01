// The model's bookkeeping (tables, usage counts, names) and observation.
// The calls live one concept per file: Objects.cpp (SPEC 4-9), Mailslot.cpp
// (10-12), ReadWrite.cpp (11, 13), Handles.cpp (14-21), Spawn.cpp (22-25),
// Exit.cpp (26-28). What the caller sees is the returned Outcome; a broken
// harness precondition or model invariant is an assert (the seL4 split).
#include "handlecheck/model/System.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "Calls.h"
#include "handlecheck/model/Access.h"

namespace hc::model {

namespace {

// SPEC 11: GetMailslotInfo counts every waiting message, zero-length ones
// included. Quirk mailslot-message-count: Wine peeks at the oldest message
// only and reports 1 when it holds a byte, else 0.
std::optional<std::uint32_t> mailslotCount(const KernelObject& server, const Profile& profile) {
  if (server.kind != ObjectKind::MailslotServer) return std::nullopt;
  if (profile.has(QuirkId::MailslotMessageCount))
    return !server.messages.empty() && !server.messages.front().empty() ? 1u : 0u;
  return static_cast<std::uint32_t>(server.messages.size());
}

}  // namespace

namespace detail {

std::uint32_t grantedAccess(ObjectKind kind) {
  return allAccess(kind);
}

}  // namespace detail

// ---------------------------------------------------------------------------
// Bookkeeping shared by the calls.

// SPEC "The picture": the root process P0 runs, with an empty handle table.
System::System(Profile profile) : profile_(std::move(profile)) {
  Process root;
  root.object = newObject(KernelObject{.kind = ObjectKind::Process, .running = true, .process = 0});
  root.thread = newObject(KernelObject{.kind = ObjectKind::Thread, .running = true, .process = 0});
  // The harness starts P0: whether it has a console (SPEC 54) and what its
  // std slots hold (SPEC 51) are not the scenario's to know.
  root.console = ConsoleState::Unknown;
  for (StdSlot& slot : root.std) slot.known = false;
  processes_.push_back(std::move(root));
}

// Harness precondition: only a running process makes calls (SPEC 26: an
// exited process has no thread left to make one).
Process& System::runningProcess(ProcessId p) {
  assert(p < processes_.size() && "model: no such process");
  assert(processes_[p].running && "model: a process that has exited makes no calls");
  return processes_[p];
}

// SPEC "The picture": a kernel object lives outside every process.
ObjectId System::newObject(KernelObject object) {
  objects_.push_back(std::move(object));
  return static_cast<ObjectId>(objects_.size() - 1);
}

// SPEC 2, 3: a new entry in p's table for o at a free value; HandleCount + 1.
// Returns its value.
// SPEC 69: with the access creating such an object grants, or `access`.
HandleValue System::addHandle(ProcessId p, ObjectId o, bool inherit) {
  return addHandle(p, o, inherit, detail::grantedAccess(objects_.at(o).kind));
}

HandleValue System::addHandle(ProcessId p, ObjectId o, bool inherit, std::uint32_t access) {
  KernelObject& object = objects_.at(o);
  assert(!object.destroyed && "model: a handle to a destroyed object");
  ++object.handleCount;
  return processes_.at(p).table.add(HandleEntry{.object = o, .access = access, .inherit = inherit});
}

// SPEC 14: the entry goes, HandleCount - 1, the object may be destroyed.
// SPEC 51, 3: a std slot that held the value keeps the number, but which
// handle a later call gives that value is not contractual, so what the slot
// names from now on is unknown.
void System::closeEntry(ProcessId p, HandleValue h) {
  Process& process = processes_.at(p);
  for (StdSlot& slot : process.std)
    if (slot.known && slot.value != 0 &&
        HandleTable::indexOf(slot.value) == HandleTable::indexOf(h))
      slot.known = false;
  const HandleEntry entry = process.table.remove(h);
  KernelObject& object = objects_.at(entry.object);
  assert(object.handleCount > 0 && "model: HandleCount below zero");
  --object.handleCount;
  releaseIfUnused(entry.object);
}

// SPEC "The picture", 9, 12, 47: at usage count 0 the object is destroyed and its
// name freed; unread messages and buffered bytes go with it.
void System::releaseIfUnused(ObjectId o) {
  KernelObject& object = objects_.at(o);
  if (object.destroyed || object.usageCount() != 0) return;
  // Quirk mailslot-outlives-server: the clients keep the mailslot (and its
  // name) alive; the last client's close releases it.
  if (object.kind == ObjectKind::MailslotServer && profile_.has(QuirkId::MailslotOutlivesServer) &&
      liveClients(o) > 0)
    return;
  object.destroyed = true;
  object.messages.clear();
  if (object.kind == ObjectKind::MailslotClient && profile_.has(QuirkId::MailslotOutlivesServer))
    releaseIfUnused(object.peer);
  if (object.kind == ObjectKind::NamedPipeServer) return releaseNamedPipeServer(o);
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

// SPEC 5-9: the object holding that exact (case-sensitive) name, while it lives.
std::optional<ObjectId> System::lookupName(std::string_view name) const {
  const auto it = names_.find(name);
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------------------
// Observation (no state change).

// SPEC 17, 29, 11: GetHandleInformation + NtQueryObject(ObjectBasicInformation)
// for h in p (HandleCount exact but for processes and threads, a lower bound
// there), GetMailslotInfo's message count for a mailslot server, and
// SPEC 67: the entry's granted access where SPEC settles it.
HandleInfo System::handleInfo(ProcessId p, HandleValue h) const {
  const HandleEntry* entry = processes_.at(p).table.lookup(h);
  if (!entry) return HandleInfo{};
  const KernelObject& object = objects_.at(entry->object);
  return HandleInfo{.valid = true,
                    .inherit = entry->inherit,
                    .protect = entry->protect,
                    .handleCount = object.handleCount,
                    .kind = object.kind,
                    .object = entry->object,
                    .messages = mailslotCount(object, profile_),
                    .access = accessIsSettled(object.kind)
                                  ? std::optional<std::uint32_t>(entry->access)
                                  : std::nullopt,
                    .hostHeld = hostHeld(entry->object)};
}

std::uint32_t System::hostHeld(ObjectId o) const {
  std::uint32_t held = 0;
  for (const Process& process : processes_)
    held += static_cast<std::uint32_t>(
        std::count(process.consoleHostCopies.begin(), process.consoleHostCopies.end(), o));
  return held;
}

// SPEC 18, 20: CompareObjectHandles(a, b): both name the same object (pseudo
// handles resolve).
bool System::sameObject(ProcessId p, HandleValue a, HandleValue b) const {
  const auto x = resolve(p, a);
  const auto y = resolve(p, b);
  return x && y && *x == *y;
}

}  // namespace hc::model
