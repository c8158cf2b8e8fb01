#pragma once
// PeekNamedPipe (SPEC 33-38): mostly on a read end, whose writers may live in
// other processes (the end-of-file predicate of SPEC 36); sometimes on a write
// end (SPEC 38). It never waits, so every peek is settled.
#include "Pick.h"

namespace hc::props {

struct PeekNamedPipe : StepCommand {
  explicit PeekNamedPipe(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using model::ObjectKind;
    scenario::Step s;
    s.op = proto::Op::Peek;
    const auto reads =
        pick::handlesWhere(m, [](const HandleView& v) { return v.kind == ObjectKind::PipeRead; });
    const auto ends = pick::handlesWhere(m, [](const HandleView& v) {
      return pick::isKind(v, {ObjectKind::PipeRead, ObjectKind::PipeWrite});
    });
    const HandleView h = pick::anyOf(!reads.empty() && pick::coin(85) ? reads : ends);
    s.process = h.process;
    s.handle = {h.name, {}};
    return s;
  }
};

}  // namespace hc::props
