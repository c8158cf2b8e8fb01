#include "Hub.h"

#include <map>
#include <memory>
#include <string>

#include "Channel.h"
#include "SpawnAgent.h"
#include "Win32.h"
#include "Win32Text.h"

namespace hc::agent {
namespace {

using proto::AgentId;
using proto::Op;
using proto::Reply;
using proto::Request;

struct AgentRecord {
  AgentId id = 0;
  DWORD pid = 0;
  HANDLE process = nullptr;  // SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_TERMINATE
  HANDLE pipe = nullptr;     // server end, overlapped
  std::unique_ptr<Channel> channel;
  bool alive = true;
  std::string label() const {
    return "agent " + std::to_string(id) + " (pid " + std::to_string(pid) + ")";
  }
  // Ends the process (if it still runs) and closes the hub's handles to it.
  void end() {
    if (process && WaitForSingleObject(process, 0) != WAIT_OBJECT_0) {
      TerminateProcess(process, 1);
      WaitForSingleObject(process, 5000);
    }
    channel.reset();
    if (pipe && pipe != INVALID_HANDLE_VALUE) CloseHandle(pipe);
    if (process) CloseHandle(process);
    pipe = process = nullptr;
    alive = false;
  }
};

class Hub {
 public:
  explicit Hub(unsigned timeoutMs) : timeoutMs_(timeoutMs) {}
  int run();

 private:
  HANDLE createPipe(AgentId, std::string& name, DWORD& error);
  std::string waitConnected(AgentRecord&);
  std::string startRoot();
  Reply route(Request);
  Reply prepare(Request&, AgentRecord*&, AgentRecord& child);
  Reply finish(const Request&, Reply, AgentRecord&, AgentRecord& child);
  Reply block(const Request&);
  Reply reset(proto::RequestId);
  Reply forward(AgentRecord&, const Request&);
  Reply send(AgentRecord&, const Request&);
  Reply receive(AgentRecord&, const Request&, DWORD timeoutMs);
  std::string deathNote(AgentRecord&);
  void reapExited();

