#pragma once
// Observation only: GetHandleInformation + NtQueryObject, and sometimes
// CompareObjectHandles against another handle of the same process.
#include "Pick.h"

namespace hc::props {

struct Query : StepCommand {
  explicit Query(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::Query;
    const HandleView h = pick::anyOf(pick::handlesWhere(m, [](const HandleView&) { return true; }));
    s.process = h.process;
    s.handle = {h.name, {}};
    const auto others = openHandles(m, h.process);
    if (others.size() > 1 && pick::coin(50))
      s.expects.push_back({scenario::Expect::Kind::Same, 0, pick::anyOf(others).name});
    return s;
  }
};

}  // namespace hc::props
