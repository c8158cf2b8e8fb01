// The vocabulary shared by the parser and the printer: operation and object
// type keywords, Win32 error names, and step equality.
#include <utility>

#include "handlecheck/scenario/Scenario.h"

#include "Errors.h"

namespace hc::scenario {
namespace {

// winerror.h values of the errors a handle scenario can meet (SPEC 5-28).

}  // namespace

ParseError::ParseError(std::string file_, int line_, int column_, const std::string& message)
    : std::runtime_error(line_ > 0 ? file_ + ":" + std::to_string(line_) + ":" +
                                         std::to_string(column_) + ": " + message
                                   : file_ + ": " + message),
      file(std::move(file_)),
      line(line_),
      column(column_) {}

std::string_view opName(OpKind op) {
  switch (op) {
    case OpKind::Create: return "create";
    case OpKind::Open: return "open";
    case OpKind::Spawn: return "spawn";
    case OpKind::Close: return "close";
    case OpKind::Dup: return "dup";
    case OpKind::Set: return "set";
    case OpKind::Write: return "write";
    case OpKind::Read: return "read";
    case OpKind::Query: return "query";
    case OpKind::Exit: return "exit";
    case OpKind::Terminate: return "terminate";
    case OpKind::Wait: return "wait";
  }
  return "?";
}

std::string_view typeName(ObjectType t) {
  switch (t) {
    case ObjectType::Event: return "event";
    case ObjectType::Mutex: return "mutex";
    case ObjectType::Semaphore: return "semaphore";
    case ObjectType::Mapping: return "mapping";
    case ObjectType::Mailslot: return "mailslot";
    case ObjectType::Pipe: return "pipe";
  }
  return "?";
}

std::optional<std::uint32_t> errorCode(std::string_view name) { return proto::errorCode(name); }

std::string_view errorName(std::uint32_t code) { return proto::errorName(code); }

// `P0` written or not is the same step for any other label: every other label
// is always written (and parses back as written).
bool Step::operator==(const Step& o) const {
  const bool written = processWritten || process != "P0";
  const bool otherWritten = o.processWritten || o.process != "P0";
  return process == o.process && written == otherWritten && op == o.op && type == o.type &&
         objectName == o.objectName && inherit == o.inherit && noinherit == o.noinherit &&
         only == o.only && processInherit == o.processInherit &&
         threadInherit == o.threadInherit && child == o.child && target == o.target &&
         closeSource == o.closeSource && sameAttributes == o.sameAttributes &&
         share == o.share && handle == o.handle && setInherit == o.setInherit &&
         setProtect == o.setProtect && text == o.text && code == o.code && as == o.as &&
         expects == o.expects && comment == o.comment;
}

}  // namespace hc::scenario
