// What the parser and the printer share besides the table of operations
// (Ops.h): parse errors, Win32 error names, and step equality.
#include <utility>

#include "Errors.h"
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
  const bool written = processWritten || process != "P0";
  const bool otherWritten = o.processWritten || o.process != "P0";
  return process == o.process && written == otherWritten && op == o.op &&
         objectName == o.objectName && inherit == o.inherit && noinherit == o.noinherit &&
         only == o.only && processInherit == o.processInherit && threadInherit == o.threadInherit &&
         child == o.child && target == o.target && closeSource == o.closeSource &&
         sameAttributes == o.sameAttributes && share == o.share && handle == o.handle &&
         setInherit == o.setInherit && setProtect == o.setProtect && text == o.text &&
         code == o.code && stdSlot == o.stdSlot && stdInput == o.stdInput &&
         stdOutput == o.stdOutput && stdError == o.stdError && console == o.console && as == o.as &&
         expects == o.expects && comment == o.comment;
}

}  // namespace hc::scenario
