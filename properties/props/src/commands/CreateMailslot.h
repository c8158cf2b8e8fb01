#pragma once
// CreateMailslotW (SPEC 10): the server handle; an existing name fails.
#include "Pick.h"

namespace hc::props {

struct CreateMailslot : StepCommand {
  explicit CreateMailslot(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s;
    s.op = proto::Op::CreateMailslot;
    s.process = pick::process(m);
    s.objectName = pick::mailslotName();
    s.inherit = pick::coin(60);
    s.as = {pick::freshName(m)};
    return s;
  }
};

// CreateFileW on \\.\mailslot\NAME (SPEC 11-12): a client (write) handle,
// in each share mode (FILE_SHARE_READ, with FILE_SHARE_WRITE, or none).
struct OpenMailslot : StepCommand {
  explicit OpenMailslot(const HarnessModel& m) : StepCommand(make(m)) {}
  static scenario::Step make(const HarnessModel& m) {
    scenario::Step s = CreateMailslot::make(m);
    s.op = proto::Op::OpenMailslot;
    using Share = scenario::Step::Share;
    const int share = pick::draw(rc::gen::inRange(0, 4));
    if (share == 1) s.share = Share::ReadWrite;
    if (share == 2) s.share = Share::None;
    return s;
  }
};

}  // namespace hc::props
