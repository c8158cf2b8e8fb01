#pragma once
// CreatePipe (SPEC 13): a read end and a write end, inheritable together.
#include "Pick.h"

namespace hc::props {

struct CreatePipe : StepCommand {
  explicit CreatePipe(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::CreatePipe;
    s.process = pick::process(m);
    s.inherit = pick::coin(60);
    s.as = {pick::freshName(m), pick::freshName(m, 1)};
    return s;
  }
};

}  // namespace hc::props
