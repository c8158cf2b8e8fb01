#pragma once
// SetHandleInformation (SPEC 17): exactly the masked bits change.
#include "Pick.h"

namespace hc::props {

struct SetHandleInformation : StepCommand {
  explicit SetHandleInformation(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Set;
    const HandleView h = pick::anyOf(pick::handlesWhere(m, [](const HandleView&) { return true; }));
    s.process = h.process;
    s.handle = {h.name, {}};
    const int which = pick::draw(rc::gen::inRange(0, 3));
    if (which != 1) s.setInherit = pick::coin(50);
    if (which != 0) s.setProtect = pick::coin(40);
    return s;
  }
};

}  // namespace hc::props
