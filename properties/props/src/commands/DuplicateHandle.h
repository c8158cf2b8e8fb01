#pragma once
// DuplicateHandle (SPEC 18-21): within the caller or into another process
// of the tree (running or exited), with inherit and close-source.
#include "Pick.h"

namespace hc::props {

struct DuplicateHandle : StepCommand {
  explicit DuplicateHandle(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Dup;
    const HandleView h = pick::anyOf(pick::handlesWhere(m, [](const HandleView&) { return true; }));
    s.process = h.process;
    s.handle = {h.name, {}};
    if (pick::coin(45)) {
      std::vector<std::string> targets;
      for (const auto& [label, binding] : m.bindings.processes) targets.push_back(label);
      s.target = pick::draw(rc::gen::elementOf(targets));  // may have exited: SPEC 21
      if (s.target == s.process) s.target.clear();
    }
    s.sameAttributes = pick::coin(15);  // DUPLICATE_SAME_ATTRIBUTES: the source's flags
    s.inherit = !s.sameAttributes && pick::coin(50);
    // Closing the source of a protected handle is not documented: not generated.
    s.closeSource = !h.protect && pick::coin(25);
    s.as = {pick::freshName(m)};
    return s;
  }
};

}  // namespace hc::props
