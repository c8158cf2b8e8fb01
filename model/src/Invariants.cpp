#include "handlecheck/model/Invariants.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace hc::model {

namespace {
std::string where(ObjectId o, const KernelObject& object) {
  return "object " + std::to_string(o) + " (" + std::string(kindName(object.kind)) + ")";
}
}  // namespace

std::optional<std::string> brokenInvariant(const System& system) {
  const auto& objects = system.objects();
  const auto& processes = system.processes();
  std::vector<std::uint32_t> entries(objects.size(), 0);

  for (ProcessId p = 0; p < processes.size(); ++p) {
    const Process& process = processes[p];
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
  }

  for (ObjectId o = 0; o < objects.size(); ++o) {
    const KernelObject& object = objects[o];
    if (object.handleCount != entries[o])
      return where(o, object) + ": HandleCount " + std::to_string(object.handleCount) + " but " +
             std::to_string(entries[o]) + " table entries";
    if (object.destroyed != (object.usageCount() == 0))
      return where(o, object) + ": destroyed=" + std::to_string(object.destroyed) +
             " with usage count " + std::to_string(object.usageCount());
    if (object.kind == ObjectKind::MailslotServer) {
      const auto found = system.lookupMailslot(object.name);
      if (!object.destroyed && found != o) return where(o, object) + ": alive but not by name";
      if (object.destroyed && found == o) return where(o, object) + ": destroyed but named";
    } else if (!object.name.empty() && object.kind != ObjectKind::NamedPipeServer) {
      const auto found = system.lookupName(object.name);
      if (!object.destroyed && found != o) return where(o, object) + ": alive but not by name";
      if (object.destroyed && found == o) return where(o, object) + ": destroyed but named";
    }
    if (object.kind == ObjectKind::MailslotClient &&
        (object.peer >= objects.size() || objects[object.peer].kind != ObjectKind::MailslotServer))
      return where(o, object) + ": its peer is not a mailslot server";
    // SPEC 44: a named pipe end's peer, when it has one, is the other end
    // of the same instance, and names it back.
    if ((object.kind == ObjectKind::NamedPipeServer ||
         object.kind == ObjectKind::NamedPipeClient) &&
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
  }
  return std::nullopt;
}

}  // namespace hc::model
