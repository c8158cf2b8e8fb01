#include "Agent.h"

#include "Win32.h"

#include "Channel.h"
#include "Observe.h"
#include "SpawnAgent.h"
#include "Win32Text.h"

namespace hc::agent {
namespace {

using proto::Op;
using proto::Reply;
using proto::Request;

constexpr DWORD kPoison = 0xdeadbeef;

// This agent's end of its pipe to the hub: a harness handle, never a user
// handle. Its value is taken like any other (lowest free), so a scenario may
// name it by chance (`query #0x..`, or a name never inherited whose value the
// pipe got in the child): it then reads as a free value -- invalid for
// observation, ERROR_INVALID_HANDLE for any call -- and no call touches it.
HANDLE gChannel = nullptr;

bool isHarness(proto::Handle h) { return gChannel && toHandle(h) == gChannel; }

proto::Observation observeUser(proto::Handle h) {
  if (!isHarness(h)) return observe(h);
  proto::Observation o;
  o.handle = h;
  return o;
}  // Wine's test idiom: a stale error never passes for a real one

// Fills ok/error/alreadyExists from a call's result and GetLastError() taken
// right after it. A success that set no error reports 0.
void settle(Reply& r, bool ok, DWORD error) {
  r.ok = ok;
  r.error = ok && error == kPoison ? 0 : error;
  r.alreadyExists = ok && error == ERROR_ALREADY_EXISTS;
}

// sa for Create*: NULL unless the handle is to be inheritable (SPEC 4).
struct Sa {
  explicit Sa(bool inherit) : sa{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE}, use(inherit) {}
  SECURITY_ATTRIBUTES* get() { return use ? &sa : nullptr; }
  SECURITY_ATTRIBUTES sa;
  bool use;
};

const wchar_t* optionalName(const std::wstring& name) { return name.empty() ? nullptr : name.c_str(); }

std::wstring mailslotPath(const std::string& name) { return L"\\\\.\\mailslot\\" + widen(name); }

// A call that returns a handle (NULL or INVALID_HANDLE_VALUE on failure).
template <typename Call>
void handleCall(Reply& r, HANDLE failed, Call call) {
  SetLastError(kPoison);
  const HANDLE h = call();
  const DWORD error = GetLastError();
  settle(r, h != failed, error);
  if (r.ok) r.handle = fromHandle(h);
}

template <typename Call>
void boolCall(Reply& r, Call call) {
  SetLastError(kPoison);
  const BOOL ok = call();
  settle(r, ok != FALSE, GetLastError());
}

void spawn(const Request& q, Reply& r) {
  SpawnSpec spec;
  spec.id = q.target;
  spec.pipe = q.pipe;
  spec.inheritHandles = q.spawnInherit;
  spec.useHandleList = q.useHandleList;
  for (auto h : q.handleList) spec.handleList.push_back(toHandle(h));
  spec.processInherit = q.processInherit;
  spec.threadInherit = q.threadInherit;
  // ERROR_INTERNAL_ERROR is Wine failing to start a process at all (seen
  // under load, for the hub's P0 too), never a Win32 outcome of these
  // arguments: retried twice, then a backend failure, not a result.
  SpawnResult s = spawnAgent(spec);
  for (int retry = 0; !s.ok && s.error == ERROR_INTERNAL_ERROR && retry < 2; ++retry) {
    Sleep(100);
    s = spawnAgent(spec);
  }
  if (!s.ok && s.error == ERROR_INTERNAL_ERROR) {
    r.failure = "CreateProcessW failed three times with ERROR_INTERNAL_ERROR (1359): the system could not start a process";
    return;
  }
  settle(r, s.ok, s.error);
  if (!s.ok) return;
  // SPEC 24: hProcess and hThread are new handles in this process; they stay
  // open for the scenario (`as HP HT`).
  r.handle = fromHandle(s.pi.hProcess);
  r.handle2 = fromHandle(s.pi.hThread);
  r.childPid = s.pi.dwProcessId;
}

void dup(const Request& q, Reply& r) {
  // The target process handle is the harness's, opened just for this call.
  HANDLE target = GetCurrentProcess();
  const bool self = q.targetPid == GetCurrentProcessId();
  if (!self) {
    SetLastError(kPoison);
    target = OpenProcess(PROCESS_DUP_HANDLE, FALSE, q.targetPid);
    if (!target) {
      settle(r, false, GetLastError());
      return;
    }
  }
  HANDLE out = nullptr;
  const DWORD options = DUPLICATE_SAME_ACCESS | (q.closeSource ? DUPLICATE_CLOSE_SOURCE : 0);
  SetLastError(kPoison);
  const BOOL ok = DuplicateHandle(GetCurrentProcess(), toHandle(q.handle), target, &out, 0, q.inherit, options);
  settle(r, ok != FALSE, GetLastError());
  if (r.ok) r.handle = fromHandle(out);
  if (!self) CloseHandle(target);
}

// ReadFile of one message. A read that would wait forever must not hang the
// agent: a pipe read end with nothing buffered (PeekNamedPipe) answers
// blocks=1 without reading. A mailslot server was made with read timeout 0,
// so its ReadFile returns at once (ERROR_SEM_TIMEOUT when empty, SPEC 11).
void read(const Request& q, Reply& r) {
  const HANDLE h = toHandle(q.handle);
  DWORD next = 0, count = 0, avail = 0;
  const bool mailslot = GetMailslotInfo(h, nullptr, &next, &count, nullptr) != FALSE;
  if (!mailslot && PeekNamedPipe(h, nullptr, 0, nullptr, &avail, nullptr) && avail == 0) {
    r.blocks = true;
    return;
  }
  char buf[4096];
  DWORD got = 0;
  SetLastError(kPoison);
  const BOOL ok = ReadFile(h, buf, sizeof buf, &got, nullptr);
  settle(r, ok != FALSE, GetLastError());
  if (r.ok) {
    r.hasData = true;
    r.data.assign(buf, got);
  }
}

void write(const Request& q, Reply& r) {
  DWORD put = 0;
  boolCall(r, [&] {
    return WriteFile(toHandle(q.handle), q.text.data(), static_cast<DWORD>(q.text.size()), &put, nullptr);
  });
}

// WaitForSingleObject, then the exit code of a process or thread (SPEC 27).
// A wait that times out reports blocks=1 and WAIT_TIMEOUT.
void wait(const Request& q, Reply& r) {
  const HANDLE h = toHandle(q.handle);
  SetLastError(kPoison);
  const DWORD w = WaitForSingleObject(h, q.timeoutMs ? q.timeoutMs : kDefaultWaitMs);
  if (w == WAIT_TIMEOUT) {
    r.ok = false;
    r.error = WAIT_TIMEOUT;
    r.blocks = true;
    return;
  }
  if (w == WAIT_FAILED) {
    settle(r, false, GetLastError());
    return;
  }
  r.ok = true;
  DWORD code = 0;
  if (GetExitCodeProcess(h, &code) || GetExitCodeThread(h, &code)) {
    r.hasExitCode = true;
    r.exitCode = code;
  }
}

// SPEC 28: TerminateProcess is asynchronous; the agent waits for the target to
// end before answering, so the harness observes the settled state.
void terminate(const Request& q, Reply& r) {
  const HANDLE h = toHandle(q.handle);
  boolCall(r, [&] { return TerminateProcess(h, q.code); });
  if (r.ok) WaitForSingleObject(h, q.timeoutMs ? q.timeoutMs : kDefaultWaitMs);
}

}  // namespace

Reply perform(const Request& q) {
  Reply r;
  if (q.op != Op::Spawn && (isHarness(q.handle) || isHarness(q.compareWith))) {
    r.error = ERROR_INVALID_HANDLE;  // as CloseHandle etc. say for a free value (SPEC 15)
    for (auto h : q.observe) r.observations.push_back(observeUser(h));
    return r;
  }
  const std::wstring name = widen(q.name);
  Sa sa(q.inherit);
  switch (q.op) {
    case Op::Ping:
    case Op::Query:
    case Op::Observe:
    case Op::Exit:
    case Op::Quit:
      r.ok = true;
      break;
    case Op::CreateEvent:
      handleCall(r, nullptr, [&] { return CreateEventW(sa.get(), FALSE, FALSE, optionalName(name)); });
      break;
    case Op::CreateMutex:
      handleCall(r, nullptr, [&] { return CreateMutexW(sa.get(), FALSE, optionalName(name)); });
      break;
    case Op::CreateSemaphore:
      handleCall(r, nullptr, [&] { return CreateSemaphoreW(sa.get(), 0, 1, optionalName(name)); });
      break;
    case Op::CreateMapping:
      handleCall(r, nullptr, [&] {
        return CreateFileMappingW(INVALID_HANDLE_VALUE, sa.get(), PAGE_READWRITE, 0, 4096, optionalName(name));
      });
      break;
    case Op::CreateMailslot:
      handleCall(r, INVALID_HANDLE_VALUE,
                 [&] { return CreateMailslotW(mailslotPath(q.name).c_str(), 0, 0, sa.get()); });
      break;
    case Op::CreatePipe: {
      HANDLE rd = nullptr, wr = nullptr;
      boolCall(r, [&] { return CreatePipe(&rd, &wr, sa.get(), 0); });
      if (r.ok) {
        r.handle = fromHandle(rd);
        r.handle2 = fromHandle(wr);
      }
      break;
    }
    case Op::OpenEvent:
      handleCall(r, nullptr, [&] { return OpenEventW(EVENT_ALL_ACCESS, q.inherit, name.c_str()); });
      break;
    case Op::OpenMutex:
      handleCall(r, nullptr, [&] { return OpenMutexW(MUTEX_ALL_ACCESS, q.inherit, name.c_str()); });
      break;
    case Op::OpenSemaphore:
      handleCall(r, nullptr, [&] { return OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, q.inherit, name.c_str()); });
      break;
    case Op::OpenMapping:
      handleCall(r, nullptr, [&] { return OpenFileMappingW(FILE_MAP_ALL_ACCESS, q.inherit, name.c_str()); });
      break;
    case Op::OpenMailslot:
      handleCall(r, INVALID_HANDLE_VALUE, [&] {
        return CreateFileW(mailslotPath(q.name).c_str(), GENERIC_WRITE, FILE_SHARE_READ, sa.get(), OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
      });
      break;
    case Op::Spawn:
      spawn(q, r);
      break;
    case Op::Close:
      boolCall(r, [&] { return CloseHandle(toHandle(q.handle)); });
      break;
    case Op::Dup:
      dup(q, r);
      break;
    case Op::Set:
      boolCall(r, [&] { return SetHandleInformation(toHandle(q.handle), q.setMask, q.setFlags); });
      break;
    case Op::Write:
      write(q, r);
      break;
    case Op::Read:
      read(q, r);
      break;
    case Op::Terminate:
      terminate(q, r);
      break;
    case Op::Wait:
      wait(q, r);
      break;
  }
  if (q.op == Op::Query && q.compareWith) r.same = compareObjects(q.handle, q.compareWith);
  for (auto h : q.observe) r.observations.push_back(observeUser(h));
  if (q.observeNew && r.ok) {
    if (r.handle) r.observations.push_back(observeUser(r.handle));
    if (r.handle2) r.observations.push_back(observeUser(r.handle2));
    if (q.compareWith && q.op != Op::Query) r.same = compareObjects(r.handle, q.compareWith);
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
  std::string line;
  while (io.readLine(line) == Channel::Status::Ok) {
    Request q;
    std::string error;
    Reply r;
    if (!proto::decode(line, q, error)) {
      r.failure = "agent " + std::to_string(id) + ": " + error;
    } else {
      r = perform(q);
    }
    if (io.writeLine(proto::encode(r)) != Channel::Status::Ok) return 11;
    if (r.failure.empty() && q.op == Op::Exit) ExitProcess(q.code);
    if (r.failure.empty() && q.op == Op::Quit) return 0;
  }
  return 12;  // the hub went away
}

}  // namespace hc::agent
