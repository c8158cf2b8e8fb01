#pragma once
// DuplicateHandle(hProcess, h, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE)
// (SPEC 50): a process closes a handle that lives in another one, mostly a
// parent dropping what its child inherited, a pipe end most often (SPEC 36).
// A protected handle is unsettled there: the precondition refuses it.
#include <algorithm>

#include "Pick.h"

namespace hc::props {

struct DuplicateHandleCloseSource : StepCommand {
  explicit DuplicateHandleCloseSource(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    using model::ObjectKind;
    const auto open = pick::handlesWhere(m, [](const HandleView& v) { return !v.protect; });
    const auto ends = pick::handlesWhere(m, [](const HandleView& v) {
      return !v.protect && pick::isKind(v, {ObjectKind::PipeRead, ObjectKind::PipeWrite});
    });
    const HandleView h = pick::anyOf(!ends.empty() && pick::coin(70) ? ends : open);
    scenario::Step s;
    s.op = proto::Op::Dup;
    s.source = h.process;
    s.handle = {h.name, {}};
    s.closeSource = true;
    const std::string& parent = m.bindings.processes.at(h.process).parent;
    const auto running = runningProcesses(m);
    const bool parentRuns =
        !parent.empty() && std::find(running.begin(), running.end(), parent) != running.end();
    s.process = parentRuns && pick::coin(80) ? parent : pick::process(m);
    return s;
  }
};

}  // namespace hc::props
