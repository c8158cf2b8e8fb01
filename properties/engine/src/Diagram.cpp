// Handle tables drawn the way the textbook draws them:
//
//   P0 (running)
//   +--------+--------+
//   | handle | object |  name   flags
//   +--------+--------+
//   |    0x4 | o2     |  MS     inherit
//   +--------+--------+
//   kernel objects
//     o2  mailslot  demo  usage count 2  (HandleCount 2)
#include "handlecheck/engine/Diagram.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace hc::engine {
namespace {

std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

struct Row {
  proto::Handle value = 0;
  std::string object;  // "o2" (model) / the NT type (real)
  std::string name;    // scenario name(s), "-" when none
  std::string notes;   // flags, count
};

void table(std::string& out, const std::string& heading, const std::vector<Row>& rows) {
  out += heading + "\n";
  if (rows.empty()) {
    out += "  (no handles)\n";
    return;
  }
  std::size_t objectWidth = 6, nameWidth = 4;
  for (const Row& r : rows) {
    objectWidth = std::max(objectWidth, r.object.size());
    nameWidth = std::max(nameWidth, r.name.size());
  }
  const std::string rule = "  +--------+" + std::string(objectWidth + 2, '-') + "+\n";
  out += rule;
  out +=
      "  | handle | " + pad("object", objectWidth) + " |  " + pad("name", nameWidth) + "  flags\n";
  out += rule;
  for (const Row& r : rows) {
    std::string line = "  | " + pad(proto::hex(r.value), 6, true) + " | " +
                       pad(r.object, objectWidth) + " |  " + pad(r.name, nameWidth) + "  " +
                       r.notes;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += rule;
}

std::string flags(bool inherit, bool protect) {
  std::string f;
  if (inherit) f += "inherit";
  if (protect) f += std::string(f.empty() ? "" : " ") + "protect";
  return f;
}

}  // namespace

ModelNames::ModelNames(const ModelBackend& backend, const Bindings& bindings)
    : system_(backend.system()) {
  for (const auto& [label, p] : bindings.processes) {
    const model::ProcessId id = backend.processOf(p.agent);
    if (id != model::kNoProcess) labels_[id] = label;
  }
}

std::string ModelNames::label(model::ProcessId id) const {
  const auto it = labels_.find(id);
  return it == labels_.end() ? "process " + std::to_string(id) : it->second;
}

std::string ModelNames::objectName(model::ObjectId o) const {
  const model::KernelObject& obj = system_.object(o);
  if (obj.kind == model::ObjectKind::Process || obj.kind == model::ObjectKind::Thread)
    return label(obj.process);
  if (obj.name.empty() && obj.peer != model::kNoObject &&
      obj.kind == model::ObjectKind::MailslotClient)
    return system_.object(obj.peer).name;
  return obj.name;
}

std::string namesAt(const ProcessBinding& p, proto::Handle value) {
  std::string out;
  for (const std::string& n : p.open)
    if (p.names.at(n) == value) out += (out.empty() ? "" : "/") + n;
  return out.empty() ? "-" : out;
}

std::vector<std::pair<std::string, const ProcessBinding*>> inCreationOrder(const Bindings& b) {
  std::vector<std::pair<std::string, const ProcessBinding*>> order;
  for (const auto& [label, p] : b.processes) order.emplace_back(label, &p);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& x, const auto& y) { return x.second->agent < y.second->agent; });
  return order;
}

std::string modelDiagram(const ModelBackend& backend, const Bindings& bindings) {
  const model::System& system = backend.system();
  const ModelNames names(backend, bindings);
  std::string out;
  for (model::ProcessId id = 0; id < system.processes().size(); ++id) {
    const model::Process& proc = system.process(id);
    const std::string label = names.label(id);
    std::string heading = label + " (";
    if (proc.parent != model::kNoProcess) heading += "child of " + names.label(proc.parent) + ", ";
    heading +=
        proc.running ? "running)" : "exited with code " + std::to_string(proc.exitCode) + ")";
    std::vector<Row> rows;
    const auto binding = bindings.processes.find(label);
    proc.table.forEach([&](model::HandleValue value, const model::HandleEntry& e) {
      rows.push_back({value, "o" + std::to_string(e.object),
                      binding == bindings.processes.end() ? "-" : namesAt(binding->second, value),
                      flags(e.inherit, e.protect)});
    });
    table(out, heading, rows);
  }
  out += "kernel objects\n";
  bool any = false;
  for (model::ObjectId o = 0; o < system.objects().size(); ++o) {
    const model::KernelObject& obj = system.object(o);
    if (obj.destroyed) continue;
    any = true;
    const std::string name = names.objectName(o);
    std::string line = "  " + pad("o" + std::to_string(o), 4) + " " +
                       pad(std::string(model::kindName(obj.kind)), 15) + " " +
                       pad(name.empty() ? "(unnamed)" : name, 10) + " usage count " +
                       std::to_string(obj.usageCount()) + "  (HandleCount " +
                       std::to_string(obj.handleCount) + (obj.running ? ", running" : "") + ")";
    if (!obj.messages.empty())
      line += ", " + std::to_string(obj.messages.size()) +
              (obj.kind == model::ObjectKind::MailslotServer ? " message(s) waiting"
                                                             : " write(s) buffered");
    out += line + "\n";
  }
  if (!any) out += "  (none)\n";
  return out;
}

std::string observedDiagram(sut::Backend& backend, const Bindings& bindings) {
  std::string out;
  for (const auto& [label, binding] : inCreationOrder(bindings)) {
    const ProcessBinding& p = *binding;
    std::string heading = label + " (";
    if (!p.parent.empty()) heading += "child of " + p.parent + ", ";
    heading += p.alive ? "running)" : "exited)";
    std::vector<Row> rows;
    if (p.alive && !p.open.empty()) {
      proto::Request look;
      look.process = p.agent;
      look.op = proto::Op::Observe;
      std::vector<std::string> names(p.open.begin(), p.open.end());
      for (const std::string& n : names) look.observe.push_back(p.names.at(n));
      const proto::Reply seen = backend.perform(look);
      for (std::size_t i = 0; i < names.size() && i < seen.observations.size(); ++i) {
        const proto::Observation& o = seen.observations[i];
        if (!o.valid) continue;
        std::string notes = flags(o.inherit, o.protect);
        notes +=
            std::string(notes.empty() ? "" : ", ") + "HandleCount " + std::to_string(o.handleCount);
        rows.push_back({o.handle, o.type, names[i], notes});
      }
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.value < b.value; });
    table(out, heading, rows);
  }
  out += "kernel objects: not observable one by one on " + backend.name() +
         " (the object column gives the NT type; HandleCount is per object)\n";
  return out;
}

}  // namespace hc::engine
