#include "Agent.h"

#include <algorithm>
#include <atomic>
#include <vector>

#include "Calls.h"
#include "Channel.h"
#include "SpawnAgent.h"
#include "Threads.h"
#include "Win32.h"
#include "Win32Text.h"

namespace hc::agent {
namespace {

using proto::Op;
using proto::Reply;
using proto::Request;

// This agent's end of its pipe to the hub: a harness handle, never a user
// handle. Its value is taken like any other (lowest free), so a scenario may
// name it by chance (`query #0x..`, or a name never inherited whose value the
// pipe got in the child): it then reads as a free value -- invalid for
// observation, ERROR_INVALID_HANDLE for any call -- and no call touches it.
HANDLE gChannel = nullptr;

bool isHarness(proto::Handle h) {
  return gChannel && toHandle(h) == gChannel;
}

proto::Observation observeUser(proto::Handle h) {
  proto::Observation o;
  o.handle = h;
  if (isHarness(h)) return o;
  hc_observation seen{};
  hc_observe(toHandle(h), &seen);
  o.valid = seen.valid;
  o.inherit = (seen.flags & HANDLE_FLAG_INHERIT) != 0;
  o.protect = (seen.flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
  o.handleCount = seen.count;
  o.type = seen.type;
  if (seen.is_mailslot) o.messages = static_cast<int>(seen.messages);
  o.hasAccess = seen.valid && seen.has_count;  // read by the same NtQueryObject call
  o.access = seen.access;
  return o;
}

// dwDesiredAccess of an open: the request's, else the type's *_ALL_ACCESS.
DWORD desiredAccess(const proto::Request& q, DWORD all) {
  return q.hasDesiredAccess ? q.desiredAccess : all;
}

int compareUser(proto::Handle a, proto::Handle b) {
  return hc_same_object(toHandle(a), toHandle(b));
}

const wchar_t* optionalName(const std::wstring& name) {
  return name.empty() ? nullptr : name.c_str();
}

void spawn(const Request& q, hc_call& c, Reply& r) {
  SpawnSpec spec;
  spec.id = q.target;
  spec.pipe = q.pipe;
  spec.inheritHandles = q.spawnInherit;
  spec.useHandleList = q.useHandleList;
  for (auto h : q.handleList) spec.handleList.push_back(toHandle(h));
  spec.processInherit = q.processInherit;
  spec.threadInherit = q.threadInherit;
  spec.console = q.console;
  spec.useStdHandles = q.useStdHandles;
  spec.std[0] = toHandle(q.stdInput);
  spec.std[1] = toHandle(q.stdOutput);
  spec.std[2] = toHandle(q.stdError);
  spec.useParent = q.hasParentProcess;
  spec.parent = toHandle(q.parentProcess);
  spec.listSize = static_cast<int>(q.listSize);
  spec.parentSize = static_cast<int>(q.parentSize);
  spec.unknownAttribute = q.unknownAttribute;
  c = spawnAgent(spec);
  if (!c.succeeded && c.error == ERROR_INTERNAL_ERROR)
    r.failure =
        "CreateProcessW failed three times with ERROR_INTERNAL_ERROR (1359): the system could not "
        "start a process";
}

// The creates and opens of named objects: true when `q` is one.
bool createOrOpen(const Request& q, hc_call& c, const std::wstring& name) {
  switch (q.op) {
    case Op::CreateEvent:
      hc_create_event(&c, q.inherit, optionalName(name));
      return true;
    case Op::CreateMutex:
      hc_create_mutex(&c, q.inherit, optionalName(name));
      return true;
    case Op::CreateSemaphore:
      hc_create_semaphore(&c, q.inherit, optionalName(name));
      return true;
    case Op::CreateMapping:
      hc_create_mapping(&c, q.inherit, optionalName(name));
      return true;
    case Op::CreateMailslot:
      hc_create_mailslot(&c, q.inherit, name.c_str());
      return true;
    case Op::OpenEvent:
      hc_open_event(&c, desiredAccess(q, EVENT_ALL_ACCESS), q.inherit, name.c_str());
      return true;
    case Op::OpenMutex:
      hc_open_mutex(&c, desiredAccess(q, MUTEX_ALL_ACCESS), q.inherit, name.c_str());
      return true;
    case Op::OpenSemaphore:
      hc_open_semaphore(&c, desiredAccess(q, SEMAPHORE_ALL_ACCESS), q.inherit, name.c_str());
      return true;
    case Op::OpenMapping:
      hc_open_mapping(&c, desiredAccess(q, FILE_MAP_ALL_ACCESS), q.inherit, name.c_str());
      return true;
    case Op::OpenMailslot:
      hc_open_mailslot(&c, q.inherit, name.c_str(), q.share);
      return true;
    default:
      return false;
  }
}

void duplicate(const Request& q, hc_call& c, HANDLE h) {
  const DWORD options = (q.closeSource ? DUPLICATE_CLOSE_SOURCE : 0) |
                        (q.sameAttributes ? DUPLICATE_SAME_ATTRIBUTES : 0);
  if (q.fromSource)
    hc_duplicate_close_source(&c, q.sourcePid, h);
  else if (q.hasDesiredAccess)
    hc_duplicate_access(&c, h, q.targetPid, q.desiredAccess, q.inherit, options);
  else
    hc_duplicate(&c, h, q.targetPid, q.inherit, options);
}

// The pipes' calls: true when `q` is one.
bool pipeCall(const Request& q, hc_call& c, const std::wstring& name, HANDLE h) {
  switch (q.op) {
    case Op::CreatePipe:
      hc_create_pipe(&c, q.inherit);
      return true;
    case Op::CreateNamedPipe:
      hc_create_named_pipe(&c, q.inherit, name.c_str(), q.openMode, q.pipeMode, q.maxInstances);
      return true;
    case Op::OpenNamedPipe:
      hc_open_named_pipe(&c, q.inherit, name.c_str(), q.access);
      return true;
    case Op::ConnectNamedPipe:
      hc_connect_named_pipe(&c, h);
      return true;
    case Op::DisconnectNamedPipe:
      hc_disconnect_named_pipe(&c, h);
      return true;
    case Op::PipeState:
      hc_named_pipe_state(&c, h);
      return true;
    case Op::Peek:
      hc_peek(&c, h);
      return true;
    case Op::Write:
      hc_write(&c, h, q.text.data(), static_cast<DWORD>(q.text.size()));
      return true;
    case Op::Read:
      hc_read(&c, h);
      return true;
    default:
      return false;
  }
}

// The call layer's function for the request's op (SPEC rules: Ops.h).
void call(const Request& q, hc_call& c, Reply& r) {
  const std::wstring name = widen(q.name);
  const HANDLE h = toHandle(q.handle);
  const DWORD waitMs = q.timeoutMs ? q.timeoutMs : kDefaultWaitMs;
  if (createOrOpen(q, c, name) || pipeCall(q, c, name, h)) return;
  switch (q.op) {
    case Op::Spawn:
      spawn(q, c, r);
      break;
    case Op::Close:
      hc_close(&c, h);
      break;
    case Op::Dup:
      duplicate(q, c, h);
      break;
    case Op::Set:
      hc_set_information(&c, h, q.setMask, q.setFlags);
      break;
    case Op::Terminate:
      hc_terminate(&c, h, q.code, waitMs);
      break;
    case Op::Wait:
      hc_wait(&c, h, waitMs);
      break;
    case Op::Signal:
      hc_signal(&c, h);
      break;
    case Op::Map:
      hc_map(&c, h, q.mapWrite ? FILE_MAP_WRITE : FILE_MAP_READ);
      break;
    case Op::GetStd:
      hc_get_std(&c, STD_INPUT_HANDLE - q.stdSlot);
      break;
    case Op::SetStd:
      hc_set_std(&c, STD_INPUT_HANDLE - q.stdSlot, h);
      break;
    case Op::Block:  // a block is its threads' business (Threads.h), never one call
      r.failure = "a block inside a block";
      break;
    default:  // Ping, Query, Observe, Reset, Exit, Quit: no call under test
      c.succeeded = TRUE;
      break;
  }
}

// The handles a fresh root holds once it is ready (its channel, the
// directory handle kernelbase keeps, whatever the loader opened), with their
// flags: what a reset root must hold again. A fresh table is dense (the
// lowest free value is handed out first), so it ends before any run of
// kFreshGap free values.
struct Held {
  HANDLE handle = nullptr;
  DWORD flags = 0;
};
std::vector<Held> gFresh;
constexpr ULONG_PTR kFreshGap = 32 * 4;
// A request that may have closed or changed a handle of the fresh table (a
// scenario naming raw values): the table cannot be told fresh again.
std::atomic<bool> gFreshTouched = false;
// The fresh root's std slots (SPEC 51: plain values a scenario's SetStdHandle
// overwrites): a reset root holds them again, so a value set in one run
// never names a handle of the next.
constexpr DWORD kStdIds[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
HANDLE gFreshStd[3] = {};

std::vector<HANDLE> ownHandles(ULONG_PTR highest) {
  std::vector<HANDLE> out(256);
  for (;;) {
    const int n = hc_own_handles(out.data(), static_cast<int>(out.size()), highest);
    if (static_cast<std::size_t>(n) <= out.size()) {
      out.resize(static_cast<std::size_t>(n));
      return out;
    }
    out.resize(static_cast<std::size_t>(n) * 2);
  }
}

bool isFresh(HANDLE h) {
  return std::any_of(gFresh.begin(), gFresh.end(), [&](const Held& f) { return f.handle == h; });
}

void takeFreshTable() {
  for (int i = 0; i < 3; ++i) gFreshStd[i] = GetStdHandle(kStdIds[i]);
  ULONG_PTR end = kFreshGap;
  for (HANDLE h : ownHandles(end)) {
    DWORD flags = 0;
    GetHandleInformation(h, &flags);
    gFresh.push_back({h, flags});
  }
  while (!gFresh.empty() && fromHandle(gFresh.back().handle) + kFreshGap > end) {
    // a value close to the end of the scan: look further
    end += kFreshGap;
    gFresh.clear();
    for (HANDLE h : ownHandles(end)) {
      DWORD flags = 0;
      GetHandleInformation(h, &flags);
      gFresh.push_back({h, flags});
    }
  }
}

void noteFreshTouched(const Request& q) {
  const bool closes = q.op == Op::Close || q.op == Op::Set || (q.op == Op::Dup && q.closeSource);
  if (closes && isFresh(toHandle(q.handle))) gFreshTouched = true;
}

// Reset: every handle acquired since the root was fresh is closed, protected
// ones too (SPEC 16: clear the flag, then close). Empty, or why the table
// cannot be made the fresh one again: the hub then starts a fresh root.
// `requests`: those that could put handles into this table since it was
// fresh (its own, and dups into it). Each put at most four there (two made,
// a dup, what Win32 opens on the side), and a table hands out the lowest
// free value first (Wine's server/handle.c alloc_entry), so no value lies
// above four bytes per handle ever open.
std::string resetTable(std::uint32_t requests) {
  if (gFresh.empty()) return "this agent is not a root";
  if (gFreshTouched) return "a request closed or changed a handle of the fresh table";
  const ULONG_PTR highest = 4 * (gFresh.size() + 4 * static_cast<ULONG_PTR>(requests)) + kFreshGap;
  for (HANDLE h : ownHandles(highest)) {
    if (isFresh(h)) continue;
    SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0);
    if (!CloseHandle(h)) return "CloseHandle(" + proto::hex(fromHandle(h)) + ") failed";
  }
  for (const Held& f : gFresh) {
    DWORD flags = 0;
    if (!GetHandleInformation(f.handle, &flags) || flags != f.flags)
      return "handle " + proto::hex(fromHandle(f.handle)) + " of the fresh table changed";
  }
  for (int i = 0; i < 3; ++i)
    if (!SetStdHandle(kStdIds[i], gFreshStd[i])) return "SetStdHandle failed";
  return {};
}

Reply reset(std::uint32_t requests) {
  Reply r;
  const std::string problem = resetTable(requests);
  r.ok = problem.empty();
  if (!r.ok) {
    r.hasData = true;
    r.data = problem;
  }
  return r;
}

}  // namespace

Reply perform(const Request& q) {
  if (q.op == Op::Reset) return reset(q.code);
  noteFreshTouched(q);
  Reply r;
  if (q.op != Op::Spawn && (isHarness(q.handle) || isHarness(q.compareWith))) {
    r.error = ERROR_INVALID_HANDLE;  // as CloseHandle etc. say for a free value (SPEC 15)
    for (auto h : q.observe) r.observations.push_back(observeUser(h));
    return r;
  }
  hc_call c{};
  call(q, c, r);
  if (!r.failure.empty()) return r;
  r.ok = c.succeeded != FALSE;
  r.error = c.error;
  r.alreadyExists = c.already_exists != FALSE;
  r.blocks = c.would_block != FALSE;
  if (r.ok) {
    r.handle = fromHandle(c.handle);
    r.handle2 = fromHandle(c.handle2);
    r.childPid = c.child_pid;
  }
  if (c.has_data) {
    r.hasData = true;
    r.data.assign(c.data, c.data_len);
  }
  if (c.has_exit_code) {
    r.hasExitCode = true;
    r.exitCode = c.exit_code;
  }
  if (c.has_avail) {
    r.hasAvail = true;
    r.avail = c.avail;
  }
  if (c.has_instances) r.instances = static_cast<int>(c.instances);
  if (c.has_sizing) {
    r.hasSizing = true;
    r.sizingError = c.sizing_error;
    r.sizingBytes = c.sizing_bytes;
  }
  if (q.op == Op::Query && q.compareWith) r.same = compareUser(q.handle, q.compareWith);
  for (auto h : q.observe) r.observations.push_back(observeUser(h));
  if (q.observeNew && r.ok) {
    if (r.handle) r.observations.push_back(observeUser(r.handle));
    if (r.handle2) r.observations.push_back(observeUser(r.handle2));
    if (q.compareWith && q.op != Op::Query) r.same = compareUser(r.handle, q.compareWith);
  }
  return r;
}

int runAgent(proto::AgentId id, const std::string& pipe) {
  // kernelbase opens \Sessions\N\BaseNamedObjects on the first named-object
  // call and keeps that handle: taken now, it never appears in the table in
  // the middle of a scenario (a value freed by `close` would be reused by it).
  OpenEventW(SYNCHRONIZE, FALSE, L"handlecheck-warm-up");
  // Not inheritable (NULL sa): no child ever holds a harness handle, even when
  // the scenario spawns with bInheritHandles=TRUE and no handle list.
  const HANDLE channel = CreateFileW(widen(pipe).c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                     OPEN_EXISTING, 0, nullptr);
  if (channel == INVALID_HANDLE_VALUE) return 10;
  gChannel = channel;
  // A scenario closing an arbitrary value (`close #0x...`) must not cut the
  // channel: the close fails with ERROR_INVALID_HANDLE as for a free value (SPEC 16).
  SetHandleInformation(channel, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
  Channel io(channel, channel, false);
  if (id == 0) takeFreshTable();  // only the root is ever reset
  Served served;
  served.perform = perform;
  served.failure = [id](const std::string& error) {
    Reply r;
    r.failure = "agent " + std::to_string(id) + ": " + error;
    return r;
  };
  served.beforeBlock = [](const Request& block) {
    for (const Request& step : block.steps)
      if (step.op == Op::Dup)
        hc_hold_dup_process(step.fromSource ? step.sourcePid : step.targetPid);
  };
  served.afterBlock = [] { hc_release_dup_processes(); };
  return serveRequests(io, served);
}

}  // namespace hc::agent
