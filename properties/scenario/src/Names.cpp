// What the parser and the printer share besides the table of operations
// (Ops.h): parse errors, Win32 error names, step equality and the names a
// step binds.
#include <utility>

#include "Errors.h"
#include "Ops.h"
#include "handlecheck/scenario/Scenario.h"

namespace hc::scenario {

ParseError::ParseError(std::string file_, int line_, int column_, const std::string& message)
    : std::runtime_error(line_ > 0 ? file_ + ":" + std::to_string(line_) + ":" +
                                         std::to_string(column_) + ": " + message
                                   : file_ + ": " + message),
      file(std::move(file_)),
      line(line_),
      column(column_) {}

std::optional<std::uint32_t> errorCode(std::string_view name) {
  return proto::errorCode(name);
}

std::string_view errorName(std::uint32_t code) {
  return proto::errorName(code);
}

// `P0` written or not is the same step for any other label: every other label
// is always written (and parses back as written).
bool Step::operator==(const Step& o) const {
  const bool written = processWritten || process != "P0" || !thread.empty();
  const bool otherWritten = o.processWritten || o.process != "P0" || !o.thread.empty();
  return process == o.process && written == otherWritten && thread == o.thread &&
         block == o.block && branch == o.branch && op == o.op && objectName == o.objectName &&
         inherit == o.inherit && noinherit == o.noinherit && only == o.only &&
         processInherit == o.processInherit && threadInherit == o.threadInherit &&
         child == o.child && target == o.target && source == o.source &&
         closeSource == o.closeSource && sameAttributes == o.sameAttributes && share == o.share &&
         handle == o.handle && setInherit == o.setInherit && setProtect == o.setProtect &&
         text == o.text && code == o.code && direction == o.direction &&
         typeMessage == o.typeMessage && readModeMessage == o.readModeMessage &&
         nowait == o.nowait && maxInstances == o.maxInstances && first == o.first &&
         access == o.access && desiredAccess == o.desiredAccess && mapWrite == o.mapWrite &&
         stdSlot == o.stdSlot && stdInput == o.stdInput && stdOutput == o.stdOutput &&
         stdError == o.stdError && console == o.console && parent == o.parent &&
         listSize == o.listSize && parentSize == o.parentSize &&
         unknownAttribute == o.unknownAttribute && as == o.as && expects == o.expects &&
         comment == o.comment;
}

std::size_t namesBound(const Step& s) {
  if (proto::takes(s.op, proto::Arg::From) && !s.source.empty()) return 0;
  return proto::opInfo(s.op).grammar.binds;
}

bool hasParallel(const Scenario& sc) {
  for (const Step& s : sc.steps)
    if (s.block != 0) return true;
  return false;
}

std::vector<Segment> segments(const std::vector<Step>& steps) {
  std::vector<Segment> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    if (s.block == 0) {
      out.push_back(Segment{.block = 0, .branches = {}, .step = i});
      continue;
    }
    if (out.empty() || out.back().block != s.block)
      out.push_back(Segment{.block = s.block, .branches = {}, .step = i});
    auto& branches = out.back().branches;
    if (branches.size() <= s.branch) branches.resize(s.branch + 1);
    branches[s.branch].push_back(i);
  }
  return out;
}

}  // namespace hc::scenario