  unsigned timeoutMs_;
  // Requests that could put handles into the root's table since it was
  // fresh (to the root, or a dup into it): they bound its table at reset.
  std::uint32_t served_ = 0;
  HANDLE job_ = nullptr;
  std::map<AgentId, AgentRecord> agents_;
};

Reply failure(std::string message) {
  Reply r;
  r.failure = std::move(message);
  return r;
}

std::string win32Error(const char* what, DWORD error) {
  return std::string(what) + " failed with error " + std::to_string(error);
}

HANDLE Hub::createPipe(AgentId id, std::string& name, DWORD& error) {
  const std::wstring wname = freshPipeName(id);
  name = narrow(wname);
  // One instance, first instance only, local clients only, not inheritable (NULL sa).
  const HANDLE pipe = CreateNamedPipeW(
      wname.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE | FILE_FLAG_OVERLAPPED,
      PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 65536, 65536,
      0, nullptr);
  error = GetLastError();
  return pipe;
}

// Waits for the child to open its pipe, or to die, or for the timeout.
std::string Hub::waitConnected(AgentRecord& a) {
  OVERLAPPED ov{};
  ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  std::string problem;
  if (!ConnectNamedPipe(a.pipe, &ov)) {
    const DWORD error = GetLastError();
    if (error == ERROR_IO_PENDING) {
      const HANDLE waits[2] = {ov.hEvent, a.process};
      const DWORD w = WaitForMultipleObjects(2, waits, FALSE, timeoutMs_);
      DWORD ignored = 0;
      if (w == WAIT_OBJECT_0 + 1 || w == WAIT_TIMEOUT) {
        CancelIoEx(a.pipe, &ov);
        GetOverlappedResult(a.pipe, &ov, &ignored, TRUE);
        problem = w == WAIT_TIMEOUT ? a.label() + " did not connect to its pipe within " +
                                          std::to_string(timeoutMs_) + " ms"
                                    : deathNote(a);
      } else if (!GetOverlappedResult(a.pipe, &ov, &ignored, FALSE)) {
        problem = a.label() + ": " + win32Error("ConnectNamedPipe", GetLastError());
      }
    } else if (error != ERROR_PIPE_CONNECTED) {
      problem = a.label() + ": " + win32Error("ConnectNamedPipe", error);
    }
  }
  CloseHandle(ov.hEvent);
  if (problem.empty()) a.channel = std::make_unique<Channel>(a.pipe, a.pipe, true);
  return problem;
}

// "exited unexpectedly with code X", after giving the process a moment to end.
std::string Hub::deathNote(AgentRecord& a) {
  a.alive = false;
  WaitForSingleObject(a.process, 1000);
  DWORD code = 0;
  if (!GetExitCodeProcess(a.process, &code) || code == STILL_ACTIVE)
    return a.label() + " closed its pipe but is still running";
  return a.label() + " exited unexpectedly with code " + std::to_string(code);
}

// Agent 0 is the scenario's P0: nothing inherited from the hub.
std::string Hub::startRoot() {
  AgentRecord a;
  a.id = 0;
  std::string pipeName;
  DWORD error = 0;
  a.pipe = createPipe(0, pipeName, error);
  if (a.pipe == INVALID_HANDLE_VALUE) return win32Error("hub: CreateNamedPipeW", error);
  SpawnSpec spec;
  spec.id = 0;
  spec.pipe = pipeName;
  const hc_call s = spawnAgent(spec);
  if (!s.succeeded) return win32Error("hub: CreateProcessW of agent 0", s.error);
  CloseHandle(s.handle2);
  a.process = s.handle;
  a.pid = s.child_pid;
  auto& slot = agents_[0] = std::move(a);
  return waitConnected(slot);
}

// One round trip to an agent, bounded by the timeout.
Reply Hub::forward(AgentRecord& a, const Request& q) {
  if (Reply sent = send(a, q); !sent.failure.empty()) return sent;
  return receive(a, q, timeoutMs_);
}

Reply timedOut(AgentRecord& a, const Request& q, DWORD timeoutMs) {
  a.alive = false;
  return failure(a.label() + " did not answer " + std::string(proto::opName(q.op)) + " within " +
                 std::to_string(timeoutMs) + " ms");
}

// The request to the agent; a reply with `failure` set when it cannot go.
Reply Hub::send(AgentRecord& a, const Request& q) {
  switch (a.channel->writeLine(proto::encode(q), timeoutMs_)) {
    case Channel::Status::Ok:
      return {};
    case Channel::Status::Timeout:
      return timedOut(a, q, timeoutMs_);
    default:
      return failure(deathNote(a));
  }
}

// The agent's reply to `q`, within `timeoutMs`.
Reply Hub::receive(AgentRecord& a, const Request& q, DWORD timeoutMs) {
  const std::string op(proto::opName(q.op));
  std::string line;
  switch (a.channel->readLine(line, timeoutMs)) {
    case Channel::Status::Ok:
      break;
    case Channel::Status::Timeout:
      return timedOut(a, q, timeoutMs);
    default: {
      // An agent that terminated itself (TerminateProcess on a handle to its
      // own process) cannot answer; its exit code says the call worked.
      std::string note = deathNote(a);
      DWORD code = 0;
      if (q.op == Op::Terminate && GetExitCodeProcess(a.process, &code) && code == q.code) {
        Reply r;
        r.ok = true;
        return r;
      }
      return failure(std::move(note));
    }
  }
  Reply r;
  std::string error;
  if (!proto::decode(line, r, error)) return failure(a.label() + " sent a " + error);
  // A reply with another id answers an earlier request (one the hub gave up
  // on, say): the agent is out of step.
  if (r.id != q.id)
    return failure(a.label() + " answered " + op + " with a reply to another request (id " +
                   std::to_string(r.id) + ", not " + std::to_string(q.id) + ")");
  return r;
}

// After TerminateProcess, any agent may be gone.
void Hub::reapExited() {
  for (auto& [id, a] : agents_)
    if (a.alive && WaitForSingleObject(a.process, 0) == WAIT_OBJECT_0) a.alive = false;
}

// What the hub adds to a request before its agent gets it (pids, a spawn's
// pipe, a wait's bound); `a` is then the agent that performs it. A reply with
// `failure` set when the request cannot go.
Reply Hub::prepare(Request& q, AgentRecord*& a, AgentRecord& child) {
  const auto it = agents_.find(q.process);
  if (it == agents_.end()) return failure("hub: no agent " + std::to_string(q.process));
  a = &it->second;
  if (!a->alive)
    return failure("hub: " + a->label() + " has exited; request " +
                   std::string(proto::opName(q.op)));
  switch (q.op) {
    case Op::Dup: {
      const auto t = agents_.find(q.target);
      if (t == agents_.end())
        return failure("hub: dup to unknown agent " + std::to_string(q.target));
      q.targetPid = t->second.pid;  // an exited target keeps its pid: we hold its process handle
      if (q.fromSource) {
        const auto s = agents_.find(q.source);
        if (s == agents_.end())
          return failure("hub: dup from unknown agent " + std::to_string(q.source));
        q.sourcePid = s->second.pid;
      }
      break;
    }
    case Op::Spawn: {
      if (agents_.count(q.target))
        return failure("hub: agent id " + std::to_string(q.target) + " already used");
      DWORD error = 0;
      child.id = q.target;
      child.pipe = createPipe(q.target, q.pipe, error);
      if (child.pipe == INVALID_HANDLE_VALUE) {
        child.pipe = nullptr;
        return failure(win32Error("hub: CreateNamedPipeW", error));
      }
      break;
    }
    case Op::Wait:
    case Op::Terminate:
      if (q.timeoutMs == 0) q.timeoutMs = timeoutMs_ / 2;  // answer before the hub gives up
      break;
    default:
      break;
  }
  return {};
}

// What the hub does once the agent answered `q` with `r`: a spawned child
// connects, an exited process is gone.
Reply Hub::finish(const Request& q, Reply r, AgentRecord& a, AgentRecord& child) {
  if (q.op == Op::Spawn) {
    if (!r.failure.empty() || !r.ok) {
      CloseHandle(child.pipe);
      child.pipe = nullptr;
      return r;
    }
    child.pid = r.childPid;
    child.process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_TERMINATE,
                                FALSE, r.childPid);
    if (!child.process) {
      CloseHandle(child.pipe);
      child.pipe = nullptr;
      return failure(win32Error(("hub: OpenProcess of " + child.label()).c_str(), GetLastError()));
    }
    auto& slot = agents_[child.id] = std::move(child);
    child.pipe = child.process = nullptr;  // the hub's record owns them now
    if (std::string problem = waitConnected(slot); !problem.empty())
      return failure(std::move(problem));
  } else if (q.op == Op::Exit && r.failure.empty()) {
    // The model's exit is instant: answer only once the process is gone (SPEC 26).
    if (WaitForSingleObject(a.process, timeoutMs_) != WAIT_OBJECT_0)
      return failure(a.label() + " did not exit within " + std::to_string(timeoutMs_) + " ms");
    a.alive = false;
  } else if (q.op == Op::Terminate && r.failure.empty()) {
    reapExited();
  }
  return r;
}

Reply Hub::route(Request q) {
  AgentRecord* a = nullptr;
  AgentRecord child;
  if (Reply r = prepare(q, a, child); !r.failure.empty()) return r;
  return finish(q, forward(*a, q), *a, child);
}

std::uint64_t systemTime() {
  FILETIME ft;
  GetSystemTimePreciseAsFileTime(&ft);
  return (static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

// A parallel block: each agent gets its steps in one message; with several
// agents, all start at one moment of the system clock, far enough ahead for
// every message to arrive. Then each agent's reply, within a command timeout
// per step, and what the hub does after each step (a child connects).
Reply Hub::block(const Request& q) {
  std::vector<Request> steps = q.steps;
  std::vector<AgentRecord> children(steps.size());
  std::map<AgentId, Request> parts;
  std::map<AgentId, std::vector<std::size_t>> indices;
  const auto fail = [&](Reply r) {
    for (AgentRecord& c : children)
      if (c.pipe) CloseHandle(c.pipe);
    return r;
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Request& step = steps[i];
    if (step.op == Op::Exit || step.op == Op::Quit || step.op == Op::Reset || step.op == Op::Block)
      return fail(failure("hub: " + std::string(proto::opName(step.op)) +
                          " does not run in a parallel block"));
    AgentRecord* a = nullptr;
    if (Reply r = prepare(step, a, children[i]); !r.failure.empty()) return fail(r);
    Request& part = parts[step.process];
    part.id = q.id;
    part.process = step.process;
    part.op = Op::Block;
    part.steps.push_back(step);
    indices[step.process].push_back(i);
  }
  const std::uint64_t startAt = parts.size() > 1 ? systemTime() + 10000ull * 50 * parts.size() : 0;
  for (auto& [id, part] : parts) {
    part.startAt = startAt;
    if (Reply r = send(agents_.at(id), part); !r.failure.empty()) return fail(r);
  }
  Reply out;
  out.ok = true;
  out.results.resize(steps.size());
  for (auto& [id, part] : parts) {
    const DWORD limit = timeoutMs_ * static_cast<DWORD>(1 + part.steps.size());
    const Reply r = receive(agents_.at(id), part, limit);
    if (!r.failure.empty()) return fail(r);
    if (r.results.size() != part.steps.size())
      return fail(failure(agents_.at(id).label() + " answered a block of " +
                          std::to_string(part.steps.size()) + " steps with " +
                          std::to_string(r.results.size()) + " results"));
    for (std::size_t k = 0; k < part.steps.size(); ++k) out.results[indices[id][k]] = r.results[k];
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Reply& r = out.results[i];
    if (!r.failure.empty()) return fail(failure(r.failure));
    r = finish(steps[i], std::move(r), agents_.at(steps[i].process), children[i]);
    if (!r.failure.empty()) return fail(r);
  }
  return out;
}

// Back to a fresh tree without starting one: every agent but the root ends,
// and the root closes what it acquired. A root that exited, or whose table
// cannot be made the fresh one again, is replaced by a fresh root. The job
// then proves that no process of the tree is left: it holds the hub and the
// root, nothing else.
Reply Hub::reset(proto::RequestId id) {
  for (auto it = agents_.begin(); it != agents_.end();) {
    if (it->first == 0) {
      ++it;
      continue;
    }
    it->second.end();
    it = agents_.erase(it);
  }
  AgentRecord& root = agents_.at(0);
  bool fresh = !root.alive || WaitForSingleObject(root.process, 0) == WAIT_OBJECT_0;
  if (!fresh) {
    Request q;
    q.id = id;
    q.op = Op::Reset;
    q.code = served_;
    const Reply r = forward(root, q);
    if (!r.failure.empty()) return r;
    fresh = !r.ok;
  }
  if (fresh) {
    root.end();
    agents_.erase(0);
    if (std::string problem = startRoot(); !problem.empty()) return failure(std::move(problem));
  }
  served_ = 0;
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION accounting{};
  if (!QueryInformationJobObject(job_, JobObjectBasicAccountingInformation, &accounting,
                                 sizeof accounting, nullptr))
    return failure(win32Error("hub: QueryInformationJobObject", GetLastError()));
  if (accounting.ActiveProcesses != 2)
    return failure("hub: after reset the job holds " + std::to_string(accounting.ActiveProcesses) +
                   " processes, not the hub and the root alone");
  Reply r;
  r.ok = true;
  r.childPid = agents_.at(0).pid;
  return r;
}

int Hub::run() {
  // The driver's pipes are ours alone: never inherited by an agent.
  const HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
  SetHandleInformation(in, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(out, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(GetStdHandle(STD_ERROR_HANDLE), HANDLE_FLAG_INHERIT, 0);
  Channel driver(in, out, false);

  // Every descendant joins the job; closing its last handle (the hub exiting
  // or being killed) terminates them all.
  Reply hello;
  job_ = CreateJobObjectW(nullptr, nullptr);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!job_) {
    hello.failure = win32Error("hub: CreateJobObjectW", GetLastError());
  } else if (!SetInformationJobObject(job_, JobObjectExtendedLimitInformation, &limits,
                                      sizeof limits)) {
    hello.failure = win32Error("hub: SetInformationJobObject", GetLastError());
  } else if (!AssignProcessToJobObject(job_, GetCurrentProcess())) {
    hello.failure = win32Error("hub: AssignProcessToJobObject", GetLastError());
  } else {
    hello.failure = startRoot();
  }
  // The hello line: ok and P0's pid, or why the run cannot start.
  hello.ok = hello.failure.empty();
  if (hello.ok) hello.childPid = agents_[0].pid;
  if (driver.writeLine(proto::encode(hello)) != Channel::Status::Ok || !hello.ok) return 1;

  std::string line;
  while (driver.readLine(line) == Channel::Status::Ok) {
    Request q;
    std::string error;
    Reply r;
    if (!proto::decode(line, q, error)) {
      r = failure("hub: " + error);
    } else if (q.op == Op::Quit) {
      r.id = q.id;
      r.ok = true;
      driver.writeLine(proto::encode(r));
      TerminateJobObject(job_, 0);  // every agent, and the hub itself
      return 0;
    } else if (q.op == Op::Reset) {
      r = reset(q.id);
      r.id = q.id;
    } else if (q.op == Op::Block) {
      for (const Request& step : q.steps)
        if (step.process == 0 || (step.op == Op::Dup && step.target == 0)) ++served_;
      r = block(q);
      r.id = q.id;
    } else {
      if (q.process == 0 || (q.op == Op::Dup && q.target == 0)) ++served_;
      const proto::RequestId id = q.id;
      r = route(std::move(q));
      r.id = id;  // forward() checked the agent's echo
    }
    if (driver.writeLine(proto::encode(r)) != Channel::Status::Ok) break;
  }
  TerminateJobObject(job_, 0);  // the driver went away
  return 0;
}

}  // namespace

int runHub(unsigned timeoutMs) {
  return Hub(timeoutMs).run();
}

}  // namespace hc::agent
