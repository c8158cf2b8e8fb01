// Named pipes (SPEC 40-49): instances made by CreateNamedPipeW, clients
// opened with CreateFileW, ConnectNamedPipe on a PIPE_NOWAIT server,
// DisconnectNamedPipe, GetNamedPipeHandleState, and the I/O of their ends.
// An instance is two objects, the server end and the client end, linked as
// peers like CreatePipe's two ends, so the pipe EOF rules read the same.
#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

#include "Calls.h"
#include "handlecheck/model/System.h"

namespace hc::model {

using namespace detail;  // the Outcome builders and bufferedBytes of Calls.h

namespace {

bool isNamedPipeEnd(const KernelObject& k) {
  return k.kind == ObjectKind::NamedPipeServer || k.kind == ObjectKind::NamedPipeClient;
}

// The access bits a client of a pipe may ask for, as seen from the client:
// an inbound pipe (the server reads) lets the client write, and so on.
std::uint32_t clientMayHave(std::uint32_t serverAccess) {
  std::uint32_t bits = 0;
  if (serverAccess & kPipeAccessInbound) bits |= kPipeAccessOutbound;
  if (serverAccess & kPipeAccessOutbound) bits |= kPipeAccessInbound;
  return bits;
}

}  // namespace

// SPEC 47: the pipe holding that name (case-insensitive: file names), while
// one of its server ends is open.
const NamedPipe* System::lookupNamedPipe(std::string_view name) const {
  const auto it = namedPipes_.find(mailslotKey(name));
  return it == namedPipes_.end() ? nullptr : &it->second;
}

// SPEC 44: listening and disconnected servers have no peer; a connected
// instance has both ends open; closing, one end's HandleCount reached 0; a
// client without a peer was disconnected by its server.
PipeState System::instanceState(ObjectId end) const {
  const KernelObject& self = objects_.at(end);
  assert(isNamedPipeEnd(self) && "model: instanceState of an object that is no named pipe end");
  if (self.peer == kNoObject) {
    if (self.kind == ObjectKind::NamedPipeServer && self.listening) return PipeState::Listening;
    return PipeState::Disconnected;
  }
  return objects_[self.peer].destroyed ? PipeState::Closing : PipeState::Connected;
}

// SPEC 40-42: CreateNamedPipeW(\\.\pipe\NAME, openMode, pipeMode, max, 4096,
// 4096, 0, sa): the server end of a new listening instance, or 87 / 231 / 5.
Outcome System::createNamedPipe(ProcessId p, std::string_view name, const NamedPipeOptions& options,
                                bool inherit) {
  runningProcess(p);
  assert(!name.empty() && "model: a named pipe always has a name (scenario grammar)");
  const std::uint32_t direction = options.openMode & kPipeAccessDuplex;
  assert(direction != 0 && "model: CreateNamedPipeW without a direction (scenario grammar)");
  if ((options.pipeMode & kPipeReadmodeMessage) && !(options.pipeMode & kPipeTypeMessage))
    return fail(RuleId::NamedPipeInvalidParameters, win32::kInvalidParameter);
  if (options.maxInstances == 0 || options.maxInstances > kPipeUnlimitedInstances)
    return unsettled(RuleId::NamedPipeInvalidParameters);
  const std::string key = mailslotKey(name);
  RuleId rule = RuleId::NewNamedPipeHasOneInstance;
  if (const auto it = namedPipes_.find(key); it != namedPipes_.end()) {
    // SPEC 41, in this order: the first instance's limit, the first-instance
    // flag, the direction.
    const NamedPipe& pipe = it->second;
    rule = RuleId::NamedPipeInstanceChecks;
    if (pipe.servers.size() >= pipe.maxInstances) return fail(rule, win32::kPipeBusy);
    // Quirk first-pipe-instance-ignored: Wine's CreateNamedPipeW drops the flag.
    if ((options.openMode & kFileFlagFirstPipeInstance) &&
        !profile_.has(QuirkId::FirstPipeInstanceIgnored))
      return fail(rule, win32::kAccessDenied);
    if (direction != pipe.access) return fail(rule, win32::kAccessDenied);
  } else {
    namedPipes_.emplace(
        key,
        NamedPipe{.id = ++pipeTick_, .maxInstances = options.maxInstances, .access = direction});
  }
  NamedPipe& pipe = namedPipes_.at(key);
  const ObjectId o = newObject(KernelObject{.kind = ObjectKind::NamedPipeServer,
                                            .name = std::string(name),
                                            .pipeAccess = direction,
                                            .pipeMode = options.pipeMode,
                                            .pipe = pipe.id,
                                            .listening = ++pipeTick_});
  pipe.servers.push_back(o);
  Outcome out = succeed(rule);
  out.handle = addHandle(p, o, inherit);
  return out;
}

// SPEC 43, 47: a client end connected to the instance listening longest, or
// 2 (no server end open) / 231 (none listening). Asking for an access the
// pipe's direction refuses is unsettled (the error code differs).
Outcome System::openNamedPipe(ProcessId p, std::string_view name, std::uint32_t access,
                              bool inherit) {
  runningProcess(p);
  const RuleId rule = RuleId::ClientConnectsToListeningInstance;
  const auto it = namedPipes_.find(mailslotKey(name));
  if (it == namedPipes_.end()) return fail(rule, win32::kFileNotFound);
  const NamedPipe& pipe = it->second;
  std::uint32_t wants = 0;
  if (access & kGenericRead) wants |= kPipeAccessInbound;
  if (access & kGenericWrite) wants |= kPipeAccessOutbound;
  if (wants & ~clientMayHave(pipe.access)) return unsettled(rule);
  ObjectId server = kNoObject;
  for (const ObjectId s : pipe.servers) {
    const std::uint32_t since = objects_[s].listening;
    if (since && (server == kNoObject || since < objects_[server].listening)) server = s;
  }
  if (server == kNoObject) return fail(rule, win32::kPipeBusy);
  const ObjectId o =
      newObject(KernelObject{.kind = ObjectKind::NamedPipeClient,
                             .peer = server,
                             .pipeAccess = wants,
                             .pipeMode = objects_[server].pipeMode & kPipeTypeMessage,
                             .pipe = pipe.id});
  objects_[server].peer = o;
  objects_[server].listening = 0;
  Outcome out = succeed(rule);
  out.handle = addHandle(p, o, inherit);
  return out;
}

// SPEC 45: ConnectNamedPipe(h, NULL). A PIPE_NOWAIT server answers at once
// in every state (a disconnected one listens again); a PIPE_WAIT server
// blocks while listening or disconnected. 1 on a client end, 6 when not open.
Outcome System::connectNamedPipe(ProcessId p, HandleValue h) {
  runningProcess(p);
  const RuleId rule = RuleId::ConnectNamedPipeNowait;
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  KernelObject& server = objects_[entry->object];
  if (server.kind == ObjectKind::NamedPipeClient) return fail(rule, win32::kInvalidFunction);
  if (server.kind != ObjectKind::NamedPipeServer) return unsettled(rule);
  switch (instanceState(entry->object)) {
    case PipeState::Connected:
      return fail(rule, win32::kPipeConnected);
    case PipeState::Closing:
      return fail(rule, win32::kNoData);
    case PipeState::Listening:
      if (!(server.pipeMode & kPipeNowait)) return blocked(rule);
      return fail(rule, win32::kPipeListening);
    case PipeState::Disconnected:
      if (!(server.pipeMode & kPipeNowait)) return blocked(rule);
      server.listening = ++pipeTick_;
      return fail(rule, win32::kPipeListening);
  }
  return unsettled(rule);
}

// SPEC 44: DisconnectNamedPipe(h): from connected or closing, TRUE; the
// client end stays open but is dead, and the data queued either way is
// dropped. A second call fails with 233; on a listening server or a client
// end the outcome is unsettled.
Outcome System::disconnectNamedPipe(ProcessId p, HandleValue h) {
  runningProcess(p);
  const RuleId rule = RuleId::NamedPipeInstanceStates;
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  KernelObject& server = objects_[entry->object];
  if (server.kind != ObjectKind::NamedPipeServer) return unsettled(rule);
  switch (instanceState(entry->object)) {
    case PipeState::Listening:
      return unsettled(rule);
    case PipeState::Disconnected:
      return fail(rule, win32::kPipeNotConnected);
    case PipeState::Connected:
    case PipeState::Closing:
      break;
  }
  KernelObject& client = objects_[server.peer];
  client.messages.clear();
  client.peer = kNoObject;
  server.messages.clear();
  server.peer = kNoObject;
  return succeed(rule);
}

// SPEC 46: GetNamedPipeHandleState's nCurInstances: the open server ends of
// the handle's pipe; a disconnected client fails with 233. A client whose
// pipe is gone reports 0, unless a new pipe took the name (unsettled).
Outcome System::getNamedPipeHandleState(ProcessId p, HandleValue h) {
  runningProcess(p);
  const RuleId rule = RuleId::InstancesCountServerEnds;
  const HandleEntry* entry = processes_[p].table.lookup(h);
  if (!entry) return fail(RuleId::CloseNotOpenFails, win32::kInvalidHandle);
  const KernelObject& end = objects_[entry->object];
  if (!isNamedPipeEnd(end)) return unsettled(rule);
  // The call reads the end's attributes (FILE_READ_ATTRIBUTES); whether an
  // end that may not read (an outbound server, a write-only client) carries
  // that right is a question of access the model does not answer.
  if (!(end.pipeAccess & kPipeAccessInbound)) return unsettled(rule);
  if (end.kind == ObjectKind::NamedPipeClient &&
      instanceState(entry->object) == PipeState::Disconnected)
    return fail(rule, win32::kPipeNotConnected);
  const NamedPipe* pipe = nullptr;
  for (const auto& [key, candidate] : namedPipes_)
    if (candidate.id == end.pipe) pipe = &candidate;
  const std::string& pipeName =
      end.kind == ObjectKind::NamedPipeServer ? end.name : objects_[end.peer].name;
  if (!pipe && lookupNamedPipe(pipeName)) return unsettled(rule);
  Outcome out = succeed(rule);
  out.instances = pipe ? static_cast<std::uint32_t>(pipe->servers.size()) : 0u;
  return out;
}

// SPEC 46, 47: a server end's last handle closed: its instance leaves the
// count at once, and the last one takes the pipe's name with it.
void System::releaseNamedPipeServer(ObjectId server) {
  const KernelObject& object = objects_[server];
  const auto it = namedPipes_.find(mailslotKey(object.name));
  if (it == namedPipes_.end() || it->second.id != object.pipe) return;
  std::vector<ObjectId>& servers = it->second.servers;
  servers.erase(std::remove(servers.begin(), servers.end(), server), servers.end());
  if (servers.empty()) namedPipes_.erase(it);
}

// SPEC 44, 48 (and the pipe EOF rules on a closing instance): ReadFile of
// up to 4096 bytes on a named pipe end.
Outcome System::readNamedPipe(KernelObject& end) {
  const RuleId rule = RuleId::NamedPipeInstanceStates;
  if (!(end.pipeAccess & kPipeAccessInbound)) return fail(rule, win32::kAccessDenied);
  if (end.peer == kNoObject)
    return fail(rule, end.listening ? win32::kPipeListening : win32::kPipeNotConnected);
  if (end.messages.empty()) {
    if (objects_[end.peer].destroyed) return fail(rule, win32::kBrokenPipe);
    return blocked(rule);  // PIPE_NOWAIT answers at once; the harness makes neither call
  }
  Outcome out = succeed(rule);
  if ((end.pipeMode & kPipeReadmodeMessage) && (end.pipeMode & kPipeTypeMessage)) {
    // SPEC 48: one message per read (the harness's messages fit the buffer).
    out.rule = RuleId::MessageModeReadsOneMessage;
    out.data = std::move(end.messages.front());
    end.messages.pop_front();
    return out;
  }
  std::string data;  // byte read mode: what is there, across messages, up to the buffer
  while (!end.messages.empty() && data.size() < kReadBufferSize) {
    std::string& chunk = end.messages.front();
    const std::size_t take = std::min(chunk.size(), kReadBufferSize - data.size());
    data.append(chunk, 0, take);
    if (take == chunk.size())
      end.messages.pop_front();
    else
      chunk.erase(0, take);
  }
  out.data = std::move(data);
  return out;
}

// SPEC 44 (and the pipe rules on a closing instance): WriteFile on a named
// pipe end appends to its peer's buffer, one message per write on a message
// pipe. Zero bytes into a closing or a message pipe are unsettled.
Outcome System::writeNamedPipe(KernelObject& end, std::string_view text) {
  const RuleId rule = RuleId::NamedPipeInstanceStates;
  if (!(end.pipeAccess & kPipeAccessOutbound)) return fail(rule, win32::kAccessDenied);
  if (end.peer == kNoObject)
    return fail(rule, end.listening ? win32::kPipeListening : win32::kPipeNotConnected);
  KernelObject& reader = objects_[end.peer];
  if (text.empty() && (reader.destroyed || (end.pipeMode & kPipeTypeMessage)))
    return unsettled(rule);
  if (reader.destroyed) return fail(rule, win32::kNoData);
  if (bufferedBytes(reader) + text.size() > kPipeBufferSize) return blocked(rule);
  if (!text.empty()) reader.messages.emplace_back(text);
  return succeed(rule);
}

}  // namespace hc::model
