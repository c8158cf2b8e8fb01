// The picture's data: from the model's System (whole truth) or from observed
// rows paired with the model by handle name, then compared.
#include "Picture.h"

#include <algorithm>
#include <map>
#include <set>

#include "handlecheck/engine/Diagram.h"

namespace hc::cli::html {
namespace {

bool lowerBoundType(std::string_view ntType) {
  return ntType == "Process" || ntType == "Thread";  // SPEC 29
}

// SPEC 22: the runner binds a child's inherited copy under its parent's
// name at the parent's value; that is how the picture knows it was inherited.
bool inheritedAt(const engine::Bindings& b, const std::string& label, proto::Handle value) {
  const auto self = b.processes.find(label);
  if (self == b.processes.end() || self->second.parent.empty()) return false;
  const auto parent = b.processes.find(self->second.parent);
  if (parent == b.processes.end()) return false;
  for (const std::string& n : self->second.open) {
    if (self->second.names.at(n) != value) continue;
    const auto there = parent->second.names.find(n);
    if (there != parent->second.names.end() && there->second == value) return true;
  }
  return false;
}

const engine::ProcessBinding* bindingOf(const engine::Bindings& b, const std::string& label) {
  const auto it = b.processes.find(label);
  return it == b.processes.end() ? nullptr : &it->second;
}

Entry entryOf(proto::Handle value, std::string names, bool inherit, bool protect,
              std::string object, bool inherited) {
  Entry e;
  e.value = value;
  e.names = std::move(names);
  e.inherit = inherit;
  e.protect = protect;
  e.object = std::move(object);
  e.inherited = inherited;
  return e;
}

Entry* entryNamed(Picture& p, const std::string& label, const std::string& names) {
  for (Process& proc : p.processes)
    if (proc.label == label)
      for (Entry& e : proc.entries)
        if (e.names == names) return &e;
  return nullptr;
}

Process* processNamed(Picture& p, const std::string& label) {
  for (Process& proc : p.processes)
    if (proc.label == label) return &proc;
  return nullptr;
}

void mark(Entry& e, const std::string& field, const std::string& why) {
  e.differs = true;
  e.differsIn += (e.differsIn.empty() ? "" : ", ") + field;
  e.note += (e.note.empty() ? "" : "; ") + why;
}

void mark(Object& o, const std::string& why) {
  o.differs = true;
  o.note += (o.note.empty() ? "" : "; ") + why;
}

}  // namespace

const Object* Picture::object(const std::string& key) const {
  for (const Object& o : objects)
    if (o.key == key) return &o;
  return nullptr;
}

Picture modelPicture(const engine::ModelBackend& backend, const engine::Bindings& bindings) {
  const model::System& system = backend.system();
  const engine::ModelNames names(backend, bindings);
  Picture out;
  out.side = backend.name();
  std::set<model::ObjectId> referenced;
  for (model::ProcessId id = 0; id < system.processes().size(); ++id) {
    const model::Process& proc = system.process(id);
    Process p;
    p.label = names.label(id);
    if (proc.parent != model::kNoProcess) p.parent = names.label(proc.parent);
    p.running = proc.running;
    if (!proc.running) p.exitCode = proc.exitCode;
    const engine::ProcessBinding* binding = bindingOf(bindings, p.label);
    proc.table.forEach([&](model::HandleValue value, const model::HandleEntry& e) {
      p.entries.push_back(entryOf(value, binding ? engine::namesAt(*binding, value) : "-",
                                  e.inherit, e.protect, "o" + std::to_string(e.object),
                                  inheritedAt(bindings, p.label, value)));
      referenced.insert(e.object);
    });
    out.processes.push_back(std::move(p));
  }
  for (model::ObjectId o = 0; o < system.objects().size(); ++o) {
    const model::KernelObject& obj = system.object(o);
    if (obj.destroyed) continue;
    Object drawn;
    drawn.key = "o" + std::to_string(o);
    drawn.kind = model::kindName(obj.kind);
    drawn.ntType = model::typeName(obj.kind);
    drawn.name = names.objectName(o);
    drawn.handleCount = obj.handleCount;
    drawn.usageCount = obj.usageCount();
    drawn.lowerBound = lowerBoundType(drawn.ntType);
    if (referenced.count(o)) {
      out.objects.push_back(std::move(drawn));
    } else {
      out.undrawn.push_back(drawn.kind + " " + drawn.name + ": usage count " +
                            std::to_string(*drawn.usageCount) + " (" +
                            (obj.running ? "running" : "kept") + ", no handle to it)");
    }
  }
  return out;
}

Picture observedPicture(std::string side, const props::Tables& rows, const engine::Bindings& names,
                        const Picture* pairing, const engine::Bindings* pairingNames) {
  Picture out;
  out.side = std::move(side);

  // The model object the same name in the same process refers to.
  const auto paired = [&](const std::string& label, const std::string& name) -> const Object* {
    if (!pairing || !pairingNames) return nullptr;
    const engine::ProcessBinding* b = bindingOf(*pairingNames, label);
    if (!b || !b->open.count(name)) return nullptr;
    const proto::Handle value = b->names.at(name);
    for (const Process& p : pairing->processes)
      if (p.label == label)
        for (const Entry& e : p.entries)
          if (e.value == value) return pairing->object(e.object);
    return nullptr;
  };

  struct Seen {
    std::size_t process, entry;
    std::string key;
    const Object* model;
    proto::Observation observation;
  };
  std::vector<Seen> seen;
  for (const auto& [label, binding] : engine::inCreationOrder(names)) {
    Process p;
    p.label = label;
    p.parent = binding->parent;
    p.running = binding->alive;
    std::map<proto::Handle, std::vector<const props::TableRow*>> byValue;
    for (const props::TableRow& r : rows)
      if (r.process == label && r.observation.valid) byValue[r.value].push_back(&r);
    for (const auto& [value, same] : byValue) {
      const proto::Observation& o = same.front()->observation;
      p.entries.push_back(entryOf(value, engine::namesAt(*binding, value), o.inherit, o.protect, {},
                                  inheritedAt(names, label, value)));
      const Object* m = nullptr;
      for (const props::TableRow* r : same)
        if ((m = paired(label, r->name))) break;
      if (m && m->ntType != o.type) m = nullptr;
      seen.push_back({out.processes.size(), p.entries.size() - 1,
                      m ? m->key : "r-" + label + "-" + proto::hex(value), m, o});
    }
    out.processes.push_back(std::move(p));
  }
  // Entries paired with one model object but observably not one object
  // (another type or HandleCount) each keep an object of their own.
  std::map<std::string, std::set<std::pair<std::string, std::uint32_t>>> looks;
  for (const Seen& s : seen) looks[s.key].insert({s.observation.type, s.observation.handleCount});
  for (Seen& s : seen) {
    if (looks[s.key].size() > 1)
      s.key += "-" + s.observation.type + std::to_string(s.observation.handleCount);
    out.processes[s.process].entries[s.entry].object = s.key;
    if (out.object(s.key)) continue;
    Object o;
    o.key = s.key;
    o.ntType = s.observation.type;
    o.kind = s.model ? s.model->kind : s.observation.type;
    o.name = s.model ? s.model->name : "";
    o.handleCount = s.observation.handleCount;
    o.lowerBound = lowerBoundType(o.ntType);
    out.objects.push_back(std::move(o));
  }
  return out;
}

int markDifferences(Picture& model, Picture& real) {
  int marks = 0;
  for (Process& p : model.processes) {
    Process* other = processNamed(real, p.label);
    if (!other) {
      p.differs = true;
      ++marks;
      continue;
    }
    if (p.running != other->running) {
      p.differs = other->differs = true;
      ++marks;
    }
    for (Entry& e : p.entries) {
      if (e.names == "-") continue;  // nothing names it on the other side
      Entry* r = entryNamed(real, p.label, e.names);
      if (!r) {
        mark(e, "missing", "open on the model, not on " + real.side);
        ++marks;
        continue;
      }
      const auto flag = [&](const char* what, bool m, bool x) {
        if (m == x) return;
        const std::string why = std::string(what) + ": model " + (m ? "1" : "0") + ", " +
                                real.side + " " + (x ? "1" : "0");
        mark(e, what, why);
        mark(*r, what, why);
        ++marks;
      };
      flag("inherit", e.inherit, r->inherit);
      flag("protect", e.protect, r->protect);
      const Object* mo = model.object(e.object);
      const Object* ro = real.object(r->object);
      if (mo && ro && mo->ntType != ro->ntType) {
        const std::string why = "type: model " + mo->ntType + ", " + real.side + " " + ro->ntType;
        mark(e, "type", why);
        mark(*r, "type", why);
        ++marks;
      }
    }
  }
  for (Process& p : real.processes) {
    if (!processNamed(model, p.label)) {
      p.differs = true;
      ++marks;
      continue;
    }
    for (Entry& e : p.entries)
      if (e.names != "-" && !entryNamed(model, p.label, e.names)) {
        mark(e, "extra", "open on " + real.side + ", not on the model");
        ++marks;
      }
  }
  for (Object& r : real.objects) {
    Object* m = nullptr;
    for (Object& o : model.objects)
      if (o.key == r.key) m = &o;
    if (!m) continue;  // not paired: its entries carry the difference
    const bool same =
        r.lowerBound ? r.handleCount >= m->handleCount : r.handleCount == m->handleCount;
    if (same) continue;
    const std::string why = "HandleCount: model " + std::string(m->lowerBound ? ">=" : "") +
                            std::to_string(m->handleCount) + ", " + real.side + " " +
                            std::to_string(r.handleCount);
    mark(*m, why);
    mark(r, why);
    ++marks;
  }
  // A model object the real side split into several: each part differs.
  for (Object& r : real.objects)
    if (!r.differs && r.key.rfind("o", 0) == 0 && r.key.find('-') != std::string::npos) {
      mark(r, "the model's one object is observably several here");
      ++marks;
    }
  return marks;
}

void collapseUnchanged(Picture& p, const Picture& before) {
  std::size_t entries = 0;
  for (const Process& proc : p.processes) entries += proc.entries.size();
  if (p.processes.size() <= 8 && entries <= 60) return;
  const auto plain = [](std::vector<Entry> es) {
    for (Entry& e : es)
      e.differs = false, e.differsIn.clear(), e.note.clear(), e.holder = false, e.origin.reset();
    return es;
  };
  for (Process& proc : p.processes) {
    const auto was = std::find_if(before.processes.begin(), before.processes.end(),
                                  [&](const Process& b) { return b.label == proc.label; });
    const bool marked =
        proc.differs || std::any_of(proc.entries.begin(), proc.entries.end(),
                                    [](const Entry& e) { return e.differs || e.holder; });
    if (was != before.processes.end() && !marked && plain(was->entries) == plain(proc.entries) &&
        was->running == proc.running)
      proc.collapsed = true;
  }
  std::set<std::string> shown;
  for (const Process& proc : p.processes)
    if (!proc.collapsed)
      for (const Entry& e : proc.entries) shown.insert(e.object);
  std::size_t hidden = 0;
  std::erase_if(p.objects, [&](const Object& o) {
    const bool hide = !o.differs && !o.held && !shown.count(o.key);
    hidden += hide ? 1 : 0;
    return hide;
  });
  if (hidden)
    p.undrawn.push_back(std::to_string(hidden) +
                        " object(s) only unchanged (collapsed) tables refer to");
}

}  // namespace hc::cli::html
