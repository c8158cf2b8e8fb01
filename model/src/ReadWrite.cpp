// Pipes (SPEC 13, 30-38) and the I/O of mailslots and pipes (SPEC 11-13); named
// pipe ends read and write in NamedPipe.cpp (SPEC 44, 48).
#include <algorithm>
#include <string>
#include <utility>

#include "Calls.h"
#include "handlecheck/model/Access.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using detail::blocked;
using detail::bufferedBytes;
using detail::fail;
using detail::succeed;
using detail::unsettled;

// SPEC 32, 36: a pipe end has closed once no handle to it is left in any
// process; what closed the last one (CloseHandle, close-source, exit) does
// not matter.
bool System::peerEndClosed(const KernelObject& end) const {
  return objects_.at(end.peer).handleCount == 0;
}

// SPEC 13, 30: CreatePipe(&r, &w, sa, 0): handle = read end, handle2 = write
// end, two objects with HandleCount 1 each, both inheritable iff sa says so.
Outcome System::createPipe(ProcessId p, bool inherit) {
  runningProcess(p);
  const ObjectId read = newObject(KernelObject{.kind = ObjectKind::PipeRead});
  const ObjectId write = newObject(KernelObject{.kind = ObjectKind::PipeWrite, .peer = read});
  objects_[read].peer = write;
  Outcome out = succeed(RuleId::CreatePipeMakesTwoEnds);
  out.handle = addHandle(p, read, inherit);
  out.handle2 = addHandle(p, write, inherit);
  return out;
}

// SPEC 11, 13: WriteFile of one message. Mailslot client: queued at its
// server (SPEC 11), a zero-length one too; pipe write end: appended to the
// read end's buffer (SPEC 13). Errors: 6 (not open / not a file, SPEC 15),
// 5 (the mailslot server or a pipe's read end: SPEC 11, 13), 38 (mailslot
// gone: SPEC 12), 232 (reader gone: SPEC 13).
Outcome System::writeFile(ProcessId p, HandleValue h, std::string_view text) {
  runningProcess(p);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  const KernelObject& object = objects_[entry->object];
  // SPEC 76: FILE_WRITE_DATA.
  if (object.kind == ObjectKind::PipeWrite)
    if (const auto denied = lacksRight(p, h, access::kFileWriteData)) return *denied;
  switch (object.kind) {
    case ObjectKind::MailslotClient: {
      KernelObject& server = objects_[object.peer];
      // SPEC 12: once every server handle is closed the mailslot is deleted
      // and "all client handles to the mailslot are closed" (Microsoft,
      // "Reading from a Mailslot"): I/O on a forcibly closed file object
      // fails with STATUS_FILE_FORCED_CLOSED, i.e. ERROR_HANDLE_EOF. Not
      // pinned by a Wine conformance test; the native run decides.
      if (server.destroyed) return fail(RuleId::LastServerHandleDeletesMailslot, win32::kHandleEof);
      server.messages.emplace_back(text);  // SPEC 11: zero-length messages count too
      return succeed(RuleId::MailslotClientsWriteMessages);
    }
    case ObjectKind::PipeWrite: {
      KernelObject& reader = objects_[object.peer];
      // SPEC 13, 37: STATUS_PIPE_CLOSING
      if (peerEndClosed(object)) return fail(RuleId::WriteWithoutReaderFails, win32::kNoData);
      // Quirk new-console-host-inherits: a reader only console hosts hold
      // goes when they let go, at a moment no call observes.
      if (hostHeld(object.peer) == objects_[object.peer].handleCount)
        return unsettled(RuleId::NewConsoleFreshStdHandles);
      // The writer waits for a reader to drain the buffer.
      if (bufferedBytes(reader) + text.size() > kPipeBufferSize)
        return blocked(RuleId::CreatePipeMakesTwoEnds);
      if (!text.empty()) reader.messages.emplace_back(text);  // a byte stream
      return succeed(RuleId::CreatePipeMakesTwoEnds);
    }
    case ObjectKind::NamedPipeServer:
    case ObjectKind::NamedPipeClient:
      return writeNamedPipe(objects_[entry->object], text);
    case ObjectKind::MailslotServer:  // SPEC 11: read-only
      return fail(RuleId::MailslotClientsWriteMessages, win32::kAccessDenied);
    case ObjectKind::PipeRead:  // SPEC 38: read-only end
      return fail(RuleId::AnonymousEndsAreOneWay, win32::kAccessDenied);
    default:  // not a file; not exercised by the generator
      return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  }
}

