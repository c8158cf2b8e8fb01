// The real backend: `hc-agent.exe --hub` as a child (under Wine on Linux),
// one Request line in, one Reply line out over its stdin/stdout. The hub
// routes each request to its agent and bounds it by the command timeout; the
// driver bounds the hub itself (a hung hub is a backend failure too).
#include "handlecheck/sut/RealBackend.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "HubReply.h"
#include "Subprocess.h"
#include "handlecheck/sut/WineLane.h"
#include "handlecheck/sut/WineRunner.h"

#ifdef _WIN32
#include <process.h>
#define HC_GETPID _getpid
#else
#include <unistd.h>
#define HC_GETPID ::getpid
#endif

namespace hc::sut {
namespace {

using proto::AgentId;
using proto::Op;
using proto::Reply;
using proto::Request;
using std::chrono::milliseconds;

// Wine's first start in a prefix (a fresh wineserver, services) is slow; the
// hello gets at least this long whatever the command timeout.
constexpr milliseconds kStartTimeout{30000};
// Quit: how long the hub gets to end the tree by itself before we kill it.
constexpr milliseconds kQuitGrace{2000};

std::atomic<unsigned> gRunCounter{0};

// The first Wine process of a fresh wineserver waits for the prefix's system
// processes (wineboot --init: about a second, more than a whole campaign's
// resets). A server that outlives this run by kServerLinger spares the next
// run that wait; one the ctest fixture keeps is left as it is.
constexpr std::chrono::seconds kServerLinger{30};

// Worker `worker`'s lane; none when it cannot be had (a prefix that cannot
// be copied, say), with a warning once: the tree then runs, slower, in the
// prefix itself, with the same results.
std::unique_ptr<WineLane> laneOrNone(const WineSetup& setup, int worker) {
  try {
    return std::make_unique<WineLane>(setup, worker, kServerLinger);
  } catch (const WineError& e) {
    static std::once_flag once;
    std::call_once(once, [&] {
      std::fprintf(
          stderr,
          "handlecheck: warning: no lane of its own for a worker (%s); the workers run in %s\n",
          e.what(), setup.prefix.string().c_str());
    });
    return nullptr;
  }
}

// A path as UTF-8, what Subprocess takes: on Windows path::string() is the
// ANSI code page (MSVC) or UTF-8 (MinGW), and either can lose characters.
std::string utf8(const std::filesystem::path& p) {
  const std::u8string s = p.u8string();
  return std::string(s.begin(), s.end());
}

class RealBackend final : public Backend {
 public:
  explicit RealBackend(const RealBackendOptions&);
  ~RealBackend() override;
  std::string name() const override { return wine_ ? "wine" : "native"; }
  Reply perform(const Request&) override;
  std::vector<Reply> performBlock(const std::vector<Request>& steps) override;
  bool reset() override;
  // Per run: "hc<pid>x<counter>_NAME", so concurrent runs (ctest -j, two
  // CLIs) never share an object or mailslot; injective and case-keeping.
  std::string objectName(std::string_view scenarioName) const override {
    return prefix_ + std::string(scenarioName);
  }
  bool real() const override { return true; }

 private:
  [[noreturn]] void fail(std::string message);
  void acceptHello(Subprocess::Read, const std::string& line, const std::string& start);
  Reply exchange(const Request&, const std::string& what);
  Reply exchange(Request q, const std::string& what, milliseconds limit);
  std::string who(AgentId) const;
  std::string hub() const { return "the agent hub (pid " + std::to_string(hub_->pid()) + ")"; }

