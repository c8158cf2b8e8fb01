#pragma once
// CreateEventW / CreateMutexW / CreateSemaphoreW / CreateFileMappingW
// (SPEC 4-7): unnamed, or a pooled name (already-exists, type clash, case).
#include "Pick.h"

namespace hc::props {

struct CreateObject : StepCommand {
  explicit CreateObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.process = pick::process(m);
    s.op = pick::draw(rc::gen::element(proto::Op::CreateEvent, proto::Op::CreateMutex,
                                       proto::Op::CreateSemaphore, proto::Op::CreateMapping));
    if (pick::coin(60)) s.objectName = pick::objectName();
    s.inherit = pick::coin(60);
    s.as = {pick::freshName(m)};
    return s;
  }
};

}  // namespace hc::props
