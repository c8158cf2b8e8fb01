#include "handlecheck/model/Invariants.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace hc::model {

namespace {
std::string where(ObjectId o, const KernelObject& object) {
  return "object " + std::to_string(o) + " (" + std::string(kindName(object.kind)) + ")";
}

// A process's handle table holds well-formed values naming live objects,
// and its process and thread objects point back at it. Counts each entry's
// object in `entries`.
std::optional<std::string> brokenProcess(const System& system, ProcessId p,
                                         std::vector<std::uint32_t>& entries) {
  const auto& objects = system.objects();
  const Process& process = system.processes()[p];
  std::optional<std::string> broken;
  std::size_t used = 0;
  process.table.forEach([&](HandleValue value, const HandleEntry& entry) {
    ++used;
    if (broken) return;
    if (value % 4 != 0 || value == 0) {
      broken = "P" + std::to_string(p) + ": handle value " + std::to_string(value) +
               " is not a multiple of 4";
    } else if (entry.object >= objects.size()) {
      broken = "P" + std::to_string(p) + ": handle " + std::to_string(value) +
               " refers to an unknown object";
    } else if (objects[entry.object].destroyed) {
      broken = "P" + std::to_string(p) + ": handle " + std::to_string(value) +
               " refers to destroyed " + where(entry.object, objects[entry.object]);
    } else {
      ++entries[entry.object];
    }
  });
  if (broken) return broken;
  if (used != process.table.size())
    return "P" + std::to_string(p) + ": table size() disagrees with its entries";
  if (!process.running && process.table.size() != 0)
    return "P" + std::to_string(p) + " has exited but still has handles";
  for (const ObjectId o : {process.object, process.thread}) {
    if (o >= objects.size() || objects[o].process != p)
      return "P" + std::to_string(p) + ": process/thread object does not point back";
    if (objects[o].running != process.running)
      return "P" + std::to_string(p) + ": running disagrees with " + where(o, objects[o]);
  }
  return std::nullopt;
}

// A named object is found by its name exactly while it is alive.
std::optional<std::string> brokenName(const System& system, ObjectId o) {
  const KernelObject& object = system.objects()[o];
  std::optional<ObjectId> found;
  if (object.kind == ObjectKind::MailslotServer)
    found = system.lookupMailslot(object.name);
  else if (!object.name.empty() && object.kind != ObjectKind::NamedPipeServer)
    found = system.lookupName(object.name);
  else
    return std::nullopt;
  if (!object.destroyed && found != o) return where(o, object) + ": alive but not by name";
  if (object.destroyed && found == o) return where(o, object) + ": destroyed but named";
  return std::nullopt;
}

// Mailslot clients, pipe ends and named pipe instances are linked to their
// peers and pipes both ways.
std::optional<std::string> brokenPeers(const System& system, ObjectId o) {
  const auto& objects = system.objects();
  const KernelObject& object = objects[o];
  if (object.kind == ObjectKind::MailslotClient &&
      (object.peer >= objects.size() || objects[object.peer].kind != ObjectKind::MailslotServer))
    return where(o, object) + ": its peer is not a mailslot server";
  // SPEC 44: a named pipe end's peer, when it has one, is the other end
  // of the same instance, and names it back.
  if ((object.kind == ObjectKind::NamedPipeServer || object.kind == ObjectKind::NamedPipeClient) &&
      object.peer != kNoObject &&
      (object.peer >= objects.size() || objects[object.peer].peer != o ||
       objects[object.peer].kind == object.kind))
    return where(o, object) + ": named pipe ends are not each other's peers";
  if (object.kind == ObjectKind::NamedPipeServer) {
    const NamedPipe* pipe = system.lookupNamedPipe(object.name);
    const bool counted = pipe && pipe->id == object.pipe &&
                         std::count(pipe->servers.begin(), pipe->servers.end(), o) == 1;
    if (counted == object.destroyed)
      return where(o, object) + (object.destroyed ? ": destroyed but counted as an instance"
                                                  : ": open but not an instance of its pipe");
  }
  if (object.kind == ObjectKind::PipeRead || object.kind == ObjectKind::PipeWrite) {
    if (object.peer >= objects.size() || objects[object.peer].peer != o)
      return where(o, object) + ": pipe ends are not each other's peers";
  }
  return std::nullopt;
}

// An object's HandleCount is its number of table entries, it is destroyed
// exactly when its usage count is zero, and its name and peers agree.
std::optional<std::string> brokenObject(const System& system, ObjectId o, std::uint32_t entries) {
  const KernelObject& object = system.objects()[o];
  if (object.handleCount != entries)
    return where(o, object) + ": HandleCount " + std::to_string(object.handleCount) + " but " +
           std::to_string(entries) + " table entries";
  if (object.destroyed != (object.usageCount() == 0))
    return where(o, object) + ": destroyed=" + std::to_string(object.destroyed) +
           " with usage count " + std::to_string(object.usageCount());
  if (auto broken = brokenName(system, o)) return broken;
  return brokenPeers(system, o);
}
}  // namespace

std::optional<std::string> brokenInvariant(const System& system) {
  std::vector<std::uint32_t> entries(system.objects().size(), 0);
  for (ProcessId p = 0; p < system.processes().size(); ++p)
    if (auto broken = brokenProcess(system, p, entries)) return broken;
  for (ObjectId o = 0; o < system.objects().size(); ++o)
    if (auto broken = brokenObject(system, o, entries[o])) return broken;
  return std::nullopt;
}

}  // namespace hc::model