  bool wine_;
  milliseconds timeout_;
  std::string prefix_;
  std::unique_ptr<WineLane> lane_;  // held while the tree runs on it
  std::optional<WineSetup> setup_;  // Wine: the prefix and server the tree runs on
  std::unique_ptr<Subprocess> hub_;
  std::map<AgentId, std::uint32_t> pids_;  // from hello and spawn replies
  proto::RequestId lastId_ = 0;            // the id of the last request sent (the hello's is 0)
  std::string broken_;                     // non-empty: the run is over, and why
};

std::string RealBackend::who(AgentId id) const {
  const auto it = pids_.find(id);
  return "agent " + std::to_string(id) +
         (it == pids_.end() ? std::string() : " (pid " + std::to_string(it->second) + ")");
}

// The hub is gone or hung: kill the whole tree, remember why, throw. A tree
// whose wineserver died cannot answer at all: the message says so first.
void RealBackend::fail(std::string message) {
  if (setup_ && !serverAlive(*setup_))
    message = "wineserver died (prefix " + setup_->prefix.string() + "): " + message;
  if (hub_) {
    hub_->kill();
    const std::string tail = hub_->stderrTail();
    if (!tail.empty()) message += "; its stderr: " + printable(tail, 4096);
  }
  broken_ = std::move(message);
  throw BackendFailure(broken_);
}

RealBackend::RealBackend(const RealBackendOptions& options)
    : wine_(options.wine), timeout_(options.timeout) {
  prefix_ = "hc" + std::to_string(HC_GETPID()) + "x" + std::to_string(gRunCounter++) + "_";
  const char* forced = std::getenv("HANDLECHECK_AGENT");
  const std::filesystem::path agent = !options.agent.empty()   ? options.agent
                                      : forced && *forced != 0 ? std::filesystem::path(forced)
                                                               : executableDir() / "hc-agent.exe";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(agent, ec))
    throw BackendFailure("the Win32 agent " + utf8(agent) +
                         " does not exist (build the `win32` target, or pass its path)");
  const std::vector<std::string> hubArgs = {"--hub", "--timeout-ms",
                                            std::to_string(timeout_.count())};
  std::vector<std::string> argv;
  Subprocess::Environment env;
  int cpu = -1;
  if (wine_) {
    try {
      const WineSetup setup = locateWine(executableDir());
      checkWine(setup);
      initPrefix(setup);  // a no-op when the ctest fixture (or an earlier run) made it
      if (options.lane >= 0) lane_ = laneOrNone(setup, options.lane);
      if (lane_) {
        cpu = lane_->cpu();
      } else {
        try {
          keepServer(setup, kServerLinger);
        } catch (const WineError&) {
          // No server of our own: the hub's wine starts one as it always can.
        }
      }
      const WineSetup& where = lane_ ? lane_->setup() : setup;
      setup_ = where;
      env = wineEnvironment(where);
      argv = wineCommand(where, agent, hubArgs);
    } catch (const WineError& e) {
      throw BackendFailure(std::string("wine backend: ") + e.what());
    }
  } else {
    argv = {utf8(agent)};
    argv.insert(argv.end(), hubArgs.begin(), hubArgs.end());
  }
  // The hello: ok and P0's pid, or why the tree could not start. A hub that
  // ends before it says anything is started once more: under load a fresh
  // Wine process can exit at start-up before the agent's code runs (exit
  // code 1, nothing on stderr). The first ending is reported as a warning.
  std::string line;
  for (int attempt = 1;; ++attempt) {
    hub_ = std::make_unique<Subprocess>(argv, env, cpu);
    const std::string start = "the agent hub (" + argv[0] + " " + utf8(agent) + ", pid " +
                              std::to_string(hub_->pid()) + ")";
    const Subprocess::Read read = hub_->readLine(line, std::max(kStartTimeout, timeout_));
    if (read == Subprocess::Read::Closed && attempt == 1) {
      hub_->waitExit(milliseconds(2000));
      const std::string tail = hub_->stderrTail();
      std::fprintf(
          stderr, "handlecheck: warning: %s ended before its hello (%s; %s); starting it again\n",
          start.c_str(), hub_->status().c_str(),
          tail.empty() ? "nothing on stderr" : ("stderr: " + printable(tail, 4096)).c_str());
      hub_->kill();
      continue;
    }
    acceptHello(read, line, start);
    break;
  }
}

// The hub's first line: a hello that says P0 runs, or a failure naming why.
void RealBackend::acceptHello(Subprocess::Read read, const std::string& line,
                              const std::string& start) {
  switch (read) {
    case Subprocess::Read::Timeout:
      fail(start + " did not say hello within " +
           std::to_string(std::max(kStartTimeout, timeout_).count()) + " ms");
    case Subprocess::Read::Closed:
      hub_->waitExit(milliseconds(2000));
      fail(start + " ended before its hello (" + hub_->status() + "), twice");
    case Subprocess::Read::TooLong:
      fail(start + " sent a hello longer than " + std::to_string(Subprocess::kMaxLine) + " bytes");
    case Subprocess::Read::Line:
      break;
  }
  Reply hello;
  if (const std::string problem = acceptReply(line, nullptr, hello); !problem.empty())
    fail(start + " sent a " + problem);
  if (!hello.ok) fail(start + " could not start P0: " + hello.failure);
  pids_[0] = hello.childPid;
}

RealBackend::~RealBackend() {
  if (!hub_) return;
  if (broken_.empty()) {
    // Quit: the hub terminates its Job (every agent) and exits; then the group.
    Request quit;
    quit.id = ++lastId_;
    quit.op = Op::Quit;
    std::string line;
    if (hub_->write(proto::encode(quit))) hub_->readLine(line, kQuitGrace);
    hub_->waitExit(kQuitGrace);
  }
  hub_->kill();
}

// One request line out, with the next id, one reply line in, accepted as the
// answer to it; a hub that is gone, hung, out of step or garbled breaks the
// backend. `what` names the request in messages.
Reply RealBackend::exchange(const Request& asked, const std::string& what) {
  Request q = asked;
  q.id = ++lastId_;
  // The hub answers within two command timeouts (spawn: CreateProcess, then
  // the child's connection; exit: the reply, then the process's end).
  return exchange(std::move(q), what, 2 * timeout_ + milliseconds(5000));
}

// `q` with its id (and its steps' ids) given; `limit` bounds the hub's answer.
Reply RealBackend::exchange(Request q, const std::string& what, milliseconds limit) {
  if (!broken_.empty())
    throw BackendFailure("backend unusable after an earlier failure: " + broken_);
  // A line before the request is a reply to none: the hub is out of step.
  std::string line;
  if (hub_->readLine(line, milliseconds(0)) == Subprocess::Read::Line)
    fail(name() + ": " + hub() + " sent a line nobody asked for before " + what + ": '" +
         printable(line) + "'");
  if (!hub_->write(proto::encode(q))) {
    hub_->waitExit(milliseconds(1000));
    fail(name() + ": " + hub() + " is gone (" + hub_->status() + ") before " + what);
  }
  switch (hub_->readLine(line, limit)) {
    case Subprocess::Read::Timeout:
      fail(name() + ": " + hub() + " did not answer " + what + " within " +
           std::to_string(limit.count()) + " ms");
    case Subprocess::Read::Closed:
      hub_->waitExit(milliseconds(1000));
      fail(name() + ": " + hub() + " ended (" + hub_->status() + ") during " + what);
    case Subprocess::Read::TooLong:
      fail(name() + ": " + hub() + " answered " + what + " with a line longer than " +
           std::to_string(Subprocess::kMaxLine) + " bytes");
    case Subprocess::Read::Line:
      break;
  }
  Reply r;
  if (const std::string problem = acceptReply(line, &q, r); !problem.empty())
    fail(name() + ": " + hub() + " answered " + what + " with a " + problem);
  r.id = 0;  // checked: what the backend returns is the call's outcome, as the model's
  return r;
}

Reply RealBackend::perform(const Request& q) {
  const std::string op(proto::opName(q.op));
  if (q.op == Op::Quit || q.op == Op::Reset)
    fail(name() + ": " + op + " is the backend's own request (destruction, reset())");
  Reply r = exchange(q, op + " to " + who(q.process));
  // An agent that crashed or hung: the hub said so; the rest of the tree
  // still answers, so the run stays usable for teardown.
  if (!r.failure.empty()) {
    const bool named =
        r.failure.find("agent " + std::to_string(q.process) + " ") != std::string::npos &&
        r.failure.find(op) != std::string::npos;
    throw BackendFailure(name() + ": " + r.failure +
                         (named ? "" : " (request " + op + " to " + who(q.process) + ")"));
  }
  if (q.op == Op::Spawn && r.ok) pids_[q.target] = r.childPid;
  return r;
}

// One message for the whole block; the hub answers once every step has,
// each within a command timeout, and every child a step spawned has
// connected (a command timeout each).
std::vector<Reply> RealBackend::performBlock(const std::vector<Request>& steps) {
  Request q;
  q.op = Op::Block;
  q.steps = steps;
  std::size_t spawns = 0;
  for (Request& step : q.steps) {
    step.id = ++lastId_;
    spawns += step.op == Op::Spawn ? 1 : 0;
  }
  q.id = ++lastId_;
  const auto n = static_cast<int>(steps.size() + spawns);
  const std::string what = "a parallel block of " + std::to_string(steps.size()) + " steps";
  Reply r = exchange(std::move(q), what, (2 + 2 * n) * timeout_ + milliseconds(5000));
  if (!r.failure.empty()) throw BackendFailure(name() + ": " + r.failure + " (in " + what + ")");
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    r.results[i].id = 0;
    if (steps[i].op == Op::Spawn && r.results[i].ok) pids_[steps[i].target] = r.results[i].childPid;
  }
  return std::move(r.results);
}

// The hub ends the tree but the root and resets the root (or starts a fresh
// one); any failure there leaves the backend unusable.
bool RealBackend::reset() {
  Request q;
  q.op = Op::Reset;
  const Reply r = exchange(q, "reset");
  if (!r.failure.empty() || !r.ok) fail(name() + ": reset failed: " + r.failure);
  pids_.clear();
  pids_[0] = r.childPid;
  return true;
}

}  // namespace

std::unique_ptr<Backend> makeRealBackend(const RealBackendOptions& options) {
  return std::make_unique<RealBackend>(options);
}

}  // namespace hc::sut
