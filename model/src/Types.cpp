#include "handlecheck/model/Types.h"

namespace hc::model {

// NtQueryObject(ObjectTypeInformation).TypeName for each kind.
std::string_view typeName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Event:
      return "Event";
    case ObjectKind::Mutex:
      return "Mutant";
    case ObjectKind::Semaphore:
      return "Semaphore";
    case ObjectKind::Mapping:
      return "Section";
    case ObjectKind::MailslotServer:
    case ObjectKind::MailslotClient:
    case ObjectKind::PipeRead:
    case ObjectKind::PipeWrite:
    case ObjectKind::NamedPipeServer:
    case ObjectKind::NamedPipeClient:
      return "File";
    case ObjectKind::Console:
      return "File";
    case ObjectKind::Process:
      return "Process";
    case ObjectKind::Thread:
      return "Thread";
  }
  return "?";
}

// The scenario-facing name of each kind (properties/scenario/README.md), for diagrams and traces.
std::string_view kindName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Event:
      return "event";
    case ObjectKind::Mutex:
      return "mutex";
    case ObjectKind::Semaphore:
      return "semaphore";
    case ObjectKind::Mapping:
      return "mapping";
    case ObjectKind::MailslotServer:
      return "mailslot";
    case ObjectKind::MailslotClient:
      return "mailslot-client";
    case ObjectKind::PipeRead:
      return "pipe-read";
    case ObjectKind::PipeWrite:
      return "pipe-write";
    case ObjectKind::Process:
      return "process";
    case ObjectKind::Thread:
      return "thread";
    case ObjectKind::NamedPipeServer:
      return "namedpipe";
    case ObjectKind::NamedPipeClient:
      return "namedpipe-client";
    case ObjectKind::Console:
      return "console";
  }
  return "?";
}

}  // namespace hc::model
