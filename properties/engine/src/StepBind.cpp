// The names a step binds (SPEC 1-2) and what a spawned child inherits (SPEC 22-25).
#include <algorithm>

#include "StepRun.h"
#include "handlecheck/model/Rules.h"

namespace hc::engine::detail {

namespace {
// SPEC 79: the entries the list's cbSize covers, the first list-size / 8.
std::vector<proto::Handle> listedValues(const proto::Request& q) {
  std::vector<proto::Handle> list = q.handleList;
  if (q.listSize >= 0) list.resize(std::min(list.size(), static_cast<std::size_t>(q.listSize / 8)));
  return list;
}
}  // namespace

// A name the step introduces. New handles obey SPEC 1-2 as far as the bound
// names show: non-zero, a multiple of 4, not the value of another open name.
void StepRun::bind(ProcessBinding& owner, const std::string& label, const std::string& name,
                   proto::Handle value, bool ok) {
  if (step_.op == proto::Op::GetStd) {
    // SPEC 51: a slot's value is a plain number (NULL, INVALID_HANDLE_VALUE,
    // a value not open, another name's value): bound as it is, no SPEC 1-2
    // invariant, and not an open handle of its own.
    owner.open.erase(name);
    owner.processHandles.erase(name);
    owner.names[name] = value;
    owner.rules[name] = rule_;
    return;
  }
  owner.open.erase(name);
  owner.processHandles.erase(name);
  owner.names[name] = ok ? value : 0;  // a failed call binds NULL: never valid (SPEC 1)
  if (!ok) return;
  if (value == 0 || value % 4 != 0)
    invariant("new handle " + name + " = " + proto::hex(value) + " is not a non-zero multiple of 4",
              RuleId::HandleValuesPerProcess);
  for (const std::string& other : owner.open)
    if (owner.names.at(other) == value)
      invariant("new handle " + name + " = " + proto::hex(value) +
                    " has the value of open handle " + other + " in " + label,
                RuleId::OpenHandlesHaveDistinctValues);
  owner.open.insert(name);
  owner.origins[value] =
      Origin{step_.line, step_.op, false, label == step_.process ? "" : step_.process};
  // pi.hProcess / pi.hThread follow SPEC 24, whatever decided the spawn.
  owner.rules[name] =
      step_.op == proto::Op::Spawn ? model::cite(RuleId::ProcessInformationHandlesAreNew) : rule_;
}

// The caller's names, observed in the main request; with a designated parent
// (SPEC 82), that process's open names, observed there now (the call does not
// change their flags, so observing after it is observing before).
std::vector<std::pair<std::string, proto::Handle>> StepRun::inheritable(
    const proto::Reply& r, std::vector<proto::Observation>& seen) {
  seen.clear();
  if (designated_.empty()) return {};
  if (designated_ == step_.process) {
    const std::size_t n = std::min(observed_.size(), r.observations.size());
    seen.assign(r.observations.begin(), r.observations.begin() + static_cast<std::ptrdiff_t>(n));
    return observed_;
  }
  const ProcessBinding& source = b_.processes.at(designated_);
  std::vector<std::pair<std::string, proto::Handle>> names;
  if (!source.alive) return names;
  for (const std::string& name : source.open) names.emplace_back(name, source.names.at(name));
  if (names.empty()) return names;
  proto::Request look;
  look.process = source.agent;
  look.op = proto::Op::Observe;
  for (const auto& entry : names) look.observe.push_back(entry.second);
  seen = perform(look).observations;
  return names;
}

// SPEC 22-23, 25, 82: the child knows every inherited handle under its
// parent's name (the designated parent's, if any) at the parent's value; it
// is checked there (open, with the parent's inherit and protect flags, same
// type and HandleCount as in the parent).
void StepRun::inherit(const proto::Request& q, const proto::Reply& r) {
  ProcessBinding child;
  child.agent = q.target;
  child.parent = designated_.empty() ? step_.process : designated_;
  child.pid = r.childPid;
  std::vector<proto::Observation> seenInParent;
  const std::vector<std::pair<std::string, proto::Handle>> candidates =
      step_.block != 0 ? observed_ : inheritable(r, seenInParent);
  const ProcessBinding& parent = b_.processes.at(child.parent);
  std::vector<std::pair<std::string, proto::Observation>> inherited;
  if (!q.spawnInherit)
    for (const auto& entry : candidates) child.notInherited.insert(entry.first);
  const std::vector<proto::Handle> list = listedValues(q);
  const bool nullListed =
      q.useHandleList && std::find(list.begin(), list.end(), proto::Handle{0}) != list.end();
  if (q.spawnInherit && step_.block == 0) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto& [name, value] = candidates[i];
      const proto::Observation& o = seenInParent.at(i);
      // SPEC 25: only listed handles, and none at all when NULL is listed.
      const bool listed = !q.useHandleList ||
                          (!nullListed && std::find(list.begin(), list.end(), value) != list.end());
      if (!o.valid || !o.inherit || !listed) {
        child.notInherited.insert(name);
        continue;
      }
      child.names[name] = value;
      child.open.insert(name);
      child.rules[name] = rule_;
      child.origins[value] = Origin{step_.line, proto::Op::Spawn, true, designated_};
      if (const auto ph = parent.processHandles.find(name); ph != parent.processHandles.end())
        child.processHandles[name] = ph->second;
      inherited.emplace_back(name, o);
    }
  }
  b_.processes[step_.child] = child;
  if (step_.block != 0) return inheritAlongside(q);
  if (inherited.empty()) return;
  proto::Request look;
  look.process = child.agent;
  look.op = proto::Op::Observe;
  for (const auto& entry : inherited) look.observe.push_back(entry.second.handle);
  const proto::Reply seen = perform(look);
  for (std::size_t i = 0; i < inherited.size(); ++i) {
    const auto& [name, inParent] = inherited[i];
    const proto::Observation& o = seen.observations.at(i);
    report_.observations.push_back({step_.child, name, o});
    const std::string h = name + " (" + proto::hex(o.handle) + ")";
    if (!o.valid) {
      invariant("inherited " + h + " is not open in " + step_.child, RuleId::InheritCopiesEntry);
      b_.processes[step_.child].open.erase(name);
      continue;
    }
    if (!o.inherit)
      invariant("inherited " + h + " lost its inherit flag in " + step_.child,
                RuleId::InheritCopiesEntry);
    if (o.protect != inParent.protect)
      invariant("inherited " + h + (o.protect ? " gained" : " lost") + " its protect flag in " +
                    step_.child,
                RuleId::InheritCopiesEntry, "the whole entry is copied");
    if (o.type != inParent.type)
      invariant("inherited " + h + " is a " + o.type + " in " + step_.child + ", a " +
                    inParent.type + " in " + designated_,
                RuleId::InheritCopiesEntry);
    else if (!isCountLowerBound(backend_, o) && o.handleCount != inParent.handleCount)
      invariant("inherited " + h + " has count=" + std::to_string(o.handleCount) + " in " +
                    step_.child + ", count=" + std::to_string(inParent.handleCount) + " in " +
                    designated_,
                RuleId::InheritCopiesEntry, "one object");
  }
}

