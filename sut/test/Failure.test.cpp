// The real backend when things go wrong: a crashed agent, a hung agent, Wine
// missing or broken, the host interrupted. Each is a BackendFailure with a
// message naming what failed, and none leaves a process behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

#include "WineTest.h"

namespace hc::sut::test {
namespace {

using proto::Op;
using proto::Reply;
using proto::Request;
using namespace std::chrono_literals;

// The message of the BackendFailure `call` throws ("" when it throws none).
template <typename Call>
std::string failureOf(Call call) {
  try {
    call();
  } catch (const BackendFailure& e) {
    std::printf("BackendFailure: %s\n", e.what());  // the message a user would see
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The Unix pid of agent `id` of this test's run (its command line under Wine
// is "Z:\...\hc-agent.exe --agent ID --pipe ...").
pid_t unixPidOfAgent(const PrivateAgent& agent, proto::AgentId id) {
  for (const std::string& p : livingProcesses(agent.token()))
    if (contains(p, "--agent " + std::to_string(id) + " ")) return static_cast<pid_t>(std::stol(p));
  return -1;
}

class Failure : public ::testing::Test {
 protected:
  void TearDown() override {
    backend_.reset();
    EXPECT_EQ(leftoverProcesses(agent_.token()), std::vector<std::string>{})
        << "processes left behind";
  }
  PrivateAgent agent_;
  std::unique_ptr<Backend> backend_;
};

// TerminateProcess of a child by its parent; a later request to the child
// names it, its pid and the request.
TEST_F(Failure, RequestToTerminatedChildNamesIt) {
  backend_ = startWine(agent_);
  const Reply child = backend_->perform(spawn(0, 1, false));
  ASSERT_TRUE(child.ok);
  Request kill = onHandle(0, Op::Terminate, child.handle);
  ASSERT_TRUE(backend_->perform(kill).ok);
  const std::string message = failureOf([&] { backend_->perform(request(1, Op::Query)); });
  EXPECT_TRUE(contains(message, "agent 1 (pid " + std::to_string(child.childPid) + ")")) << message;
  EXPECT_TRUE(contains(message, "query")) << message;
  EXPECT_TRUE(backend_->perform(request(0, Op::Ping)).ok);  // the rest of the tree still answers
}

// An agent killed from outside (a crash): the hub notices its pipe close.
TEST_F(Failure, CrashedAgentNamedWithItsExit) {
  backend_ = startWine(agent_);
  const Reply child = backend_->perform(spawn(0, 1, false));
  ASSERT_TRUE(child.ok);
  const pid_t unixPid = unixPidOfAgent(agent_, 1);
  ASSERT_GT(unixPid, 0) << "agent 1 not found among " << livingProcesses(agent_.token()).size();
  ASSERT_EQ(::kill(unixPid, SIGKILL), 0);
  const std::string message = failureOf([&] { backend_->perform(request(1, Op::Ping)); });
  EXPECT_TRUE(contains(message, "agent 1 (pid " + std::to_string(child.childPid) + ")")) << message;
  EXPECT_TRUE(contains(message, "ping")) << message;
}

// The Job object inside Wine, on its own: only the hub's process is killed
// (not its group), and every agent still goes with it (KILL_ON_JOB_CLOSE) --
// agent 2 too, stuck in a minute-long wait where it cannot see its pipe break.
TEST_F(Failure, KilledHubTakesEveryAgentWithIt) {
  backend_ = startWine(agent_, 1500ms);
  ASSERT_TRUE(backend_->perform(spawn(0, 1, true)).ok);
  ASSERT_TRUE(backend_->perform(spawn(1, 2, true)).ok);
  const Reply ev = backend_->perform(request(2, Op::CreateEvent));
  Request stuck = onHandle(2, Op::Wait, ev.handle);
  stuck.timeoutMs = 60000;
  EXPECT_TRUE(contains(failureOf([&] { backend_->perform(stuck); }), "did not answer wait"));
  pid_t hub = -1;
  for (const std::string& p : livingProcesses(agent_.token()))
    if (contains(p, "--hub")) hub = static_cast<pid_t>(std::stol(p));
  ASSERT_GT(hub, 0);
  ASSERT_EQ(::kill(hub, SIGKILL), 0);
  EXPECT_EQ(leftoverProcesses(agent_.token()), std::vector<std::string>{})
      << "agents outlived their hub";
  const std::string message = failureOf([&] { backend_->perform(request(1, Op::Ping)); });
  EXPECT_TRUE(contains(message, "agent hub")) << message;
  EXPECT_TRUE(contains(message, "ping to agent 1")) << message;
}

// A call that never returns (wait on an unsignalled event for a minute) in a
// run with a 1.5 s command timeout.
TEST_F(Failure, HungAgentTimesOut) {
  backend_ = startWine(agent_, 1500ms);
  const Reply ev = backend_->perform(request(0, Op::CreateEvent));
  ASSERT_TRUE(ev.ok);
  Request wait = onHandle(0, Op::Wait, ev.handle);
  wait.timeoutMs = 60000;
  const auto start = std::chrono::steady_clock::now();
  const std::string message = failureOf([&] { backend_->perform(wait); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(contains(message, "agent 0 (pid ")) << message;
  EXPECT_TRUE(contains(message, "did not answer wait within 1500 ms")) << message;
}

// A parallel block whose branch never returns (a wait of a minute on its
// thread) while the other branch's steps end at once: the block is a
// backend failure within the command timeouts it gets, naming the agent and
// the block, and no process of the run is left (TearDown).
TEST_F(Failure, HungBranchTimesOut) {
  backend_ = startWine(agent_, 1500ms);
  const Reply ev = backend_->perform(request(0, Op::CreateEvent));
  ASSERT_TRUE(ev.ok);
  Request wait = onHandle(0, Op::Wait, ev.handle);
  wait.timeoutMs = 60000;
  wait.thread = 1;
  Request make = request(0, Op::CreateEvent);
  make.thread = 2;
  const auto start = std::chrono::steady_clock::now();
  const std::string message = failureOf([&] { backend_->performBlock({wait, make}); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  EXPECT_TRUE(contains(message, "agent 0 (pid ")) << message;
  EXPECT_TRUE(contains(message, "did not answer block within")) << message;
  EXPECT_TRUE(contains(message, "a parallel block of 2 steps")) << message;
}

// HANDLECHECK_WINE pointing at a program that is not Wine.
TEST_F(Failure, BrokenWineIsAClearError) {
  ::setenv("HANDLECHECK_WINE", "/bin/false", 1);
  const std::string message = failureOf([&] { backend_ = startWine(agent_); });
  ::unsetenv("HANDLECHECK_WINE");
  EXPECT_TRUE(contains(message, "/bin/false")) << message;
  EXPECT_TRUE(contains(message, "Wine is broken")) << message;
}

TEST_F(Failure, MissingWineIsAClearError) {
  ::setenv("HANDLECHECK_WINE", "/nonexistent/wine64", 1);
  const std::string message = failureOf([&] { backend_ = startWine(agent_); });
  ::unsetenv("HANDLECHECK_WINE");
  EXPECT_TRUE(contains(message, "HANDLECHECK_WINE=/nonexistent/wine64 is not an executable"))
      << message;
}

TEST_F(Failure, MissingAgentIsAClearError) {
  RealBackendOptions options;
  options.agent = "/nonexistent/hc-agent.exe";
  const std::string message = failureOf([&] { backend_ = makeRealBackend(options); });
  EXPECT_TRUE(contains(message, "/nonexistent/hc-agent.exe does not exist")) << message;
}

// Ctrl-C (and kill) of the host: the backend's handler kills the hub's
// process group, the hub's Job takes every agent with it.
class Interrupted : public Failure, public ::testing::WithParamInterface<int> {};

TEST_P(Interrupted, HostSignalLeavesNoAgent) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t host = ::fork();
  ASSERT_GE(host, 0);
  if (host == 0) {  // the "CLI": starts a tree of three agents, then waits
    ::close(ready[0]);
    try {
      auto backend = startWine(agent_);
      if (!backend->perform(spawn(0, 1, true)).ok || !backend->perform(spawn(1, 2, true)).ok)
        ::_exit(1);
      if (::write(ready[1], "r", 1) != 1) ::_exit(1);
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(ready[1]);
  char byte = 0;
  const bool started = ::read(ready[0], &byte, 1) == 1;
  ::close(ready[0]);
  EXPECT_TRUE(started);
  EXPECT_GE(livingProcesses(agent_.token()).size(), 4u);  // wine loader (hub), P0, C1, C2
  ::kill(host, GetParam());
  int status = 0;
  ::waitpid(host, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam()) << "status " << status;
}

INSTANTIATE_TEST_SUITE_P(Signal, Interrupted, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& p) { return p.param == SIGINT ? "SIGINT" : "SIGTERM"; });

}  // namespace
}  // namespace hc::sut::test
