#pragma once
// CreateProcessW of a child agent (SPEC 22-25): bInheritHandles, a handle
// list (sometimes naming a non-inheritable handle: SPEC 25's failure),
// inheritable process/thread handles so a grandchild inherits them again,
// and a designated parent (SPEC 82-85).
#include "Access.h"
#include "Pick.h"

namespace hc::props {

// The caller's handles to running processes whose children stay within the
// depth limit: the designated parents a spawn by `caller` may name (SPEC 82).
// Those carrying a restricted mask make SPEC 84's ERROR_ACCESS_DENIED.
inline std::vector<HandleView> designatedParents(const HarnessModel& m, const std::string& caller,
                                                 const GenConfig& c) {
  std::vector<HandleView> out;
  const engine::ProcessBinding& self = m.bindings.processes.at(caller);
  for (const auto& h : openHandles(m, caller)) {
    const auto names = self.processHandles.find(h.name);
    if (h.kind != model::ObjectKind::Process || names == self.processHandles.end()) continue;
    const auto target = m.bindings.processes.find(names->second);
    if (target != m.bindings.processes.end() && target->second.alive &&
        m.depth.at(names->second) < c.maxDepth)
      out.push_back(h);
  }
  return out;
}

// The process that spawns: one of `parents`, often one holding an
// inheritable handle with a restricted access, which the child then
// inherits with that access (SPEC 75).
inline std::string spawningParent(const HarnessModel& m, const std::vector<std::string>& parents) {
  std::vector<std::string> restrictedHolders;
  for (const auto& p : parents)
    for (const HandleView& h : openHandles(m, p))
      if (h.inherit && pick::restricted(m, h)) {
        restrictedHolders.push_back(p);
        break;
      }
  return pick::draw(rc::gen::elementOf(
      !restrictedHolders.empty() && pick::coin(75) ? restrictedHolders : parents));
}

// A handle list of `handles` (the table the child inherits from), mostly
// with bInheritHandles (SPEC 25 refuses it without), sometimes with a NULL
// entry; then SPEC 79's cbSize other than 8 per entry: 0 (refused), not a
// multiple of 8 (refused), or, most often, one entry fewer than the array
// holds (accepted: the list is its first entries; a NULL entry at the end of
// the array fills a one-handle list).
inline void drawHandleList(scenario::Step& s, const std::vector<HandleView>& handles) {
  std::vector<scenario::HandleRef> list;
  for (const auto& h : handles)
    if ((h.inherit && pick::coin(60)) || pick::coin(5)) list.push_back({h.name, {}});
  if (list.empty()) list.push_back({pick::anyOf(handles).name, {}});
  if (pick::coin(15)) list.push_back({{}, 0});
  if (pick::coin(70)) {
    if (pick::coin(75)) {
      if (list.size() < 2) list.push_back({{}, 0});
      s.listSize = 8 * static_cast<std::uint32_t>(list.size() - 1);
    } else {
      const auto bytes = 8 * static_cast<std::uint32_t>(list.size());
      s.listSize = pick::draw(rc::gen::element<std::uint32_t>(0, 0, 4, bytes - 1));
    }
  }
  s.only = std::move(list);
}

struct CreateProcess : StepCommand {
  CreateProcess(const HarnessModel& m, const GenConfig& c) : StepCommand(make(m, c)) {}
  static scenario::Step make(const HarnessModel& m, const GenConfig& c) {
    std::vector<std::string> parents;
    for (const auto& p : runningProcesses(m))
      if (m.depth.at(p) < c.maxDepth) parents.push_back(p);
    if (parents.empty()) parents = runningProcesses(m);  // genCommand avoids this
    scenario::Step s;
    s.op = proto::Op::Spawn;
    s.process = spawningParent(m, parents);
    s.child = "C" + std::to_string(m.nextChild);
    s.inherit = pick::coin(75);
    s.noinherit = !s.inherit && pick::coin(50);
    // A designated parent: the child inherits from it, and a list names its
    // handles (SPEC 82, 85); now and then NULL or a handle of another kind
    // (SPEC 84's ERROR_INVALID_HANDLE). The weights give ./ci/check.sh's
    // campaign (seed 1, 400 sequences of 40 steps) 20 or more steps each of
    // designated parents and refused ones.
    std::string from = s.process;
    const auto designated = designatedParents(m, s.process, c);
    if (!designated.empty() && pick::coin(85)) {
      const HandleView parent = pick::anyOf(designated);
      s.parent = scenario::HandleRef{parent.name, {}};
      from = m.bindings.processes.at(s.process).processHandles.at(parent.name);
    } else if (pick::coin(12)) {
      const auto own = openHandles(m, s.process);
      s.parent = own.empty() || pick::coin(40) ? scenario::HandleRef{{}, 0}
                                               : scenario::HandleRef{pick::anyOf(own).name, {}};
    }
    const auto handles = openHandles(m, from);
    if (!handles.empty() && pick::coin(s.inherit ? 60 : 10)) drawHandleList(s, handles);
    // SPEC 79: UpdateProcThreadAttribute's other refusals.
    if (s.parent && pick::coin(10)) s.parentSize = 4;
    s.unknownAttribute = pick::coin(3);
    s.processInherit = pick::coin(30);
    s.threadInherit = pick::coin(20);
    s.as = {pick::freshName(m), pick::freshName(m, 1)};
    return s;
  }
};

}  // namespace hc::props