// SPEC 86: a spawn in a parallel block copies each entry at its own moment,
// while other threads change the table, so the parent's flags after the call
// do not say what the child got. The child knows every parent name the
// spawn's options let in (SPEC 25) that is open in the child at the parent's
// value, with its inherit flag on (the whole entry is copied, SPEC 23).
void StepRun::inheritAlongside(const proto::Request& q) {
  ProcessBinding& child = b_.processes.at(step_.child);
  child.names.clear();
  child.open.clear();
  child.rules.clear();
  child.origins.clear();
  child.processHandles.clear();
  child.notInherited.clear();
  const ProcessBinding& parent = b_.processes.at(child.parent);
  const std::vector<proto::Handle> list = listedValues(q);
  const bool nullListed =
      q.useHandleList && std::find(list.begin(), list.end(), proto::Handle{0}) != list.end();
  std::vector<std::pair<std::string, proto::Handle>> candidates;
  std::vector<std::pair<std::string, proto::Handle>> names = observed_;
  if (designated_ != step_.process) {
    names.clear();
    if (!designated_.empty())
      for (const std::string& name : parent.open) names.emplace_back(name, parent.names.at(name));
  }
  for (const auto& [name, value] : names) {
    const bool listed = !q.useHandleList ||
                        (!nullListed && std::find(list.begin(), list.end(), value) != list.end());
    if (q.spawnInherit && listed)
      candidates.emplace_back(name, value);
    else
      child.notInherited.insert(name);
  }
  if (candidates.empty()) return;
  proto::Request look;
  look.process = child.agent;
  look.op = proto::Op::Observe;
  for (const auto& entry : candidates) look.observe.push_back(entry.second);
  const proto::Reply seen = perform(look);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& [name, value] = candidates[i];
    const proto::Observation& o = seen.observations.at(i);
    if (!o.valid) {
      child.notInherited.insert(name);
      continue;
    }
    child.names[name] = value;
    child.open.insert(name);
    child.rules[name] = model::cite(RuleId::InheritCopiesEachEntryAlone);
    child.origins[value] = Origin{step_.line, proto::Op::Spawn, true, designated_};
    if (const auto ph = parent.processHandles.find(name); ph != parent.processHandles.end())
      child.processHandles[name] = ph->second;
    report_.observations.push_back({step_.child, name, o});
    if (!o.inherit)
      invariant("inherited " + name + " (" + proto::hex(o.handle) + ") lost its inherit flag in " +
                    step_.child,
                RuleId::InheritCopiesEntry);
  }
}

}  // namespace hc::engine::detail
