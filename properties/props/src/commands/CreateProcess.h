#pragma once
// CreateProcessW of a child agent (SPEC 22-25): bInheritHandles, a handle
// list (sometimes naming a non-inheritable handle: SPEC 25's failure), and
// inheritable process/thread handles so a grandchild inherits them again.
#include "Pick.h"

namespace hc::props {

struct CreateProcess : StepCommand {
  CreateProcess(const HarnessModel& m, const GenConfig& c) : StepCommand(make(m, c)) {}
  static scenario::Step make(const HarnessModel& m, const GenConfig& c) {
    std::vector<std::string> parents;
    for (const auto& p : runningProcesses(m))
      if (m.depth.at(p) < c.maxDepth) parents.push_back(p);
    if (parents.empty()) parents = runningProcesses(m);  // genCommand avoids this
    scenario::Step s;
    s.op = proto::Op::Spawn;
    // Prefer the deepest parents: trees of depth >= 3 come often.
    s.process = pick::draw(rc::gen::elementOf(parents));
    s.child = "C" + std::to_string(m.nextChild);
    s.inherit = pick::coin(75);
    s.noinherit = !s.inherit && pick::coin(50);
    const auto handles = openHandles(m, s.process);
    // A handle list, mostly with bInheritHandles (SPEC 25 refuses it without),
    // sometimes with a NULL entry.
    if (!handles.empty() && pick::coin(s.inherit ? 30 : 10)) {
      std::vector<scenario::HandleRef> list;
      for (const auto& h : handles)
        if ((h.inherit && pick::coin(60)) || pick::coin(5)) list.push_back({h.name, {}});
      if (list.empty()) list.push_back({pick::anyOf(handles).name, {}});
      if (pick::coin(15)) list.push_back({{}, 0});
      s.only = list;
    }
    s.processInherit = pick::coin(30);
    s.threadInherit = pick::coin(20);
    s.as = {pick::freshName(m), pick::freshName(m, 1)};
    return s;
  }
};

}  // namespace hc::props
