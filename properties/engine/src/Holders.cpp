// Who holds a handle to an object: the model says which entries point at
// it, the bindings say under which names and from which step.
#include "handlecheck/engine/Holders.h"

#include "Ops.h"
#include "handlecheck/engine/Diagram.h"

namespace hc::engine {

std::vector<Holder> holdersOf(const ModelBackend& backend, const Bindings& bindings,
                              model::ObjectId object) {
  const model::System& system = backend.system();
  const ModelNames labels(backend, bindings);
  std::vector<Holder> out;
  for (model::ProcessId id = 0; id < system.processes().size(); ++id) {
    const std::string label = labels.label(id);
    const auto binding = bindings.processes.find(label);
    system.process(id).table.forEach([&](model::HandleValue value, const model::HandleEntry& e) {
      if (e.object != object) return;
      Holder h{label, value, "-", std::nullopt};
      if (binding != bindings.processes.end()) {
        h.names = namesAt(binding->second, value);
        if (const auto o = binding->second.origins.find(value); o != binding->second.origins.end())
          h.origin = o->second;
      }
      out.push_back(std::move(h));
    });
  }
  return out;
}

std::vector<Holder> peerHolders(const ModelBackend& backend, const Bindings& bindings,
                                proto::AgentId process, proto::Handle handle) {
  const model::System& system = backend.system();
  const model::ProcessId self = backend.processOf(process);
  if (self == model::kNoProcess) return {};
  const model::HandleInfo info = system.handleInfo(self, toModel(handle));
  if (!info.valid) return {};
  const model::KernelObject& end = system.object(info.object);
  const bool pipeEnd =
      end.kind == model::ObjectKind::PipeRead || end.kind == model::ObjectKind::PipeWrite;
  if (!pipeEnd || end.peer == model::kNoObject || system.object(end.peer).destroyed) return {};
  return holdersOf(backend, bindings, end.peer);
}

std::string otherEndName(proto::Op op) {
  return op == proto::Op::Write ? "read end" : "write end";
}

std::string originText(const Origin& o) {
  const std::string at = " at line " + std::to_string(o.line);
  if (o.inherited) return "inherited from " + o.from + at;
  const std::string_view verb = proto::opInfo(o.op).verb;
  if (verb == "create") return "created" + at;
  if (verb == "open") return "opened" + at;
  if (verb == "dup") return (o.from.empty() ? "duplicated" : "duplicated from " + o.from) + at;
  return "made by " + std::string(verb) + at;
}

std::string holdersText(const std::vector<Holder>& holders) {
  std::string out;
  for (std::size_t i = 0; i < holders.size(); ++i) {
    const Holder& h = holders[i];
    if (i > 0) out += i + 1 == holders.size() ? " and " : ", ";
    out += h.process + " as " + (h.names == "-" ? proto::hex(h.value) : h.names);
    out += " (" + (h.origin ? originText(*h.origin) : "origin unknown") + ")";
  }
  return out;
}

}  // namespace hc::engine
