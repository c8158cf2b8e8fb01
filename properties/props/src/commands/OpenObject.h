#pragma once
// OpenEventW / OpenMutexW / OpenSemaphoreW / OpenFileMappingW (SPEC 8-9):
// existing, missing, other-type and case-differing names alike.
#include "Pick.h"

namespace hc::props {

struct OpenObject : StepCommand {
  explicit OpenObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.process = pick::process(m);
    s.op = pick::draw(rc::gen::element(proto::Op::OpenEvent, proto::Op::OpenMutex,
                                       proto::Op::OpenSemaphore, proto::Op::OpenMapping));
    s.objectName = pick::objectName();
    s.inherit = pick::coin(60);
    s.as = {pick::freshName(m)};
    return s;
  }
};

}  // namespace hc::props
