#pragma once
// CreateEventW / CreateMutexW / CreateSemaphoreW / CreateFileMappingW
// (SPEC 4-7): unnamed, or a pooled name (already-exists, type clash, case).
#include "Pick.h"

namespace hc::props {

struct CreateObject : StepCommand {
  explicit CreateObject(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = scenario::OpKind::Create;
    s.process = pick::process(m);
    s.type = pick::draw(rc::gen::element(scenario::ObjectType::Event, scenario::ObjectType::Mutex,
                               scenario::ObjectType::Semaphore, scenario::ObjectType::Mapping));
    if (pick::coin(60)) s.objectName = pick::objectName();
    s.inherit = pick::coin(60);
    s.as = {pick::freshName(m)};
    return s;
  }
};

}  // namespace hc::props