// SPEC 11, 13: ReadFile(h, 4096 bytes). Mailslot server: the oldest message
// (a zero-length one as TRUE with 0 bytes), or 121 (read timeout 0): SPEC 11.
// Pipe read end: every buffered byte (up to 4096, SPEC 34), 109 once drained
// with the writer gone (SPEC 35, 36), else it blocks: SPEC 13. 5 for
// write-only ends (SPEC 38), 6 when not open.
Outcome System::readFile(ProcessId p, HandleValue h) {
  runningProcess(p);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  KernelObject& object = objects_[entry->object];
  // SPEC 76: FILE_READ_DATA.
  if (object.kind == ObjectKind::PipeRead)
    if (const auto denied = lacksRight(p, h, access::kFileReadData)) return *denied;
  switch (object.kind) {
    case ObjectKind::MailslotServer: {
      if (object.messages.empty())
        return fail(RuleId::MailslotClientsWriteMessages, win32::kSemTimeout);
      // Quirk mailslot-empty-message-breaks-read: the empty message is consumed, the read fails.
      if (object.messages.front().empty() &&
          profile_.has(QuirkId::MailslotEmptyMessageBreaksRead)) {
        object.messages.pop_front();
        return fail(RuleId::MailslotClientsWriteMessages, win32::kBrokenPipe);
      }
      Outcome out = succeed(RuleId::MailslotClientsWriteMessages);
      out.data = std::move(object.messages.front());
      object.messages.pop_front();
      return out;
    }
    case ObjectKind::PipeRead: {
      if (object.messages.empty()) {
        if (peerEndClosed(object))
          return fail(RuleId::EofIffPeerClosedAndBufferEmpty, win32::kBrokenPipe);
        return blocked(RuleId::CreatePipeMakesTwoEnds);
      }
      std::string data;  // a byte-mode pipe returns what is there, up to the buffer
      while (!object.messages.empty() && data.size() < kReadBufferSize) {
        std::string& chunk = object.messages.front();
        const std::size_t take = std::min(chunk.size(), kReadBufferSize - data.size());
        data.append(chunk, 0, take);
        if (take == chunk.size()) {
          object.messages.pop_front();
        } else {
          chunk.erase(0, take);
        }
      }
      Outcome out = succeed(peerEndClosed(object) ? RuleId::BufferedDataOutlivesWriter
                                                  : RuleId::CreatePipeMakesTwoEnds);
      out.data = std::move(data);
      return out;
    }
    case ObjectKind::NamedPipeServer:
    case ObjectKind::NamedPipeClient:
      return readNamedPipe(object);
    case ObjectKind::MailslotClient:  // write-only
      return fail(RuleId::MailslotClientsWriteMessages, win32::kAccessDenied);
    case ObjectKind::PipeWrite:  // SPEC 38: write-only end
      return fail(RuleId::AnonymousEndsAreOneWay, win32::kAccessDenied);
    default:  // not a file; not exercised by the generator
      return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  }
}

// SPEC 33-36, 38: PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL) on a pipe's
// read end: TRUE with avail = the bytes buffered while the peer end is open
// (SPEC 33) or bytes are left (SPEC 34); 109 once both are gone (SPEC 35,
// the predicate of SPEC 36). 5 on the write end (SPEC 38), 6 when not open;
// any other kind of object is not a pipe, unsettled. It never waits.
Outcome System::peekNamedPipe(ProcessId p, HandleValue h) {
  runningProcess(p);
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  if (restrictedFileHandle(p, h)) return unsettled(RuleId::OperationsCheckRights);
  const KernelObject& object = objects_[entry->object];
  switch (object.kind) {
    case ObjectKind::PipeRead: {
      const std::size_t buffered = bufferedBytes(object);
      const bool peerClosed = peerEndClosed(object);
      if (peerClosed && buffered == 0)
        return fail(RuleId::EofIffPeerClosedAndBufferEmpty, win32::kBrokenPipe);
      // Quirk new-console-host-inherits: a peer end that only console hosts
      // hold closes when they let go, at a moment no call observes.
      if (buffered == 0 && hostHeld(object.peer) == objects_[object.peer].handleCount)
        return unsettled(RuleId::NewConsoleFreshStdHandles);
      Outcome out = succeed(peerClosed ? RuleId::BufferedDataOutlivesWriter
                                       : RuleId::PeekWhilePeerOpenSucceeds);
      out.available = static_cast<std::uint32_t>(buffered);
      return out;
    }
    case ObjectKind::PipeWrite:  // FSCTL_PIPE_PEEK needs FILE_READ_DATA
      return fail(RuleId::AnonymousEndsAreOneWay, win32::kAccessDenied);
    default:
      return unsettled(RuleId::PeekWhilePeerOpenSucceeds);
  }
}

}  // namespace hc::model
